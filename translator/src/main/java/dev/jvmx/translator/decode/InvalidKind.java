package dev.jvmx.translator.decode;

/** Why an instruction cannot execute, decided at decode time. */
public enum InvalidKind {
    /** Undefined or invalid encoding: #UD. */
    UD,
    /** Longer than 15 bytes: #GP(0). */
    GP
}
