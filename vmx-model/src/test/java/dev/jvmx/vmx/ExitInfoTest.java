package dev.jvmx.vmx;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ExitInfoTest {

    @Test
    void setClearsTheFieldsOfThePreviousExit() {
        ExitInfo e = new ExitInfo(new Vmcs());
        e.set(ExitReason.EXCEPTION_OR_NMI, 0).interruptionInfo(0x80000B0E).interruptionErrorCode(2).instructionLength(3);
        e.set(ExitReason.HLT, 0);
        assertEquals(ExitReason.HLT, e.reason());
        assertEquals(0, e.interruptionInfo());
        assertEquals(0, e.interruptionErrorCode());
        assertEquals(0, e.instructionLength());
    }

    @Test
    void writesTheVmcsExitInformationFields() {
        Vmcs v = new Vmcs();
        // OUT DX, AL to 3F8 (qualification 0x03F80000), one-byte instruction EE.
        new ExitInfo(v).set(ExitReason.IO_INSTRUCTION, 0x03F80000L).instructionLength(1);
        assertEquals(30, v.read(VmcsField.EXIT_REASON), "SDM Appendix C: I/O instruction is basic reason 30");
        assertEquals(0x03F80000L, v.read(VmcsField.EXIT_QUALIFICATION));
        assertEquals(1, v.read(VmcsField.EXIT_INSTRUCTION_LENGTH));
    }

    @Test
    void describesByReason() {
        ExitInfo e = new ExitInfo(new Vmcs());
        assertEquals("IO_INSTRUCTION: OUT port 0x03F8 size 1", e.set(ExitReason.IO_INSTRUCTION, 0x03F80000L).describe());
        // REP OUTS: instruction information 0 is a 16-bit address through ES (table "Format of the
        // VM-Exit Instruction-Information Field as Used for INS and OUTS"); 0x20080 is 32-bit (1 << 7)
        // through FS (4 << 15). INS names ES whatever bits 17:15 hold.
        assertEquals("IO_INSTRUCTION: REP OUTS port 0x01F0 size 2 a16 ES",
                e.set(ExitReason.IO_INSTRUCTION, 0x01F00031L).describe());
        assertEquals("IO_INSTRUCTION: OUTS port 0x0080 size 4 a32 FS",
                e.set(ExitReason.IO_INSTRUCTION, 0x00800013L).instructionInfo(0x20080).describe());
        assertEquals("IO_INSTRUCTION: REP INS port 0x0060 size 1 a32 ES",
                e.set(ExitReason.IO_INSTRUCTION, 0x00600038L).instructionInfo(0x18080).describe());
        assertEquals("CONTROL_REGISTER_ACCESS: MOV CR3, EBX",
                e.set(ExitReason.CONTROL_REGISTER_ACCESS, 0x303L).describe());
        assertEquals("LDTR_TR_ACCESS: LTR EAX",
                e.set(ExitReason.LDTR_TR_ACCESS, 0).instructionInfo(0x30000400).describe());
        assertEquals("EXCEPTION_OR_NMI: #GP (hardware exception, error code) error code 0x10",
                e.set(ExitReason.EXCEPTION_OR_NMI, 0).interruptionInfo(0x80000B0D).interruptionErrorCode(0x10).describe());
        assertEquals("CPUID", e.set(ExitReason.CPUID, 0).describe());
    }

    @Test
    void idtVectoringFieldsAndTheirClearing() {
        Vmcs v = new Vmcs();
        ExitInfo e = new ExitInfo(v);
        // A #GP (0x80000B0D) while INT 40h (software interrupt: 4 << 8 | 40h | valid) was being delivered.
        e.set(ExitReason.EXCEPTION_OR_NMI, 0).interruptionInfo(0x80000B0D).interruptionErrorCode(0x202)
                .instructionLength(2).idtVectoring(0x80000440, 0);
        assertEquals(0x80000B0DL, v.read(VmcsField.EXIT_INTERRUPTION_INFO));
        assertEquals(0x202, v.read(VmcsField.EXIT_INTERRUPTION_ERROR_CODE));
        assertEquals(0x80000440L, v.read(VmcsField.IDT_VECTORING_INFO));
        assertEquals(0, v.read(VmcsField.IDT_VECTORING_ERROR_CODE));
        assertEquals(2, v.read(VmcsField.EXIT_INSTRUCTION_LENGTH));
        assertEquals("EXCEPTION_OR_NMI: #GP (hardware exception, error code) error code 0x202 during delivery of"
                + " vector 0x40 (software interrupt)", e.describe());
        // The next exit is not during event delivery: the IDT-vectoring field is invalid again.
        e.set(ExitReason.HLT, 0);
        assertEquals(0, e.idtVectoringInfo());
        assertEquals(0, e.idtVectoringErrorCode());
    }

    @Test
    void anExitClearsTheValidBitOfTheVmEntryInterruptionInformation() {
        Vmcs v = new Vmcs();
        // A VMM injecting #PF (0x80000B0E) with error code 2; an exit comes before the entry.
        v.write(VmcsField.VM_ENTRY_INTERRUPTION_INFO, 0x80000B0EL);
        v.write(VmcsField.VM_ENTRY_EXCEPTION_ERROR_CODE, 2);
        new ExitInfo(v).set(ExitReason.CPUID, 0);
        assertEquals(0x00000B0EL, v.read(VmcsField.VM_ENTRY_INTERRUPTION_INFO), "bit 31 cleared, the rest left");
        assertEquals(2, v.read(VmcsField.VM_ENTRY_EXCEPTION_ERROR_CODE));
    }
}
