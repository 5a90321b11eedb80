package dev.jvmx.translator.codegen;

import dev.jvmx.translator.cpu.Vector;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.vmx.ExitReason;
import org.objectweb.asm.Opcodes;

/**
 * Privileged and sensitive instructions: each is a VM exit (DESIGN.md rule 5) with its
 * SDM exit reason, or a #GP/#UD where the SDM says so before any exit.
 */
final class SystemInstructions implements Opcodes {
    private SystemInstructions() { }

    static void emit(Insn insn, Emitter e) {
        switch (insn.mnemonic) {
            case HLT:
                if (!privileged(e)) {
                    return;
                }
                exit(e, insn, ExitReason.HLT, 0);
                ControlFlow.exitFromCpu(e);
                break;
            default:
                e.raise(Vector.UD, 0, false);
                e.endBlockHere();
                break;
        }
    }

    static void emitFpu(Insn insn, Emitter e) {
        e.raise(Vector.UD, 0, false);
        e.endBlockHere();
    }

    /** CPL 0 only (real mode counts as 0): else #GP(0). Returns false when the fault was emitted. */
    static boolean privileged(Emitter e) {
        if (e.protectedMode() && (e.v86() || e.cpl() != 0)) {
            e.raise(Vector.GP, 0, true);
            e.endBlockHere();
            return false;
        }
        return true;
    }

    /** The exit: guest state to Cpu, one invokestatic with reason and qualification, state back. */
    static void exit(Emitter e, Insn insn, ExitReason reason, long qualification) {
        e.callWithState(Emitter.EXIT_BRIDGE, "exit", "(L" + Emitter.CPU + ";IJI)V", () -> {
            e.iconst(reason.number());
            e.mv.visitLdcInsn(qualification);
            e.iconst(insn.length);
        });
    }
}
