package dev.jvmx.vmx;

/** VM-exit controls (SDM Vol. 3C, table "Definitions of VM-Exit Controls"), in the VMCS field VM_EXIT_CONTROLS. */
public final class VmExitControls {
    /**
     * An exit for an external interrupt acknowledges it at the interrupt controller and reports
     * its vector in the VM-exit interruption-information field; with 0 the interrupt stays pending
     * and the field is not valid.
     */
    public static final int ACKNOWLEDGE_INTERRUPT_ON_EXIT = 1 << 15;

    private VmExitControls() { }
}
