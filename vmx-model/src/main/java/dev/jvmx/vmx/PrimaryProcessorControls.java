package dev.jvmx.vmx;

/**
 * Primary processor-based VM-execution controls (SDM Vol. 3C, table "Definitions of Primary
 * Processor-Based VM-Execution Controls") that this model implements. Not modelled: the TPR
 * shadow and CR8 exiting (IA-32 has no CR8), NMI-window exiting, the monitor trap flag, and
 * MWAIT and MONITOR exiting (the guest CPU has neither instruction).
 */
public final class PrimaryProcessorControls {
    public static final int INTERRUPT_WINDOW_EXITING = 1 << 2;
    public static final int USE_TSC_OFFSETTING = 1 << 3;
    public static final int HLT_EXITING = 1 << 7;
    public static final int INVLPG_EXITING = 1 << 9;
    public static final int RDPMC_EXITING = 1 << 11;
    public static final int RDTSC_EXITING = 1 << 12;
    public static final int CR3_LOAD_EXITING = 1 << 15;
    public static final int CR3_STORE_EXITING = 1 << 16;
    public static final int MOV_DR_EXITING = 1 << 23;
    public static final int UNCONDITIONAL_IO_EXITING = 1 << 24;
    public static final int USE_IO_BITMAPS = 1 << 25;
    public static final int USE_MSR_BITMAPS = 1 << 28;
    public static final int PAUSE_EXITING = 1 << 30;
    public static final int ACTIVATE_SECONDARY_CONTROLS = 1 << 31;

    private PrimaryProcessorControls() { }
}
