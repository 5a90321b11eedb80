package dev.jvmx.translator.exec;

import dev.jvmx.translator.cpu.Cpu;

/**
 * What a translated block's hidden class implements. The generated {@code execute} only
 * calls the class's static method, which holds the translated code. It returns the chain
 * slot the block left through ({@link #TAKEN}, {@link #FALLTHROUGH} or {@link #UNCHAINED}),
 * with {@code cpu.eip} set to the next instruction.
 */
public interface CompiledBlock {
    int TAKEN = 0;
    int FALLTHROUGH = 1;
    int UNCHAINED = 2;

    int execute(Cpu cpu);
}
