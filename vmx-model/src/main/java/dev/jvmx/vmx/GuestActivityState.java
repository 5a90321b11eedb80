package dev.jvmx.vmx;

/**
 * The guest activity state (SDM Vol. 3C, "Guest Non-Register State"): what the logical processor
 * is doing when a VM entry resumes it. A VMM that answers a triple-fault exit by letting the guest
 * shut down enters it in the shutdown state.
 */
public final class GuestActivityState {
    public static final int ACTIVE = 0;
    public static final int HLT = 1;
    public static final int SHUTDOWN = 2;
    public static final int WAIT_FOR_SIPI = 3;

    private GuestActivityState() { }
}
