package dev.jvmx.translator.arch;

/**
 * IA32_MISC_ENABLE (MSR 1A0H) bits (SDM Vol. 4, Table 2-2). jvmx implements the behaviour of
 * fast strings (always fast), limit-CPUID-maxval and XD-bit-disable; the thermal, SpeedStep,
 * MONITOR and xTPR bits are kept as written and change nothing (KVM and QEMU keep them too).
 */
public final class MiscEnable {
    public static final long FAST_STRINGS = 1;
    public static final long AUTOMATIC_THERMAL_CONTROL = 1 << 3;
    /** Read-only: 1 when performance monitoring (CPUID leaf 0AH) exists; jvmx has none. */
    public static final long PERFORMANCE_MONITORING_AVAILABLE = 1 << 7;
    /** Read-only: branch trace storage and processor event-based sampling are unavailable. */
    public static final long BTS_UNAVAILABLE = 1 << 11;
    public static final long PEBS_UNAVAILABLE = 1 << 12;
    public static final long ENHANCED_SPEEDSTEP = 1 << 16;
    public static final long MONITOR_FSM = 1 << 18;
    /** CPUID leaf 0 reports at most leaf 2. */
    public static final long LIMIT_CPUID_MAXVAL = 1 << 22;
    public static final long XTPR_MESSAGE_DISABLE = 1 << 23;
    /** The execute-disable feature is off: CPUID.80000001H:EDX[20] reads 0 and EFER.NXE cannot be set. */
    public static final long XD_BIT_DISABLE = 1L << 34;

    public static final long READ_ONLY = PERFORMANCE_MONITORING_AVAILABLE | BTS_UNAVAILABLE | PEBS_UNAVAILABLE;
    public static final long WRITABLE = FAST_STRINGS | AUTOMATIC_THERMAL_CONTROL | ENHANCED_SPEEDSTEP | MONITOR_FSM
            | LIMIT_CPUID_MAXVAL | XTPR_MESSAGE_DISABLE | XD_BIT_DISABLE;
    /** Power-on value: fast strings on; no BTS, no PEBS, no performance monitoring. */
    public static final long RESET = FAST_STRINGS | BTS_UNAVAILABLE | PEBS_UNAVAILABLE;

    private MiscEnable() { }
}
