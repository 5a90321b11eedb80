package dev.jvmx.translator.codegen;

import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.decode.Prefix;
import dev.jvmx.translator.flags.LazyFlags;
import dev.jvmx.translator.helpers.StringOps;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;

import static dev.jvmx.translator.codegen.Unit.Where.NEXT;
import static dev.jvmx.translator.codegen.Unit.Where.SELF;

/**
 * MOVS, CMPS, STOS, LODS, SCAS (SDM Vol. 2). Without a repeat prefix one element is emitted
 * inline: source DS:(E)SI (segment overridable), destination ES:(E)DI (never overridden),
 * index registers stepped by the operand size, down when EFLAGS.DF (read at run time from
 * {@code cpu.eflags}) is set; with a 16-bit address size SI/DI wrap at 64 KiB and the high
 * halves are kept. The registers change only after the memory accesses, so a fault leaves
 * the instruction unexecuted. REP/REPE/REPNE forms call {@code helpers.StringOps.rep}, which
 * runs a bounded number of elements and says whether the instruction finished; they end the
 * block, going to the next instruction when finished and back to this one (interrupts are
 * looked at on the way) when not.
 */
final class StringInstructions implements Opcodes {
    private StringInstructions() { }

    static void movs(Emitter e) {
        if (repeat(e, StringOps.MOVS)) {
            return;
        }
        int size = e.size();
        int delta = delta(e);
        int src = address(e, Cpu.ESI, sourceSegment(e), size, false);
        int dst = address(e, Cpu.EDI, Seg.ES, size, true);
        int v = e.temp();
        e.read(size, src);
        e.istore(v);
        e.write(size, dst, v);
        step(e, Cpu.ESI, delta);
        step(e, Cpu.EDI, delta);
    }

    static void stos(Emitter e) {
        if (repeat(e, StringOps.STOS)) {
            return;
        }
        int size = e.size();
        int delta = delta(e);
        int dst = address(e, Cpu.EDI, Seg.ES, size, true);
        int v = e.temp();
        e.loadReg(Cpu.EAX, size);
        e.istore(v);
        e.write(size, dst, v);
        step(e, Cpu.EDI, delta);
    }

    static void lods(Emitter e) {
        if (repeat(e, StringOps.LODS)) {
            return;
        }
        int size = e.size();
        int delta = delta(e);
        int src = address(e, Cpu.ESI, sourceSegment(e), size, false);
        e.read(size, src);
        e.storeReg(Cpu.EAX, size);
        step(e, Cpu.ESI, delta);
    }

    static void cmps(Emitter e) {
        if (repeat(e, StringOps.CMPS)) {
            return;
        }
        int size = e.size();
        int delta = delta(e);
        int src = address(e, Cpu.ESI, sourceSegment(e), size, false);
        int dst = address(e, Cpu.EDI, Seg.ES, size, false);
        int a = e.temp(), b = e.temp();
        e.read(size, src);
        e.istore(a);
        e.read(size, dst);
        e.istore(b);
        compare(e, size, a, b);
        step(e, Cpu.ESI, delta);
        step(e, Cpu.EDI, delta);
    }

    static void scas(Emitter e) {
        if (repeat(e, StringOps.SCAS)) {
            return;
        }
        int size = e.size();
        int delta = delta(e);
        int dst = address(e, Cpu.EDI, Seg.ES, size, false);
        int a = e.temp(), b = e.temp();
        e.loadReg(Cpu.EAX, size);
        e.istore(a);
        e.read(size, dst);
        e.istore(b);
        compare(e, size, a, b);
        step(e, Cpu.EDI, delta);
    }

    private static int sourceSegment(Emitter e) {
        return e.segOverride() >= 0 ? e.segOverride() : Seg.DS;
    }

    /** With a REP/REPE/REPNE prefix: one call of the bounded helper, then this instruction again or the next. */
    private static boolean repeat(Emitter e, int kind) {
        if (!e.hasPrefix(Prefix.REP) && !e.hasPrefix(Prefix.REPNE)) {
            return false;
        }
        int mode = StringOps.REP;
        if (kind == StringOps.CMPS || kind == StringOps.SCAS) {
            mode = e.hasPrefix(Prefix.REPNE) ? StringOps.REPNE : StringOps.REPE;
        }
        int repMode = mode;
        e.callWithState(Calls.REP, () -> {
            e.iconst(kind);
            e.iconst(e.size());
            e.iconst(e.addressSize());
            e.iconst(sourceSegment(e));
            e.iconst(repMode);
        });
        Label again = new Label();
        e.jump(IFEQ, again);
        e.exitLeg(NEXT, CompiledBlock.FALLTHROUGH);
        e.label(again);
        // Unfinished: restart this instruction (the dispatcher looks at interrupts first).
        e.exitTo(SELF, CompiledBlock.TAKEN);
        return true;
    }

    /** delta = DF ? -size : size, i.e. size - (DF ? 2 * size : 0), into a new temp; DF is bit 10. */
    private static int delta(Emitter e) {
        int size = e.size();
        int delta = e.temp();
        int log = size == 1 ? 0 : size == 2 ? 1 : 2;
        e.iconst(size);
        e.getCpu(Fields.EFLAGS);
        e.iconst(Integer.numberOfTrailingZeros(Eflags.DF) - 1 - log);
        e.op(IUSHR);
        e.iconst(2 * size);
        e.op(IAND);
        e.op(ISUB);
        e.istore(delta);
        return delta;
    }

    /**
     * Computes segment base + index register (by address size) into a new temp, after the
     * segment limit check of an access of {@code size} bytes.
     */
    private static int address(Emitter e, int reg, int seg, int size, boolean write) {
        int t = e.temp();
        e.loadReg(reg, e.addressSize());
        e.istore(t);
        e.checkOffset(seg, t, size, write);
        e.iload(t);
        e.addSegBase(seg);
        e.istore(t);
        return t;
    }

    /** reg += delta in the address size, keeping the high half for 16-bit addressing. */
    private static void step(Emitter e, int reg, int delta) {
        if (e.addressSize() == 4) {
            e.loadReg32(reg);
            e.iload(delta);
            e.op(IADD);
            e.storeReg32(reg);
            return;
        }
        e.loadReg32(reg);
        e.iload(delta);
        e.op(IADD);
        e.storeReg(reg, 2);
    }

    /** Flags as CMP a, b: a lazy SUB whose operands compare directly. */
    private static void compare(Emitter e, int size, int a, int b) {
        int res = e.temp();
        e.iload(a);
        e.iload(b);
        e.op(ISUB);
        e.mask(size);
        e.istore(res);
        e.setFlags(LazyFlags.op(LazyFlags.OP_SUB, size), res, a, b, true);
    }
}
