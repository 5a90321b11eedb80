package dev.jvmx.translator.codegen;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.arch.Vector;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.decode.Mnemonic;
import org.objectweb.asm.Opcodes;

/**
 * DAA, DAS, AAA, AAS, AAM, AAD (SDM Vol. 2 pseudo-code, in {@code helpers.BcdOps}, which
 * returns the new AX and the six flags packed in one int). AAM with a base of 0 raises #DE.
 */
final class Bcd implements Opcodes {
    private Bcd() { }

    static void emit(Insn insn, Emitter e) {
        Mnemonic m = insn.mnemonic;
        int packed = e.temp();
        e.loadReg(Cpu.EAX, 2);
        if (m == Mnemonic.AAM || m == Mnemonic.AAD) {
            int base = insn.op(0).imm & 0xFF;
            if (m == Mnemonic.AAM && base == 0) {
                e.op(POP);
                e.raise(Vector.DE, 0, false);
                e.endBlockHere();
                return;
            }
            e.iconst(base);
        } else {
            e.loadArithFlags();
        }
        e.mv.visitMethodInsn(INVOKESTATIC, Emitter.HELPERS + "BcdOps", m.name().toLowerCase(), "(II)I", false);
        e.istore(packed);
        e.iload(packed);
        e.storeReg(Cpu.EAX, 2);
        e.iload(packed);
        e.iconst(16);
        e.op(IUSHR);
        e.setFlagsComputed();
    }
}
