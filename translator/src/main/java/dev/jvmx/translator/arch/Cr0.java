package dev.jvmx.translator.arch;

/** CR0 bits (SDM Vol. 3A, 2.5). */
public final class Cr0 {
    public static final int PE = 1;
    public static final int MP = 1 << 1;
    public static final int EM = 1 << 2;
    public static final int TS = 1 << 3;
    public static final int ET = 1 << 4;
    public static final int NE = 1 << 5;
    public static final int WP = 1 << 16;
    public static final int AM = 1 << 18;
    public static final int NW = 1 << 29;
    public static final int CD = 1 << 30;
    public static final int PG = 1 << 31;

    private Cr0() { }
}
