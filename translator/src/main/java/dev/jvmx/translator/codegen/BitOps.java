package dev.jvmx.translator.codegen;

import dev.jvmx.translator.arch.Eflags;
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

    static void bt(Emitter e) {
        test(e, -1);
    }

    static void bts(Emitter e) {
        test(e, IOR);
    }

    static void btr(Emitter e) {
        test(e, IAND);
    }

    static void btc(Emitter e) {
        test(e, IXOR);
    }

    /** {@code jvmOp} sets (IOR), clears (IAND with the complement) or flips (IXOR) the bit; -1 only tests it. */
    private static void test(Emitter e, int jvmOp) {
        int size = e.size();
        int bit = e.temp();
        Loc d;
        if (e.isMem(0) && e.isReg(1)) {
            int offset = e.temp(), lin = e.temp();
            e.loadOperand(1, size);
            e.signExtend(size);
            e.istore(offset);
            e.effectiveAddress(0);
            e.iload(offset);
            e.iconst(size == 4 ? 5 : 4);
            e.op(ISHR);
            e.iconst(size == 4 ? 2 : 1);
            e.op(ISHL);
            e.op(IADD);
            if (e.addressSize() == 2) {
                e.mask(2);
            }
            e.addSegBaseOf(0);
            e.istore(lin);
            d = Loc.memory(lin);
            e.iload(offset);
        } else {
            d = e.operand(0);
            e.loadOperand(1, size);
        }
        e.iconst(size * 8 - 1);
        e.op(IAND);
        e.istore(bit);
        int v = e.temp();
        if (jvmOp >= 0) {
            e.loadForUpdate(d, size);
        } else {
            e.load(d, size); // BT only reads: a read-only page must not fault
        }
        e.istore(v);
        if (jvmOp >= 0) {
            e.iload(v);
            e.iconst(1);
            e.iload(bit);
            e.op(ISHL);
            if (jvmOp == IAND) {
                e.iconst(-1);
                e.op(IXOR);
            }
            e.op(jvmOp);
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

    static void bsf(Emitter e) {
        scan(e, Calls.BSF);
    }

    static void bsr(Emitter e) {
        scan(e, Calls.BSR);
    }

    /** BSF/BSR: a zero source leaves the destination unchanged. */
    private static void scan(Emitter e, HelperCall helper) {
        int size = e.size();
        int src = e.temp(), idx = e.temp();
        e.loadOperand(1, size);
        e.istore(src);
        e.iload(src);
        e.call(helper);
        e.istore(idx);
        Label zero = new Label();
        e.iload(src);
        e.jump(IFEQ, zero);
        e.iload(idx);
        e.storeOperand(0, size);
        e.label(zero);
        e.iload(src);
        e.iload(idx);
        e.call(Calls.BIT_SCAN_FLAGS);
        e.setFlagsComputed();
    }
}
