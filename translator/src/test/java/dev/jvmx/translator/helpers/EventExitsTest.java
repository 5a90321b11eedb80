package dev.jvmx.translator.helpers;

import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.arch.Cr4;
import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.cpu.SegmentCache;
import dev.jvmx.translator.cpu.VmExitHandler;
import dev.jvmx.translator.exec.ExecutionLoop;
import dev.jvmx.translator.exec.Platform;
import dev.jvmx.translator.exec.StopReason;
import dev.jvmx.translator.exit.InterruptInjection;
import dev.jvmx.translator.mem.TlbFlush;
import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;
import dev.jvmx.vmx.ExitReason;
import dev.jvmx.vmx.GuestActivityState;
import dev.jvmx.vmx.PinBasedControls;
import dev.jvmx.vmx.PrimaryProcessorControls;
import dev.jvmx.vmx.VmExitControls;
import dev.jvmx.vmx.VmcsField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Exceptions, NMIs, external interrupts, interrupt windows, triple faults and task switches as VM exits (SDM Vol. 3C: "Other Causes of VM Exits",
 * "Treatment of Task Switches", 27.2 "Recording VM-Exit Information") and their reflection into
 * the guest by VM-entry event injection, as a VMM does. A guest of our own in flat 32-bit
 * protected mode takes the event; the exit handler snapshots the VMCS's exit-information fields
 * and the guest state at the exit, then lets the architectural handler reflect it. Each case runs on
 * both execution tiers (first-tier handlers, translated code): an exit leaves from a handler or
 * from generated code, and a fault unwinds from either. Every expected
 * value is worked by hand from the SDM:
 * <ul>
 * <li>interruption information: vector in 7:0, type in 10:8 (0 external interrupt, 2 NMI, 3
 * hardware exception, 4 software interrupt, 5 privileged software exception, 6 software exception),
 * 11 error code valid, 12 NMI unblocking due to IRET, 31 valid; so #PF is 0x80000B0E, #GP 0x80000B0D,
 * #NP 0x80000B0B, #DF 0x80000B08, hardware #DB 0x80000301, INT1's #DB 0x80000501, INT3's #BP
 * 0x80000603, INTO's #OF 0x80000604, the NMI
 * 0x80000202, INT 40h 0x80000440, external interrupt 20h 0x80000020;</li>
 * <li>an IDT error code: vector * 8, + 2 (IDT), + 1 (EXT) for an event not caused by software;</li>
 * <li>exit qualification: #PF the linear address; #DB B3-B0 in 3:0, BD in 13, BS in 14; task
 * switch the TSS selector in 15:0 and the source in 31:30 (0 CALL, 1 IRET, 2 JMP, 3 IDT task gate);</li>
 * <li>instruction lengths of the encodings: INT1 F1 1, INT3 CC 1, INTO CE 1, INT imm8 CD ib 2, IRET CF 1,
 * JMP/CALL ptr16:32 EA/9A + 6 = 7.</li>
 * </ul>
 */
class EventExitsTest {
    static final int IDT = 0x3000, GDT = 0x4000, TSS_A = 0x6000, TSS_B = 0x6100, STUBS = 0x8000, MARK = 0x500;
    static final int TASK_B_STACK = 0x70000, TASK_B_ENTRY = 0x9800;
    static final int SEL_A = 0x28, SEL_B = 0x30;
    /** The vector whose IDT gate is a task gate to TSS B. */
    static final int TASK_GATE_VECTOR = 0x41;
    /** A selector beyond the GDT's limit: loading it raises #GP with it as error code. */
    static final int BAD_SELECTOR = 0x1230;

