package dev.jvmx.translator.arch;

/** CR4 bits (SDM Vol. 3A, 2.5). */
public final class Cr4 {
    public static final int VME = 1;
    public static final int PVI = 1 << 1;
    public static final int TSD = 1 << 2;
    public static final int DE = 1 << 3;
    public static final int PSE = 1 << 4;
    public static final int PAE = 1 << 5;
    public static final int MCE = 1 << 6;
    public static final int PGE = 1 << 7;
    public static final int PCE = 1 << 8;
    public static final int OSFXSR = 1 << 9;
    /** An unmasked SIMD floating-point exception is #XM; with 0 it is #UD (Vol. 3A 2.5). Reserved without SSE. */
    public static final int OSXMMEXCPT = 1 << 10;
    /** User-mode instruction prevention: SGDT, SIDT, SLDT, SMSW, STR #GP(0) at CPL > 0. */
    public static final int UMIP = 1 << 11;
    /** Supervisor-mode access prevention: supervisor data accesses to user pages fault unless EFLAGS.AC. */
    public static final int SMAP = 1 << 21;

    private Cr4() { }
}
