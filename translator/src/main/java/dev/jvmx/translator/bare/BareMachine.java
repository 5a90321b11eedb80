package dev.jvmx.translator.bare;

import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.cpu.SegmentCache;
import dev.jvmx.translator.cpu.VmExitHandler;
import dev.jvmx.translator.exec.CodeCache;
import dev.jvmx.translator.exec.ExecutionLoop;
import dev.jvmx.translator.exec.Platform;
import dev.jvmx.translator.exec.StopReason;
import dev.jvmx.translator.exit.ArchitecturalExits;
import dev.jvmx.translator.helpers.Segmentation;
import dev.jvmx.translator.mem.PhysicalMemory;
import dev.jvmx.vmx.ExitReason;
import dev.jvmx.vmx.IoQualification;

import java.util.ArrayList;
import java.util.List;

/**
 * A CPU with RAM and no devices: guest code runs through the real translator and execution
 * loop. The one bare machine of the project, for the translator's tests, the CPU-test
 * harnesses (module cputest) and the exit-cost benchmark.
 *
 * <p>Port 0xE9 collects output; every port reads all ones (what an empty ISA bus, and the
 * 80286 test rig behind the single-step data, return). Other exits get their architectural
 * effect ({@link ArchitecturalExits}), as a hypervisor's handlers give them; HLT sets
 * {@code cpu.halted}. A run ends at HLT (with IF set there is no interrupt source to wake
 * the CPU, so that ends it too), at {@link #limit}, or at a fault the guest cannot handle.
 * One machine can be reused for many cases: {@link #resetReal} and {@link #resetFlat32}
 * set a mode, {@link #codeLoaded} drops translations of a page written behind the MMU's back.
 */
public class BareMachine implements VmExitHandler, Platform {
    public static final int CODE_BASE = 0x1000;
    public static final int STACK_TOP = 0x80000;
    public static final int RAM = 16 << 20;

    public final PhysicalMemory memory;
    public final Cpu cpu;
    public final CodeCache cache;
    public final ExecutionLoop loop;
    /** What the guest wrote to port 0xE9. */
    public final StringBuilder debugOut = new StringBuilder();
    /** Every exit since the last reset, in order (I/O included). */
    public final List<ExitReason> exits = new ArrayList<>();
    /** The instruction count at which a run stops (absolute, compared with {@code cpu.instructions}). */
    public long limit = 50_000_000L;

    public BareMachine() {
        this(RAM);
    }

    public BareMachine(int ramBytes) {
        this(ramBytes, ramBytes);
    }

    /** A machine whose array holds {@code inArray} bytes of its RAM at first, the rest RAM on demand. */
    public BareMachine(int ramBytes, int inArray) {
        memory = new PhysicalMemory(ramBytes, 0, null, inArray);
        cpu = new Cpu(memory);
        cache = new CodeCache(cpu);
        loop = new ExecutionLoop(cpu, cache, this);
        cpu.exitHandler = this;
        // Harnesses count translations and compare tiers: translate on this thread, at once.
        loop.setSynchronousTranslation(true);
    }

    /** The execution tiers an oracle can check: the first (handlers), the second (translated code). */
    public static final int[] TIERS = {1, 2};

    /**
     * Runs every block in one tier: 1, the first tier's handlers only (no block is translated);
     * 2, translated code only (every block translated before it first runs).
     */
    public void useTier(int tier) {
        if (tier != 1 && tier != 2) {
            throw new IllegalArgumentException("tier must be 1 or 2: " + tier);
        }
        loop.setTranslateThreshold(tier == 1 ? Integer.MAX_VALUE : 1);
    }

    /** A new machine in flat 32-bit protected mode: ESP = STACK_TOP, EIP = CODE_BASE. */
    public static BareMachine flat32() {
        BareMachine m = new BareMachine();
        m.resetFlat32(CODE_BASE, STACK_TOP);
        return m;
    }

    /** A new machine in real mode, all segments 0: SP = 0xFFF0, IP = CODE_BASE. */
    public static BareMachine real16() {
        BareMachine m = new BareMachine();
        m.resetReal(0, 0, 0, 0, CODE_BASE);
        m.cpu.regs[Cpu.ESP] = 0xFFF0;
        return m;
    }

