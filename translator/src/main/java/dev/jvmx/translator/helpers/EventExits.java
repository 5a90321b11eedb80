package dev.jvmx.translator.helpers;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.vmx.ExceptionInterruptionInfo;
import dev.jvmx.vmx.ExitReason;
import dev.jvmx.vmx.GuestActivityState;
import dev.jvmx.vmx.TaskSwitchQualification;
import dev.jvmx.vmx.VmExitControls;
import dev.jvmx.vmx.VmcsField;

import java.util.function.IntSupplier;

import static dev.jvmx.vmx.ExceptionInterruptionInfo.TYPE_EXTERNAL_INTERRUPT;
import static dev.jvmx.vmx.ExceptionInterruptionInfo.TYPE_HARDWARE_EXCEPTION;
import static dev.jvmx.vmx.ExceptionInterruptionInfo.TYPE_NMI;
import static dev.jvmx.vmx.ExceptionInterruptionInfo.TYPE_PRIVILEGED_SOFTWARE_EXCEPTION;
import static dev.jvmx.vmx.ExceptionInterruptionInfo.TYPE_SOFTWARE_EXCEPTION;

/**
 * The VM exits that events cause, as the processor takes them in VMX non-root operation, and the
 * event injection of the VM entry that follows (SDM Vol. 3C: 25.2 "Other Causes of VM Exits",
 * 25.4.2 "Treatment of Task Switches", 27.2 "Recording VM-Exit Information", "Event
 * Injection"). An exit writes the exit-information fields into the CPU's VMCS and calls the exit
 * handler, which reads them there; when the handler returns, the processor enters the guest
 * again and delivers the event the handler put in the VM-entry interruption-information field.
 *
 * <p>Events are described by interruption-information words ({@link ExceptionInterruptionInfo}),
 * the form the VMCS gives them.
 */
final class EventExits {
    private EventExits() { }

    /**
     * Exceptions (hardware and software) exit when the exception bitmap selects their vector (with
     * the page-fault error-code mask and match for #PF); NMIs when "NMI exiting" is 1. External and
     * software interrupts never exit here.
     */
    static boolean exits(Cpu cpu, int info, int errorCode) {
        int type = ExceptionInterruptionInfo.type(info);
        if (type == TYPE_NMI) {
            return cpu.controls.nmiExits();
        }
        boolean exception = type == TYPE_HARDWARE_EXCEPTION || type == TYPE_SOFTWARE_EXCEPTION
                || type == TYPE_PRIVILEGED_SOFTWARE_EXCEPTION;
        return exception && cpu.controls.exceptionExits(ExceptionInterruptionInfo.vector(info), errorCode);
    }

    /**
     * An exit for exception or NMI {@code info} (basic reason 0; SDM Vol. 3C, 27.2.2): the
     * interruption information and error code, the qualification (#PF: the linear address, #DB:
     * the debug-exception bits; these did not reach CR2 or DR6, see 27.1), the instruction length
     * for a software exception, and the IDT-vectoring fields when the exception arose while
     * {@code outer} was being delivered (0: it did not). Guest RIP is the instruction's (EIP).
     */
    static void exceptionOrNmi(Cpu cpu, int info, int errorCode, int qualification, int length,
            int outer, int outerErrorCode, int outerLength) {
        // The instruction length is reported for a software exception and for a fault while a
        // software interrupt or exception was being delivered (SDM Vol. 3C, 27.2.5).
        int len = ExceptionInterruptionInfo.isSoftware(info) ? length
                : ExceptionInterruptionInfo.isSoftware(outer) ? outerLength : 0;
        cpu.recordExit(ExitReason.EXCEPTION_OR_NMI, qualification & 0xFFFFFFFFL, len);
        cpu.exit.interruptionInfo(info)
                .interruptionErrorCode(ExceptionInterruptionInfo.isErrorCodeValid(info) ? errorCode : 0)
                .idtVectoring(outer, ExceptionInterruptionInfo.isErrorCodeValid(outer) ? outerErrorCode : 0);
        cpu.exitHandler.exit(cpu);
        vmEntry(cpu);
    }

    /**
     * A task switch (SDM Vol. 3C, 25.4.2): always a VM exit, once the checks on the new TSS's
     * descriptor have passed. The qualification holds the TSS selector and the source; for a
     * CALL, IRET or JMP (EIP at the instruction, {@code nextEip} after it) the instruction length.
     */
    static void taskSwitch(Cpu cpu, int selector, int source, int nextEip) {
        TaskSwitch.newTss(cpu, selector, source);
        cpu.recordExit(ExitReason.TASK_SWITCH, TaskSwitchQualification.encode(selector, source),
                (nextEip - cpu.eip) & 0xFFFF);
        try {
            cpu.exitHandler.exit(cpu);
            vmEntry(cpu);
        } catch (Interrupts.TripleFault t) {
            // A fault in the new task's context whose delivery triple-faulted (SDM Vol. 3A, 7.3 step 14).
            throw Interrupts.shutdown(cpu, t);
        }
    }

