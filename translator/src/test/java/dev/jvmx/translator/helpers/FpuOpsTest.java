package dev.jvmx.translator.helpers;

import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.arch.Vector;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.cpu.GuestFault;
import dev.jvmx.translator.cpu.SegmentCache;
import dev.jvmx.translator.fpu.FpuState;
import dev.jvmx.translator.fpu.X87;
import dev.jvmx.translator.mem.PhysicalMemory;
import dev.jvmx.translator.mem.TlbFlush;
import org.junit.jupiter.api.Test;

import static dev.jvmx.translator.fpu.Float80.J;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Cpu-level entry points: #NM, #MF and FERR#, memory operands, the last-instruction pointers. */
class FpuOpsTest {
    static Cpu cpu() {
        Cpu c = new Cpu(new PhysicalMemory(4 << 20, 0));
        c.fpu.init();
        return c;
    }

    static int vector(Runnable r) {
        GuestFault f = assertThrows(GuestFault.class, r::run);
        return f.vector;
    }

    @Test
    void powerOnState() {
        FpuState s = new Cpu(new PhysicalMemory(1 << 20, 0)).fpu;
        assertEquals(0x0040, s.cw);
        assertEquals(0, s.statusWord());
        assertEquals(0x5555, s.tagWord());
    }

    @Test
    void deviceNotAvailable() {
        Cpu c = cpu();
        FpuOps.deviceNotAvailable(c);
        c.cr0 |= Cr0.TS;
        assertEquals(Vector.NM, vector(() -> FpuOps.deviceNotAvailable(c)));
        FpuOps.waitDeviceNotAvailable(c); // TS without MP: WAIT runs
        c.cr0 |= Cr0.MP;
        assertEquals(Vector.NM, vector(() -> FpuOps.waitDeviceNotAvailable(c)));
        c.cr0 &= ~(Cr0.TS | Cr0.MP);
        c.cr0 |= Cr0.EM;
        assertEquals(Vector.NM, vector(() -> FpuOps.deviceNotAvailable(c)));
        FpuOps.waitDeviceNotAvailable(c); // EM does not concern WAIT
        assertEquals(Vector.UD, vector(() -> FpuOps.fxsaveChecks(c, Seg.DS, 0x100)));
        c.cr0 &= ~Cr0.EM;
        c.cr0 |= Cr0.TS;
        assertEquals(Vector.NM, vector(() -> FpuOps.fxsaveChecks(c, Seg.DS, 0x100)));
        c.cr0 &= ~Cr0.TS;
        assertEquals(Vector.GP, vector(() -> FpuOps.fxsaveChecks(c, Seg.DS, 0x108)));
        FpuOps.fxsaveChecks(c, Seg.DS, 0x110);
    }

    @Test
    void pendingExceptionAtTheNextWaitingInstruction() {
        Cpu c = cpu();
        c.fpu.loadControlWord(0x037E); // IE unmasked
        FpuOps.fldConst(c, X87.ONE, 0x10, 0x1E8);
        assertTrue(FpuOps.waiting(c));
        FpuOps.fsqrt(c, 0x12, 0x1FA);   // sqrt(1): fine
        FpuOps.fchs(c, 0x14, 0x1E0);
        FpuOps.fsqrt(c, 0x16, 0x1FA);   // sqrt(-1): unmasked IE, pending
        assertTrue(c.fpu.pending());
        assertTrue(FpuOps.ferr(c));
        assertEquals(J, c.fpu.m(0), "an unmasked invalid operation leaves ST(0) alone");
        assertEquals(0x16, c.fpu.fip, "the pointers name the instruction that raised it");
        c.cr0 |= Cr0.NE;
        assertEquals(Vector.MF, vector(() -> FpuOps.waiting(c)));
        c.cr0 &= ~Cr0.NE;
        assertFalse(FpuOps.waiting(c), "CR0.NE = 0: FERR#, the instruction waits for an interrupt");
        c.fpu.ignne = true;             // the board acknowledged (port F0h)
        assertTrue(FpuOps.waiting(c));
        FpuOps.fnstswAx(c);             // no-wait instructions never check
        assertEquals(c.fpu.statusWord(), c.regs[Cpu.EAX] & 0xFFFF);
        FpuOps.fnclex(c);
        assertFalse(c.fpu.pending());
        assertFalse(c.fpu.ignne);
    }