    /** Real mode (CR0.PE = 0, A20 on), segments as real-mode loads of the given selectors, general registers 0. */
    public void resetReal(int cs, int ss, int ds, int es, int ip) {
        cpu.reset();
        cpu.mmu.setA20(true);
        int data = SegmentCache.AR_P | SegmentCache.AR_S | 0x3;
        int code = SegmentCache.AR_P | SegmentCache.AR_S | 0xB;
        int[] sel = {es, cs, ss, ds, 0, 0};
        for (int s = 0; s < 6; s++) {
            cpu.seg[s].set(sel[s], (sel[s] & 0xFFFF) << 4, 0xFFFF, s == Seg.CS ? code : data);
        }
        clearGeneralRegisters();
        cpu.eip = ip & 0xFFFF;
        prepareRun();
    }

    /**
     * Flat 32-bit protected mode, paging off, CPL 0 (so that a HLT ending a run is allowed),
     * code and data segments with base 0 and 4 GiB limits, general registers 0 but ESP.
     */
    public void resetFlat32(int eip, int esp) {
        cpu.reset();
        cpu.mmu.setA20(true);
        cpu.cr0 |= Cr0.PE;
        Segmentation.loadFlat32(cpu, 0x08, 0x10);
        restartFlat32(eip, esp);
    }

    /**
     * Starts another run of code already run in the {@link #resetFlat32} state: general registers 0
     * but ESP, EFLAGS as after RESET, the rest (segments, TLB, translations and their chain links)
     * as the last run left it. {@link #resetFlat32} resets the CPU, whose TLB flush would send
     * every block's first entry of the next run through a lookup.
     */
    public void restartFlat32(int eip, int esp) {
        clearGeneralRegisters();
        cpu.regs[Cpu.ESP] = esp;
        cpu.setEflags(Eflags.FIXED1);
        cpu.eip = eip;
        prepareRun();
    }

    private void clearGeneralRegisters() {
        for (int r = 0; r < 8; r++) {
            cpu.setReg32(r, 0);
        }
    }

    private void prepareRun() {
        cpu.halted = false;
        cpu.interruptShadow = false;
        exits.clear();
        debugOut.setLength(0);
    }

    public void load(int phys, byte[] bytes) {
        memory.load(phys, bytes, 0, bytes.length);
    }

    /** The harness wrote guest bytes at physical {@code phys} behind the MMU's back: drop old code there. */
    public void codeLoaded(int phys) {
        cache.invalidatePage(phys >>> PhysicalMemory.PAGE_SHIFT);
    }

    /** Loads code at CODE_BASE and runs it from there until HLT or a stop. */
    public StopReason run(byte[] code) {
        load(CODE_BASE, code);
        codeLoaded(CODE_BASE);
        cpu.eip = CODE_BASE;
        return loop.run();
    }

    /** Runs from the current state until HLT, a fault the guest cannot handle, or {@link #limit}. */
    public StopReason run() {
        return loop.run();
    }

    /** Runs at most {@code instructions} more guest instructions (moves {@link #limit}). */
    public StopReason runFor(long instructions) {
        limit = cpu.instructions + instructions;
        return loop.run();
    }

    // ---- Platform: no devices, no interrupt source

    @Override
    public StopReason service(Cpu c) {
        if (c.instructions >= limit) {
            return new StopReason(StopReason.Kind.INSTRUCTION_LIMIT, 4, "instruction limit");
        }
        return null;
    }

    @Override
    public boolean interruptPending() {
        return false;
    }

    @Override
    public int acknowledgeInterrupt() {
        return -1;
    }

    @Override
    public StopReason waitForInterrupt(Cpu c) {
        return new StopReason(StopReason.Kind.HALTED, 0, "halted with interrupts enabled and no interrupt source");
    }

    @Override
    public long nextDeadline() {
        return limit;
    }

    // ---- VmExitHandler

    @Override
    public int ioIn(Cpu c) {
        exits.add(ExitReason.IO_INSTRUCTION);
        long q = c.exit.qualification();
        return portRead(c, IoQualification.port(q), IoQualification.size(q));
    }

    @Override
    public void ioOut(Cpu c, int value) {
        exits.add(ExitReason.IO_INSTRUCTION);
        long q = c.exit.qualification();
        portWrite(c, IoQualification.port(q), IoQualification.size(q), value);
    }

    @Override
    public int portRead(Cpu c, int port, int size) {
        return size == 1 ? 0xFF : size == 2 ? 0xFFFF : -1;
    }

    @Override
    public void portWrite(Cpu c, int port, int size, int value) {
        if (port == 0xE9) {
            debugOut.append((char) (value & 0xFF));
        }
    }

    @Override
    public void exit(Cpu c) {
        ExitReason reason = c.exit.reason();
        exits.add(reason);
        ArchitecturalExits.emulate(c, reason, c.exit.qualification(), c.exit.instructionLength());
    }
}
