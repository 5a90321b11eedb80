package dev.jvmx.translator.cputest;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.SegmentCache;
import dev.jvmx.translator.exec.BarePlatform;
import dev.jvmx.translator.exec.ExecutionLoop;
import dev.jvmx.translator.exec.StopReason;
import dev.jvmx.translator.exec.CodeCache;
import dev.jvmx.translator.cpu.VmExitHandler;
import dev.jvmx.translator.mem.PhysicalMemory;
import dev.jvmx.vmx.ExitReason;
import dev.jvmx.vmx.IoQualification;

/**
 * A bare CPU with 16 MiB of RAM for the CPU-test harnesses: code runs through the real
 * translator and dispatcher until HLT. Every I/O port reads all ones and ignores writes
 * (what the 286 test rig's bus returned); HLT stops the run whatever IF says. One machine
 * is reused across test cases: {@link #resetReal} / {@link #resetFlat32} set the state
 * and {@link #codeLoaded} drops stale translations of a page the harness rewrote.
 */
public final class FlatMachine implements VmExitHandler {
    public static final int RAM = 16 << 20;

    public final PhysicalMemory memory = new PhysicalMemory(RAM, 0);
    public final Cpu cpu = new Cpu(memory);
    public final CodeCache cache = new CodeCache(cpu);
    private final BarePlatform platform = new BarePlatform(0);
    public final ExecutionLoop loop = new ExecutionLoop(cpu, cache, platform);
    /** Guest instructions a run may retire before it is stopped (REP with CX = FFFF fits). */
    public long instructionLimit = 1_000_000L;
    /** Exits other than HLT and I/O seen since the last reset (for diagnostics). */
    public int otherExits;
    public ExitReason lastOtherExit;

    public FlatMachine() {
        cpu.exitHandler = this;
        loop.setSynchronousTranslation(true);
    }

    /** Real mode (CR0.PE = 0, A20 on), all segments as real-mode loads of the given selectors. */
    public void resetReal(int cs, int ss, int ds, int es, int ip) {
        cpu.reset();
        cpu.mmu.setA20(true);
        int data = SegmentCache.AR_P | SegmentCache.AR_S | 0x3;
        int code = SegmentCache.AR_P | SegmentCache.AR_S | 0xB;
        int[] sel = {es, cs, ss, ds, 0, 0};
        for (int s = 0; s < 6; s++) {
            cpu.seg[s].set(sel[s], (sel[s] & 0xFFFF) << 4, 0xFFFF, s == Seg.CS ? code : data);
        }
        cpu.eip = ip & 0xFFFF;
        cpu.regs[Cpu.EAX] = cpu.regs[Cpu.ECX] = cpu.regs[Cpu.EDX] = cpu.regs[Cpu.EBX] = cpu.regs[Cpu.ESP] = cpu.regs[Cpu.EBP] = cpu.regs[Cpu.ESI] = cpu.regs[Cpu.EDI] = 0;
        prepareRun();
    }

    /**
     * Flat 32-bit protected mode, paging off, CPL 0 (so that the HLT ending a run is allowed;
     * the harness never lets guest code change IF, IOPL or TF), code and data with base 0
     * and 4 GiB limits.
     */
    public void resetFlat32(int eip, int esp) {
        cpu.reset();
        cpu.mmu.setA20(true);
        cpu.cr0 |= Cr0.PE;
        int code = SegmentCache.AR_P | SegmentCache.AR_S | 0xB | SegmentCache.AR_DB | SegmentCache.AR_G;
        int data = SegmentCache.AR_P | SegmentCache.AR_S | 0x3 | SegmentCache.AR_DB | SegmentCache.AR_G;
        for (int s = 0; s < 6; s++) {
            cpu.seg[s].set(s == Seg.CS ? 0x08 : 0x10, 0, 0xFFFFFFFF, s == Seg.CS ? code : data);
        }
        cpu.regs[Cpu.EAX] = cpu.regs[Cpu.ECX] = cpu.regs[Cpu.EDX] = cpu.regs[Cpu.EBX] = cpu.regs[Cpu.EBP] = cpu.regs[Cpu.ESI] = cpu.regs[Cpu.EDI] = 0;
        cpu.regs[Cpu.ESP] = esp;
        cpu.eip = eip;
        prepareRun();
    }

    private void prepareRun() {
        cpu.halted = false;
        cpu.interruptShadow = false;
        otherExits = 0;
        lastOtherExit = null;
        platform.limit = cpu.instructions + instructionLimit;
    }

    /** The harness wrote guest bytes at physical {@code phys} behind the MMU's back: drop old code there. */
    public void codeLoaded(int phys) {
        cache.invalidatePage(phys >>> PhysicalMemory.PAGE_SHIFT);
    }

    /** Runs until HLT, a fault the guest cannot handle, or the instruction limit. */
    public StopReason run() {
        platform.limit = cpu.instructions + instructionLimit;
        return loop.run();
    }

    // ---- VmExitHandler

    @Override
    public int ioIn(Cpu c) {
        return portRead(c, 0, IoQualification.size(c.exit.qualification()));
    }

    @Override
    public void ioOut(Cpu c, int value) {
    }

    @Override
    public int portRead(Cpu c, int port, int size) {
        return size == 1 ? 0xFF : size == 2 ? 0xFFFF : -1;
    }

    @Override
    public void portWrite(Cpu c, int port, int size, int value) {
    }

    @Override
    public void exit(Cpu c) {
        ExitReason reason = c.exit.reason();
        if (reason == ExitReason.HLT) {
            c.halted = true;
        } else {
            otherExits++;
            lastOtherExit = reason;
        }
        c.eip += c.exit.instructionLength();
    }
}
