package dev.jvmx.translator.codegen;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.decode.Insn;
import org.objectweb.asm.Opcodes;

/** CLC, STC, CMC, CLD, STD, CLI, STI, LAHF, SAHF, SALC. */
final class FlagOps implements Opcodes {
    private FlagOps() { }

    static void emit(Insn insn, Emitter e) {
        switch (insn.mnemonic) {
            case CLC:
            case STC:
            case CMC:
                e.loadArithFlags();
                if (insn.mnemonic == dev.jvmx.translator.decode.Mnemonic.CLC) {
                    e.iconst(~Eflags.CF);
                    e.op(IAND);
                } else if (insn.mnemonic == dev.jvmx.translator.decode.Mnemonic.STC) {
                    e.iconst(Eflags.CF);
                    e.op(IOR);
                } else {
                    e.iconst(Eflags.CF);
                    e.op(IXOR);
                }
                e.setFlagsComputed();
                break;
            case CLD:
            case STD:
                // DF lives in Cpu.eflags: string helpers read it there.
                e.aloadCpu();
                e.aloadCpu();
                e.mv.visitFieldInsn(GETFIELD, Emitter.CPU, "eflags", "I");
                if (insn.mnemonic == dev.jvmx.translator.decode.Mnemonic.CLD) {
                    e.iconst(~Eflags.DF);
                    e.op(IAND);
                } else {
                    e.iconst(Eflags.DF);
                    e.op(IOR);
                }
                e.mv.visitFieldInsn(PUTFIELD, Emitter.CPU, "eflags", "I");
                break;
            case CLI:
            case STI: {
                boolean sti = insn.mnemonic == dev.jvmx.translator.decode.Mnemonic.STI;
                e.callWithState(Emitter.HELPERS + "EflagsOps", sti ? "sti" : "cli", "(L" + Emitter.CPU + ";)V", null);
                // STI opens the interrupt window after the next instruction; CLI may close it.
                e.endBlockAfter();
                break;
            }
            case LAHF:
                // AH = SF:ZF:0:AF:0:PF:1:CF
                e.loadArithFlags();
                e.iconst(Eflags.SF | Eflags.ZF | Eflags.AF | Eflags.PF | Eflags.CF);
                e.op(IAND);
                e.iconst(Eflags.FIXED1);
                e.op(IOR);
                e.storeReg(4 /* AH */, 1);
                break;
            case SAHF: {
                e.loadArithFlags();
                e.iconst(Eflags.OF);
                e.op(IAND);
                e.loadReg(4 /* AH */, 1);
                e.iconst(Eflags.SF | Eflags.ZF | Eflags.AF | Eflags.PF | Eflags.CF);
                e.op(IAND);
                e.op(IOR);
                e.setFlagsComputed();
                break;
            }
            case SALC:
                // AL = CF ? 0xFF : 0 (undocumented D6, flags unchanged)
                e.loadCf();
                e.op(INEG);
                e.storeReg(Cpu.EAX, 1);
                break;
            default:
                throw new IllegalStateException("not a flag instruction: " + insn.mnemonic);
        }
    }
}
