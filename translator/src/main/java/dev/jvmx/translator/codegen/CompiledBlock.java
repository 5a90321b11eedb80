package dev.jvmx.translator.codegen;

import dev.jvmx.translator.cpu.Cpu;

/**
 * What a translated block's hidden class extends; its generated {@code execute} holds the
 * translated code (BlockCompiler). It returns the chain slot the block left through
 * ({@link #TAKEN}, {@link #FALLTHROUGH} or {@link #UNCHAINED}), with {@code cpu.eip} set to the
 * next instruction.
 */
public abstract class CompiledBlock {
    public static final int TAKEN = 0;
    public static final int FALLTHROUGH = 1;
    public static final int UNCHAINED = 2;
    /** A near indirect branch (RET, JMP/CALL through a register or memory): same mode, target in cpu.eip. */
    public static final int INDIRECT = 3;
    /** A region's direct exits use slots from here on, one per distinct target. */
    public static final int FIRST_REGION_SLOT = 4;

    protected CompiledBlock() { }

    /**
     * Runs the block on {@code cpu}. With null it returns {@link #UNCHAINED} at once and touches
     * nothing: the translation worker calls a new translation so to give it invocation counts.
     */
    public abstract int execute(Cpu cpu);
}
