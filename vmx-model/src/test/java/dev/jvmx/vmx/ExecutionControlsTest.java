package dev.jvmx.vmx;

import dev.jvmx.vmx.ControlChangeListener.ChangeKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Cases worked from SDM Vol. 3C, "Instructions That Cause VM Exits Conditionally" and "Exception Bitmap". */
class ExecutionControlsTest {
    private final ExecutionControls c = noExits(new Vmcs());

    /** Every control, mask and shadow 0: nothing exits but what always does. */
    static ExecutionControls noExits(Vmcs vmcs) {
        ExecutionControls controls = ExecutionControls.exitEverything(vmcs);
        controls.setPrimary(0);
        controls.setSecondary(0);
        controls.setCr0(0, 0);
        controls.setCr4(0, 0);
        return controls;
    }

    @Test
    void controlBitPositions() {
        assertEquals(1 << 7, PrimaryProcessorControls.HLT_EXITING);
        assertEquals(0x80000000, PrimaryProcessorControls.ACTIVATE_SECONDARY_CONTROLS);
        assertEquals(0x02000000, PrimaryProcessorControls.USE_IO_BITMAPS);
        assertEquals(0x01000000, PrimaryProcessorControls.UNCONDITIONAL_IO_EXITING);
        assertEquals(0x00008000, PrimaryProcessorControls.CR3_LOAD_EXITING);
        assertEquals(0x08, PinBasedControls.NMI_EXITING);
        assertEquals(0x04, SecondaryProcessorControls.DESCRIPTOR_TABLE_EXITING);
        assertEquals(0x40, SecondaryProcessorControls.WBINVD_EXITING);
    }

    @Test
    void ioWithNeitherControlRunsNormally() {
        assertFalse(c.ioExits(0x3F8, 1));
    }

    @Test
    void unconditionalIoExiting() {
        c.setPrimary(PrimaryProcessorControls.UNCONDITIONAL_IO_EXITING);
        assertTrue(c.ioExits(0x80, 1));
    }

    @Test
    void ioBitmapsOverrideUnconditionalExiting() {
        c.setPrimary(PrimaryProcessorControls.UNCONDITIONAL_IO_EXITING | PrimaryProcessorControls.USE_IO_BITMAPS);
        assertFalse(c.ioExits(0x80, 1), "unconditional I/O exiting is ignored when I/O bitmaps are used");
        c.ioBitmap().set(0x3F9, true);
        assertFalse(c.ioExits(0x3F8, 1));
        assertTrue(c.ioExits(0x3F8, 2), "a word access at 3F8 touches 3F9");
        assertTrue(c.ioExits(0x3F9, 1));
        assertFalse(c.ioExits(0x3FA, 4));
    }

    @Test
    void ioBitmapBCoversHighPorts() {
        IoBitmap b = c.ioBitmap();
        b.set(0x8000, true);
        assertTrue(b.exits(0x8000, 1));
        assertFalse(b.exits(0x0000, 1), "port 8000 lives in bitmap B, not bit 0 of bitmap A");
        assertTrue(b.exits(0x7FFF, 2));
        assertFalse(b.exits(0x7FFE, 2));
    }

    @Test
    void ioWrapAroundAlwaysExits() {
        IoBitmap b = c.ioBitmap();
        assertTrue(b.exits(0xFFFF, 2), "FFFF and 0000: wrap exits");
        assertTrue(b.exits(0xFFFE, 4));
        assertFalse(b.exits(0xFFFF, 1));
        assertFalse(b.exits(0xFFFC, 4));
    }

    @Test
    void msrExitsWithoutBitmaps() {
        assertTrue(c.msrExits(0x10, false));
        assertTrue(c.msrExits(0x10, true));
    }

    @Test
    void msrBitmapRanges() {
        c.setPrimary(PrimaryProcessorControls.USE_MSR_BITMAPS);
        assertFalse(c.msrExits(0x10, false));
        assertFalse(c.msrExits(0x1FFF, true));
        assertFalse(c.msrExits(0xC0000080, false));
        assertTrue(c.msrExits(0x2000, false), "outside both ranges");
        assertTrue(c.msrExits(0x40000000, true));
        assertTrue(c.msrExits(0xC0002000, false));
        c.msrBitmap().setWrite(0x1B, true);
        assertTrue(c.msrExits(0x1B, true));
        assertFalse(c.msrExits(0x1B, false));
        c.msrBitmap().setRead(0xC0000080, true);
        assertTrue(c.msrExits(0xC0000080, false));
        assertFalse(c.msrExits(0x80, false), "high and low read bitmaps are distinct");
        assertFalse(c.msrExits(0xC0000080, true));
    }

    @Test
    void movToCr0ComparesOwnedBitsWithShadow() {
        assertFalse(c.movToCrExits(0, 0xFFFFFFFF), "all mask bits clear: MOV to CR0 cannot exit");
        // Host owns PG and PE; the guest believes PE=1, PG=0.
        c.setCr0(0x80000001, 0x00000001);
        assertFalse(c.movToCrExits(0, 0x00000011), "PE=1 PG=0 agree with the shadow; ET is guest-owned");
        assertTrue(c.movToCrExits(0, 0x80000011), "setting PG differs from the shadow");
        assertTrue(c.movToCrExits(0, 0x00000010), "clearing PE differs from the shadow");
    }

