package dev.jvmx.translator.decode;

/** Coarse instruction families: one semantics emitter per family. */
public enum Family {
    ARITH, LOGIC, INCDEC, MULDIV, SHIFT, BCD, DATA, CONVERT, STACK, CONTROL, STRING, BITOP, FLAGS, IO,
    SEGMENT, SYSTEM, NOP, FPU, INVALID
}
