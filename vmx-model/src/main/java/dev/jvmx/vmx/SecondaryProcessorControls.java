package dev.jvmx.vmx;

/**
 * Secondary processor-based VM-execution controls (SDM Vol. 3C, table "Definitions of Secondary
 * Processor-Based VM-Execution Controls"). They only take effect while the primary control
 * "activate secondary controls" is 1.
 */
public final class SecondaryProcessorControls {
    public static final int VIRTUALIZE_APIC_ACCESSES = 1 << 0;
    public static final int ENABLE_EPT = 1 << 1;
    public static final int DESCRIPTOR_TABLE_EXITING = 1 << 2;
    public static final int ENABLE_RDTSCP = 1 << 3;
    public static final int VIRTUALIZE_X2APIC_MODE = 1 << 4;
    public static final int ENABLE_VPID = 1 << 5;
    public static final int WBINVD_EXITING = 1 << 6;
    public static final int UNRESTRICTED_GUEST = 1 << 7;
    public static final int APIC_REGISTER_VIRTUALIZATION = 1 << 8;
    public static final int VIRTUAL_INTERRUPT_DELIVERY = 1 << 9;
    public static final int PAUSE_LOOP_EXITING = 1 << 10;
    public static final int RDRAND_EXITING = 1 << 11;
    public static final int ENABLE_INVPCID = 1 << 12;
    public static final int ENABLE_VM_FUNCTIONS = 1 << 13;
    public static final int VMCS_SHADOWING = 1 << 14;
    public static final int RDSEED_EXITING = 1 << 16;

    private SecondaryProcessorControls() { }
}