    @BeforeAll
    static void needAssembler() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
    }

    /** The exit-information fields and the guest state the handler saw, before it reflected the event. */
    record Exit(ExitReason reason, long qualification, int info, int errorCode, int vectoring, int vectoringError,
            int length, long rip, int cr2, int dr6, int dr7, boolean nmiBlocked, int tr) { }

    /**
     * Snapshots each exit, then hands it to the bare machine, whose handlers reflect it
     * (ArchitecturalExits), or external-interrupt and interrupt-window exits to {@link #injection}.
     */
    static final class Recorder implements VmExitHandler {
        final GuestRunner r;
        final List<Exit> exits = new ArrayList<>();
        /** The VMM's interrupt injection, when the test makes external interrupts exit. */
        InterruptInjection injection;
        /** Whether the platform's interrupt request was still pending at each exit (when set). */
        BooleanSupplier pending;
        final List<Boolean> pendingAtExit = new ArrayList<>();

        Recorder(GuestRunner r) {
            this.r = r;
            r.cpu.exitHandler = this;
        }

        @Override public int ioIn(Cpu c) { return r.ioIn(c); }
        @Override public void ioOut(Cpu c, int value) { r.ioOut(c, value); }
        @Override public int portRead(Cpu c, int port, int size) { return r.portRead(c, port, size); }
        @Override public void portWrite(Cpu c, int port, int size, int value) { r.portWrite(c, port, size, value); }

        @Override
        public void exit(Cpu c) {
            if (c.exit.reason() != ExitReason.HLT) {
                exits.add(new Exit(c.exit.reason(), c.exit.qualification(), c.exit.interruptionInfo(),
                        c.exit.interruptionErrorCode(), c.exit.idtVectoringInfo(), c.exit.idtVectoringErrorCode(),
                        c.exit.instructionLength(), c.vmcs.read(VmcsField.GUEST_RIP), c.cr2, c.dr[6], c.dr[7],
                        c.nmiBlocked, c.tr.selector));
                if (pending != null) {
                    pendingAtExit.add(pending.getAsBoolean());
                }
            }
            ExitReason reason = c.exit.reason();
            if (reason == ExitReason.EXTERNAL_INTERRUPT) {
                injection.externalInterrupt(c);
            } else if (reason == ExitReason.INTERRUPT_WINDOW) {
                injection.interruptWindow(c);
            } else {
                r.exit(c);
            }
        }

        Exit only() {
            assertEquals(1, exits.size(), "one VM exit: " + exits);
            return exits.get(0);
        }
    }

    /**
     * Flat 32-bit protected mode at CPL 0 with a GDT (code 08h, data 10h, busy TSS A at 28h, available
     * TSS B at 30h), an IDT whose interrupt gates lead to stubs that write their vector to MARK and
     * halt, and a task gate to TSS B at vector 41h. Task B starts at a stub that writes BBh.
     */
    static GuestRunner machine(int tier) {
        GuestRunner r = GuestRunner.flat32();
        r.useTier(tier);
        Cpu c = r.cpu;
        int[] gdt = {
            0, 0,
            0x0000FFFF, 0x00CF9A00, // 08h code, DPL 0
            0x0000FFFF, 0x00CF9200, // 10h data, DPL 0
            0x0000FFFF, 0x00CFFA00, // 18h code, DPL 3
            0x0000FFFF, 0x00CFF200, // 20h data, DPL 3
            (TSS_A << 16) | 0x67, 0x00008B00, // 28h 32-bit TSS, busy (the running task)
            (TSS_B << 16) | 0x67, 0x00008900, // 30h 32-bit TSS, available
        };
        for (int i = 0; i < gdt.length; i++) {
            r.memory.write32(GDT + 4 * i, gdt[i]);
        }
        StringBuilder stubs = new StringBuilder();
        for (int v = 0; v < 256; v++) {
            stubs.append(".balign 16\nmov byte ptr [").append(MARK).append("], ").append(v).append("\ncli\nhlt\n");
        }
        r.load(STUBS, Asm.assemble(stubs.toString(), false, STUBS));
        r.load(TASK_B_ENTRY, Asm.assemble("mov byte ptr [" + MARK + "], 0xBB\ncli\nhlt\n", false, TASK_B_ENTRY));
        for (int v = 0; v < 256; v++) {
            int stub = STUBS + 16 * v;
            r.memory.write32(IDT + 8 * v, (0x08 << 16) | (stub & 0xFFFF));
            r.memory.write32(IDT + 8 * v + 4, (stub & 0xFFFF0000) | 0x8E00);
        }
        taskGate(r, TASK_GATE_VECTOR);
        // TSS B: EIP, EFLAGS, ESP, segment registers (ES CS SS DS FS GS), no LDT.
        r.memory.write32(TSS_B + 0x20, TASK_B_ENTRY);
        r.memory.write32(TSS_B + 0x24, Eflags.FIXED1);
        r.memory.write32(TSS_B + 0x38, TASK_B_STACK);
        int[] segs = {0x10, 0x08, 0x10, 0x10, 0x10, 0x10};
        for (int i = 0; i < 6; i++) {
            r.memory.write32(TSS_B + 0x48 + 4 * i, segs[i]);
        }
        r.memory.write8(MARK, 0xFF);
        c.gdtrBase = GDT;
        c.gdtrLimit = gdt.length * 4 - 1;
        c.idtrBase = IDT;
        c.idtrLimit = 256 * 8 - 1;
        c.tr.set(SEL_A, TSS_A, 0x67, SegmentCache.AR_P | 0xB);
        return r;
    }

    /**
     * CPL 3 (code 1Bh, data and stack 23h, flat) with TSS A's ring-0 stack at 10h:7F000h, for an
     * event that reaches a DPL-0 handler.
     */
    static void toRing3(GuestRunner r) {
        Cpu c = r.cpu;
        r.memory.write32(TSS_A + 4, 0x7F000); // ESP0
        r.memory.write32(TSS_A + 8, 0x10);    // SS0
        int dpl3 = 3 << SegmentCache.AR_DPL_SHIFT;
        int code = SegmentCache.AR_P | SegmentCache.AR_S | 0xB | SegmentCache.AR_DB | SegmentCache.AR_G | dpl3;
        int data = SegmentCache.AR_P | SegmentCache.AR_S | 0x3 | SegmentCache.AR_DB | SegmentCache.AR_G | dpl3;
        for (int seg = 0; seg < 6; seg++) {
            boolean cs = seg == Seg.CS;
            c.seg[seg].set(cs ? 0x1B : 0x23, 0, 0xFFFFFFFF, cs ? code : data);
        }
        c.setCpl(3);
    }

    /** Makes vector {@code v}'s gate a task gate (type 5, present, DPL 0) to TSS B. */
    static void taskGate(GuestRunner r, int v) {
        r.memory.write32(IDT + 8 * v, SEL_B << 16);
        r.memory.write32(IDT + 8 * v + 4, 0x8500);
    }

    /** The run halted in the stub of {@code vector}, and its code ran in {@code tier}. */
    static void expectHandler(GuestRunner r, int tier, StopReason s, int vector) {
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertEquals(vector, r.memory.read8(MARK), "handler reached");
        expectTier(r, tier);
    }

    static void expectTier(GuestRunner r, int tier) {
        assertEquals(tier == 2, r.cache.statistics().translated() > 0, "blocks translated only in tier 2");
    }

    /** The dword at ESP + 4 * i (the handler's frame: [error code], EIP, CS, EFLAGS). */
    static int stack(GuestRunner r, int i) {
        return r.memory.read32(r.cpu.regs[Cpu.ESP] + 4 * i);
    }

    // ---- exceptions and the exception bitmap

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void pageFaultExitReportsTheAddressAndLeavesCr2ToTheVmm(int tier) {
        GuestRunner r = machine(tier);
        Recorder x = new Recorder(r);
        pageFirst4M(r);
        r.cpu.cr2 = 0x12345678;
        r.cpu.controls.setExceptionBitmap(1 << 14);
        // C7 05 disp32 imm32: a 10-byte write to 400000h, which is not present: error code 2 (W/R).
        StopReason s = r.run(Asm.assemble32("mov dword ptr [0x400000], 1\nud2"));
        Exit e = x.only();
        assertEquals(ExitReason.EXCEPTION_OR_NMI, e.reason());
        assertEquals(0x80000B0E, e.info(), "#PF, hardware exception, error code valid");
        assertEquals(2, e.errorCode());
        assertEquals(0x400000, e.qualification(), "the faulting linear address");
        assertEquals(0x12345678, e.cr2(), "an exception that exits does not load CR2");
        assertEquals(GuestRunner.CODE_BASE, e.rip(), "a fault: guest RIP at the instruction");
        assertEquals(0, e.vectoring(), "not during event delivery");
        // Reflected: the guest's #PF handler runs with CR2 and the error code as without the exit.
        expectHandler(r, tier, s, 14);
        assertEquals(0x400000, r.cpu.cr2);
        assertEquals(2, stack(r, 0), "error code");
        assertEquals(GuestRunner.CODE_BASE, stack(r, 1), "return EIP: the faulting MOV");
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void pageFaultErrorCodeMaskAndMatch(int tier) {
        // Mask = match = 2 (W/R): a write fault (error code 2) matches, a read fault (0) does not.
        // Bit 14 = 1: matching faults exit, the others are delivered; bit 14 = 0: the reverse.
        for (int bit14 = 0; bit14 <= 1; bit14++) {
            for (boolean write : new boolean[] {false, true}) {
                GuestRunner r = machine(tier);
                Recorder x = new Recorder(r);
                pageFirst4M(r);
                r.cpu.controls.setExceptionBitmap(bit14 << 14);
                r.cpu.controls.setPageFaultErrorCodeMaskMatch(2, 2);
                String access = write ? "mov dword ptr [0x400000], 1" : "mov eax, [0x400000]";
                StopReason s = r.run(Asm.assemble32(access + "\nud2"));
                boolean exits = (bit14 == 1) == write;
                assertEquals(exits ? 1 : 0, x.exits.size(), "bit 14 = " + bit14 + ", write = " + write);
                expectHandler(r, tier, s, 14);
                assertEquals(write ? 2 : 0, stack(r, 0));
                assertEquals(0x400000, r.cpu.cr2);
            }
        }
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void generalDetectDebugExitReportsBdAndLeavesDr6AndDr7(int tier) {
        GuestRunner r = machine(tier);
        Recorder x = new Recorder(r);
        r.cpu.controls.setPrimary(PrimaryProcessorControls.HLT_EXITING); // MOV DR runs without an exit
        r.cpu.controls.setExceptionBitmap(1 << 1);
        r.cpu.dr[6] = 0xFFFF0FF0;
        r.cpu.dr[7] = 0x2400; // GD (bit 13) and the reserved bit 10, which reads 1
        StopReason s = r.run(Asm.assemble32("mov eax, dr0\nud2"));
        Exit e = x.only();
        assertEquals(0x80000301, e.info(), "#DB, hardware exception, no error code");
        assertEquals(0x2000, e.qualification(), "BD, bit 13");
        assertEquals(0xFFFF0FF0, e.dr6(), "DR6 not updated by an exception that exits");
        assertEquals(0x2400, e.dr7(), "DR7.GD not cleared by an exception that exits");
        assertEquals(GuestRunner.CODE_BASE, e.rip(), "general detect is a fault");
        // Reflected: DR6.BD set, DR7.GD cleared, the handler returns to the MOV.
        expectHandler(r, tier, s, 1);
        assertEquals(0xFFFF2FF0, r.cpu.dr[6]);
        assertEquals(0x400, r.cpu.dr[7]);
        assertEquals(GuestRunner.CODE_BASE, stack(r, 0));
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void int3AndIntoAreSoftwareExceptionsWithTheirLength(int tier) {
        for (boolean into : new boolean[] {false, true}) {
            GuestRunner r = machine(tier);
            Recorder x = new Recorder(r);
            int vector = into ? 4 : 3;
            r.cpu.controls.setExceptionBitmap(1 << vector);
            // mov al, 7Fh (2 bytes); add al, 1 (2 bytes) sets OF; then INT3 (CC) or INTO (CE) at +4.
            StopReason s = r.run(Asm.assemble32("mov al, 0x7F\nadd al, 1\n" + (into ? "into" : "int3") + "\nud2"));
            Exit e = x.only();
            assertEquals(into ? 0x80000604 : 0x80000603, e.info(), "software exception, no error code");
            assertEquals(1, e.length(), "CC / CE");
            assertEquals(GuestRunner.CODE_BASE + 4, e.rip(), "guest RIP at the INT3 / INTO");
            expectHandler(r, tier, s, vector);
            assertEquals(GuestRunner.CODE_BASE + 5, stack(r, 0), "injected with the exit's length: EIP after it");
        }
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void int1IsAPrivilegedSoftwareExceptionWithItsLength(int tier) {
        for (boolean exiting : new boolean[] {false, true}) {
            GuestRunner r = machine(tier);
            Recorder x = new Recorder(r);
            r.cpu.controls.setExceptionBitmap(exiting ? 1 << 1 : 0);
            r.cpu.dr[6] = 0xFFFF0FF0;
            // nop (1 byte), then INT1 (F1) at +1.
            StopReason s = r.run(Asm.assemble32("nop\n.byte 0xF1\nud2"));
            if (exiting) {
                Exit e = x.only();
                assertEquals(ExitReason.EXCEPTION_OR_NMI, e.reason());
                assertEquals(0x80000501, e.info(), "#DB, privileged software exception, no error code");
                assertEquals(1, e.length(), "F1");
                assertEquals(0, e.qualification(), "INT1 reports no debug condition");
                assertEquals(GuestRunner.CODE_BASE + 1, e.rip(), "guest RIP at the INT1");
            } else {
                assertEquals(List.of(), x.exits);
            }
            expectHandler(r, tier, s, 1);
            assertEquals(GuestRunner.CODE_BASE + 2, stack(r, 0), "a trap: the handler returns after the INT1");
            assertEquals(0xFFFF0FF0, r.cpu.dr[6], "INT1 sets no DR6 bit");
        }
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void int1IgnoresTheGateDplThatInt1hChecks(int tier) {
        // Gate 1 with DPL 0 reached from CPL 3: INT 01h (CD 01) raises #GP(1 * 8 + 2), INT1 does not.
        for (boolean int1 : new boolean[] {false, true}) {
            GuestRunner r = machine(tier);
            new Recorder(r);
            toRing3(r);
            StopReason s = r.run(Asm.assemble32((int1 ? ".byte 0xF1" : ".byte 0xCD, 0x01") + "\nud2"));
            expectHandler(r, tier, s, int1 ? 1 : 13);
            if (!int1) {
                assertEquals(0x0A, stack(r, 0), "#GP error code: gate 1, IDT, no EXT for INT n");
            }
        }
    }

    // ---- single-step traps (EFLAGS.TF)

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void singleStepTrapIsAHardwareDebugExceptionReportingBs(int tier) {
        for (boolean exiting : new boolean[] {false, true}) {
            GuestRunner r = machine(tier);
            Recorder x = new Recorder(r);
            r.cpu.controls.setExceptionBitmap(exiting ? 1 << 1 : 0);
            r.cpu.dr[6] = 0xFFFF0FF0;
            // pushfd (1), or dword ptr [esp], 100h (7), popfd (1): TF from the NOP at +9 on; UD2 at +10.
            StopReason s = r.run(Asm.assemble32("pushfd\nor dword ptr [esp], 0x100\npopfd\nnop\nud2"));
            if (exiting) {
                Exit e = x.only();
                assertEquals(ExitReason.EXCEPTION_OR_NMI, e.reason());
                assertEquals(0x80000301, e.info(), "#DB, hardware exception");
                assertEquals(0x4000, e.qualification(), "BS, bit 14");
                assertEquals(0, e.length(), "a hardware exception reports no length");
                assertEquals(GuestRunner.CODE_BASE + 10, e.rip(), "a trap: guest RIP after the NOP");
                assertEquals(0xFFFF0FF0, e.dr6(), "DR6 not updated by an exception that exits");
            } else {
                assertEquals(List.of(), x.exits);
            }
            expectHandler(r, tier, s, 1);
            assertEquals(GuestRunner.CODE_BASE + 10, stack(r, 0), "the handler returns after the traced NOP");
            assertEquals(Eflags.TF, stack(r, 2) & Eflags.TF, "the saved EFLAGS has TF, cleared in the handler");
            assertEquals(0xFFFF4FF0, r.cpu.dr[6], "BS");
        }
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void everyInstructionBetweenSettingAndClearingTfIsTraced(int tier) {
        GuestRunner r = GuestRunner.real16();
        r.useTier(tier);
        r.memory.write8(MARK, 0);
        r.memory.write16(4, 0x2000); // vector 1: 0000:2000, which counts the traps at MARK
        r.memory.write16(6, 0);
        r.load(0x2000, Asm.assemble("inc byte ptr [" + MARK + "]\niret", true, 0x2000));
        // Traced: the three NOPs, PUSHF, POP, AND, PUSH and the POPF that clears TF (it began with
        // TF set): 8 traps. The POPF that sets TF began without it, CLI and HLT run after.
        StopReason s = r.run(Asm.assemble16("pushf\npop ax\nor ax, 0x100\npush ax\npopf\nnop\nnop\nnop\n"
                + "pushf\npop ax\nand ax, 0xFEFF\npush ax\npopf\ncli\nhlt"));
        r.expectHalt(s);
        expectTier(r, tier);
        assertEquals(8, r.memory.read8(MARK), "single-step traps");
        assertEquals(0, r.cpu.eflags & Eflags.TF);
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void movSsHoldsTheTrapBackUntilAfterTheNextInstruction(int tier) {
        GuestRunner r = GuestRunner.real16();
        r.useTier(tier);
        r.memory.write8(MARK, 0);
        r.memory.write16(4, 0x2000);
        r.memory.write16(6, 0);
        r.load(0x2000, Asm.assemble("inc byte ptr [" + MARK + "]\niret", true, 0x2000));
        // Traced: MOV AX,SS (1), MOV SS,AX (none: held back), NOP (1), PUSHF, POP, AND, PUSH, POPF (5).
        StopReason s = r.run(Asm.assemble16("pushf\npop ax\nor ax, 0x100\npush ax\npopf\nmov ax, ss\nmov ss, ax\n"
                + "nop\npushf\npop ax\nand ax, 0xFEFF\npush ax\npopf\ncli\nhlt"));
        r.expectHalt(s);
        expectTier(r, tier);
        assertEquals(7, r.memory.read8(MARK), "single-step traps");
    }

    // ---- triple faults

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void tripleFaultIsAnExitWithReasonTwoAndTheVmmShutsTheGuestDown(int tier) {
        // No IDT: UD2's #UD cannot be delivered (#GP), nor #GP (#DF), nor #DF: a triple fault.
        GuestRunner r = machine(tier);
        Recorder x = new Recorder(r);
        r.cpu.idtrLimit = 0;
        StopReason s = r.run(Asm.assemble32("nop\nud2"));
        assertEquals(StopReason.Kind.TRIPLE_FAULT, s.kind, s.toString());
        expectTier(r, tier);
        assertEquals("triple fault: #GP while delivering #DF at 0008:00001001", s.message);
        Exit e = x.only();
        assertEquals(ExitReason.TRIPLE_FAULT, e.reason());
        assertEquals(2, r.cpu.vmcs.read(VmcsField.EXIT_REASON), "basic exit reason 2 (SDM Vol. 3C, Appendix C)");
        assertEquals(0, e.qualification());
        assertEquals(0, e.info(), "no interruption information");
        assertEquals(0, e.vectoring(), "a triple fault is not an exit during event delivery");
        assertEquals(GuestRunner.CODE_BASE + 1, e.rip(), "guest RIP at the UD2");
        assertEquals(GuestActivityState.SHUTDOWN, r.cpu.vmcs.read(VmcsField.GUEST_ACTIVITY_STATE));
        r.cpu.reset();
        assertEquals(GuestActivityState.ACTIVE, r.cpu.vmcs.read(VmcsField.GUEST_ACTIVITY_STATE), "RESET leaves shutdown");
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void aVmmThatResumesTheGuestAfterATripleFaultDecidesWhereItRuns(int tier) {
        GuestRunner r = machine(tier);
        List<ExitReason> seen = new ArrayList<>();
        r.interceptExits(c -> {
            seen.add(c.exit.reason());
            if (c.exit.reason() == ExitReason.TRIPLE_FAULT) {
                c.eip = STUBS + 16 * 0x77; // resume in the stub that marks 77h and halts
                return true;
            }
            return false;
        });
        r.cpu.idtrLimit = 0;
        StopReason s = r.run(Asm.assemble32("ud2"));
        assertEquals(List.of(ExitReason.TRIPLE_FAULT, ExitReason.HLT), seen);
        expectHandler(r, tier, s, 0x77);
    }

    /**
     * A jump to a page that is not present faults on the fetch of its target, before any block
     * there exists (the execution loop's lookup, not a block, raises it): the #PF goes to its
     * handler with CR2 = the target, and with no IDT to take it the guest triple-faults there.
     */
    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void aFetchFaultIsDeliveredOrTripleFaultsAtTheTarget(int tier) {
        GuestRunner r = machine(tier);
        pageFirst4M(r);
        StopReason s = r.run(Asm.assemble32("mov eax, 0x400000\njmp eax"));
        expectHandler(r, tier, s, 14);
        assertEquals(0x400000, r.cpu.cr2);
        assertEquals(0, stack(r, 0), "#PF error code: not present (I/D is set only with SMEP or PAE and NXE, SDM Vol. 3A, 4.7)");
        assertEquals(0x400000, stack(r, 1), "EIP: the target, where the fetch faulted");

        GuestRunner t = machine(tier);
        pageFirst4M(t);
        t.cpu.idtrLimit = 0;
        s = t.run(Asm.assemble32("mov eax, 0x400000\njmp eax"));
        assertEquals(StopReason.Kind.TRIPLE_FAULT, s.kind, s.toString());
        assertEquals("triple fault: #GP while delivering #DF at 0008:00400000", s.message);
    }

    // ---- external interrupts and interrupt windows

    /** External-interrupt exiting, with or without "acknowledge interrupt on exit", and the VMM's injection. */
    private static GuestRunner externalInterruptExiting(boolean acknowledgeOnExit, Platform[] platform, int tier) {
        GuestRunner r = machine(tier);
        platform[0] = oneEvent(r, false, 0x20);
        r.cpu.controls.setPinBased(PinBasedControls.EXTERNAL_INTERRUPT_EXITING);
        r.cpu.vmcs.write(VmcsField.VM_EXIT_CONTROLS, acknowledgeOnExit ? VmExitControls.ACKNOWLEDGE_INTERRUPT_ON_EXIT : 0);
        return r;
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void externalInterruptExitsWithItsVectorWhenAcknowledgedOnExit(int tier) {
        for (boolean ack : new boolean[] {true, false}) {
            Platform[] p = new Platform[1];
            GuestRunner r = externalInterruptExiting(ack, p, tier);
            Recorder x = new Recorder(r);
            x.injection = new InterruptInjection(p[0]::acknowledgeInterrupt);
            x.pending = p[0]::interruptPending;
            r.cpu.setEflags(Eflags.FIXED1 | Eflags.IF);
            r.load(GuestRunner.CODE_BASE, Asm.assemble32("1: jmp 1b"));
            r.cpu.eip = GuestRunner.CODE_BASE;
            StopReason s = loop(r, p[0], tier).run();
            Exit e = x.only();
            assertEquals(ExitReason.EXTERNAL_INTERRUPT, e.reason());
            assertEquals(ack ? 0x80000020 : 0, e.info(), "vector 20h, external interrupt, valid only when acknowledged");
            assertEquals(List.of(!ack), x.pendingAtExit, "not acknowledged: still pending at the controller");
            assertEquals(0, e.qualification());
            assertEquals(GuestRunner.CODE_BASE, e.rip());
            // Injected by the VMM: the guest's handler runs as if the interrupt had come directly.
            expectHandler(r, tier, s, 0x20);
            assertEquals(GuestRunner.CODE_BASE, stack(r, 0));
            assertTrue(!r.cpu.controls.interruptWindowExits(), "no window was needed");
        }
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void externalInterruptExitsWhileIfIsClearAndWaitsForTheInterruptWindow(int tier) {
        Platform[] p = new Platform[1];
        GuestRunner r = externalInterruptExiting(true, p, tier);
        Recorder x = new Recorder(r);
        x.injection = new InterruptInjection(p[0]::acknowledgeInterrupt);
        // cli (1), mov ecx (5), dec ecx (1), jnz (2), sti (1), nop (1): the loop at +11.
        r.load(GuestRunner.CODE_BASE, Asm.assemble32("cli\nmov ecx, 1000\n2: dec ecx\njnz 2b\nsti\nnop\n1: jmp 1b"));
        r.cpu.eip = GuestRunner.CODE_BASE;
        StopReason s = loop(r, p[0], tier).run();
        assertEquals(2, x.exits.size(), x.exits.toString());
        Exit e = x.exits.get(0);
        assertEquals(ExitReason.EXTERNAL_INTERRUPT, e.reason(), "IF = 0 does not hold back an interrupt that exits");
        assertEquals(0x80000020, e.info());
        assertTrue(e.rip() > GuestRunner.CODE_BASE && e.rip() < GuestRunner.CODE_BASE + 9, "in the CLI loop: " + e);
        Exit w = x.exits.get(1);
        assertEquals(ExitReason.INTERRUPT_WINDOW, w.reason());
        assertEquals(0, w.info());
        assertEquals(GuestRunner.CODE_BASE + 11, w.rip(), "after STI and the one instruction its shadow covers");
        expectHandler(r, tier, s, 0x20);
        assertEquals(GuestRunner.CODE_BASE + 11, stack(r, 0));
        assertTrue(!r.cpu.controls.interruptWindowExits(), "the VMM closed the window once it had injected");
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void interruptWindowExitingAloneExitsAtTheFirstOpenWindow(int tier) {
        GuestRunner r = machine(tier);
        Recorder x = new Recorder(r);
        x.injection = new InterruptInjection(() -> -1);
        r.cpu.controls.setInterruptWindowExiting(true);
        int generation = r.cpu.controls.generation();
        // cli (1), nop (1), popfd of a saved EFLAGS with IF (pushfd/or/popfd): the window opens after POPFD.
        StopReason s = r.run(Asm.assemble32("cli\nnop\npushfd\nor dword ptr [esp], 0x200\npopfd\nnop\ncli\nhlt"));
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        Exit w = x.only();
        assertEquals(ExitReason.INTERRUPT_WINDOW, w.reason());
        assertEquals(GuestRunner.CODE_BASE + 11, w.rip(), "at the instruction after POPFD");
        assertTrue(!r.cpu.controls.interruptWindowExits(), "the VMM had nothing to inject and closed the window");
        assertEquals(generation, r.cpu.controls.generation(), "translations do not depend on the window control");
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void intNWithAnExceptionVectorIsASoftwareInterruptAndNeverExits(int tier) {
        GuestRunner r = machine(tier);
        Recorder x = new Recorder(r);
        r.cpu.controls.setExceptionBitmap(0xFFFFFFFF);
        StopReason s = r.run(Asm.assemble32(".byte 0xCD, 0x03\nud2")); // INT 3 as CD 03
        assertEquals(List.of(), x.exits, "the exception bitmap governs exceptions, not INT n");
        expectHandler(r, tier, s, 3);
        assertEquals(GuestRunner.CODE_BASE + 2, stack(r, 0));
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void faultDuringIntNDeliveryExitsWithIdtVectoring(int tier) {
        GuestRunner r = machine(tier);
        Recorder x = new Recorder(r);
        r.cpu.controls.setExceptionBitmap(1 << 13);
        r.cpu.idtrLimit = 0x40 * 8 - 1; // gates 0-3Fh: INT 40h is beyond the limit
        StopReason s = r.run(Asm.assemble32("nop\nint 0x40\nud2"));
        Exit e = x.only();
        assertEquals(0x80000B0D, e.info(), "#GP");
        assertEquals(0x202, e.errorCode(), "40h * 8 + 2 (IDT), no EXT for a software interrupt");
        assertEquals(0x80000440, e.vectoring(), "INT 40h, software interrupt, being delivered");
        assertEquals(2, e.length(), "CD 40: the length of the software interrupt being delivered");
        assertEquals(GuestRunner.CODE_BASE + 1, e.rip());
        expectHandler(r, tier, s, 13);
        assertEquals(0x202, stack(r, 0));
        assertEquals(GuestRunner.CODE_BASE + 1, stack(r, 1), "the #GP returns to the INT 40h");
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void faultDuringExternalInterruptDeliverySetsExtAndIdtVectoring(int tier) {
        GuestRunner r = machine(tier);
        Recorder x = new Recorder(r);
        r.cpu.controls.setExceptionBitmap(1 << 11);
        r.memory.write32(IDT + 8 * 0x20 + 4, r.memory.read32(IDT + 8 * 0x20 + 4) & ~0x8000); // gate 20h not present
        r.cpu.setEflags(Eflags.FIXED1 | Eflags.IF);
        r.load(GuestRunner.CODE_BASE, Asm.assemble32("1: jmp 1b"));
        r.cpu.eip = GuestRunner.CODE_BASE;
        StopReason s = loop(r, oneEvent(r, false, 0x20), tier).run();
        Exit e = x.only();
        assertEquals(0x80000B0B, e.info(), "#NP");
        assertEquals(0x103, e.errorCode(), "20h * 8 + 2 (IDT) + 1 (EXT)");
        assertEquals(0x80000020, e.vectoring(), "external interrupt 20h being delivered");
        assertEquals(GuestRunner.CODE_BASE, e.rip());
        expectHandler(r, tier, s, 11);
        assertEquals(0x103, stack(r, 0));
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void doubleFaultExitsWithoutIdtVectoring(int tier) {
        // MOV DS of a selector beyond the GDT raises #GP(1230h); #GP's gate is not present, so its
        // delivery raises #NP(0Dh * 8 + 2 + 1 = 6Bh): two contributory exceptions make a #DF.
        GuestRunner r = machine(tier);
        Recorder x = new Recorder(r);
        r.cpu.controls.setExceptionBitmap(1 << 8);
        r.memory.write32(IDT + 8 * 13 + 4, r.memory.read32(IDT + 8 * 13 + 4) & ~0x8000);
        StopReason s = r.run(Asm.assemble32("mov ax, " + BAD_SELECTOR + "\nmov ds, ax\nud2"));
        Exit e = x.only();
        assertEquals(0x80000B08, e.info(), "#DF with its error code");
        assertEquals(0, e.errorCode());
        assertEquals(0, e.vectoring(), "a double fault that exits is not during event delivery");
        expectHandler(r, tier, s, 8);
        assertEquals(0, stack(r, 0));
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void secondExceptionThatExitsCarriesTheFirstAndTheVmmMakesTheDoubleFault(int tier) {
        GuestRunner r = machine(tier);
        Recorder x = new Recorder(r);
        r.cpu.controls.setExceptionBitmap(1 << 11);
        r.memory.write32(IDT + 8 * 13 + 4, r.memory.read32(IDT + 8 * 13 + 4) & ~0x8000);
        StopReason s = r.run(Asm.assemble32("mov ax, " + BAD_SELECTOR + "\nmov ds, ax\nud2"));
        Exit e = x.only();
        assertEquals(0x80000B0B, e.info(), "#NP");
        assertEquals(0x6B, e.errorCode(), "0Dh * 8 + 2 (IDT) + 1 (EXT)");
        assertEquals(0x80000B0D, e.vectoring(), "#GP being delivered");
        assertEquals(BAD_SELECTOR, e.vectoringError());
        // The VMM combines them as the processor would (SDM Vol. 3A, Table 6-5) and injects #DF.
        expectHandler(r, tier, s, 8);
        assertEquals(0, stack(r, 0));
    }

    // ---- NMIs

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void nmiExitingReflectsTheNmi(int tier) {
        for (boolean exiting : new boolean[] {false, true}) {
            GuestRunner r = machine(tier);
            Recorder x = new Recorder(r);
            r.cpu.controls.setPinBased(exiting ? PinBasedControls.NMI_EXITING : 0);
            r.load(GuestRunner.CODE_BASE, Asm.assemble32("1: jmp 1b"));
            r.cpu.eip = GuestRunner.CODE_BASE;
            StopReason s = loop(r, oneEvent(r, true, 0), tier).run();
            if (exiting) {
                Exit e = x.only();
                assertEquals(0x80000202, e.info(), "NMI, vector 2, type 2");
                assertEquals(GuestRunner.CODE_BASE, e.rip());
                assertEquals(false, e.nmiBlocked(), "the NMI did not reach the guest: no blocking yet");
            } else {
                assertEquals(List.of(), x.exits);
            }
            expectHandler(r, tier, s, 2);
            assertTrue(r.cpu.nmiBlocked, "NMIs blocked in the guest's NMI handler");
        }
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void faultingIretThatUnblockedNmisSaysSo(int tier) {
        for (boolean blocked : new boolean[] {false, true}) {
            GuestRunner r = machine(tier);
            Recorder x = new Recorder(r);
            r.cpu.controls.setExceptionBitmap(1 << 13);
            r.cpu.nmiBlocked = blocked;
            // IRET to CS = 1230h, beyond the GDT: #GP(1230h). It ends NMI blocking all the same.
            StopReason s = r.run(Asm.assemble32("push 2\npush " + BAD_SELECTOR + "\npush 0\niretd\nud2"));
            Exit e = x.only();
            assertEquals(blocked ? 0x80001B0D : 0x80000B0D, e.info(), "bit 12: NMI unblocking due to IRET");
            assertEquals(BAD_SELECTOR, e.errorCode());
            expectHandler(r, tier, s, 13);
            assertEquals(false, r.cpu.nmiBlocked);
        }
    }

    // ---- task switches

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void jmpToATssExitsWithSourceJmp(int tier) {
        GuestRunner r = machine(tier);
        Recorder x = new Recorder(r);
        StopReason s = r.run(Asm.assemble32("ljmp " + SEL_B + ", 0\nud2"));
        Exit e = x.only();
        assertEquals(ExitReason.TASK_SWITCH, e.reason());
        assertEquals(0x80000030L, e.qualification(), "TSS 30h, source 2 (JMP) in bits 31:30");
        assertEquals(7, e.length(), "EA ptr16:32");
        assertEquals(GuestRunner.CODE_BASE, e.rip());
        assertEquals(SEL_A, e.tr(), "the exit comes before the switch");
        // The VMM performs the switch: task B runs, task A saved the EIP after the JMP, not busy now.
        expectHandler(r, tier, s, 0xBB);
        assertEquals(SEL_B, r.cpu.tr.selector);
        assertEquals(GuestRunner.CODE_BASE + 7, r.memory.read32(TSS_A + 0x20));
        assertEquals(0x89, r.memory.read8(GDT + SEL_A + 5), "JMP clears the old task's busy bit");
        assertEquals(0x8B, r.memory.read8(GDT + SEL_B + 5), "the new task is busy");
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void callToATssExitsWithSourceCallAndNests(int tier) {
        GuestRunner r = machine(tier);
        Recorder x = new Recorder(r);
        StopReason s = r.run(Asm.assemble32("nop\nlcall " + SEL_B + ", 0\nud2"));
        Exit e = x.only();
        assertEquals(0x00000030L, e.qualification(), "TSS 30h, source 0 (CALL)");
        assertEquals(7, e.length(), "9A ptr16:32");
        assertEquals(GuestRunner.CODE_BASE + 1, e.rip());
        expectHandler(r, tier, s, 0xBB);
        assertEquals(SEL_A, r.memory.read16(TSS_B), "back link");
        assertEquals(Eflags.NT, r.cpu.getEflags() & Eflags.NT);
        assertEquals(GuestRunner.CODE_BASE + 8, r.memory.read32(TSS_A + 0x20));
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void iretWithNtExitsWithSourceIret(int tier) {
        // Task B runs nested in task A (back link 28h, NT set, A busy); its IRET returns to A.
        GuestRunner r = machine(tier);
        Recorder x = new Recorder(r);
        r.memory.write8(GDT + SEL_B + 5, 0x8B);
        r.memory.write16(TSS_B, SEL_A);
        r.cpu.tr.set(SEL_B, TSS_B, 0x67, SegmentCache.AR_P | 0xB);
        // Task A resumes at its saved EIP, where a stub writes AAh.
        int resume = 0x9900;
        r.load(resume, Asm.assemble("mov byte ptr [" + MARK + "], 0xAA\ncli\nhlt\n", false, resume));
        r.memory.write32(TSS_A + 0x20, resume);
        r.memory.write32(TSS_A + 0x24, Eflags.FIXED1);
        r.memory.write32(TSS_A + 0x38, GuestRunner.STACK_TOP);
        int[] segs = {0x10, 0x08, 0x10, 0x10, 0x10, 0x10};
        for (int i = 0; i < 6; i++) {
            r.memory.write32(TSS_A + 0x48 + 4 * i, segs[i]);
        }
        r.cpu.setEflags(Eflags.FIXED1 | Eflags.NT);
        StopReason s = r.run(Asm.assemble32("iretd\nud2"));
        Exit e = x.only();
        assertEquals(0x40000028L, e.qualification(), "TSS 28h, source 1 (IRET)");
        assertEquals(1, e.length(), "CF");
        expectHandler(r, tier, s, 0xAA);
        assertEquals(SEL_A, r.cpu.tr.selector);
        assertEquals(GuestRunner.CODE_BASE + 1, r.memory.read32(TSS_B + 0x20), "task B saved the EIP after its IRET");
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void intNThroughATaskGateExitsWithIdtVectoringAndLength(int tier) {
        GuestRunner r = machine(tier);
        Recorder x = new Recorder(r);
        StopReason s = r.run(Asm.assemble32("int " + TASK_GATE_VECTOR + "\nud2"));
        Exit e = x.only();
        assertEquals(0xC0000030L, e.qualification(), "TSS 30h, source 3 (task gate in the IDT)");
        assertEquals(0x80000441, e.vectoring(), "INT 41h, software interrupt");
        assertEquals(2, e.length(), "CD 41");
        expectHandler(r, tier, s, 0xBB);
        assertEquals(GuestRunner.CODE_BASE + 2, r.memory.read32(TSS_A + 0x20), "old task resumes after the INT");
        assertEquals(TASK_B_STACK, r.cpu.regs[Cpu.ESP], "nothing pushed for a software interrupt");
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void exceptionThroughATaskGatePushesItsErrorCodeOnTheNewTask(int tier) {
        GuestRunner r = machine(tier);
        Recorder x = new Recorder(r);
        taskGate(r, 13);
        StopReason s = r.run(Asm.assemble32("mov ax, " + BAD_SELECTOR + "\nmov ds, ax\nud2"));
        Exit e = x.only();
        assertEquals(0xC0000030L, e.qualification());
        assertEquals(0x80000B0D, e.vectoring(), "#GP being delivered, with its error code");
        assertEquals(BAD_SELECTOR, e.vectoringError());
        assertEquals(GuestRunner.CODE_BASE + 4, e.rip(), "at the faulting MOV DS (after the 4-byte MOV AX)");
        expectHandler(r, tier, s, 0xBB);
        assertEquals(GuestRunner.CODE_BASE + 4, r.memory.read32(TSS_A + 0x20), "a fault: the old task resumes at it");
        assertEquals(TASK_B_STACK - 4, r.cpu.regs[Cpu.ESP]);
        assertEquals(BAD_SELECTOR, r.memory.read32(TASK_B_STACK - 4), "error code on the new task's stack");
    }

    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void taskSwitchToABusyTssFaultsBeforeAnyExit(int tier) {
        // A JMP to a busy TSS fails the descriptor checks made before the exit: #GP(30h), no task switch exit.
        GuestRunner r = machine(tier);
        Recorder x = new Recorder(r);
        r.memory.write8(GDT + SEL_B + 5, 0x8B);
        r.cpu.controls.setExceptionBitmap(1 << 13);
        StopReason s = r.run(Asm.assemble32("ljmp " + SEL_B + ", 0\nud2"));
        Exit e = x.only();
        assertEquals(ExitReason.EXCEPTION_OR_NMI, e.reason());
        assertEquals(0x80000B0D, e.info());
        assertEquals(SEL_B, e.errorCode());
        expectHandler(r, tier, s, 13);
    }

    // ---- helpers

    /**
     * An execution loop of {@code r}'s CPU and cache with {@code platform}'s events, running every
     * block in {@code tier} as {@link GuestRunner#useTier} does.
     */
    private static ExecutionLoop loop(GuestRunner r, Platform platform, int tier) {
        ExecutionLoop loop = new ExecutionLoop(r.cpu, r.cache, platform);
        loop.setSynchronousTranslation(true);
        loop.setTranslateThreshold(tier == 1 ? Integer.MAX_VALUE : 1);
        return loop;
    }

    /** 4 MiB page 0 identity mapped (PSE), everything from 4 MiB not present. */
    private static void pageFirst4M(GuestRunner r) {
        r.memory.write32(0x200000, 0x83); // P | RW | PS
        r.cpu.cr4 |= Cr4.PSE;
        r.cpu.cr3 = 0x200000;
        r.cpu.cr0 |= Cr0.PG;
        r.cpu.mmu.flushAll(TlbFlush.STATE_LOADED);
    }

    /** A platform that raises one NMI, or one external interrupt with {@code vector}, once the guest runs. */
    private static Platform oneEvent(GuestRunner r, boolean nmi, int vector) {
        boolean[] taken = {false};
        return new Platform() {
            @Override public StopReason service(Cpu c) {
                return c.instructions > 1_000_000 ? new StopReason(StopReason.Kind.INSTRUCTION_LIMIT, 4, "limit") : null;
            }
            @Override public boolean interruptPending() {
                return !nmi && !taken[0] && r.cpu.instructions > 0;
            }
            @Override public int acknowledgeInterrupt() {
                taken[0] = true;
                return vector;
            }
            @Override public boolean nmiPending() {
                return nmi && !taken[0] && r.cpu.instructions > 0;
            }
            @Override public void acknowledgeNmi() {
                taken[0] = true;
            }
            @Override public StopReason waitForInterrupt(Cpu c) {
                return new StopReason(StopReason.Kind.HALTED, 0, "halted");
            }
            @Override public long nextDeadline() {
                return r.cpu.instructions + 16;
            }
        };
    }
}
