package dev.jvmx.translator.codegen;

import dev.jvmx.translator.cpu.Vector;
import dev.jvmx.translator.decode.Insn;

/** Placeholder until this family is translated: raises #UD. */
final class MulDiv {
    private MulDiv() { }

    static void emit(Insn insn, Emitter e) {
        e.raise(Vector.UD, 0, false);
        e.endBlockHere();
    }
}
