package dev.jvmx.translator.codegen;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.flags.LazyFlags;
import org.objectweb.asm.Opcodes;

/**
 * MUL, IMUL (one-, two- and three-operand forms), DIV, IDIV (SDM Vol. 2). Products are computed
 * as longs by {@code helpers.MulDivOps}; divisions too, which raise #DE (vector 0) for a zero
 * divisor or a quotient that does not fit, before any register changes. DIV/IDIV leave the flags
 * unchanged; the MUL/IMUL flag choices are documented in MulDivOps.
 */
final class MulDiv implements Opcodes {
    private MulDiv() { }

    static void mul(Emitter e) {
        widening(e, false);
    }

    /** IMUL r/m widens into (E)DX:(E)AX; IMUL r, r/m and IMUL r, r/m, imm truncate. */
    static void imul(Emitter e) {
        if (e.operandCount() > 1) {
            truncating(e);
        } else {
            widening(e, true);
        }
    }

    private static void widening(Emitter e, boolean signed) {
        int size = e.size();
        int src = e.temp(), p = e.tempLong();
        e.loadOperand(0, size);
        e.istore(src);
        e.iconst(size);
        e.loadReg(Cpu.EAX, size);
        e.iload(src);
        e.call(signed ? Calls.IMUL : Calls.MUL);
        e.lstore(p);
        if (size == 1) {
            e.lload(p);
            e.op(L2I);
            e.storeReg(Cpu.EAX, 2); // AX = AL * src
        } else {
            e.lload(p);
            e.op(L2I);
            e.storeReg(Cpu.EAX, size);
            e.lload(p);
            e.iconst(size * 8);
            e.op(LUSHR);
            e.op(L2I);
            e.storeReg(Cpu.EDX, size);
        }
        lazyFlags(e, signed ? LazyFlags.OP_IMUL : LazyFlags.OP_MUL, size, p);
    }

    /** The flags stay lazy: the product's low half (masked to the size) and high half. */
    private static void lazyFlags(Emitter e, int family, int size, int p) {
        int lo = e.temp(), hi = e.temp();
        e.lload(p);
        e.op(L2I);
        e.mask(size);
        e.istore(lo);
        e.lload(p);
        e.iconst(size * 8);
        e.op(LSHR);
        e.op(L2I);
        e.istore(hi);
        e.setFlags(LazyFlags.op(family, size), lo, hi, hi, false);
    }

    /** IMUL r, r/m and IMUL r, r/m, imm: the product truncated to the operand size. */
    private static void truncating(Emitter e) {
        int size = e.size();
        boolean three = e.operandCount() > 2;
        int x = e.temp(), y = e.temp(), p = e.tempLong();
        e.loadOperand(three ? 1 : 0, size);
        e.istore(x);
        e.loadOperand(three ? 2 : 1, size);
        e.istore(y);
        e.iconst(size);
        e.iload(x);
        e.iload(y);
        e.call(Calls.IMUL);
        e.lstore(p);
        e.lload(p);
        e.op(L2I);
        e.storeOperand(0, size);
        lazyFlags(e, LazyFlags.OP_IMUL, size, p);
    }

    static void div(Emitter e) {
        divide(e, Calls.DIVU);
    }

    static void idiv(Emitter e) {
        divide(e, Calls.DIVS);
    }

    /** The helper raises #DE; registers are written only after it returns. */
    private static void divide(Emitter e, HelperCall helper) {
        int size = e.size();
        int src = e.temp(), qr = e.tempLong();
        e.loadOperand(0, size);
        e.istore(src);
        e.aloadCpu();
        e.iconst(size);
        if (size == 1) {
            e.iconst(0);
            e.loadReg(Cpu.EAX, 2);
        } else {
            e.loadReg(Cpu.EDX, size);
            e.loadReg(Cpu.EAX, size);
        }
        e.iload(src);
        e.call(helper);
        e.lstore(qr);
        if (size == 1) {
            // AL = quotient, AH = remainder
            e.lload(qr);
            e.op(L2I);
            e.mask(1);
            e.lload(qr);
            e.iconst(24);
            e.op(LUSHR);
            e.op(L2I);
            e.iconst(0xFF00);
            e.op(IAND);
            e.op(IOR);
            e.storeReg(Cpu.EAX, 2);
        } else {
            e.lload(qr);
            e.op(L2I);
            e.storeReg(Cpu.EAX, size);
            e.lload(qr);
            e.iconst(32);
            e.op(LUSHR);
            e.op(L2I);
            e.storeReg(Cpu.EDX, size);
        }
    }
}