    @Test
    void movToCr4() {
        c.setCr4(1 << 5, 0); // host owns PAE
        assertFalse(c.movToCrExits(4, 1 << 4));
        assertTrue(c.movToCrExits(4, 1 << 5));
    }

    @Test
    void movToAndFromCr3() {
        assertFalse(c.movToCrExits(3, 0x1000));
        c.setPrimary(PrimaryProcessorControls.CR3_LOAD_EXITING);
        assertTrue(c.movToCrExits(3, 0x1000), "CR3-target count 0: every MOV to CR3 exits");
        assertFalse(c.movFromCrExits(3));
        c.setPrimary(PrimaryProcessorControls.CR3_LOAD_EXITING | PrimaryProcessorControls.CR3_STORE_EXITING);
        assertTrue(c.movFromCrExits(3));
        assertFalse(c.movFromCrExits(0));
    }

    @Test
    void clts() {
        c.setCr0(1 << 3, 0);
        assertFalse(c.cltsExits(), "TS owned but clear in the shadow");
        c.setCr0(1 << 3, 1 << 3);
        assertTrue(c.cltsExits());
        c.setCr0(0, 1 << 3);
        assertFalse(c.cltsExits());
    }

    @Test
    void lmsw() {
        c.setCr0(0xF, 0x1); // host owns PE MP EM TS; guest sees PE=1
        assertFalse(c.lmswExits(0x0), "LMSW cannot clear PE, and MP EM TS agree");
        assertTrue(c.lmswExits(0x9), "TS=1 differs from the shadow");
        c.setCr0(0x1, 0x0);
        assertTrue(c.lmswExits(0x1), "sets PE while the shadow has it clear");
        assertFalse(c.lmswExits(0x0));
        assertFalse(c.lmswExits(0xE), "MP EM TS are guest-owned");
    }

    @Test
    void exceptionBitmap() {
        c.setExceptionBitmap(1 << 13);
        assertTrue(c.exceptionExits(13, 0));
        assertFalse(c.exceptionExits(6, 0));
        assertFalse(c.exceptionExits(0x80, 0));
    }

    @Test
    void pageFaultMaskAndMatch() {
        // SDM: bit 14 = 1, mask = match = 0 -> every #PF exits.
        c.setExceptionBitmap(1 << 14);
        c.setPageFaultErrorCodeMaskMatch(0, 0);
        assertTrue(c.exceptionExits(14, 0));
        assertTrue(c.exceptionExits(14, 7));
        // SDM: bit 14 = 1, mask = 0, match = FFFFFFFF -> no #PF exits.
        c.setPageFaultErrorCodeMaskMatch(0, 0xFFFFFFFF);
        assertFalse(c.exceptionExits(14, 0));
        assertFalse(c.exceptionExits(14, 7));
        // Bit 14 = 0 inverts: only faults whose code does not match exit.
        c.setExceptionBitmap(0);
        assertTrue(c.exceptionExits(14, 3));
        // Bit 14 = 1, mask = P (bit 0), match = 1: protection violations exit, not-present faults do not.
        c.setExceptionBitmap(1 << 14);
        c.setPageFaultErrorCodeMaskMatch(1, 1);
        assertTrue(c.exceptionExits(14, 3));
        assertFalse(c.exceptionExits(14, 2));
    }

    @Test
    void secondaryControlsNeedActivation() {
        c.setSecondary(SecondaryProcessorControls.DESCRIPTOR_TABLE_EXITING | SecondaryProcessorControls.WBINVD_EXITING);
        for (ExitReason r : new ExitReason[] {ExitReason.GDTR_IDTR_ACCESS, ExitReason.LDTR_TR_ACCESS, ExitReason.WBINVD}) {
            assertFalse(c.instructionExits(r), r + ": secondary controls act as 0 until activated");
        }
        c.setPrimary(PrimaryProcessorControls.ACTIVATE_SECONDARY_CONTROLS);
        for (ExitReason r : new ExitReason[] {ExitReason.GDTR_IDTR_ACCESS, ExitReason.LDTR_TR_ACCESS, ExitReason.WBINVD}) {
            assertTrue(c.instructionExits(r), r.toString());
        }
    }

