package dev.jvmx.vmx;

/**
 * Pin-based VM-execution controls (SDM Vol. 3C, table "Definitions of Pin-Based VM-Execution
 * Controls"): the ones this model implements; "virtual NMIs", the preemption timer and posted
 * interrupts are not modelled.
 */
public final class PinBasedControls {
    public static final int EXTERNAL_INTERRUPT_EXITING = 1 << 0;
    public static final int NMI_EXITING = 1 << 3;

    private PinBasedControls() { }
}
