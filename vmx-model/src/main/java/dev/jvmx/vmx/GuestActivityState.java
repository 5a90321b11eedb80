package dev.jvmx.vmx;

/**
 * The guest activity state (SDM Vol. 3C, "Guest Non-Register State"): what the logical processor
 * is doing when a VM entry resumes it. A VMM that answers a triple-fault exit by letting the guest
 * shut down enters it in the shutdown state; RESET makes it active. The HLT and wait-for-SIPI
 * states (1 and 3) are not modelled: a halted guest is the execution loop's, not the VMCS's.
 */
public final class GuestActivityState {
    public static final int ACTIVE = 0;
    public static final int SHUTDOWN = 2;

    private GuestActivityState() { }
}
