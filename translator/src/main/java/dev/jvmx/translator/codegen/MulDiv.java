package dev.jvmx.translator.codegen;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.decode.Mnemonic;
import org.objectweb.asm.Opcodes;

/**
 * MUL, IMUL (one-, two- and three-operand forms), DIV, IDIV (SDM Vol. 2). Products are computed
 * as longs by {@code helpers.MulDivOps}; divisions too, which raise #DE (vector 0) for a zero
 * divisor or a quotient that does not fit, before any register changes. DIV/IDIV leave the flags
 * unchanged; the MUL/IMUL flag choices are documented in MulDivOps.
 */
final class MulDiv implements Opcodes {
    private static final String OPS = Emitter.HELPERS + "MulDivOps";

    private MulDiv() { }

    static void emit(Insn insn, Emitter e) {
        int size = insn.operandSize;
        Mnemonic m = insn.mnemonic;
        if (m == Mnemonic.IMUL && insn.operands.length > 1) {
            imulTruncating(insn, e, size);
            return;
        }
        int src = e.temp();
        e.loadOperand(insn.op(0), size);
        e.istore(src);
        if (m == Mnemonic.MUL || m == Mnemonic.IMUL) {
            boolean signed = m == Mnemonic.IMUL;
            int p = e.temp();
            e.temp(); // p is a long: two slots
            e.iconst(size);
            e.loadReg(Cpu.EAX, size);
            e.iload(src);
            e.mv.visitMethodInsn(INVOKESTATIC, OPS, signed ? "imul" : "mul", "(III)J", false);
            e.mv.visitVarInsn(LSTORE, p);
            if (size == 1) {
                e.mv.visitVarInsn(LLOAD, p);
                e.op(L2I);
                e.storeReg(Cpu.EAX, 2); // AX = AL * src
            } else {
                e.mv.visitVarInsn(LLOAD, p);
                e.op(L2I);
                e.storeReg(Cpu.EAX, size);
                e.mv.visitVarInsn(LLOAD, p);
                e.iconst(size * 8);
                e.op(LUSHR);
                e.op(L2I);
                e.storeReg(Cpu.EDX, size);
            }
            e.iconst(size);
            e.mv.visitVarInsn(LLOAD, p);
            e.iconst(signed ? 1 : 0);
            e.mv.visitMethodInsn(INVOKESTATIC, OPS, "mulFlags", "(IJZ)I", false);
            e.setFlagsComputed();
            return;
        }
        // DIV / IDIV: the helper raises #DE; registers are written only after it returns.
        int qr = e.temp();
        e.temp();
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
        e.mv.visitMethodInsn(INVOKESTATIC, OPS, m == Mnemonic.DIV ? "divu" : "divs", "(L" + Emitter.CPU + ";IIII)J",
                false);
        e.mv.visitVarInsn(LSTORE, qr);
        if (size == 1) {
            // AL = quotient, AH = remainder
            e.mv.visitVarInsn(LLOAD, qr);
            e.op(L2I);
            e.mask(1);
            e.mv.visitVarInsn(LLOAD, qr);
            e.iconst(24);
            e.op(LUSHR);
            e.op(L2I);
            e.iconst(0xFF00);
            e.op(IAND);
            e.op(IOR);
            e.storeReg(Cpu.EAX, 2);
        } else {
            e.mv.visitVarInsn(LLOAD, qr);
            e.op(L2I);
            e.storeReg(Cpu.EAX, size);
            e.mv.visitVarInsn(LLOAD, qr);
            e.iconst(32);
            e.op(LUSHR);
            e.op(L2I);
            e.storeReg(Cpu.EDX, size);
        }
    }

    /** IMUL r, r/m and IMUL r, r/m, imm: the product truncated to the operand size. */
    private static void imulTruncating(Insn insn, Emitter e, int size) {
        int x = e.temp(), y = e.temp();
        boolean three = insn.operands.length > 2;
        e.loadOperand(insn.op(three ? 1 : 0), size);
        e.istore(x);
        e.loadOperand(insn.op(three ? 2 : 1), size);
        e.istore(y);
        int p = e.temp();
        e.temp();
        e.iconst(size);
        e.iload(x);
        e.iload(y);
        e.mv.visitMethodInsn(INVOKESTATIC, OPS, "imul", "(III)J", false);
        e.mv.visitVarInsn(LSTORE, p);
        e.mv.visitVarInsn(LLOAD, p);
        e.op(L2I);
        e.storeReg(insn.op(0).reg, size);
        e.iconst(size);
        e.mv.visitVarInsn(LLOAD, p);
        e.iconst(1);
        e.mv.visitMethodInsn(INVOKESTATIC, OPS, "mulFlags", "(IJZ)I", false);
        e.setFlagsComputed();
    }
}
