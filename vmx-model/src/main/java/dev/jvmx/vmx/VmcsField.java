package dev.jvmx.vmx;

import java.util.HashMap;
import java.util.Map;

/**
 * VMCS fields with their SDM encodings (Vol. 3D, Appendix B "Field Encoding in VMCS"). Width and
 * type are not stored: they are decoded from the encoding as the SDM defines it (bit 0 access type,
 * bits 9:1 index, bits 11:10 type, bits 14:13 width). Constants name the full-access encoding.
 */
public enum VmcsField {
    // 16-bit control fields (B.1.1)
    VIRTUAL_PROCESSOR_ID(0x0000),
    // 16-bit guest-state fields (B.1.2)
    GUEST_ES_SELECTOR(0x0800), GUEST_CS_SELECTOR(0x0802), GUEST_SS_SELECTOR(0x0804), GUEST_DS_SELECTOR(0x0806),
    GUEST_FS_SELECTOR(0x0808), GUEST_GS_SELECTOR(0x080A), GUEST_LDTR_SELECTOR(0x080C), GUEST_TR_SELECTOR(0x080E),
    // 16-bit host-state fields (B.1.3)
    HOST_ES_SELECTOR(0x0C00), HOST_CS_SELECTOR(0x0C02), HOST_SS_SELECTOR(0x0C04), HOST_DS_SELECTOR(0x0C06),
    HOST_FS_SELECTOR(0x0C08), HOST_GS_SELECTOR(0x0C0A), HOST_TR_SELECTOR(0x0C0C),
    // 64-bit control fields (B.2.1)
    IO_BITMAP_A_ADDRESS(0x2000), IO_BITMAP_B_ADDRESS(0x2002), MSR_BITMAP_ADDRESS(0x2004),
    VM_EXIT_MSR_STORE_ADDRESS(0x2006), VM_EXIT_MSR_LOAD_ADDRESS(0x2008), VM_ENTRY_MSR_LOAD_ADDRESS(0x200A),
    TSC_OFFSET(0x2010), VIRTUAL_APIC_ADDRESS(0x2012),
    // 64-bit read-only data fields (B.2.2)
    GUEST_PHYSICAL_ADDRESS(0x2400),
    // 64-bit guest-state fields (B.2.3)
    VMCS_LINK_POINTER(0x2800), GUEST_IA32_DEBUGCTL(0x2802), GUEST_IA32_PAT(0x2804), GUEST_IA32_EFER(0x2806),
    GUEST_IA32_PERF_GLOBAL_CTRL(0x2808), GUEST_PDPTE0(0x280A), GUEST_PDPTE1(0x280C), GUEST_PDPTE2(0x280E),
    GUEST_PDPTE3(0x2810),
    // 64-bit host-state fields (B.2.4)
    HOST_IA32_PAT(0x2C00), HOST_IA32_EFER(0x2C02), HOST_IA32_PERF_GLOBAL_CTRL(0x2C04),
    // 32-bit control fields (B.3.1)
    PIN_BASED_CONTROLS(0x4000), PRIMARY_PROCESSOR_CONTROLS(0x4002), EXCEPTION_BITMAP(0x4004),
    PAGE_FAULT_ERROR_CODE_MASK(0x4006), PAGE_FAULT_ERROR_CODE_MATCH(0x4008), CR3_TARGET_COUNT(0x400A),
    VM_EXIT_CONTROLS(0x400C), VM_EXIT_MSR_STORE_COUNT(0x400E), VM_EXIT_MSR_LOAD_COUNT(0x4010),
    VM_ENTRY_CONTROLS(0x4012), VM_ENTRY_MSR_LOAD_COUNT(0x4014), VM_ENTRY_INTERRUPTION_INFO(0x4016),
    VM_ENTRY_EXCEPTION_ERROR_CODE(0x4018), VM_ENTRY_INSTRUCTION_LENGTH(0x401A), TPR_THRESHOLD(0x401C),
    SECONDARY_PROCESSOR_CONTROLS(0x401E),
    // 32-bit read-only data fields (B.3.2)
    VM_INSTRUCTION_ERROR(0x4400), EXIT_REASON(0x4402), EXIT_INTERRUPTION_INFO(0x4404),
    EXIT_INTERRUPTION_ERROR_CODE(0x4406), IDT_VECTORING_INFO(0x4408), IDT_VECTORING_ERROR_CODE(0x440A),
    EXIT_INSTRUCTION_LENGTH(0x440C), EXIT_INSTRUCTION_INFO(0x440E),
    // 32-bit guest-state fields (B.3.3)
    GUEST_ES_LIMIT(0x4800), GUEST_CS_LIMIT(0x4802), GUEST_SS_LIMIT(0x4804), GUEST_DS_LIMIT(0x4806),
    GUEST_FS_LIMIT(0x4808), GUEST_GS_LIMIT(0x480A), GUEST_LDTR_LIMIT(0x480C), GUEST_TR_LIMIT(0x480E),
    GUEST_GDTR_LIMIT(0x4810), GUEST_IDTR_LIMIT(0x4812),
    GUEST_ES_ACCESS_RIGHTS(0x4814), GUEST_CS_ACCESS_RIGHTS(0x4816), GUEST_SS_ACCESS_RIGHTS(0x4818),
    GUEST_DS_ACCESS_RIGHTS(0x481A), GUEST_FS_ACCESS_RIGHTS(0x481C), GUEST_GS_ACCESS_RIGHTS(0x481E),
    GUEST_LDTR_ACCESS_RIGHTS(0x4820), GUEST_TR_ACCESS_RIGHTS(0x4822),
    GUEST_INTERRUPTIBILITY_STATE(0x4824), GUEST_ACTIVITY_STATE(0x4826), GUEST_SMBASE(0x4828),
    GUEST_IA32_SYSENTER_CS(0x482A), PREEMPTION_TIMER_VALUE(0x482E),
    // 32-bit host-state field (B.3.4)
    HOST_IA32_SYSENTER_CS(0x4C00),
    // natural-width control fields (B.4.1)
    CR0_GUEST_HOST_MASK(0x6000), CR4_GUEST_HOST_MASK(0x6002), CR0_READ_SHADOW(0x6004), CR4_READ_SHADOW(0x6006),
    CR3_TARGET_VALUE0(0x6008), CR3_TARGET_VALUE1(0x600A), CR3_TARGET_VALUE2(0x600C), CR3_TARGET_VALUE3(0x600E),
    // natural-width read-only data fields (B.4.2)
    EXIT_QUALIFICATION(0x6400), IO_RCX(0x6402), IO_RSI(0x6404), IO_RDI(0x6406), IO_RIP(0x6408),
    GUEST_LINEAR_ADDRESS(0x640A),
    // natural-width guest-state fields (B.4.3)
    GUEST_CR0(0x6800), GUEST_CR3(0x6802), GUEST_CR4(0x6804),
    GUEST_ES_BASE(0x6806), GUEST_CS_BASE(0x6808), GUEST_SS_BASE(0x680A), GUEST_DS_BASE(0x680C),
    GUEST_FS_BASE(0x680E), GUEST_GS_BASE(0x6810), GUEST_LDTR_BASE(0x6812), GUEST_TR_BASE(0x6814),
    GUEST_GDTR_BASE(0x6816), GUEST_IDTR_BASE(0x6818), GUEST_DR7(0x681A), GUEST_RSP(0x681C), GUEST_RIP(0x681E),
    GUEST_RFLAGS(0x6820), GUEST_PENDING_DEBUG_EXCEPTIONS(0x6822), GUEST_IA32_SYSENTER_ESP(0x6824),
    GUEST_IA32_SYSENTER_EIP(0x6826),
    // natural-width host-state fields (B.4.4)
    HOST_CR0(0x6C00), HOST_CR3(0x6C02), HOST_CR4(0x6C04), HOST_FS_BASE(0x6C06), HOST_GS_BASE(0x6C08),
    HOST_TR_BASE(0x6C0A), HOST_GDTR_BASE(0x6C0C), HOST_IDTR_BASE(0x6C0E), HOST_IA32_SYSENTER_ESP(0x6C10),
    HOST_IA32_SYSENTER_EIP(0x6C12), HOST_RSP(0x6C14), HOST_RIP(0x6C16);

    private static final Map<Integer, VmcsField> BY_ENCODING = new HashMap<>();

    static {
        for (VmcsField f : values()) BY_ENCODING.put(f.encoding, f);
    }

    private final int encoding;

    VmcsField(int encoding) {
        this.encoding = encoding;
    }

    /** The full-access encoding, as VMREAD/VMWRITE take it. */
    public int encoding() { return encoding; }

    public VmcsFieldWidth width() { return VmcsFieldWidth.ofEncoding(encoding); }

    public VmcsFieldType type() { return VmcsFieldType.ofEncoding(encoding); }

    /** Bits 9:1. */
    public int index() { return (encoding >>> 1) & 0x1FF; }

    /** Bit 0: 1 selects the high 32 bits of a 64-bit field. */
    public static boolean isHighAccess(int encoding) { return (encoding & 1) != 0; }

    /** The field an encoding names (a high-access encoding names its 64-bit field), or null. */
    public static VmcsField ofEncoding(int encoding) {
        VmcsField f = BY_ENCODING.get(encoding & ~1);
        if (f == null) return null;
        if (isHighAccess(encoding) && f.width() != VmcsFieldWidth.BITS_64) return null;
        return f;
    }
}
