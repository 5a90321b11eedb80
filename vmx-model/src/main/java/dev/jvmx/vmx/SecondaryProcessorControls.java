package dev.jvmx.vmx;

/**
 * Secondary processor-based VM-execution controls (SDM Vol. 3C, table "Definitions of Secondary
 * Processor-Based VM-Execution Controls") that this model implements; the others (APIC
 * virtualization, EPT, VPID, unrestricted guest, ...) are not modelled. They only take effect
 * while the primary control "activate secondary controls" is 1.
 */
public final class SecondaryProcessorControls {
    public static final int DESCRIPTOR_TABLE_EXITING = 1 << 2;
    public static final int ENABLE_RDTSCP = 1 << 3;
    public static final int WBINVD_EXITING = 1 << 6;

    private SecondaryProcessorControls() { }
}
