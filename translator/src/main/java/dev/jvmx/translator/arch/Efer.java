package dev.jvmx.translator.arch;

/** IA32_EFER (MSR C000_0080H) bits (SDM Vol. 4, Table 2-2; Vol. 3A, 2.2.1). */
public final class Efer {
    /** SYSCALL enable: SYSCALL/SYSRET in 64-bit mode (which jvmx has not: the bit has no effect). */
    public static final long SCE = 1;
    /** IA-32e mode enable (no long mode here: reserved). */
    public static final long LME = 1 << 8;
    /** IA-32e mode active (read-only). */
    public static final long LMA = 1 << 10;
    /** Execute-disable enable: bit 63 of PAE paging entries is XD. */
    public static final long NXE = 1 << 11;

    private Efer() { }
}
