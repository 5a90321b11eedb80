package dev.jvmx.vmx;

/**
 * The VMCS fields jvmx writes or reads, with their SDM encodings (Vol. 3D, Appendix B "Field
 * Encoding in VMCS"): the execution, exit and entry controls it models, the exit-information
 * fields, and the guest state an exit or its handler uses. Fields of features it does not model
 * (host state, EPT, MSR areas, the other guest-state fields) are left out. Width and type are
 * not stored: they are decoded from the encoding as the SDM defines it (bit 0 access type, bits
 * 9:1 index, bits 11:10 type, bits 14:13 width). Constants name the full-access encoding.
 */
public enum VmcsField {
    // 32-bit control fields (B.3.1)
    PIN_BASED_CONTROLS(0x4000), PRIMARY_PROCESSOR_CONTROLS(0x4002), EXCEPTION_BITMAP(0x4004),
    PAGE_FAULT_ERROR_CODE_MASK(0x4006), PAGE_FAULT_ERROR_CODE_MATCH(0x4008), VM_EXIT_CONTROLS(0x400C),
    VM_ENTRY_INTERRUPTION_INFO(0x4016), VM_ENTRY_EXCEPTION_ERROR_CODE(0x4018), VM_ENTRY_INSTRUCTION_LENGTH(0x401A),
    SECONDARY_PROCESSOR_CONTROLS(0x401E),
    // 32-bit read-only data fields (B.3.2)
    EXIT_REASON(0x4402), EXIT_INTERRUPTION_INFO(0x4404), EXIT_INTERRUPTION_ERROR_CODE(0x4406),
    IDT_VECTORING_INFO(0x4408), IDT_VECTORING_ERROR_CODE(0x440A), EXIT_INSTRUCTION_LENGTH(0x440C),
    EXIT_INSTRUCTION_INFO(0x440E),
    // 32-bit guest-state field (B.3.3)
    GUEST_ACTIVITY_STATE(0x4826),
    // natural-width control fields (B.4.1)
    CR0_GUEST_HOST_MASK(0x6000), CR4_GUEST_HOST_MASK(0x6002), CR0_READ_SHADOW(0x6004), CR4_READ_SHADOW(0x6006),
    // natural-width read-only data fields (B.4.2)
    EXIT_QUALIFICATION(0x6400), GUEST_LINEAR_ADDRESS(0x640A),
    // natural-width guest-state field (B.4.3)
    GUEST_RIP(0x681E);

    private final int encoding;

    VmcsField(int encoding) {
        this.encoding = encoding;
    }

    /** The full-access encoding, as VMREAD/VMWRITE take it (and reports show it, {@link Vmcs#dump}). */
    public int encoding() { return encoding; }

    public VmcsFieldWidth width() { return VmcsFieldWidth.ofEncoding(encoding); }

    public VmcsFieldType type() { return VmcsFieldType.ofEncoding(encoding); }
}
