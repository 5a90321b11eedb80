package dev.jvmx.translator.codegen;

import dev.jvmx.translator.decode.Operand;
import dev.jvmx.translator.flags.LazyFlags;
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
    private Shifts() { }

    static void shl(Emitter e) {
        shift(e, Calls.SHL, LazyFlags.OP_SHL);
    }

    static void shr(Emitter e) {
        shift(e, Calls.SHR, LazyFlags.OP_SHR);
    }

    static void sar(Emitter e) {
        shift(e, Calls.SAR, LazyFlags.OP_SAR);
    }

    /** Rotates keep SF, ZF, AF and PF: the old flags go to the flag helper. */
    static void rol(Emitter e) {
        rotate(e, Calls.ROL, Calls.ROL_FLAGS, false);
    }

    static void ror(Emitter e) {
        rotate(e, Calls.ROR, Calls.ROR_FLAGS, false);
    }

    /** RCL/RCR also rotate CF in. */
    static void rcl(Emitter e) {
        rotate(e, Calls.RCL, Calls.RCL_FLAGS, true);
    }

    static void rcr(Emitter e) {
        rotate(e, Calls.RCR, Calls.RCR_FLAGS, true);
    }

    static void shld(Emitter e) {
        doubleShift(e, Calls.SHLD, Calls.SHLD_FLAGS);
    }

    static void shrd(Emitter e) {
        doubleShift(e, Calls.SHRD, Calls.SHRD_FLAGS);
    }

    /**
     * The destination, read (a fault on it is taken even for a zero count) into a new temp, for
     * the store that follows when the count is not zero: one TLB probe serves both.
     */
    private static int readDestination(Emitter e, Loc d) {
        int a = e.temp();
        e.loadForUpdate(d, e.size());
        e.istore(a);
        return a;
    }

    /**
     * Stores the 5-bit count of operand {@code i} into {@code cnt}. Returns null when the count
     * is known to be 0 (nothing else happens); else a one-element array holding the label to
     * branch to when the count turns out 0 at run time, or holding null when it is known not to be.
     */
    private static Label[] count(Emitter e, int i, int cnt) {
        Integer k = e.kind(i) == Operand.Kind.IMM ? e.knownImm(i) : null;
        if (k != null) {
            if ((k & 0x1F) == 0) {
                return null;
            }
            e.iconst(k & 0x1F);
            e.istore(cnt);
            return new Label[1];
        }
        Label skip = new Label();
        e.loadOperand(i, 1);
        e.iconst(0x1F);
        e.op(IAND);
        e.op(DUP);
        e.istore(cnt);
        e.jump(IFEQ, skip);
        return new Label[] {skip};
    }

    /** After the store and the flags: two paths meet when the count was known only at run time. */
    private static void done(Emitter e, Label[] skip) {
        e.setFlagsComputed();
        meet(e, skip);
    }

    private static void meet(Emitter e, Label[] skip) {
        if (skip[0] != null) {
            e.label(skip[0]);
            e.flagsUnknown();
        }
    }

    /**
     * SHL/SAL, SHR, SAR: the flags stay lazy (operand and count), so that a shift whose flags
     * the next instructions overwrite costs no flag computation, even on the paths that leave
     * the block (a fault, an exit) where the lazy state must still describe it.
     */
    private static void shift(Emitter e, HelperCall result, int family) {
        int size = e.size();
        Loc d = e.operand(0);
        int a = readDestination(e, d);
        int cnt = e.temp(), res = e.temp();
        Label[] skip = count(e, 1, cnt);
        if (skip == null) {
            return;
        }
        e.iconst(size);
        e.iload(a);
        e.iload(cnt);
        e.call(result);
        e.istore(res);
        e.iload(res);
        e.store(d, size);
        // Flags last: a fault on the store above leaves them untouched.
        e.setFlags(LazyFlags.op(family, size), res, a, cnt, false);
        meet(e, skip);
    }

    private static void rotate(Emitter e, HelperCall result, HelperCall flags, boolean throughCarry) {
        int size = e.size();
        Loc d = e.operand(0);
        int a = readDestination(e, d);
        int cnt = e.temp(), res = e.temp(), old = e.temp(), cfIn = e.temp();
        Label[] skip = count(e, 1, cnt);
        if (skip == null) {
            return;
        }
        // The old flags (and CF) are read before anything changes.
        e.loadArithFlags();
        e.istore(old);
        e.iload(old);
        e.iconst(1);
        e.op(IAND);
        e.istore(cfIn);
        e.iconst(size);
        e.iload(a);
        e.iload(cnt);
        if (throughCarry) {
            e.iload(cfIn);
        }
        e.call(result);
        e.istore(res);
        e.iload(res);
        e.store(d, size);
        e.iconst(size);
        e.iload(a);
        e.iload(cnt);
        if (throughCarry) {
            e.iload(cfIn);
        }
        e.iload(res);
        e.iload(old);
        e.call(flags);
        done(e, skip);
    }

    private static void doubleShift(Emitter e, HelperCall result, HelperCall flags) {
        int size = e.size();
        Loc d = e.operand(0);
        int a = readDestination(e, d);
        int b = e.temp(), cnt = e.temp(), res = e.temp();
        e.loadOperand(1, size);
        e.istore(b);
        Label[] skip = count(e, 2, cnt);
        if (skip == null) {
            return;
        }
        e.iconst(size);
        e.iload(a);
        e.iload(b);
        e.iload(cnt);
        e.call(result);
        e.istore(res);
        e.iload(res);
        e.store(d, size);
        e.iconst(size);
        e.iload(a);
        e.iload(b);
        e.iload(cnt);
        e.iload(res);
        e.call(flags);
        done(e, skip);
    }
}
