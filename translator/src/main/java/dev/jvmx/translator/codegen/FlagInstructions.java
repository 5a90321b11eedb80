package dev.jvmx.translator.codegen;

import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.cpu.Cpu;
import org.objectweb.asm.Opcodes;

/** CLC, STC, CMC, CLD, STD, CLI, STI, LAHF, SAHF, SALC. */
final class FlagInstructions implements Opcodes {
    /** AH = SF:ZF:0:AF:0:PF:1:CF: the flags LAHF and SAHF move. */
    private static final int AH_FLAGS = Eflags.SF | Eflags.ZF | Eflags.AF | Eflags.PF | Eflags.CF;

    private FlagInstructions() { }

    static void clc(Emitter e) {
        carry(e, IAND, ~Eflags.CF);
    }

    static void stc(Emitter e) {
        carry(e, IOR, Eflags.CF);
    }

    static void cmc(Emitter e) {
        carry(e, IXOR, Eflags.CF);
    }

    private static void carry(Emitter e, int jvmOp, int operand) {
        e.loadArithFlags();
        e.iconst(operand);
        e.op(jvmOp);
        e.setFlagsComputed();
    }

    static void cld(Emitter e) {
        storedFlag(e, IAND, ~Eflags.DF);
    }

    static void std(Emitter e) {
        storedFlag(e, IOR, Eflags.DF);
    }

    /** CLAC, STAC: the MMU reads AC in Cpu.eflags for SMAP (no TLB entry depends on it). */
    static void clac(Emitter e) {
        storedFlag(e, IAND, ~Eflags.AC);
    }

    static void stac(Emitter e) {
        storedFlag(e, IOR, Eflags.AC);
    }

    /** DF and AC live in Cpu.eflags: the string helpers read DF there. */
    private static void storedFlag(Emitter e, int jvmOp, int operand) {
        e.getCpu(Fields.EFLAGS);
        e.iconst(operand);
        e.op(jvmOp);
        e.putCpu(Fields.EFLAGS);
    }

    /** CLI may close the interrupt window: the block ends after it. */
    static void cli(Emitter e) {
        e.callWithState(Calls.CLI, null);
        e.endBlockAfter();
    }

    /** STI opens the interrupt window after the next instruction: the block ends after it. */
    static void sti(Emitter e) {
        e.callWithState(Calls.STI, null);
        e.endBlockAfter();
    }

    static void lahf(Emitter e) {
        e.loadArithFlags();
        e.iconst(AH_FLAGS);
        e.op(IAND);
        e.iconst(Eflags.FIXED1);
        e.op(IOR);
        e.storeReg(4 /* AH */, 1);
    }

    /** SAHF: SF, ZF, AF, PF, CF from AH; OF is kept. */
    static void sahf(Emitter e) {
        e.loadArithFlags();
        e.iconst(Eflags.OF);
        e.op(IAND);
        e.loadReg(4 /* AH */, 1);
        e.iconst(AH_FLAGS);
        e.op(IAND);
        e.op(IOR);
        e.setFlagsComputed();
    }

    /** SALC (undocumented D6): AL = CF ? FF : 00, flags unchanged. */
    static void salc(Emitter e) {
        e.loadCf();
        e.op(INEG);
        e.storeReg(Cpu.EAX, 1);
    }
}
