package dev.jvmx.vmx;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Expected words are assembled by hand from the SDM Vol. 3C exit-qualification tables; the bit
 * arithmetic for each is in the comment next to it.
 */
class ExitQualificationTest {

    @Test
    void ioQualification() {
        // OUT DX, AL to 3F8: size 1 -> 0, OUT -> bit 3 clear, DX -> bit 6 clear, port in 31:16.
        assertEquals(0x03F80000L, IoQualification.encode(1, false, false, false, false, 0x3F8));
        // IN EAX, 60h: size 4 -> 3 (the SDM's "3 = 4-byte"), IN bit 3 = 0x8, immediate bit 6 = 0x40.
        assertEquals(0x0060004BL, IoQualification.encode(4, true, false, false, true, 0x60));
        // REP OUTSW to 1F0: size 2 -> 1, string 0x10, REP 0x20.
        long q = IoQualification.encode(2, false, true, true, false, 0x1F0);
        assertEquals(0x01F00031L, q);
        assertEquals(2, IoQualification.size(q));
        assertEquals(4, IoQualification.size(0x0060004BL));
        assertTrue(IoQualification.isString(q) && IoQualification.isRep(q) && !IoQualification.isIn(q));
        assertEquals(0x1F0, IoQualification.port(q));
        assertThrows(IllegalArgumentException.class, () -> IoQualification.encode(3, true, false, false, false, 0));
    }

    @Test
    void crAccessEncodings() {
        // MOV CR3, EBX: CR 3, type 0, register 3 in 11:8 -> 0x303.
        assertEquals(0x303L, CrAccessQualification.movToCr(3, 3));
        // MOV ECX, CR0: CR 0, type 1 -> 0x10, register 1 -> 0x100.
        assertEquals(0x110L, CrAccessQualification.movFromCr(0, 1));
        // MOV CR4, EDI: 4 | 7 << 8.
        assertEquals(0x704L, CrAccessQualification.movToCr(4, 7));
        // CLTS: type 2 in 5:4, everything else 0.
        assertEquals(0x20L, CrAccessQualification.clts());
        // LMSW AX with AX = 1: type 3 -> 0x30, source data 1 in 31:16.
        assertEquals(0x10030L, CrAccessQualification.lmsw(false, 1));
        // LMSW [mem] with FFFFh: type 0x30, memory operand bit 6 -> 0x40.
        assertEquals(0xFFFF0070L, CrAccessQualification.lmsw(true, 0xFFFF));
    }

    @Test
    void crAccessDecoding() {
        long q = 0xFFFF0070L;
        assertEquals(CrAccessQualification.LMSW, CrAccessQualification.accessType(q));
        assertEquals(0xFFFF, CrAccessQualification.lmswSourceData(q));
        assertEquals(0, CrAccessQualification.cr(q));
        assertEquals(3, CrAccessQualification.cr(0x303L));
        assertEquals(3, CrAccessQualification.gpr(0x303L));
        assertEquals(CrAccessQualification.MOV_FROM_CR, CrAccessQualification.accessType(0x110L));
        assertEquals("MOV CR3, EBX", CrAccessQualification.describe(0x303L));
        assertEquals("MOV ECX, CR0", CrAccessQualification.describe(0x110L));
        assertEquals("CLTS", CrAccessQualification.describe(0x20L));
        assertEquals("LMSW 0xFFFF (memory operand)", CrAccessQualification.describe(q), "bit 6: memory operand");
        assertEquals("LMSW 0x0001 (register operand)", CrAccessQualification.describe(0x10030L));
        assertThrows(IllegalArgumentException.class, () -> CrAccessQualification.movToCr(16, 0));
    }

    @Test
    void movDr() {
        // MOV DR7, EAX: DR 7 in 2:0, direction 0, register 0.
        assertEquals(0x007L, MovDrQualification.encode(7, false, 0));
        // MOV EDX, DR6: 6 | direction bit 4 (0x10) | EDX 2 << 8.
        long q = MovDrQualification.encode(6, true, 2);
        assertEquals(0x216L, q);
        assertEquals(6, MovDrQualification.dr(q));
        assertTrue(MovDrQualification.isFromDr(q));
        assertEquals(2, MovDrQualification.gpr(q));
        assertEquals("MOV EDX, DR6", MovDrQualification.describe(q));
        assertEquals("MOV DR7, EAX", MovDrQualification.describe(0x007L));
    }

