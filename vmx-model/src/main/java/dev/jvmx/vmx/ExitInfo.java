package dev.jvmx.vmx;

/**
 * The exit-information fields of one VM exit (SDM Vol. 3C, "VM-Exit Information Fields"), filled
 * by the translator's bridge before it calls the handler. Mutable and reused: one per vCPU, so an
 * exit allocates nothing.
 */
public final class ExitInfo {
    private ExitReason reason;
    private long qualification;
    private long guestLinearAddress;
    private long guestPhysicalAddress;
    private int instructionLength;
    private int instructionInfo;
    private int interruptionInfo;
    private int interruptionErrorCode;

    /** Starts a new exit: sets reason and qualification and clears every other field. */
    public ExitInfo set(ExitReason reason, long qualification) {
        clear();
        this.reason = reason;
        this.qualification = qualification;
        return this;
    }

    public void clear() {
        reason = null;
        qualification = 0;
        guestLinearAddress = 0;
        guestPhysicalAddress = 0;
        instructionLength = 0;
        instructionInfo = 0;
        interruptionInfo = 0;
        interruptionErrorCode = 0;
    }

    public ExitReason reason() { return reason; }
    public long qualification() { return qualification; }
    public long guestLinearAddress() { return guestLinearAddress; }
    public long guestPhysicalAddress() { return guestPhysicalAddress; }
    public int instructionLength() { return instructionLength; }
    /** The VM-exit instruction-information field, e.g. {@link DescriptorTableInfo}. */
    public int instructionInfo() { return instructionInfo; }
    /** The VM-exit interruption-information field, see {@link ExceptionInterruptionInfo}. */
    public int interruptionInfo() { return interruptionInfo; }
    public int interruptionErrorCode() { return interruptionErrorCode; }

    public ExitInfo guestLinearAddress(long v) { guestLinearAddress = v; return this; }
    public ExitInfo guestPhysicalAddress(long v) { guestPhysicalAddress = v; return this; }
    public ExitInfo instructionLength(int v) { instructionLength = v; return this; }
    public ExitInfo instructionInfo(int v) { instructionInfo = v; return this; }
    public ExitInfo interruptionInfo(int v) { interruptionInfo = v; return this; }
    public ExitInfo interruptionErrorCode(int v) { interruptionErrorCode = v; return this; }

    /** Copies the record into the VMCS exit-information fields (bits 15:0 of the exit reason field). */
    public void storeTo(Vmcs vmcs) {
        vmcs.write(VmcsField.EXIT_REASON, reason == null ? 0 : reason.number());
        vmcs.write(VmcsField.EXIT_QUALIFICATION, qualification);
        vmcs.write(VmcsField.GUEST_LINEAR_ADDRESS, guestLinearAddress);
        vmcs.write(VmcsField.GUEST_PHYSICAL_ADDRESS, guestPhysicalAddress);
        vmcs.write(VmcsField.EXIT_INSTRUCTION_LENGTH, instructionLength);
        vmcs.write(VmcsField.EXIT_INSTRUCTION_INFO, instructionInfo);
        vmcs.write(VmcsField.EXIT_INTERRUPTION_INFO, interruptionInfo);
        vmcs.write(VmcsField.EXIT_INTERRUPTION_ERROR_CODE, interruptionErrorCode);
    }

    /** The reason and its qualification or information field in words, for logs and traces. */
    public String describe() {
        if (reason == null) return "no exit";
        switch (reason) {
            case IO_INSTRUCTION: return reason + ": " + describeIo(qualification);
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

    private static String describeIo(long q) {
        String op = IoQualification.isIn(q) ? "IN" : "OUT";
        if (IoQualification.isString(q)) op = (IoQualification.isRep(q) ? "REP " : "") + op + "S";
        return String.format("%s port 0x%04X size %d%s", op, IoQualification.port(q), IoQualification.size(q),
                IoQualification.isImmediate(q) ? " (immediate)" : "");
    }

    @Override
    public String toString() { return describe(); }
}
