package dev.jvmx.translator.codegen;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.cpu.SegmentCache;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.fpu.FpuState;

/** Every field generated code touches, checked when this class loads (see {@link FieldRef}). */
final class Fields {
    private Fields() { }

    static final FieldRef REGS = FieldRef.of(Cpu.class, "regs");
    static final FieldRef EIP = FieldRef.of(Cpu.class, "eip");
    static final FieldRef EFLAGS = FieldRef.of(Cpu.class, "eflags");
    static final FieldRef FLAG_OP = FieldRef.of(Cpu.class, "flagOp");
    static final FieldRef FLAG_RES = FieldRef.of(Cpu.class, "flagRes");
    static final FieldRef FLAG_A = FieldRef.of(Cpu.class, "flagA");
    static final FieldRef FLAG_B = FieldRef.of(Cpu.class, "flagB");
    static final FieldRef CR0 = FieldRef.of(Cpu.class, "cr0");
    static final FieldRef CR4 = FieldRef.of(Cpu.class, "cr4");
    static final FieldRef SEG = FieldRef.of(Cpu.class, "seg");
    static final FieldRef MMU = FieldRef.of(Cpu.class, "mmu");
    static final FieldRef INSTRUCTIONS = FieldRef.of(Cpu.class, "instructions");
    static final FieldRef BUDGET = FieldRef.of(Cpu.class, "budget");
    static final FieldRef INTERRUPT_REQUEST = FieldRef.of(Cpu.class, "interruptRequest");
    static final FieldRef FAULT_INDEX = FieldRef.of(Cpu.class, "faultIndex");
    static final FieldRef FPU = FieldRef.of(Cpu.class, "fpu");
    static final FieldRef FPU_RESULT = FieldRef.of(FpuState.class, "rm");
    static final FieldRef XMM = FieldRef.of(FpuState.class, "xmm");

    static final FieldRef SEGMENT_BASE = FieldRef.of(SegmentCache.class, "base");
    static final FieldRef SEGMENT_SELECTOR = FieldRef.of(SegmentCache.class, "selector");


    // The per-instance values template handlers read (Insn's flattened fields)
    static final FieldRef[] INSN_VALUE = {FieldRef.of(Insn.class, "v0"), FieldRef.of(Insn.class, "v1"),
            FieldRef.of(Insn.class, "v2")};
    static final FieldRef INSN_BASE = FieldRef.of(Insn.class, "base");
    static final FieldRef INSN_INDEX = FieldRef.of(Insn.class, "index");
    static final FieldRef INSN_SCALE = FieldRef.of(Insn.class, "scale");
    static final FieldRef INSN_DISP = FieldRef.of(Insn.class, "disp");
    static final FieldRef INSN_SEG = FieldRef.of(Insn.class, "seg");
    static final FieldRef INSN_COND = FieldRef.of(Insn.class, "cond");
    static final FieldRef INSN_SELECTOR = FieldRef.of(Insn.class, "selector");
    static final FieldRef INSN_ADDRESS = FieldRef.of(Insn.class, "address");
    static final FieldRef INSN_LENGTH = FieldRef.of(Insn.class, "length");
    static final FieldRef INSN_NEXT = FieldRef.of(Insn.class, "next");
    static final FieldRef INSN_TARGET = FieldRef.of(Insn.class, "target");
    static final FieldRef INSN_FOP = FieldRef.of(Insn.class, "fop");
}
