package dev.jvmx.translator.codegen;

import dev.jvmx.translator.arch.Vector;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.decode.InvalidKind;

/** The translator's dispatch: one emitter per instruction family (STYLE.md). */
final class Families {
    private Families() { }

    static void emit(Insn insn, Emitter e) {
        if (insn.invalid != null) {
            if (insn.invalid == InvalidKind.GP) {
                e.raise(Vector.GP, 0, true);
            } else {
                e.raise(Vector.UD, 0, false);
            }
            e.endBlockHere();
            return;
        }
        switch (insn.mnemonic.family()) {
            case ARITH:
            case INCDEC:
                Arithmetic.emit(insn, e);
                break;
            case LOGIC:
                Logic.emit(insn, e);
                break;
            case DATA:
            case CONVERT:
                DataMovement.emit(insn, e);
                break;
            case STACK:
                Stack.emit(insn, e);
                break;
            case CONTROL:
                ControlFlow.emit(insn, e);
                break;
            case FLAGS:
                FlagOps.emit(insn, e);
                break;
            case IO:
                InputOutput.emit(insn, e);
                break;
            case SHIFT:
                Shifts.emit(insn, e);
                break;
            case MULDIV:
                MulDiv.emit(insn, e);
                break;
            case BCD:
                Bcd.emit(insn, e);
                break;
            case BITOP:
                BitOps.emit(insn, e);
                break;
            case STRING:
                Strings.emit(insn, e);
                break;
            case SEGMENT:
                Segments.emit(insn, e);
                break;
            case SYSTEM:
                SystemInstructions.emit(insn, e);
                break;
            case FPU:
                SystemInstructions.emitFpu(insn, e);
                break;
            case NOP:
                break;
            default:
                e.raise(Vector.UD, 0, false);
                e.endBlockHere();
                break;
        }
    }
}
