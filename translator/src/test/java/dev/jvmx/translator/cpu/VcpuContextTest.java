package dev.jvmx.translator.cpu;

import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.mem.PhysicalMemory;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several processors in turn on one {@link Cpu}: a {@link VcpuContext} keeps everything that is a
 * processor's own, and INIT and the start-up IPI set what the SDM's Table 9-1 and 9.4.3 say.
 */
class VcpuContextTest {
    /** A processor's own state: saved and loaded by VcpuContext. */
    private static final Set<String> PER_PROCESSOR = Set.of("regs", "eip", "eflags", "flagOp", "flagRes", "flagA",
            "flagB", "seg", "cr0", "cr2", "cr3", "cr4", "dr", "gdtrBase", "gdtrLimit", "idtrBase", "idtrLimit", "ldtr",
            "tr", "cpl", "sysenterCs", "sysenterEsp", "sysenterEip", "tscAux", "efer", "miscEnable", "pat", "tsc",
            "apicBase", "apic", "nmiBlocked", "iretUnblockedNmi", "fpu", "eventHeld", "interruptShadow", "repUnfinished",
            "pendingDebugTraps", "halted");
    /**
     * What the processors share, or what only lives during one block or one exit: memory and
     * the TLB (flushed on a switch), the VMX controls and exit fields, the clock, the request bits;
     * and what is derived from a processor's own state when it is loaded (the breakpoints, from DR0-DR7).
     */
    private static final Set<String> SHARED = Set.of("memory", "ram", "codePage", "mmu", "tlbRead", "tlbWrite",
            "vmcs", "exit", "controls", "ferr", "exitHandler", "interruptRequest", "faultIndex",
            "interruptListener", "instructions", "budget", "timeSource", "fault", "features", "breakpoints");

    @Test
    void everyFieldOfCpuIsEitherAProcessorsOwnOrShared() {
        Set<String> unknown = new TreeSet<>();
        for (Field f : Cpu.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            if (!PER_PROCESSOR.contains(f.getName()) && !SHARED.contains(f.getName())) {
                unknown.add(f.getName());
            }
        }
        assertEquals(Set.of(), unknown, "a new Cpu field: save it in VcpuContext or list it as shared here");
    }

    private static void makeDistinct(Cpu c, int k) {
        for (int r = 0; r < 8; r++) {
            c.regs[r] = k * 100 + r;
        }
        c.eip = 0x1000 + k;
        c.eflags = Eflags.FIXED1 | (k == 1 ? Eflags.IF : 0);
        c.flagOp = k;
        c.flagRes = k + 1;
        c.seg[Seg.DS].set(0x10 + k, 0x1000 * k, 0xFFFF, 0x93);
        c.cr0 = Cr0.PE | Cr0.ET;
        c.cr3 = 0x5000 * k;
        c.gdtrBase = 0x700 * k;
        c.tr.set(0x28, 0x900 * k, 0x67, 0x8B);
        c.dr[7] = 0x400 | k;
        c.efer = k;
        c.tsc = -1000L * k;
        c.halted = k == 2;
        c.fpu.cw = 0x37F - k;
        c.fpu.mant[3] = 42L * k;
        c.setCpl(k == 2 ? 3 : 0);
    }

    private static void assertState(Cpu c, int k) {
        for (int r = 0; r < 8; r++) {
            assertEquals(k * 100 + r, c.regs[r]);
        }
        assertEquals(0x1000 + k, c.eip);
        assertEquals(k == 1, (c.eflags & Eflags.IF) != 0);
        assertEquals(k, c.flagOp);
        assertEquals(k + 1, c.flagRes);
        assertEquals(0x1000 * k, c.seg[Seg.DS].base);
        assertEquals(0x10 + k, c.seg[Seg.DS].selector);
        assertEquals(0x5000 * k, c.cr3);
        assertEquals(0x700 * k, c.gdtrBase);
        assertEquals(0x900 * k, c.tr.base);
        assertEquals(0x400 | k, c.dr[7]);
        assertEquals(k, c.efer);
        assertEquals(-1000L * k, c.tsc);
        assertEquals(k == 2, c.halted);
        assertEquals(0x37F - k, c.fpu.cw);
        assertEquals(42L * k, c.fpu.mant[3]);
        assertEquals(k == 2 ? 3 : 0, c.cpl);
        assertSame(c.mmu.tlb(c.cpl == 3).read, c.tlbRead, "translated code probes the TLB of the loaded CPL");
    }

    @Test
    void twoProcessorsTakeTurnsWithoutSeeingEachOthersState() {
        Cpu cpu = new Cpu(new PhysicalMemory(1 << 20, 0));
        VcpuContext a = new VcpuContext(), b = new VcpuContext();
        makeDistinct(cpu, 1);
        a.save(cpu);
        makeDistinct(cpu, 2);
        b.save(cpu);
        a.load(cpu);
        assertState(cpu, 1);
        b.load(cpu);
        assertState(cpu, 2);
        assertTrue(b.halted());
        assertFalse(a.halted());
        assertEquals(Eflags.IF, a.eflags() & Eflags.IF);
    }

    @Test
    void loadingAnotherProcessorFlushesTheTlb() {
        Cpu cpu = new Cpu(new PhysicalMemory(1 << 20, 0));
        VcpuContext a = new VcpuContext();
        a.save(cpu);
        int epoch = cpu.mmu.localEpoch;
        a.load(cpu);
        assertTrue(cpu.mmu.localEpoch != epoch, "links into code through the other processor's page tables no longer hold");
    }

    @Test
    void initResetsTheRegistersButKeepsTheFpuAndMsrs() {
        Cpu cpu = new Cpu(new PhysicalMemory(1 << 20, 0));
        cpu.regs[Cpu.EAX] = 5;
        cpu.cr0 = Cr0.PE | Cr0.PG | Cr0.ET;
        cpu.efer = 1;
        cpu.pat = 0x0606060606060606L;
        cpu.sysenterEip = 0x1234;
        cpu.fpu.cw = 0x27F;
        cpu.eflags |= Eflags.IF;
        cpu.init();
        assertEquals(0, cpu.regs[Cpu.EAX]);
        assertEquals(0x633, cpu.regs[Cpu.EDX], "EDX holds the processor signature, as after RESET");
        assertEquals(Cr0.ET, cpu.cr0, "CR0: PE and PG clear; CD and NW kept (they were clear)");
        assertEquals(0, cpu.efer, "IA32_EFER clears");
        assertEquals(0x0606060606060606L, cpu.pat, "other MSRs stay");
        assertEquals(0x1234, cpu.sysenterEip);
        assertEquals(0x27F, cpu.fpu.cw, "the x87 state stays on INIT");
        assertEquals(0, cpu.eflags & Eflags.IF);
        assertEquals(0xFFFF0000, cpu.seg[Seg.CS].base);
        assertEquals(0xFFF0, cpu.eip);
    }

    @Test
    void aStartupIpiStartsRealModeAtVectorTimes4KiB() {
        Cpu cpu = new Cpu(new PhysicalMemory(1 << 20, 0));
        cpu.init();
        cpu.halted = true;
        cpu.startup(0x9A);
        assertEquals(0x9A00, cpu.seg[Seg.CS].selector);
        assertEquals(0x9A000, cpu.seg[Seg.CS].base);
        assertEquals(0, cpu.eip);
        assertEquals(0x9A000, cpu.linearEip());
        assertFalse(cpu.halted);
        assertFalse(cpu.protectedMode());
    }
}