    @Test
    void gdtrIdtrInstructionInformation() {
        // SGDT DS:[EBX+ESI*4], 32-bit address and operand: scaling 2, address size 1 << 7 = 0x80,
        // operand size bit 11 = 0x800, DS 3 << 15 = 0x18000, ESI 6 << 18 = 0x180000,
        // EBX 3 << 23 = 0x1800000, identity SGDT 0 -> 0x01998882.
        int info = DescriptorTableInfo.encodeGdtrIdtr(DescriptorTableInfo.SGDT, 2, DescriptorTableInfo.ADDRESS_SIZE_32,
                true, 3 /* DS */, 6, 3);
        assertEquals(0x01998882, info);
        assertEquals(2, DescriptorTableInfo.scaling(info));
        assertEquals(1, DescriptorTableInfo.addressSize(info));
        assertTrue(DescriptorTableInfo.isOperandSize32(info));
        assertEquals(3, DescriptorTableInfo.segment(info));
        assertEquals(6, DescriptorTableInfo.indexReg(info));
        assertEquals(3, DescriptorTableInfo.baseReg(info));
        assertFalse(DescriptorTableInfo.isIndexInvalid(info) || DescriptorTableInfo.isBaseInvalid(info));
        assertEquals(DescriptorTableInfo.SGDT, DescriptorTableInfo.identity(info));
        assertEquals("SGDT [DS:EBX+ESI*4] a32 o32", DescriptorTableInfo.describe(ExitReason.GDTR_IDTR_ACCESS, info));

        // LIDT DS:[disp16] in real mode: address size 0, operand size 0, DS 0x18000,
        // index invalid bit 22 = 0x400000, base invalid bit 27 = 0x8000000, LIDT 3 << 28.
        int lidt = DescriptorTableInfo.encodeGdtrIdtr(DescriptorTableInfo.LIDT, 0, DescriptorTableInfo.ADDRESS_SIZE_16,
                false, 3 /* DS */, DescriptorTableInfo.NONE, DescriptorTableInfo.NONE);
        assertEquals(0x38418000, lidt);
        assertEquals("LIDT [DS:disp] a16 o16", DescriptorTableInfo.describe(ExitReason.GDTR_IDTR_ACCESS, lidt));
    }

    @Test
    void ldtrTrInstructionInformation() {
        // LTR AX: Reg1 0 in 6:3, Mem/Reg bit 10 = 0x400, LTR 3 << 28.
        assertEquals(0x30000400, DescriptorTableInfo.encodeLdtrTrRegister(DescriptorTableInfo.LTR, 0));
        // LLDT DX: 2 << 3 = 0x10, 0x400, LLDT 2 << 28.
        int lldt = DescriptorTableInfo.encodeLdtrTrRegister(DescriptorTableInfo.LLDT, 2);
        assertEquals(0x20000410, lldt);
        assertTrue(DescriptorTableInfo.isRegisterOperand(lldt));
        assertEquals(2, DescriptorTableInfo.reg1(lldt));
        assertEquals("LLDT EDX", DescriptorTableInfo.describe(ExitReason.LDTR_TR_ACCESS, lldt));
        // SLDT ES:[EBP], 32-bit address: 0x80, ES 0, index invalid 0x400000, EBP 5 << 23 = 0x2800000.
        int sldt = DescriptorTableInfo.encodeLdtrTrMemory(DescriptorTableInfo.SLDT, 0, DescriptorTableInfo.ADDRESS_SIZE_32,
                0 /* ES */, DescriptorTableInfo.NONE, 5);
        assertEquals(0x02C00080, sldt);
        assertFalse(DescriptorTableInfo.isRegisterOperand(sldt));
        assertEquals("SLDT [ES:EBP] a32", DescriptorTableInfo.describe(ExitReason.LDTR_TR_ACCESS, sldt));
    }

