package dev.jvmx.translator.exit;

import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.arch.Vector;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.helpers.Interrupts;
import dev.jvmx.translator.helpers.StackOps;
import dev.jvmx.translator.helpers.TaskSwitch;
import dev.jvmx.vmx.ExceptionInterruptionInfo;
import dev.jvmx.vmx.ExitInfo;
import dev.jvmx.vmx.GuestActivityState;
import dev.jvmx.vmx.TaskSwitchQualification;
import dev.jvmx.vmx.VmcsField;

import static dev.jvmx.vmx.ExceptionInterruptionInfo.TYPE_HARDWARE_EXCEPTION;

/**
 * A VMM's handlers of the exits events cause, as KVM's handle_exception_nmi and handle_task_switch
 * are: they read the exit from the VMCS, do what the guest's processor would have done, and
 * resume the guest, so the guest sees what it would have seen without the exit.
 */
public final class EventHandlers {
    private EventHandlers() { }

    /**
     * Exception or NMI (basic reason 0): reflected into the guest. The state the exit held back
     * is loaded from the qualification (CR2 for #PF; DR6 and DR7.GD for #DB), the event whose
     * delivery was interrupted (IDT-vectoring) combines with this exception by the double-fault
     * rules (SDM Vol. 3A, Table 6-5), and the result is injected through the VM-entry
     * interruption-information field: the next VM entry delivers it through the guest IDT.
     */
    public static void exceptionOrNmi(Cpu cpu) {
        ExitInfo x = cpu.exit;
        int info = x.interruptionInfo();
        int errorCode = x.interruptionErrorCode();
        int vector = ExceptionInterruptionInfo.vector(info);
        int type = ExceptionInterruptionInfo.type(info);
        int outer = x.idtVectoringInfo();
        if (type == TYPE_HARDWARE_EXCEPTION) {
            Interrupts.loadPayload(cpu, vector, (int) x.qualification());
            if (Interrupts.faultClass(vector, (int) x.qualification()) || cpu.repUnfinished) {
                // VM entry pushes the guest's RFLAGS as they are: the VMM sets RF for a fault, or a
                // trap between two iterations of a REP string instruction, as the processor's own
                // delivery does (SDM Vol. 3B, 18.3.1.1).
                cpu.eflags |= Eflags.RF;
            }
            if (ExceptionInterruptionInfo.isValid(outer)
                    && ExceptionInterruptionInfo.type(outer) == TYPE_HARDWARE_EXCEPTION) {
                int first = ExceptionInterruptionInfo.vector(outer);
                if (first == Vector.DF) {
                    throw new Interrupts.TripleFault("triple fault: " + Vector.name(vector) + " while delivering #DF");
                }
                if (Vector.doubleFault(first, vector)) {
                    inject(cpu, ExceptionInterruptionInfo.encode(Vector.DF, TYPE_HARDWARE_EXCEPTION, true), 0, 0);
                    return;
                }
            }
        }
        // Otherwise the exception is delivered as if the interrupted event never happened (an
        // interrupted interrupt is not delivered again, as on the processor without VMX).
        inject(cpu, info, errorCode, x.instructionLength());
    }

    /** The VM-entry interruption-information field and its error code and instruction length. */
    private static void inject(Cpu cpu, int info, int errorCode, int length) {
        // Bits 30:12 are reserved on entry (the exit's "NMI unblocking due to IRET" is not copied).
        // Reflecting the fault of such an IRET leaves NMIs unblocked, as the processor leaves them
        // when IRET faults; only a VMM that resumes the IRET itself would block them again.
        cpu.vmcs.write(VmcsField.VM_ENTRY_INTERRUPTION_INFO, info & (ExceptionInterruptionInfo.VALID | 0xFFF));
        cpu.vmcs.write(VmcsField.VM_ENTRY_EXCEPTION_ERROR_CODE, errorCode);
        cpu.vmcs.write(VmcsField.VM_ENTRY_INSTRUCTION_LENGTH, length);
    }

    /**
     * Triple fault (basic reason 2): the guest is let shut down, entered in the shutdown activity
     * state, which ends the run (KVM's handle_triple_fault reports a shutdown to user space, whose
     * choice it is to reset or stop; jvmx stops).
     */
    public static void tripleFault(Cpu cpu) {
        cpu.vmcs.write(VmcsField.GUEST_ACTIVITY_STATE, GuestActivityState.SHUTDOWN);
    }

    /**
     * Task switch (basic reason 9): the handler performs it (SDM Vol. 3A, 7.3) from the
     * qualification's selector and source. The old task saves the EIP after the instruction for
     * CALL, IRET and JMP and for a software interrupt or exception through a task gate (guest RIP
     * plus the exit's instruction length), that of the interrupted instruction for other events;
     * an exception that delivers an error code pushes it on the new task's stack (7.3, step 14).
     */
    public static void taskSwitch(Cpu cpu) {
        ExitInfo x = cpu.exit;
        long q = x.qualification();
        int outer = x.idtVectoringInfo();
        int outerErrorCode = x.idtVectoringErrorCode();
        int source = TaskSwitchQualification.source(q);
        boolean gate = source == TaskSwitchQualification.SOURCE_IDT_TASK_GATE;
        int returnEip = cpu.eip;
        if (!gate || ExceptionInterruptionInfo.isSoftware(outer)) {
            int next = cpu.eip + x.instructionLength();
            returnEip = cpu.code32() ? next : next & 0xFFFF;
        }
        boolean clean = TaskSwitch.switchTask(cpu, TaskSwitchQualification.selector(q), source, returnEip);
        if (clean && gate && ExceptionInterruptionInfo.isErrorCodeValid(outer)) {
            StackOps.push(cpu, (cpu.tr.access & 0x8) != 0 ? 4 : 2, outerErrorCode);
        }
    }
}
