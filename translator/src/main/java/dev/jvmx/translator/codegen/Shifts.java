package dev.jvmx.translator.codegen;

import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.decode.Mnemonic;
import dev.jvmx.translator.decode.Operand;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;

/**
 * ROL, ROR, RCL, RCR, SHL/SAL, SHR, SAR, SHLD, SHRD (SDM Vol. 2). The count (1, imm8 or CL) is
 * masked to 5 bits; a masked count of 0 changes neither the destination nor any flag. When the
 * count is only known at run time, a branch skips the store and the flag update, so the lazy
 * flags keep describing the previous producer. Results and flags come from
 * {@code helpers.ShiftOps} (undefined flags are documented there).
 */
final class Shifts implements Opcodes {
    private static final String OPS = Emitter.HELPERS + "ShiftOps";

    private Shifts() { }

    static void emit(Insn insn, Emitter e) {
        Mnemonic m = insn.mnemonic;
        boolean dbl = m == Mnemonic.SHLD || m == Mnemonic.SHRD;
        int size = insn.operandSize;
        Loc d = e.resolve(insn.op(0));
        int a = e.temp();
        e.load(d, size);
        e.istore(a);
        int b = -1;
        if (dbl) {
            b = e.temp();
            e.loadOperand(insn.op(1), size);
            e.istore(b);
        }
        Operand count = insn.op(dbl ? 2 : 1);
        int cnt = e.temp();
        Label skip = null;
        if (count.kind == Operand.Kind.IMM) {
            int k = count.imm & 0x1F;
            if (k == 0) {
                return; // the operand was read (a fault on it is still taken), nothing else happens
            }
            e.iconst(k);
            e.istore(cnt);
        } else {
            skip = new Label();
            e.loadOperand(count, 1);
            e.iconst(0x1F);
            e.op(IAND);
            e.op(DUP);
            e.istore(cnt);
            e.mv.visitJumpInsn(IFEQ, skip);
        }
        int cfIn = -1;
        int old = -1;
        if (m == Mnemonic.RCL || m == Mnemonic.RCR || m == Mnemonic.ROL || m == Mnemonic.ROR) {
            // Rotates keep SF, ZF, AF, PF; RCL/RCR also read CF. Both are read before anything changes.
            old = e.temp();
            e.loadArithFlags();
            e.istore(old);
            cfIn = e.temp();
            e.iload(old);
            e.iconst(1);
            e.op(IAND);
            e.istore(cfIn);
        }
        int res = e.temp();
        String name = m == Mnemonic.SHL ? "shl" : m.name().toLowerCase();
        e.iconst(size);
        e.iload(a);
        if (dbl) {
            e.iload(b);
        }
        e.iload(cnt);
        if (cfIn >= 0 && (m == Mnemonic.RCL || m == Mnemonic.RCR)) {
            e.iload(cfIn);
            call(e, name, "(IIII)I");
        } else {
            call(e, name, dbl ? "(IIII)I" : "(III)I");
        }
        e.istore(res);
        e.iload(res);
        e.store(d, size);
        // Flags last: a fault on the store above leaves them untouched.
        e.iconst(size);
        switch (m) {
            case ROL:
            case ROR:
                e.iload(a);
                e.iload(cnt);
                e.iload(res);
                e.iload(old);
                call(e, name + "Flags", "(IIIII)I");
                break;
            case RCL:
            case RCR:
                e.iload(a);
                e.iload(cnt);
                e.iload(cfIn);
                e.iload(res);
                e.iload(old);
                call(e, name + "Flags", "(IIIIII)I");
                break;
            case SHLD:
            case SHRD:
                e.iload(a);
                e.iload(b);
                e.iload(cnt);
                e.iload(res);
                call(e, name + "Flags", "(IIIII)I");
                break;
            default:
                e.iload(a);
                e.iload(cnt);
                e.iload(res);
                call(e, name + "Flags", "(IIII)I");
                break;
        }
        e.setFlagsComputed();
        if (skip != null) {
            e.mv.visitLabel(skip);
            // Two paths meet: the lazy flags are OP_FLAGS on one and the old producer on the other.
            e.flagsUnknown();
        }
    }

    private static void call(Emitter e, String name, String desc) {
        e.mv.visitMethodInsn(INVOKESTATIC, OPS, name, desc, false);
    }
}
