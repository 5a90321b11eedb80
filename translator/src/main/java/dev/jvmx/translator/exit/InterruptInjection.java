package dev.jvmx.translator.exit;

import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.vmx.ExceptionInterruptionInfo;
import dev.jvmx.vmx.ExitInfo;
import dev.jvmx.vmx.VmcsField;

import java.util.function.IntSupplier;

import static dev.jvmx.vmx.ExceptionInterruptionInfo.TYPE_EXTERNAL_INTERRUPT;

/**
 * A VMM's handlers for the exits of external interrupts (basic reason 1) and open interrupt
 * windows (7), as KVM's handle_external_interrupt and handle_interrupt_window work with its
 * injection: the interrupt is the guest's, so it is injected through the VM-entry
 * interruption-information field when the guest can take it (RFLAGS.IF = 1, no STI or MOV SS
 * blocking: the SDM's VM-entry checks for an injected external interrupt); otherwise it is held
 * and "interrupt-window exiting" set, and the window's exit injects it. One per vCPU.
 */
public final class InterruptInjection {
    private final IntSupplier acknowledge;
    /** Vectors taken from the interrupt controller and not yet injected, the last taken on top. */
    private final int[] held = new int[256];
    private int heldCount;

    /**
     * {@code acknowledge} is the interrupt-acknowledge cycle of the board's interrupt controller:
     * the VMM takes the vector there itself when the processor did not on exit.
     */
    public InterruptInjection(IntSupplier acknowledge) {
        this.acknowledge = acknowledge;
    }

    /**
     * External interrupt: its vector from the exit's interruption information ("acknowledge
     * interrupt on exit"), else from the controller; injected now or held for the window.
     */
    public void externalInterrupt(Cpu cpu) {
        ExitInfo x = cpu.exit;
        int info = x.interruptionInfo();
        int vector = ExceptionInterruptionInfo.isValid(info) ? ExceptionInterruptionInfo.vector(info)
                : acknowledge.getAsInt();
        if (vector < 0) {
            return; // no interrupt after all (a spurious request)
        }
        if (heldCount == 0 && interruptible(cpu)) {
            inject(cpu, vector);
        } else {
            // A later interrupt the controller gives while one is held has the higher priority:
            // it goes first, as the nested handlers would have run on the processor.
            held[heldCount++] = vector;
            cpu.controls.setInterruptWindowExiting(true);
        }
    }

    /** The interrupt window opened: the interrupt held last is injected; the window closes when none is left. */
    public void interruptWindow(Cpu cpu) {
        if (heldCount > 0) {
            inject(cpu, held[--heldCount]);
        }
        if (heldCount == 0) {
            cpu.controls.setInterruptWindowExiting(false);
        }
    }

    /** The machine was reset: the interrupts held are gone with the controllers' state, and the window closes. */
    public void reset(Cpu cpu) {
        heldCount = 0;
        cpu.controls.setInterruptWindowExiting(false);
    }

    private static boolean interruptible(Cpu cpu) {
        return (cpu.eflags & Eflags.IF) != 0 && !cpu.interruptShadow;
    }

    private static void inject(Cpu cpu, int vector) {
        if (cpu.repUnfinished) {
            // Between two iterations of a REP string instruction the frame has RF set (SDM Vol. 3B,
            // 18.3.1.1); VM entry pushes the guest's RFLAGS as they are, so the VMM sets it.
            cpu.eflags |= Eflags.RF;
        }
        cpu.vmcs.write(VmcsField.VM_ENTRY_INTERRUPTION_INFO,
                ExceptionInterruptionInfo.encode(vector, TYPE_EXTERNAL_INTERRUPT, false));
        cpu.vmcs.write(VmcsField.VM_ENTRY_EXCEPTION_ERROR_CODE, 0);
        cpu.vmcs.write(VmcsField.VM_ENTRY_INSTRUCTION_LENGTH, 0);
    }
}
