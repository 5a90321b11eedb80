package dev.jvmx.translator.helpers;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.SegmentCache;
import dev.jvmx.translator.exec.ExecutionLoop;
import dev.jvmx.translator.exec.Platform;
import dev.jvmx.translator.exec.StopReason;
import dev.jvmx.translator.mem.TlbFlush;
import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Transfers from ring 3 to ring 0 whose new stack is a supervisor-only page (paging on, U/S = 0
 * on the ring-0 stack, as Linux's entry stack is). The SDM has the processor push the frame at
 * the new privilege level (Vol. 3A 6.12.1 "Exception- or Interrupt-Handler Procedures", 5.8.5
 * "Stack Switching"), so the pushes are supervisor-mode writes and succeed; a user-mode check
 * would fault with error code 7, fault again delivering #DF and shut the machine down.
 * Every expected value is the SDM's frame layout worked by hand for the set-up below.
 */
class InnerRingStackTest {
    static final int GDT = 0x4000, IDT = 0x3000, TSS = 0x6000, STUBS = 0x8000, MARK = 0x500, ARGS = 0x504;
    static final int PD = 0x10000, PT = 0x11000;
    /** The ring-0 stack: its one page (0x70000-0x70FFF) is supervisor-only. */
    static final int TSS_ESP0 = 0x71000, KSTACK_PAGE = 0x70000;
    static final int USER_ESP = 0x60000;
    static final int USER_CS = 0x1B, USER_SS = 0x23, CALL_GATE = 0x30;

    @BeforeAll
    static void needAssembler() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
    }

    /**
     * Ring 3, paging on: GDT (code/data at DPL 0 and 3, a TSS, a call gate to ring 0 with two
     * parameters), an IDT whose 256 gates lead to stubs that write their vector to MARK and halt
     * (vector 0x80 with DPL 3 for INT n), and page tables mapping 0-4 MiB user/writable except
     * the ring-0 stack page.
     */
    static GuestRunner ring3() {
        GuestRunner r = GuestRunner.flat32();
        Cpu c = r.cpu;
        int gate = STUBS + 16 * 0x40; // the call gate's target: the stub that writes 0x40
        int[] gdt = {
            0, 0,
            0x0000FFFF, 0x00CF9A00, // 0x08 code, DPL 0
            0x0000FFFF, 0x00CF9200, // 0x10 data, DPL 0
            0x0000FFFF, 0x00CFFA00, // 0x18 code, DPL 3
            0x0000FFFF, 0x00CFF200, // 0x20 data, DPL 3
            (TSS << 16) | 0x67, 0x00008900, // 0x28 32-bit TSS
            (0x08 << 16) | (gate & 0xFFFF), (gate & 0xFFFF0000) | 0xEC02, // 0x30 32-bit call gate, DPL 3, 2 parameters
        };
        for (int i = 0; i < gdt.length; i++) {
            r.memory.write32(GDT + 4 * i, gdt[i]);
        }
        StringBuilder stubs = new StringBuilder();
        for (int v = 0; v < 256; v++) {
            // Records the vector and halts.
            stubs.append(".balign 16\nmov byte ptr [").append(MARK).append("], ").append(v).append("\ncli\nhlt\n");
        }
        r.load(STUBS, Asm.assemble(stubs.toString(), false, STUBS));
        for (int v = 0; v < 256; v++) {
            int stub = STUBS + 16 * v;
            int dpl = v == 0x80 ? 3 : 0;
            r.memory.write32(IDT + 8 * v, (0x08 << 16) | (stub & 0xFFFF));
            r.memory.write32(IDT + 8 * v + 4, (stub & 0xFFFF0000) | 0x8E00 | dpl << 13);
        }
        r.memory.write32(TSS + 4, TSS_ESP0);
        r.memory.write32(TSS + 8, 0x10);
        r.memory.write16(TSS + 0x66, 0x68);
        r.memory.write8(MARK, 0xFF);
        // Page tables: 4 KiB pages, P | R/W | U/S everywhere but the ring-0 stack.
        r.memory.write32(PD, PT | 0x7);
        for (int p = 0; p < 1024; p++) {
            int pte = (p << 12) | 0x7;
            if (p << 12 == KSTACK_PAGE) {
                pte &= ~0x4;
            }
            r.memory.write32(PT + 4 * p, pte);
        }
        c.gdtrBase = GDT;
        c.gdtrLimit = gdt.length * 4 - 1;
        c.idtrBase = IDT;
        c.idtrLimit = 256 * 8 - 1;
        c.tr.set(0x28, TSS, 0x67, SegmentCache.AR_P | 0xB);
        c.cr3 = PD;
        c.cr0 |= Cr0.PG | Cr0.WP;
        int dpl3 = 3 << SegmentCache.AR_DPL_SHIFT;
        for (int s = 0; s < 6; s++) {
            c.seg[s].set(s == Seg.CS ? USER_CS : USER_SS, 0, 0xFFFFFFFF, c.seg[s].access | dpl3);
        }
        c.setCpl(3);
        c.regs[Cpu.ESP] = USER_ESP;
        c.mmu.flushAll(TlbFlush.STATE_LOADED);
        return r;
    }

    private static void expectHandler(GuestRunner r, StopReason s, int vector) {
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertEquals(vector, r.memory.read8(MARK), "handler of vector reached");
        assertEquals(0, r.cpu.cpl, "handler runs at CPL 0");
        assertEquals(0x10, r.cpu.seg[Seg.SS].selector, "SS from the TSS");
    }

    /** Reads the frame on the ring-0 stack, lowest address first. */
    private static int[] frame(GuestRunner r, int words) {
        int[] f = new int[words];
        for (int i = 0; i < words; i++) {
            f[i] = r.memory.read32(TSS_ESP0 - 4 * words + 4 * i);
        }
        return f;
    }

    @Test
    void intNFromRing3PushesOntoASupervisorStack() {
        GuestRunner r = ring3();
        // int 0x80 is CD 80 (2 bytes) at CODE_BASE: the return address is CODE_BASE + 2.
        StopReason s = r.run(Asm.assemble32("int 0x80\nud2"));
        expectHandler(r, s, 0x80);
        assertEquals(TSS_ESP0 - 20, r.cpu.regs[Cpu.ESP], "EIP, CS, EFLAGS, ESP, SS");
        int[] f = frame(r, 5);
        assertEquals(GuestRunner.CODE_BASE + 2, f[0], "EIP after INT n");
        assertEquals(USER_CS, f[1] & 0xFFFF);
        assertEquals(Eflags.FIXED1, f[2] & ~Eflags.ARITH, "EFLAGS (IF clear, nothing else set)");
        assertEquals(USER_ESP, f[3]);
        assertEquals(USER_SS, f[4] & 0xFFFF);
    }

    @Test
    void exceptionInRing3PushesOntoASupervisorStack() {
        GuestRunner r = ring3();
        StopReason s = r.run(Asm.assemble32("ud2"));
        expectHandler(r, s, 6);
        int[] f = frame(r, 5);
        assertEquals(GuestRunner.CODE_BASE, f[0], "#UD is a fault: EIP of UD2");
        assertEquals(USER_CS, f[1] & 0xFFFF);
        assertEquals(USER_ESP, f[3]);
        assertEquals(USER_SS, f[4] & 0xFFFF);
    }

    @Test
    void userAccessToTheStackPageStillFaultsAsUserAccess() {
        // The ring-0 stack is closed to ring 3: its own read faults with P|U (error code 5), and
        // the #PF frame with that error code is then pushed onto the very same page.
        GuestRunner r = ring3();
        StopReason s = r.run(Asm.assemble32("mov eax, [" + (KSTACK_PAGE + 0x100) + "]\nud2"));
        expectHandler(r, s, 14);
        assertEquals(KSTACK_PAGE + 0x100, r.cpu.cr2);
        assertEquals(TSS_ESP0 - 24, r.cpu.regs[Cpu.ESP], "error code, EIP, CS, EFLAGS, ESP, SS");
        int[] f = frame(r, 6);
        assertEquals(5, f[0], "#PF error code: present, read, user");
        assertEquals(GuestRunner.CODE_BASE, f[1]);
        assertEquals(USER_CS, f[2] & 0xFFFF);
        assertEquals(USER_ESP, f[4]);
        assertEquals(USER_SS, f[5] & 0xFFFF);
    }

    @Test
    void hardwareInterruptInRing3PushesOntoASupervisorStack() {
        GuestRunner r = ring3();
        r.cpu.setEflags(Eflags.FIXED1 | Eflags.IF);
        // One external interrupt, vector 0x20, raised once the CPU runs in ring 3.
        boolean[] taken = {false};
        Platform irq = new Platform() {
            @Override public StopReason service(Cpu c) {
                return c.instructions > 1_000_000 ? new StopReason(StopReason.Kind.INSTRUCTION_LIMIT, 4, "limit") : null;
            }
            @Override public boolean interruptPending() {
                return !taken[0] && r.cpu.cpl == 3;
            }
            @Override public int acknowledgeInterrupt() {
                taken[0] = true;
                return 0x20;
            }
            @Override public StopReason waitForInterrupt(Cpu c) {
                return new StopReason(StopReason.Kind.HALTED, 0, "halted");
            }
            @Override public long nextDeadline() {
                return r.cpu.instructions + 16;
            }
        };
        r.load(GuestRunner.CODE_BASE, Asm.assemble32("1: jmp 1b"));
        r.cpu.eip = GuestRunner.CODE_BASE;
        StopReason s = new ExecutionLoop(r.cpu, r.cache, irq).run();
        expectHandler(r, s, 0x20);
        int[] f = frame(r, 5);
        assertEquals(GuestRunner.CODE_BASE, f[0], "interrupted at the loop's JMP");
        assertEquals(USER_CS, f[1] & 0xFFFF);
        assertEquals(Eflags.IF, f[2] & Eflags.IF, "saved EFLAGS has IF set");
        assertEquals(USER_ESP, f[3]);
        assertEquals(USER_SS, f[4] & 0xFFFF);
    }

    @Test
    void callGateToRing0CopiesParametersOntoASupervisorStack() {
        GuestRunner r = ring3();
        // Two parameters pushed by ring 3; lcall through the gate (selector 0x33, RPL 3) is
        // 7 bytes (9A ptr16:32), after the two 5-byte pushes.
        StopReason s = r.run(Asm.assemble32("push 0x11111111\npush 0x22222222\nlcall " + (CALL_GATE | 3) + ", 0\nud2"));
        expectHandler(r, s, 0x40);
        assertEquals(TSS_ESP0 - 24, r.cpu.regs[Cpu.ESP], "EIP, CS, 2 parameters, ESP, SS");
        int[] f = frame(r, 6);
        assertEquals(GuestRunner.CODE_BASE + 17, f[0], "return EIP after LCALL");
        assertEquals(USER_CS, f[1] & 0xFFFF);
        assertEquals(0x22222222, f[2], "parameters in the caller's order: the last pushed lowest");
        assertEquals(0x11111111, f[3]);
        assertEquals(USER_ESP - 8, f[4], "caller's ESP below its two pushes");
        assertEquals(USER_SS, f[5] & 0xFFFF);
    }
}
