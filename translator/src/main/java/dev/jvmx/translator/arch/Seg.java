package dev.jvmx.translator.arch;

/** Segment register numbers in the order the ModRM/Sreg encoding uses. */
public final class Seg {
    public static final int ES = 0;
    public static final int CS = 1;
    public static final int SS = 2;
    public static final int DS = 3;
    public static final int FS = 4;
    public static final int GS = 5;
    public static final String[] NAMES = {"es", "cs", "ss", "ds", "fs", "gs"};

    private Seg() { }
}