    @Test
    void invlpg() {
        // A linear address above 2 GiB (zero-extended in the qualification).
        assertEquals(0xC0001000, InvlpgQualification.linearAddress(0xC0001000L));
        assertEquals("INVLPG 0xC0001000", InvlpgQualification.describe(0xC0001000L));
    }

    @Test
    void taskSwitch() {
        // JMP to TSS 28h: selector in 15:0, source 2 in 31:30.
        assertEquals(0x80000028L, TaskSwitchQualification.encode(0x28, TaskSwitchQualification.SOURCE_JMP));
        // IRET to 30h: source 1.
        assertEquals(0x40000030L, TaskSwitchQualification.encode(0x30, TaskSwitchQualification.SOURCE_IRET));
        long gate = TaskSwitchQualification.encode(0x50, TaskSwitchQualification.SOURCE_IDT_TASK_GATE);
        assertEquals(0xC0000050L, gate);
        assertEquals(0x50, TaskSwitchQualification.selector(gate));
        assertEquals(3, TaskSwitchQualification.source(gate));
        assertEquals("task switch to TSS 0x0050 by task gate in IDT", TaskSwitchQualification.describe(gate));
    }

    @Test
    void interruptionInformation() {
        // #PF: vector 0Eh, hardware exception 3 << 8, error code valid bit 11, valid bit 31.
        int pf = ExceptionInterruptionInfo.encode(14, ExceptionInterruptionInfo.TYPE_HARDWARE_EXCEPTION, true);
        assertEquals(0x80000B0E, pf);
        // INT3 -> #BP, software exception 6 << 8, no error code.
        assertEquals(0x80000603, ExceptionInterruptionInfo.encode(3, ExceptionInterruptionInfo.TYPE_SOFTWARE_EXCEPTION, false));
        // NMI: vector 2, type 2.
        assertEquals(0x80000202, ExceptionInterruptionInfo.encode(2, ExceptionInterruptionInfo.TYPE_NMI, false));
        // External interrupt 20h: type 0.
        assertEquals(0x80000020, ExceptionInterruptionInfo.encode(0x20, ExceptionInterruptionInfo.TYPE_EXTERNAL_INTERRUPT, false));
        assertEquals(14, ExceptionInterruptionInfo.vector(pf));
        assertEquals(3, ExceptionInterruptionInfo.type(pf));
        assertTrue(ExceptionInterruptionInfo.isErrorCodeValid(pf));
        assertTrue(ExceptionInterruptionInfo.isValid(pf));
        assertFalse(ExceptionInterruptionInfo.isValid(0x00000B0E));
        assertEquals("#PF (hardware exception, error code)", ExceptionInterruptionInfo.describe(pf));
        assertEquals("vector 0x20 (external interrupt)", ExceptionInterruptionInfo.describe(0x80000020));
    }

    @Test
    void interruptionTypesAndNames() {
        // Types 4 (software interrupt), 5 (privileged software exception, INT1) and 6 (software
        // exception, INT3/INTO) return after the instruction; 0, 2 and 3 do not.
        for (int type = 0; type < 8; type++) {
            int info = ExceptionInterruptionInfo.encode(3, type, false);
            assertEquals(type >= 4 && type <= 6, ExceptionInterruptionInfo.isSoftware(info), "type " + type);
        }
        assertEquals("#PF", ExceptionInterruptionInfo.name(0x80000B0E));
        assertEquals("NMI", ExceptionInterruptionInfo.name(0x80000202));
        assertEquals("#BP (software exception)", ExceptionInterruptionInfo.name(0x80000603));
        assertEquals("vector 0x20 (external interrupt)", ExceptionInterruptionInfo.name(0x80000020));
        // #GP with bit 12, NMI unblocking due to IRET.
        assertEquals("#GP (hardware exception, error code, NMI unblocking due to IRET)",
                ExceptionInterruptionInfo.describe(0x80001B0D));
    }
}