    @Test
    void rdtscpExitsOnlyWithRdtscExitingAndEnableRdtscp() {
        c.setSecondary(SecondaryProcessorControls.ENABLE_RDTSCP);
        c.setPrimary(PrimaryProcessorControls.RDTSC_EXITING);
        assertFalse(c.instructionExits(ExitReason.RDTSCP), "secondary controls not activated: enable RDTSCP acts as 0");
        assertFalse(c.rdtscpEnabled());
        c.setPrimary(PrimaryProcessorControls.RDTSC_EXITING | PrimaryProcessorControls.ACTIVATE_SECONDARY_CONTROLS);
        assertTrue(c.rdtscpEnabled());
        assertTrue(c.instructionExits(ExitReason.RDTSCP));
        c.setPrimary(PrimaryProcessorControls.ACTIVATE_SECONDARY_CONTROLS);
        assertFalse(c.instructionExits(ExitReason.RDTSCP), "no RDTSC exiting: RDTSCP runs");
        c.setSecondary(0);
        c.setPrimary(PrimaryProcessorControls.RDTSC_EXITING | PrimaryProcessorControls.ACTIVATE_SECONDARY_CONTROLS);
        assertFalse(c.instructionExits(ExitReason.RDTSCP), "enable RDTSCP 0: #UD, not an exit");
    }

    @Test
    void simpleInstructionControls() {
        // Each reason with the primary control that governs it (SDM Vol. 3C, table "Definitions of
        // Primary Processor-Based VM-Execution Controls").
        ExitReason[] reasons = {ExitReason.HLT, ExitReason.RDTSC, ExitReason.RDPMC, ExitReason.INVLPG,
            ExitReason.PAUSE, ExitReason.MOV_DR};
        int[] bits = {1 << 7, 1 << 12, 1 << 11, 1 << 9, 1 << 30, 1 << 23};
        for (int i = 0; i < reasons.length; i++) {
            c.setPrimary(0);
            assertFalse(c.instructionExits(reasons[i]), reasons[i] + " with its control 0");
            c.setPrimary(~bits[i]);
            assertFalse(c.instructionExits(reasons[i]), reasons[i] + " with every other control 1");
            c.setPrimary(bits[i]);
            assertTrue(c.instructionExits(reasons[i]), reasons[i] + " with its control 1");
        }
    }

    @Test
    void unconditionalAndMsrExits() {
        // CPUID and INVD exit whatever the controls; RDMSR/WRMSR unless "use MSR bitmaps" (bit 28) is 1.
        assertTrue(c.instructionExits(ExitReason.CPUID));
        assertTrue(c.instructionExits(ExitReason.INVD));
        assertTrue(c.instructionExits(ExitReason.RDMSR));
        assertTrue(c.instructionExits(ExitReason.WRMSR));
        c.setPrimary(1 << 28);
        assertFalse(c.instructionExits(ExitReason.RDMSR));
        assertFalse(c.instructionExits(ExitReason.WRMSR));
        assertFalse(c.instructionExits(ExitReason.IO_INSTRUCTION), "I/O is decided by its port");
    }

    @Test
    void nmiExiting() {
        assertFalse(c.nmiExits());
        c.setPinBased(PinBasedControls.NMI_EXITING);
        assertTrue(c.nmiExits());
        c.setPinBased(PinBasedControls.EXTERNAL_INTERRUPT_EXITING);
        assertFalse(c.nmiExits());
    }

    @Test
    void controlsAreTheVmcsControlFields() {
        Vmcs v = new Vmcs();
        ExecutionControls vc = noExits(v);
        vc.setPinBased(PinBasedControls.NMI_EXITING);
        vc.setPrimary(PrimaryProcessorControls.HLT_EXITING);
        vc.setExceptionBitmap(1 << 14 | 1 << 6);
        vc.setPageFaultErrorCodeMaskMatch(1, 1);
        vc.setCr0(0x80000001, 1);
        vc.setCr4(1 << 5, 0);
        assertEquals(0x08, v.read(VmcsField.PIN_BASED_CONTROLS));
        assertEquals(0x80, v.read(VmcsField.PRIMARY_PROCESSOR_CONTROLS));
        assertEquals(0x4040, v.read(VmcsField.EXCEPTION_BITMAP));
        assertEquals(1, v.read(VmcsField.PAGE_FAULT_ERROR_CODE_MASK));
        assertEquals(1, v.read(VmcsField.PAGE_FAULT_ERROR_CODE_MATCH));
        assertEquals(0x80000001L, v.read(VmcsField.CR0_GUEST_HOST_MASK));
        assertEquals(1, v.read(VmcsField.CR0_READ_SHADOW));
        assertEquals(0x20, v.read(VmcsField.CR4_GUEST_HOST_MASK));
    }

    @Test
    void everyChangeBumpsGenerationAndNotifies() {
        List<ChangeKind> seen = new ArrayList<>();
        c.addListener(seen::add);
        int g0 = c.generation();
        c.setPrimary(PrimaryProcessorControls.HLT_EXITING);
        c.ioBitmap().set(0x60, true);
        c.msrBitmap().setRead(0x10, true);
        c.setCr0(1, 1);
        c.setExceptionBitmap(1);
        assertEquals(g0 + 5, c.generation());
        assertEquals(List.of(ChangeKind.PRIMARY_PROCESSOR, ChangeKind.IO_BITMAP, ChangeKind.MSR_BITMAP,
                ChangeKind.CR_MASKS_AND_SHADOWS, ChangeKind.EXCEPTION_BITMAP), seen);
    }
}
