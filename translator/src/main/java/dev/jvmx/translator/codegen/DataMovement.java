package dev.jvmx.translator.codegen;

import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.flags.LazyFlags;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;

/** MOV and friends, LEA, XCHG, XADD, CMPXCHG(8B), CMOVcc, SETcc, BSWAP, XLAT, CBW/CWDE, CWD/CDQ. */
final class DataMovement implements Opcodes {
    private DataMovement() { }

    static void mov(Emitter e) {
        int size = e.size();
        Loc d = e.operand(0);
        e.loadOperand(1, size);
        e.store(d, size);
    }

    static void movzx(Emitter e) {
        e.loadOperand(1, e.operandSize(1));
        e.storeOperand(0, e.size());
    }

    static void movsx(Emitter e) {
        int srcSize = e.operandSize(1);
        e.loadOperand(1, srcSize);
        e.signExtend(srcSize);
        e.mask(e.size());
        e.storeOperand(0, e.size());
    }

    /** LEA: the offset, truncated to the operand size; no memory access, no segment. */
    static void lea(Emitter e) {
        e.effectiveAddress(1);
        e.mask(e.size());
        e.storeOperand(0, e.size());
    }

    static void xchg(Emitter e) {
        int size = e.size();
        Loc a = e.operand(0), b = e.operand(1);
        int va = e.temp(), vb = e.temp();
        e.loadForUpdate(a, size);
        e.istore(va);
        e.loadForUpdate(b, size);
        e.istore(vb);
        // Memory first, so a fault leaves both registers untouched.
        if (b.isMem()) {
            e.iload(va);
            e.store(b, size);
            e.iload(vb);
            e.store(a, size);
        } else {
            e.iload(vb);
            e.store(a, size);
            e.iload(va);
            e.store(b, size);
        }
    }

    static void xadd(Emitter e) {
        int size = e.size();
        Loc d = e.operand(0), s = e.operand(1);
        int a = e.temp(), b = e.temp(), r = e.temp();
        e.loadForUpdate(d, size);
        e.istore(a);
        e.load(s, size);
        e.istore(b);
        e.iload(a);
        e.iload(b);
        e.op(IADD);
        e.mask(size);
        e.istore(r);
        // The memory destination first (a fault changes nothing); with two registers the source is
        // written first, so that XADD r, r leaves the sum.
        if (d.isMem()) {
            e.iload(r);
            e.store(d, size);
            e.iload(a);
            e.store(s, size);
        } else {
            e.iload(a);
            e.store(s, size);
            e.iload(r);
            e.store(d, size);
        }
        e.setFlags(LazyFlags.op(LazyFlags.OP_ADD, size), r, a, b, false);
    }

    /**
     * Compares the accumulator with the destination: equal, dest = src; else acc = dest. The
     * destination is written in both cases (SDM: the processor never produces a locked read
     * without a write).
     */
    static void cmpxchg(Emitter e) {
        int size = e.size();
        Loc d = e.operand(0);
        int acc = e.temp(), dv = e.temp(), r = e.temp();
        e.loadForUpdate(d, size);
        e.istore(dv);
        e.loadReg(Cpu.EAX, size);
        e.istore(acc);
        e.iload(acc);
        e.iload(dv);
        e.op(ISUB);
        e.mask(size);
        e.istore(r);
        Label ne = new Label(), done = new Label();
        e.iload(acc);
        e.iload(dv);
        e.jump(IF_ICMPNE, ne);
        e.loadOperand(1, size);
        e.store(d, size);
        e.jump(GOTO, done);
        e.label(ne);
        if (d.isMem()) {
            e.iload(dv);
            e.store(d, size);
        }
        e.iload(dv);
        e.storeReg(Cpu.EAX, size);
        e.label(done);
        e.setFlags(LazyFlags.op(LazyFlags.OP_SUB, size), r, acc, dv, true);
    }

    static void cmpxchg8b(Emitter e) {
        Loc d = e.operand(0);
        e.callWithState(Calls.CMPXCHG8B, () -> e.iload(d.value));
    }

    /** CMOVcc: the source is read whatever the condition (it may fault); the write is conditional. */
    static void cmovcc(Emitter e) {
        int size = e.size();
        int v = e.temp();
        e.loadOperand(1, size);
        e.istore(v);
        Label skip = new Label();
        e.jumpIfCondition(true, skip);
        e.iload(v);
        e.storeOperand(0, size);
        e.label(skip);
    }

    static void setcc(Emitter e) {
        Loc d = e.operand(0);
        e.loadCondition();
        e.store(d, 1);
    }

    /** BSWAP of a 16-bit register is undefined; the hardware clears the low word. */
    static void bswap(Emitter e) {
        if (e.size() == 4) {
            Loc r = e.operand(0);
            e.load(r, 4);
            e.call(Calls.REVERSE_BYTES);
            e.store(r, 4);
        } else {
            e.iconst(0);
            e.storeOperand(0, 2);
        }
    }

    /** XLAT: AL = [seg:(E)BX + AL], DS unless overridden. */
    static void xlat(Emitter e) {
        int lin = e.temp();
        e.loadReg32(Cpu.EBX);
        e.loadReg(Cpu.EAX, 1);
        e.op(IADD);
        if (e.addressSize() == 2) {
            e.mask(2);
        }
        e.addSegBase(e.segOverride() >= 0 ? e.segOverride() : Seg.DS);
        e.istore(lin);
        e.read(1, lin);
        e.storeReg(Cpu.EAX, 1);
    }

    /** CBW: AX = sign-extended AL; CWDE: EAX = sign-extended AX. */
    static void cbw(Emitter e) {
        if (e.size() == 2) {
            e.loadReg(Cpu.EAX, 1);
            e.signExtend(1);
            e.storeReg(Cpu.EAX, 2);
        } else {
            e.loadReg(Cpu.EAX, 2);
            e.signExtend(2);
            e.storeReg(Cpu.EAX, 4);
        }
    }

    /** CWD: DX = the sign of AX; CDQ: EDX = the sign of EAX. */
    static void cwd(Emitter e) {
        int size = e.size();
        e.loadReg(Cpu.EAX, size);
        e.signExtend(size);
        e.iconst(31);
        e.op(ISHR);
        e.storeReg(Cpu.EDX, size);
    }
}