    @Test
    void memoryOperandsAndPointers() {
        Cpu c = cpu();
        c.seg[Seg.DS].loadReal(0x0100);  // DS base 0x1000
        c.memory.write32(0x1200, (int) Double.doubleToRawLongBits(2.5));
        c.memory.write32(0x1204, (int) (Double.doubleToRawLongBits(2.5) >>> 32));
        FpuOps.fldM64(c, Seg.DS, 0x200, 0x1234, 0x500);
        assertEquals(0xA000000000000000L, c.fpu.m(0));
        assertEquals(0x4000, c.fpu.se(0));
        assertEquals(0x1234, c.fpu.fip);
        assertEquals(0xF000, c.fpu.fcs);
        assertEquals(0x500, c.fpu.fop);
        assertEquals(0x200, c.fpu.fdp);
        assertEquals(0x0100, c.fpu.fds);
        FpuOps.fnstcw(c, Seg.DS, 0x300);  // control instruction: pointers stay
        assertEquals(0x037F, c.memory.read16(0x1300));
        assertEquals(0x1234, c.fpu.fip);
        FpuOps.fist(c, 2, true, false, Seg.DS, 0x302, 0x1240, 0x71E);
        assertEquals(2, c.memory.read16(0x1302), "2.5 to nearest even");
        assertEquals(0x302, c.fpu.fdp);
        assertTrue(c.fpu.isEmpty(0));
        FpuOps.fldConst(c, X87.PI, 0x1250, 0x1EB); // no memory operand: FDP stays
        assertEquals(0x302, c.fpu.fdp);
        FpuOps.fldConst(c, X87.ONE, 0x1252, 0x1E8);
        FpuOps.fcomi(c, 1, false, false, 0x1254, 0x3F1); // 1 < pi: CF
        assertEquals(1, c.getEflags() & 0x8D5);
    }

    @Test
    void fnsaveInRealModeWritesLinearPointers() {
        Cpu c = cpu();
        FpuOps.fldConst(c, X87.ONE, 0x1234, 0x1E8);
        c.fpu.lastData(0x0010, 0x0200);
        FpuOps.fnsave(c, true, Seg.DS, 0x400);
        assertEquals(0xFFFF0000 | (0xF1234 & 0xFFFF), c.memory.read32(0x40C));
        assertEquals(0xF << 12 | 0x1E8, c.memory.read32(0x410));
        assertEquals(0xFFFF0000 | 0x2010, c.memory.read32(0x414));
        assertEquals(0, c.memory.read32(0x418));
        assertEquals((int) J, c.memory.read32(0x41C));
        assertEquals(0x3FFF, c.memory.read16(0x41C + 8));
        assertTrue(c.fpu.isEmpty(7), "FNSAVE reinitialized");
        FpuOps.frstor(c, true, Seg.DS, 0x400);
        assertEquals(0x3FFF, c.fpu.se(0));
        assertEquals(0xF1234, c.fpu.fip, "a real-mode image holds the linear address");
    }

    /** A store whose second page is not present faults before the FPU changes. */
    @Test
    void pageFaultLeavesTheFpuAlone() {
        Cpu c = cpu();
        PhysicalMemory m = c.memory;
        m.write32(0x1000, 0x2000 | 7);               // PDE 0 -> page table at 0x2000
        m.write32(0x2000 + 4 * 0x10, 0x10000 | 7);   // 0x10000 present, 0x11000 not
        c.cr3 = 0x1000;
        int data = SegmentCache.AR_P | SegmentCache.AR_S | 3 | SegmentCache.AR_DB | SegmentCache.AR_G;
        for (int k = 0; k < 6; k++) c.seg[k].set(k == Seg.CS ? 8 : 0x10, 0, -1, data);
        c.cr0 |= Cr0.PE | Cr0.PG;
        c.mmu.flushAll(TlbFlush.STATE_LOADED);
        FpuOps.fldConst(c, X87.ONE, 0x10, 0x1E8);
        int sw = c.fpu.statusWord(), fip = c.fpu.fip;
        assertEquals(Vector.PF, vector(() -> FpuOps.fstM64(c, true, Seg.DS, 0x10FFC, 0x20, 0x51A)));
        assertEquals(sw, c.fpu.statusWord());
        assertEquals(fip, c.fpu.fip);
        assertFalse(c.fpu.isEmpty(0), "not popped");
        FpuOps.fstM64(c, true, Seg.DS, 0x10FF0, 0x20, 0x51A);
        assertTrue(c.fpu.isEmpty(0));
        assertEquals(0x3FF00000, m.read32(0x10FF4));
    }
}
