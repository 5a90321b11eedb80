package dev.jvmx.vmx;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The oracle is SDM Vol. 3D Appendix B, transcribed by hand: each table there lists fields of one
 * width and one type, so every field listed under a table must decode to that table's width and type.
 */
class VmcsFieldTest {

    /** One Appendix B table: its width, its type, and its (field, encoding) rows. */
    private static void table(Set<VmcsField> seen, VmcsFieldWidth width, VmcsFieldType type, Object... rows) {
        for (int i = 0; i < rows.length; i += 2) {
            VmcsField f = VmcsField.valueOf((String) rows[i]);
            int encoding = (Integer) rows[i + 1];
            assertEquals(encoding, f.encoding(), f.name());
            assertEquals(width, f.width(), f.name());
            assertEquals(type, f.type(), f.name());
            assertTrue(seen.add(f), "listed twice: " + f);
        }
    }

    @Test
    void everyConstantMatchesAppendixB() {
        Set<VmcsField> seen = EnumSet.noneOf(VmcsField.class);
        VmcsFieldWidth w16 = VmcsFieldWidth.BITS_16, w32 = VmcsFieldWidth.BITS_32,
                w64 = VmcsFieldWidth.BITS_64, wn = VmcsFieldWidth.NATURAL;
        VmcsFieldType ctl = VmcsFieldType.CONTROL, ro = VmcsFieldType.EXIT_INFORMATION,
                guest = VmcsFieldType.GUEST_STATE, host = VmcsFieldType.HOST_STATE;
        table(seen, w16, ctl, "VIRTUAL_PROCESSOR_ID", 0x0000);
        table(seen, w16, guest, "GUEST_ES_SELECTOR", 0x0800, "GUEST_CS_SELECTOR", 0x0802, "GUEST_SS_SELECTOR", 0x0804,
                "GUEST_DS_SELECTOR", 0x0806, "GUEST_FS_SELECTOR", 0x0808, "GUEST_GS_SELECTOR", 0x080A,
                "GUEST_LDTR_SELECTOR", 0x080C, "GUEST_TR_SELECTOR", 0x080E);
        table(seen, w16, host, "HOST_ES_SELECTOR", 0x0C00, "HOST_CS_SELECTOR", 0x0C02, "HOST_SS_SELECTOR", 0x0C04,
                "HOST_DS_SELECTOR", 0x0C06, "HOST_FS_SELECTOR", 0x0C08, "HOST_GS_SELECTOR", 0x0C0A,
                "HOST_TR_SELECTOR", 0x0C0C);
        table(seen, w64, ctl, "IO_BITMAP_A_ADDRESS", 0x2000, "IO_BITMAP_B_ADDRESS", 0x2002, "MSR_BITMAP_ADDRESS", 0x2004,
                "VM_EXIT_MSR_STORE_ADDRESS", 0x2006, "VM_EXIT_MSR_LOAD_ADDRESS", 0x2008,
                "VM_ENTRY_MSR_LOAD_ADDRESS", 0x200A, "TSC_OFFSET", 0x2010, "VIRTUAL_APIC_ADDRESS", 0x2012);
        table(seen, w64, ro, "GUEST_PHYSICAL_ADDRESS", 0x2400);
        table(seen, w64, guest, "VMCS_LINK_POINTER", 0x2800, "GUEST_IA32_DEBUGCTL", 0x2802, "GUEST_IA32_PAT", 0x2804,
                "GUEST_IA32_EFER", 0x2806, "GUEST_IA32_PERF_GLOBAL_CTRL", 0x2808, "GUEST_PDPTE0", 0x280A,
                "GUEST_PDPTE1", 0x280C, "GUEST_PDPTE2", 0x280E, "GUEST_PDPTE3", 0x2810);
        table(seen, w64, host, "HOST_IA32_PAT", 0x2C00, "HOST_IA32_EFER", 0x2C02, "HOST_IA32_PERF_GLOBAL_CTRL", 0x2C04);
        table(seen, w32, ctl, "PIN_BASED_CONTROLS", 0x4000, "PRIMARY_PROCESSOR_CONTROLS", 0x4002,
                "EXCEPTION_BITMAP", 0x4004, "PAGE_FAULT_ERROR_CODE_MASK", 0x4006, "PAGE_FAULT_ERROR_CODE_MATCH", 0x4008,
                "CR3_TARGET_COUNT", 0x400A, "VM_EXIT_CONTROLS", 0x400C, "VM_EXIT_MSR_STORE_COUNT", 0x400E,
                "VM_EXIT_MSR_LOAD_COUNT", 0x4010, "VM_ENTRY_CONTROLS", 0x4012, "VM_ENTRY_MSR_LOAD_COUNT", 0x4014,
                "VM_ENTRY_INTERRUPTION_INFO", 0x4016, "VM_ENTRY_EXCEPTION_ERROR_CODE", 0x4018,
                "VM_ENTRY_INSTRUCTION_LENGTH", 0x401A, "TPR_THRESHOLD", 0x401C, "SECONDARY_PROCESSOR_CONTROLS", 0x401E);
        table(seen, w32, ro, "VM_INSTRUCTION_ERROR", 0x4400, "EXIT_REASON", 0x4402, "EXIT_INTERRUPTION_INFO", 0x4404,
                "EXIT_INTERRUPTION_ERROR_CODE", 0x4406, "IDT_VECTORING_INFO", 0x4408, "IDT_VECTORING_ERROR_CODE", 0x440A,
                "EXIT_INSTRUCTION_LENGTH", 0x440C, "EXIT_INSTRUCTION_INFO", 0x440E);
        table(seen, w32, guest, "GUEST_ES_LIMIT", 0x4800, "GUEST_CS_LIMIT", 0x4802, "GUEST_SS_LIMIT", 0x4804,
                "GUEST_DS_LIMIT", 0x4806, "GUEST_FS_LIMIT", 0x4808, "GUEST_GS_LIMIT", 0x480A, "GUEST_LDTR_LIMIT", 0x480C,
                "GUEST_TR_LIMIT", 0x480E, "GUEST_GDTR_LIMIT", 0x4810, "GUEST_IDTR_LIMIT", 0x4812,
                "GUEST_ES_ACCESS_RIGHTS", 0x4814, "GUEST_CS_ACCESS_RIGHTS", 0x4816, "GUEST_SS_ACCESS_RIGHTS", 0x4818,
                "GUEST_DS_ACCESS_RIGHTS", 0x481A, "GUEST_FS_ACCESS_RIGHTS", 0x481C, "GUEST_GS_ACCESS_RIGHTS", 0x481E,
                "GUEST_LDTR_ACCESS_RIGHTS", 0x4820, "GUEST_TR_ACCESS_RIGHTS", 0x4822,
                "GUEST_INTERRUPTIBILITY_STATE", 0x4824, "GUEST_ACTIVITY_STATE", 0x4826, "GUEST_SMBASE", 0x4828,
                "GUEST_IA32_SYSENTER_CS", 0x482A, "PREEMPTION_TIMER_VALUE", 0x482E);
        table(seen, w32, host, "HOST_IA32_SYSENTER_CS", 0x4C00);
        table(seen, wn, ctl, "CR0_GUEST_HOST_MASK", 0x6000, "CR4_GUEST_HOST_MASK", 0x6002, "CR0_READ_SHADOW", 0x6004,
                "CR4_READ_SHADOW", 0x6006, "CR3_TARGET_VALUE0", 0x6008, "CR3_TARGET_VALUE1", 0x600A,
                "CR3_TARGET_VALUE2", 0x600C, "CR3_TARGET_VALUE3", 0x600E);
        table(seen, wn, ro, "EXIT_QUALIFICATION", 0x6400, "IO_RCX", 0x6402, "IO_RSI", 0x6404, "IO_RDI", 0x6406,
                "IO_RIP", 0x6408, "GUEST_LINEAR_ADDRESS", 0x640A);
        table(seen, wn, guest, "GUEST_CR0", 0x6800, "GUEST_CR3", 0x6802, "GUEST_CR4", 0x6804, "GUEST_ES_BASE", 0x6806,
                "GUEST_CS_BASE", 0x6808, "GUEST_SS_BASE", 0x680A, "GUEST_DS_BASE", 0x680C, "GUEST_FS_BASE", 0x680E,
                "GUEST_GS_BASE", 0x6810, "GUEST_LDTR_BASE", 0x6812, "GUEST_TR_BASE", 0x6814, "GUEST_GDTR_BASE", 0x6816,
                "GUEST_IDTR_BASE", 0x6818, "GUEST_DR7", 0x681A, "GUEST_RSP", 0x681C, "GUEST_RIP", 0x681E,
                "GUEST_RFLAGS", 0x6820, "GUEST_PENDING_DEBUG_EXCEPTIONS", 0x6822, "GUEST_IA32_SYSENTER_ESP", 0x6824,
                "GUEST_IA32_SYSENTER_EIP", 0x6826);
        table(seen, wn, host, "HOST_CR0", 0x6C00, "HOST_CR3", 0x6C02, "HOST_CR4", 0x6C04, "HOST_FS_BASE", 0x6C06,
                "HOST_GS_BASE", 0x6C08, "HOST_TR_BASE", 0x6C0A, "HOST_GDTR_BASE", 0x6C0C, "HOST_IDTR_BASE", 0x6C0E,
                "HOST_IA32_SYSENTER_ESP", 0x6C10, "HOST_IA32_SYSENTER_EIP", 0x6C12, "HOST_RSP", 0x6C14, "HOST_RIP", 0x6C16);
        assertEquals(EnumSet.allOf(VmcsField.class), seen, "every constant is checked against a table");
    }

