package dev.jvmx.translator.codegen;

import dev.jvmx.translator.arch.Vector;
import dev.jvmx.translator.cpu.Cpu;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;

/**
 * DAA, DAS, AAA, AAS, AAM, AAD (SDM Vol. 2 pseudo-code, in {@code helpers.BcdOps}, which
 * returns the new AX and the six flags packed in one int). AAM with a base of 0 raises #DE.
 */
final class Bcd implements Opcodes {
    private Bcd() { }

    static void daa(Emitter e) {
        adjust(e, Calls.DAA);
    }

    static void das(Emitter e) {
        adjust(e, Calls.DAS);
    }

    static void aaa(Emitter e) {
        adjust(e, Calls.AAA);
    }

    static void aas(Emitter e) {
        adjust(e, Calls.AAS);
    }

    /** The adjusts after addition and subtraction read AX and the flags. */
    private static void adjust(Emitter e, HelperCall helper) {
        e.loadReg(Cpu.EAX, 2);
        e.loadArithFlags();
        e.call(helper);
        result(e);
    }

    /** AAM imm8: #DE when the base (the immediate) is 0. */
    static void aam(Emitter e) {
        Integer known = e.knownImm(0);
        if (known != null) {
            if ((known & 0xFF) == 0) {
                e.raise(Vector.DE, 0, false);
                e.endBlockHere();
                return;
            }
            withBase(e, Calls.AAM, () -> e.iconst(known & 0xFF));
            return;
        }
        int base = e.temp();
        e.pushImm(0, 1);
        e.istore(base);
        Label ok = new Label();
        e.iload(base);
        e.jump(IFNE, ok);
        e.raise(Vector.DE, 0, false);
        e.label(ok);
        withBase(e, Calls.AAM, () -> e.iload(base));
    }

    static void aad(Emitter e) {
        withBase(e, Calls.AAD, () -> e.pushImm(0, 1));
    }

    private static void withBase(Emitter e, HelperCall helper, Runnable pushBase) {
        e.loadReg(Cpu.EAX, 2);
        pushBase.run();
        e.call(helper);
        result(e);
    }

    /** AX from the low half of the packed result, the flags from its high half. */
    private static void result(Emitter e) {
        int packed = e.temp();
        e.istore(packed);
        e.iload(packed);
        e.storeReg(Cpu.EAX, 2);
        e.iload(packed);
        e.iconst(16);
        e.op(IUSHR);
        e.setFlagsComputed();
    }
}
