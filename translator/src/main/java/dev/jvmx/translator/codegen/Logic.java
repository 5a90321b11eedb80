package dev.jvmx.translator.codegen;

import dev.jvmx.translator.flags.LazyFlags;
import org.objectweb.asm.Opcodes;

/** AND, OR, XOR, TEST, NOT. Logic ops clear CF and OF; AF is undefined (jvmx clears it). */
final class Logic implements Opcodes {
    private Logic() { }

    static void and(Emitter e) {
        binary(e, IAND, true);
    }

    static void or(Emitter e) {
        binary(e, IOR, true);
    }

    static void xor(Emitter e) {
        binary(e, IXOR, true);
    }

    /** TEST is AND without the store. */
    static void test(Emitter e) {
        binary(e, IAND, false);
    }

    private static void binary(Emitter e, int jvmOp, boolean store) {
        int size = e.size();
        Loc d = e.operand(0);
        int a = e.temp(), b = e.temp(), r = e.temp();
        if (store) {
            e.loadForUpdate(d, size);
        } else {
            e.load(d, size);
        }
        e.istore(a);
        e.loadOperand(1, size);
        e.istore(b);
        e.iload(a);
        e.iload(b);
        e.op(jvmOp);
        e.istore(r);
        if (store) {
            e.iload(r);
            e.store(d, size);
        }
        e.setFlags(LazyFlags.op(LazyFlags.OP_LOGIC, size), r, a, b, false);
    }

    /** NOT changes no flag. */
    static void not(Emitter e) {
        int size = e.size();
        Loc d = e.operand(0);
        e.loadForUpdate(d, size);
        e.iconst(-1);
        e.op(IXOR);
        e.mask(size);
        e.store(d, size);
    }
}