    @Test
    void encodingBitsWorkedByHand() {
        // 0x4402 = 0100 0100 0000 0010b: width 10b (32-bit), type 01b (read-only data), index 1, full access.
        assertEquals(VmcsFieldWidth.BITS_32, VmcsField.EXIT_REASON.width());
        assertEquals(VmcsFieldType.EXIT_INFORMATION, VmcsField.EXIT_REASON.type());
        // 0x681E = 0110 1000 0001 1110b: width 11b natural, type 10b guest.
        assertEquals(VmcsFieldWidth.NATURAL, VmcsField.GUEST_RIP.width());
        assertEquals(VmcsFieldType.GUEST_STATE, VmcsField.GUEST_RIP.type());
    }

    @Test
    void writesAreMaskedToTheFieldWidth() {
        Vmcs v = new Vmcs();
        v.write(VmcsField.GUEST_CS_SELECTOR, 0x12345678L);
        assertEquals(0x5678L, v.read(VmcsField.GUEST_CS_SELECTOR));
        v.write(VmcsField.EXIT_REASON, 0x1_0000_001EL);
        assertEquals(0x1EL, v.read(VmcsField.EXIT_REASON));
        v.write(VmcsField.GUEST_IA32_EFER, 0x8000_0000_0000_0D01L);
        assertEquals(0x8000_0000_0000_0D01L, v.read(VmcsField.GUEST_IA32_EFER));
        v.write(VmcsField.EXIT_QUALIFICATION, -1L);
        assertEquals(0xFFFFFFFFL, v.read(VmcsField.EXIT_QUALIFICATION), "IA-32: natural width is 32 bits");
    }

    @Test
    void dumpListsTheFieldsOfOneTypeWithTheirEncodings() {
        Vmcs v = new Vmcs();
        new ExitInfo(v).set(ExitReason.IO_INSTRUCTION, 0x00F40000L).instructionLength(2);
        String dump = v.dump(VmcsFieldType.EXIT_INFORMATION);
        List<String> lines = dump.lines().map(String::trim).collect(Collectors.toList());
        // Appendix B's read-only data fields: 1 of 64 bits, 8 of 32, 6 of natural width, in encoding order.
        assertEquals(15, lines.size(), dump);
        assertEquals("GUEST_PHYSICAL_ADDRESS         (0x2400) = 0x0", lines.get(0));
        assertTrue(lines.contains("EXIT_REASON                    (0x4402) = 0x1E"), dump);
        assertTrue(lines.contains("EXIT_INSTRUCTION_LENGTH        (0x440C) = 0x2"), dump);
        assertTrue(lines.contains("EXIT_QUALIFICATION             (0x6400) = 0xF40000"), dump);
        assertFalse(dump.contains("GUEST_RIP"), "a guest-state field");
    }
}