    /**
     * A task switch through a task gate in the IDT while event {@code info} is being delivered:
     * the event goes in the IDT-vectoring fields, and its length in the instruction length when it
     * is a software interrupt or exception (SDM Vol. 3C, 27.2.4 and 27.2.5).
     */
    static void taskGate(Cpu cpu, int selector, int info, int errorCode, int length) {
        TaskSwitch.newTss(cpu, selector, TaskSwitch.SOURCE_INTERRUPT);
        cpu.recordExit(ExitReason.TASK_SWITCH,
                TaskSwitchQualification.encode(selector, TaskSwitchQualification.SOURCE_IDT_TASK_GATE),
                ExceptionInterruptionInfo.isSoftware(info) ? length : 0);
        cpu.exit.idtVectoring(info, ExceptionInterruptionInfo.isErrorCodeValid(info) ? errorCode : 0);
        cpu.exitHandler.exit(cpu);
        vmEntry(cpu);
    }

    /**
     * A triple fault (SDM Vol. 3C, 25.2): in VMX non-root operation not a shutdown but a VM exit,
     * basic reason 2, with no qualification and no IDT-vectoring information (27.2.4: it is not
     * an exit during event delivery). The handler decides what follows: when it enters the guest
     * in the shutdown activity state (jvmx's VMM does, as KVM reports a shutdown to user space)
     * the processor shuts down, a {@link Interrupts.TripleFault} with {@code cause} that ends the
     * run; otherwise the guest resumes from the state the handler left.
     */
    static void tripleFault(Cpu cpu, String cause) {
        cpu.recordExit(ExitReason.TRIPLE_FAULT, 0, 0);
        cpu.exitHandler.exit(cpu);
        if (cpu.vmcs.read(VmcsField.GUEST_ACTIVITY_STATE) == GuestActivityState.SHUTDOWN) {
            throw new Interrupts.TripleFault(cause);
        }
        vmEntry(cpu);
    }

    /**
     * An external interrupt under "external-interrupt exiting" (basic reason 1, SDM Vol. 3C, 25.2
     * and 27.2.2): with "acknowledge interrupt on exit" the processor acknowledges it at the
     * interrupt controller ({@code acknowledge}) and reports its vector in the VM-exit
     * interruption information; without, the field is not valid and the interrupt stays pending.
     */
    static void externalInterrupt(Cpu cpu, IntSupplier acknowledge) {
        int info = 0;
        if ((cpu.vmcs.read(VmcsField.VM_EXIT_CONTROLS) & VmExitControls.ACKNOWLEDGE_INTERRUPT_ON_EXIT) != 0) {
            int vector = acknowledge.getAsInt();
            if (vector < 0) {
                return; // the request went away before the acknowledge: nothing to take
            }
            info = ExceptionInterruptionInfo.encode(vector, TYPE_EXTERNAL_INTERRUPT, false);
        }
        cpu.recordExit(ExitReason.EXTERNAL_INTERRUPT, 0, 0);
        cpu.exit.interruptionInfo(info);
        cpu.exitHandler.exit(cpu);
        vmEntry(cpu);
    }

    /** An open interrupt window under "interrupt-window exiting" (basic reason 7), before the next instruction. */
    static void interruptWindow(Cpu cpu) {
        cpu.recordExit(ExitReason.INTERRUPT_WINDOW, 0, 0);
        cpu.exitHandler.exit(cpu);
        vmEntry(cpu);
    }

    /**
     * VM entry after an exit's handler returned: a valid VM-entry interruption-information field
     * injects its event, delivered through the guest IDT (SDM Vol. 3C, "Vectored-Event Injection"), with the error
     * code when it says so and, for a software interrupt or exception, the return address after
     * the instruction length the entry gives. An injected event is not checked against the
     * exception bitmap, but a fault while delivering it is treated as in guest execution.
     */
    static void vmEntry(Cpu cpu) {
        int info = (int) cpu.vmcs.read(VmcsField.VM_ENTRY_INTERRUPTION_INFO);
        if (!ExceptionInterruptionInfo.isValid(info)) {
            return;
        }
        cpu.vmcs.write(VmcsField.VM_ENTRY_INTERRUPTION_INFO, info & ~ExceptionInterruptionInfo.VALID);
        int errorCode = (int) cpu.vmcs.read(VmcsField.VM_ENTRY_EXCEPTION_ERROR_CODE);
        int length = (int) cpu.vmcs.read(VmcsField.VM_ENTRY_INSTRUCTION_LENGTH);
        Interrupts.inject(cpu, info, errorCode, length);
    }
}
