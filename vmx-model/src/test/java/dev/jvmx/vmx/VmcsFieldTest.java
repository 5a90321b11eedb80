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
        VmcsFieldWidth w32 = VmcsFieldWidth.BITS_32, wn = VmcsFieldWidth.NATURAL;
        VmcsFieldType ctl = VmcsFieldType.CONTROL, ro = VmcsFieldType.EXIT_INFORMATION,
                guest = VmcsFieldType.GUEST_STATE;
        table(seen, w32, ctl, "PIN_BASED_CONTROLS", 0x4000, "PRIMARY_PROCESSOR_CONTROLS", 0x4002,
                "EXCEPTION_BITMAP", 0x4004, "PAGE_FAULT_ERROR_CODE_MASK", 0x4006, "PAGE_FAULT_ERROR_CODE_MATCH", 0x4008,
                "VM_EXIT_CONTROLS", 0x400C, "VM_ENTRY_INTERRUPTION_INFO", 0x4016, "VM_ENTRY_EXCEPTION_ERROR_CODE", 0x4018,
                "VM_ENTRY_INSTRUCTION_LENGTH", 0x401A, "SECONDARY_PROCESSOR_CONTROLS", 0x401E);
        table(seen, w32, ro, "EXIT_REASON", 0x4402, "EXIT_INTERRUPTION_INFO", 0x4404,
                "EXIT_INTERRUPTION_ERROR_CODE", 0x4406, "IDT_VECTORING_INFO", 0x4408, "IDT_VECTORING_ERROR_CODE", 0x440A,
                "EXIT_INSTRUCTION_LENGTH", 0x440C, "EXIT_INSTRUCTION_INFO", 0x440E);
        table(seen, w32, guest, "GUEST_ACTIVITY_STATE", 0x4826);
        table(seen, wn, ctl, "CR0_GUEST_HOST_MASK", 0x6000, "CR4_GUEST_HOST_MASK", 0x6002, "CR0_READ_SHADOW", 0x6004,
                "CR4_READ_SHADOW", 0x6006);
        table(seen, wn, ro, "EXIT_QUALIFICATION", 0x6400, "GUEST_LINEAR_ADDRESS", 0x640A);
        table(seen, wn, guest, "GUEST_RIP", 0x681E);
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
        // Fields of other widths and types, from Appendix B: GUEST_CS_SELECTOR 0x0802 = 0000 1000 0000
        // 0010b is 16-bit guest state, HOST_IA32_EFER 0x2C02 = 0010 1100 0000 0010b 64-bit host state.
        assertEquals(VmcsFieldWidth.BITS_16, VmcsFieldWidth.ofEncoding(0x0802));
        assertEquals(VmcsFieldType.GUEST_STATE, VmcsFieldType.ofEncoding(0x0802));
        assertEquals(VmcsFieldWidth.BITS_64, VmcsFieldWidth.ofEncoding(0x2C02));
        assertEquals(VmcsFieldType.HOST_STATE, VmcsFieldType.ofEncoding(0x2C02));
    }

    @Test
    void writesAreMaskedToTheFieldWidth() {
        Vmcs v = new Vmcs();
        v.write(VmcsField.EXIT_REASON, 0x1_0000_001EL);
        assertEquals(0x1EL, v.read(VmcsField.EXIT_REASON));
        v.write(VmcsField.EXIT_QUALIFICATION, -1L);
        assertEquals(0xFFFFFFFFL, v.read(VmcsField.EXIT_QUALIFICATION), "IA-32: natural width is 32 bits");
    }

    @Test
    void dumpListsTheFieldsOfOneTypeWithTheirEncodings() {
        Vmcs v = new Vmcs();
        new ExitInfo(v).set(ExitReason.IO_INSTRUCTION, 0x00F40000L).instructionLength(2);
        String dump = v.dump(VmcsFieldType.EXIT_INFORMATION);
        List<String> lines = dump.lines().map(String::trim).collect(Collectors.toList());
        // The read-only data fields jvmx writes: 7 of 32 bits, 2 of natural width, in encoding order.
        assertEquals(9, lines.size(), dump);
        assertEquals("EXIT_REASON                    (0x4402) = 0x1E", lines.get(0));
        assertTrue(lines.contains("EXIT_REASON                    (0x4402) = 0x1E"), dump);
        assertTrue(lines.contains("EXIT_INSTRUCTION_LENGTH        (0x440C) = 0x2"), dump);
        assertTrue(lines.contains("EXIT_QUALIFICATION             (0x6400) = 0xF40000"), dump);
        assertFalse(dump.contains("GUEST_RIP"), "a guest-state field");
    }
}
