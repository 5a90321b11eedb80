package dev.jvmx.translator.codegen;

import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.decode.Mnemonic;
import dev.jvmx.translator.decode.Operand;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;

/**
 * BT, BTS, BTR, BTC, BSF, BSR (SDM Vol. 2). Bit tests: CF = the selected bit; OF, SF, AF, PF
 * (undefined) and ZF (unaffected) keep their values, as on the reference host. An immediate
 * offset, or any offset into a register, is taken modulo the operand width; a register offset
 * into memory is a signed bit index that moves the accessed operand by (offset >> 5) * 4 bytes
 * (32-bit) or (offset >> 4) * 2 bytes (16-bit), within the address size.
 * BSF/BSR flags are in {@code helpers.BitScanOps}.
 */
final class BitOps implements Opcodes {
    private BitOps() { }

    static void emit(Insn insn, Emitter e) {
        if (insn.mnemonic == Mnemonic.BSF || insn.mnemonic == Mnemonic.BSR) {
            scan(insn, e);
            return;
        }
        int size = insn.operandSize;
        int width = size * 8;
        Operand dst = insn.op(0);
        Operand off = insn.op(1);
        int bit = e.temp();
        Loc d;
        if (dst.isMem() && off.kind == Operand.Kind.REG) {
            int offset = e.temp();
            e.loadReg(off.reg, size);
            e.signExtend(size);
            e.istore(offset);
            int lin = e.temp();
            e.effectiveAddress(dst);
            e.iload(offset);
            e.iconst(size == 4 ? 5 : 4);
            e.op(ISHR);
            e.iconst(size == 4 ? 2 : 1);
            e.op(ISHL);
            e.op(IADD);
            if (insn.addressSize == 2) {
                e.mask(2);
            }
            e.addSegBase(dst.seg);
            e.istore(lin);
            d = Loc.memory(lin);
            e.iload(offset);
        } else {
            d = e.resolve(dst);
            e.loadOperand(off, size);
        }
        e.iconst(width - 1);
        e.op(IAND);
        e.istore(bit);
        int v = e.temp();
        e.load(d, size);
        e.istore(v);
        if (insn.mnemonic != Mnemonic.BT) {
            e.iload(v);
            e.iconst(1);
            e.iload(bit);
            e.op(ISHL);
            switch (insn.mnemonic) {
                case BTS:
                    e.op(IOR);
                    break;
                case BTR:
                    e.iconst(-1);
                    e.op(IXOR);
                    e.op(IAND);
                    break;
                default:
                    e.op(IXOR);
                    break;
            }
            e.store(d, size);
        }
        e.loadArithFlags();
        e.iconst(~Eflags.CF);
        e.op(IAND);
        e.iload(v);
        e.iload(bit);
        e.op(IUSHR);
        e.iconst(1);
        e.op(IAND);
        e.op(IOR);
        e.setFlagsComputed();
    }

    /** BSF/BSR: a zero source leaves the destination unchanged. */
    private static void scan(Insn insn, Emitter e) {
        int size = insn.operandSize;
        int src = e.temp(), idx = e.temp();
        e.loadOperand(insn.op(1), size);
        e.istore(src);
        e.iload(src);
        e.mv.visitMethodInsn(INVOKESTATIC, Emitter.HELPERS + "BitScanOps",
                insn.mnemonic == Mnemonic.BSF ? "bsf" : "bsr", "(I)I", false);
        e.istore(idx);
        Label zero = new Label();
        e.iload(src);
        e.mv.visitJumpInsn(IFEQ, zero);
        e.iload(idx);
        e.storeReg(insn.op(0).reg, size);
        e.mv.visitLabel(zero);
        e.iload(src);
        e.iload(idx);
        e.mv.visitMethodInsn(INVOKESTATIC, Emitter.HELPERS + "BitScanOps", "flags", "(II)I", false);
        e.setFlagsComputed();
    }
}
