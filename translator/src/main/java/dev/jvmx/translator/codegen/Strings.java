package dev.jvmx.translator.codegen;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.decode.Prefix;
import dev.jvmx.translator.flags.LazyFlags;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;

import static dev.jvmx.translator.helpers.StringOps.CMPS;
import static dev.jvmx.translator.helpers.StringOps.LODS;
import static dev.jvmx.translator.helpers.StringOps.MOVS;
import static dev.jvmx.translator.helpers.StringOps.SCAS;
import static dev.jvmx.translator.helpers.StringOps.STOS;

/**
 * MOVS, CMPS, STOS, LODS, SCAS (SDM Vol. 2). Without a repeat prefix one element is emitted
 * inline: source DS:(E)SI (segment overridable), destination ES:(E)DI (never overridden),
 * index registers stepped by the operand size, down when EFLAGS.DF (read at run time from
 * {@code cpu.eflags}) is set; with a 16-bit address size SI/DI wrap at 64 KiB and the high
 * halves are kept. The registers change only after the memory accesses, so a fault leaves
 * the instruction unexecuted. REP/REPE/REPNE forms call the Java helper, which runs a bounded
 * number of elements and says whether the instruction finished; they end the block, going to
 * the next instruction when finished and back to this one (interrupts are looked at on the
 * way) when not.
 */
final class Strings implements Opcodes {
    private static final String HELPER = Emitter.HELPERS + "StringOps";

    private Strings() { }

    static int kindOf(Insn insn) {
        switch (insn.mnemonic) {
            case MOVS: return MOVS;
            case CMPS: return CMPS;
            case STOS: return STOS;
            case LODS: return LODS;
            case SCAS: return SCAS;
            default: throw new IllegalStateException("not a string instruction: " + insn.mnemonic);
        }
    }

    static void emit(Insn insn, Emitter e) {
        int kind = kindOf(insn);
        int srcSeg = insn.segOverride >= 0 ? insn.segOverride : Seg.DS;
        if ((insn.prefixes & (Prefix.REP | Prefix.REPNE)) != 0) {
            emitRep(insn, e, kind, srcSeg);
        } else {
            emitOne(insn, e, kind, srcSeg);
        }
    }

    private static void emitRep(Insn insn, Emitter e, int kind, int srcSeg) {
        int mode = dev.jvmx.translator.helpers.StringOps.REP;
        if (kind == CMPS || kind == SCAS) {
            mode = (insn.prefixes & Prefix.REPNE) != 0
                    ? dev.jvmx.translator.helpers.StringOps.REPNE : dev.jvmx.translator.helpers.StringOps.REPE;
        }
        int m = mode;
        e.callWithState(HELPER, "rep", "(L" + Emitter.CPU + ";IIIII)Z", () -> {
            e.iconst(kind);
            e.iconst(insn.operandSize);
            e.iconst(insn.addressSize);
            e.iconst(srcSeg);
            e.iconst(m);
        });
        Label again = new Label();
        e.mv.visitJumpInsn(IFEQ, again);
        e.exitLeg(e.nextEip(), CompiledBlock.FALLTHROUGH);
        e.mv.visitLabel(again);
        // Unfinished: restart this instruction (the dispatcher checks interrupts first).
        e.exitTo(insn.address, CompiledBlock.TAKEN);
    }

    private static void emitOne(Insn insn, Emitter e, int kind, int srcSeg) {
        int size = insn.operandSize;
        int as = insn.addressSize;
        int delta = e.temp();
        // delta = DF ? -size : size, i.e. size - (DF ? 2 * size : 0); DF is bit 10.
        int log = size == 1 ? 0 : size == 2 ? 1 : 2;
        e.iconst(size);
        e.aloadCpu();
        e.mv.visitFieldInsn(GETFIELD, Emitter.CPU, "eflags", "I");
        e.iconst(Integer.numberOfTrailingZeros(Eflags.DF) - 1 - log);
        e.op(IUSHR);
        e.iconst(2 * size);
        e.op(IAND);
        e.op(ISUB);
        e.istore(delta);
        switch (kind) {
            case MOVS: {
                int src = address(e, Cpu.ESI, srcSeg, as, size, false);
                int dst = address(e, Cpu.EDI, Seg.ES, as, size, true);
                int v = e.temp();
                e.read(size, src);
                e.istore(v);
                e.write(size, dst, v);
                step(e, Cpu.ESI, delta, as);
                step(e, Cpu.EDI, delta, as);
                break;
            }
            case STOS: {
                int dst = address(e, Cpu.EDI, Seg.ES, as, size, true);
                int v = e.temp();
                e.loadReg(Cpu.EAX, size);
                e.istore(v);
                e.write(size, dst, v);
                step(e, Cpu.EDI, delta, as);
                break;
            }
            case LODS: {
                int src = address(e, Cpu.ESI, srcSeg, as, size, false);
                e.read(size, src);
                e.storeReg(Cpu.EAX, size);
                step(e, Cpu.ESI, delta, as);
                break;
            }
            case CMPS: {
                int src = address(e, Cpu.ESI, srcSeg, as, size, false);
                int dst = address(e, Cpu.EDI, Seg.ES, as, size, false);
                int a = e.temp(), b = e.temp();
                e.read(size, src);
                e.istore(a);
                e.read(size, dst);
                e.istore(b);
                compare(e, size, a, b);
                step(e, Cpu.ESI, delta, as);
                step(e, Cpu.EDI, delta, as);
                break;
            }
            default: { // SCAS
                int dst = address(e, Cpu.EDI, Seg.ES, as, size, false);
                int a = e.temp(), b = e.temp();
                e.loadReg(Cpu.EAX, size);
                e.istore(a);
                e.read(size, dst);
                e.istore(b);
                compare(e, size, a, b);
                step(e, Cpu.EDI, delta, as);
                break;
            }
        }
    }

    /**
     * Computes segment base + index register (by address size) into a new temp, after the
     * segment limit check of an access of {@code size} bytes.
     */
    private static int address(Emitter e, int reg, int seg, int as, int size, boolean write) {
        int t = e.temp();
        e.loadReg(reg, as);
        e.istore(t);
        e.checkOffset(seg, t, size, write);
        e.iload(t);
        e.addSegBase(seg);
        e.istore(t);
        return t;
    }

    /** reg += delta in the address size, keeping the high half for 16-bit addressing. */
    private static void step(Emitter e, int reg, int delta, int as) {
        int local = Emitter.regLocal(reg);
        if (as == 4) {
            e.iload(local);
            e.iload(delta);
            e.op(IADD);
            e.istore(local);
            return;
        }
        e.iload(local);
        e.iconst(0xFFFF0000);
        e.op(IAND);
        e.iload(local);
        e.iload(delta);
        e.op(IADD);
        e.mask(2);
        e.op(IOR);
        e.istore(local);
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
