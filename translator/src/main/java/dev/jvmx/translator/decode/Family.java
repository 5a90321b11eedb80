package dev.jvmx.translator.decode;

/**
 * Coarse instruction families, for grouping (statistics, tests, the code generator's files);
 * dispatch is per {@link Mnemonic}. A family whose every instruction may change control flow
 * or the translation-relevant state ends a translated block after each of its instructions.
 */
public enum Family {
    ARITH, LOGIC, INCDEC, MULDIV, SHIFT, BCD, DATA, CONVERT, STACK, FLAGS, BITOP, STRING, NOP, IO, FPU, SSE,
    CONTROL(true), SEGMENT(true), SYSTEM(true), INVALID(true);

    /** Every instruction of the family ends its block. */
    public final boolean endsBlock;

    Family() {
        this(false);
    }

    Family(boolean endsBlock) {
        this.endsBlock = endsBlock;
    }
}
