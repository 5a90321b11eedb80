package dev.jvmx.translator.arch;

/**
 * The optional features of jvmx's CPU model that a run chooses (runtime's {@code -cpu} option),
 * as the CPUID.01H:EDX bits that report them (SDM Vol. 2, CPUID, Table 3-11). Every other
 * feature is fixed (helpers.SystemOps.CPUID_FEATURES). The instructions of a feature that is off
 * are #UD, as the SDM's exception tables say for a processor whose CPUID reports it absent.
 */
public final class CpuFeatures {
    /** CLFLUSH (CPUID.01H:EDX.CLFSH[bit 19]); leaf 1 EBX[15:8] then gives its line size. */
    public static final int CLFSH = 1 << 19;
    /** MMX technology (CPUID.01H:EDX.MMX[bit 23]): MM0-MM7 aliased to the x87 registers. */
    public static final int MMX = 1 << 23;
    /** SSE (CPUID.01H:EDX.SSE[bit 25]). */
    public static final int SSE = 1 << 25;
    /** SSE2 (CPUID.01H:EDX.SSE2[bit 26]). */
    public static final int SSE2 = 1 << 26;
    /** All of them. */
    public static final int ALL = CLFSH | MMX | SSE | SSE2;
    /** The line size CLFLUSH works on, in bytes (CPUID.01H:EBX[15:8] counts 8-byte units). */
    public static final int CLFLUSH_LINE = 64;

    private CpuFeatures() { }
}
