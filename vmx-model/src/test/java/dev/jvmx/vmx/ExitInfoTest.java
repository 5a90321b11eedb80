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
        assertEquals("IO_INSTRUCTION: REP OUTS port 0x01F0 size 2",
                e.set(ExitReason.IO_INSTRUCTION, 0x01F00031L).describe());
        assertEquals("CONTROL_REGISTER_ACCESS: MOV CR3, EBX",
                e.set(ExitReason.CONTROL_REGISTER_ACCESS, 0x303L).describe());
        assertEquals("LDTR_TR_ACCESS: LTR EAX",
                e.set(ExitReason.LDTR_TR_ACCESS, 0).instructionInfo(0x30000400).describe());
        assertEquals("EXCEPTION_OR_NMI: #GP (hardware exception, error code) error code 0x10",
                e.set(ExitReason.EXCEPTION_OR_NMI, 0).interruptionInfo(0x80000B0D).interruptionErrorCode(0x10).describe());
        assertEquals("CPUID", e.set(ExitReason.CPUID, 0).describe());
    }
}
