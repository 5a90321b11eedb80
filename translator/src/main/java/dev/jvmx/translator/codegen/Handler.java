package dev.jvmx.translator.codegen;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.decode.Insn;

/**
 * A first-tier handler: the code of one instruction form, shared by every instruction of that
 * form (or, for a specialised form, made for one instruction), run on the guest state in the
 * {@link Cpu}. The caller sets {@code cpu.eip} to the instruction's address before the call.
 */
public abstract class Handler {
    /** The instruction is done and the next one in its block follows. */
    public static final int CONTINUE = -1;

    protected Handler() { }

    /**
     * Runs {@code insn}. Returns {@link #CONTINUE}, or the chain slot ({@link CompiledBlock#TAKEN}
     * ...) the block leaves through with {@code cpu.eip} set to where it continues.
     */
    public abstract int run(Cpu cpu, Insn insn);
}
