package dev.jvmx.vmx;

/**
 * The exit-information fields of a VMCS (SDM Vol. 3C, "VM-Exit Information Fields") as typed
 * accessors: the translator's exit bridge writes them through it before it calls the handler,
 * handlers and tools read them through it. A view, not a copy: one per vCPU, so an exit
 * allocates nothing.
 */
public final class ExitInfo {
    private final Vmcs vmcs;

    /** A view of {@code vmcs}'s exit-information fields. */
    public ExitInfo(Vmcs vmcs) {
        this.vmcs = vmcs;
    }

    /** Starts a new exit: sets reason and qualification and clears every other exit-information field. */
    public ExitInfo set(ExitReason reason, long qualification) {
        clear();
        vmcs.write(VmcsField.EXIT_REASON, reason.number());
        vmcs.write(VmcsField.EXIT_QUALIFICATION, qualification);
        // A VM exit clears the valid bit of the VM-entry interruption-information field (SDM Vol. 3C, 24.8.3).
        long entry = vmcs.read(VmcsField.VM_ENTRY_INTERRUPTION_INFO);
        if (entry != 0) {
            vmcs.write(VmcsField.VM_ENTRY_INTERRUPTION_INFO, entry & ~(long) ExceptionInterruptionInfo.VALID);
        }
        return this;
    }

    private void clear() {
        for (VmcsField f : FIELDS) {
            vmcs.write(f, 0);
        }
    }

    private static final VmcsField[] FIELDS = {VmcsField.EXIT_REASON, VmcsField.EXIT_QUALIFICATION,
            VmcsField.GUEST_LINEAR_ADDRESS, VmcsField.EXIT_INSTRUCTION_LENGTH,
            VmcsField.EXIT_INSTRUCTION_INFO, VmcsField.EXIT_INTERRUPTION_INFO, VmcsField.EXIT_INTERRUPTION_ERROR_CODE,
            VmcsField.IDT_VECTORING_INFO, VmcsField.IDT_VECTORING_ERROR_CODE};

    /** The basic exit reason (bits 15:0 of the exit-reason field). */
    public ExitReason reason() { return ExitReason.ofNumber((int) vmcs.read(VmcsField.EXIT_REASON) & 0xFFFF); }
    public long qualification() { return vmcs.read(VmcsField.EXIT_QUALIFICATION); }
    public long guestLinearAddress() { return vmcs.read(VmcsField.GUEST_LINEAR_ADDRESS); }
    public int instructionLength() { return (int) vmcs.read(VmcsField.EXIT_INSTRUCTION_LENGTH); }
    /** The VM-exit instruction-information field, e.g. {@link DescriptorTableInfo}. */
    public int instructionInfo() { return (int) vmcs.read(VmcsField.EXIT_INSTRUCTION_INFO); }
    /** The VM-exit interruption-information field, see {@link ExceptionInterruptionInfo}. */
    public int interruptionInfo() { return (int) vmcs.read(VmcsField.EXIT_INTERRUPTION_INFO); }
    public int interruptionErrorCode() { return (int) vmcs.read(VmcsField.EXIT_INTERRUPTION_ERROR_CODE); }
    /**
     * The IDT-vectoring information field: the event whose delivery through the IDT the exit
     * interrupted (SDM Vol. 3C, 27.2.4), in the format of {@link ExceptionInterruptionInfo}; not
     * valid for an exit outside event delivery.
     */
    public int idtVectoringInfo() { return (int) vmcs.read(VmcsField.IDT_VECTORING_INFO); }
    public int idtVectoringErrorCode() { return (int) vmcs.read(VmcsField.IDT_VECTORING_ERROR_CODE); }

    public ExitInfo guestLinearAddress(long v) { vmcs.write(VmcsField.GUEST_LINEAR_ADDRESS, v); return this; }
    public ExitInfo instructionLength(int v) { vmcs.write(VmcsField.EXIT_INSTRUCTION_LENGTH, v); return this; }
    public ExitInfo instructionInfo(int v) { vmcs.write(VmcsField.EXIT_INSTRUCTION_INFO, v); return this; }
    public ExitInfo interruptionInfo(int v) { vmcs.write(VmcsField.EXIT_INTERRUPTION_INFO, v); return this; }
    public ExitInfo interruptionErrorCode(int v) { vmcs.write(VmcsField.EXIT_INTERRUPTION_ERROR_CODE, v); return this; }

    /** The event being delivered when the exit happened, and its error code (0 when it has none). */
    public ExitInfo idtVectoring(int info, int errorCode) {
        vmcs.write(VmcsField.IDT_VECTORING_INFO, info);
        vmcs.write(VmcsField.IDT_VECTORING_ERROR_CODE, errorCode);
        return this;
    }

    /** The reason and its qualification or information field in words, for logs and traces. */
    public String describe() {
        ExitReason reason = reason();
        long qualification = qualification();
        int instructionInfo = instructionInfo();
        int interruptionInfo = interruptionInfo();
        int interruptionErrorCode = interruptionErrorCode();
        if (reason == null) return "no exit";
        String during = "";
        int vectoring = idtVectoringInfo();
        if (ExceptionInterruptionInfo.isValid(vectoring)) {
            during = " during delivery of " + ExceptionInterruptionInfo.describe(vectoring)
                    + (ExceptionInterruptionInfo.isErrorCodeValid(vectoring)
                    ? String.format(" error code 0x%X", idtVectoringErrorCode()) : "");
        }
        return describe(reason, qualification, instructionInfo, interruptionInfo, interruptionErrorCode) + during;
    }

    private static String describe(ExitReason reason, long qualification, int instructionInfo, int interruptionInfo,
            int interruptionErrorCode) {
        switch (reason) {
            case IO_INSTRUCTION: return reason + ": " + describeIo(qualification, instructionInfo);
            case CONTROL_REGISTER_ACCESS: return reason + ": " + CrAccessQualification.describe(qualification);
            case MOV_DR: return reason + ": " + MovDrQualification.describe(qualification);
            case INVLPG: return reason + ": " + InvlpgQualification.describe(qualification);
            case TASK_SWITCH: return reason + ": " + TaskSwitchQualification.describe(qualification);
            case GDTR_IDTR_ACCESS:
            case LDTR_TR_ACCESS: return reason + ": " + DescriptorTableInfo.describe(reason, instructionInfo);
            case EXCEPTION_OR_NMI:
            case EXTERNAL_INTERRUPT: return reason + ": " + ExceptionInterruptionInfo.describe(interruptionInfo)
                    + (ExceptionInterruptionInfo.isErrorCodeValid(interruptionInfo)
                    ? String.format(" error code 0x%X", interruptionErrorCode) : "");
            default: return reason + (qualification != 0 ? String.format(": qualification 0x%X", qualification) : "");
        }
    }

    /**
     * An I/O exit; for INS and OUTS also what the instruction information says of the memory
     * side: the address size and the segment (OUTS's; INS always writes through ES).
     */
    private static String describeIo(long q, int instructionInfo) {
        String op = IoQualification.isIn(q) ? "IN" : "OUT";
        String memory = "";
        if (IoQualification.isString(q)) {
            op = (IoQualification.isRep(q) ? "REP " : "") + op + "S";
            memory = String.format(" a%d %s", 16 << InsOutsInfo.addressSize(instructionInfo),
                    IoQualification.isIn(q) ? "ES" : Registers.segment(InsOutsInfo.segment(instructionInfo)));
        }
        return String.format("%s port 0x%04X size %d%s%s", op, IoQualification.port(q), IoQualification.size(q),
                IoQualification.isImmediate(q) ? " (immediate)" : "", memory);
    }
}
