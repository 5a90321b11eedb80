package dev.jvmx.translator.testing;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.SegmentCache;
import dev.jvmx.translator.exec.BarePlatform;
import dev.jvmx.translator.exec.ExecutionLoop;
import dev.jvmx.translator.exit.ArchitecturalExits;
import dev.jvmx.translator.exec.StopReason;
import dev.jvmx.translator.exec.CodeCache;
import dev.jvmx.translator.cpu.VmExitHandler;
import dev.jvmx.translator.mem.PhysicalMemory;
import dev.jvmx.vmx.ExitReason;
import dev.jvmx.vmx.IoQualification;

import java.util.ArrayList;
import java.util.List;

/**
 * A bare CPU with RAM for translator tests: guest code runs through the real translator
 * and dispatcher until it halts with interrupts off. Port 0xE9 collects output, every other
 * port reads all ones. Exits other than I/O and HLT are recorded and skipped.
 */
public final class GuestRunner implements VmExitHandler {
    public static final int CODE_BASE = 0x1000;
    public static final int STACK_TOP = 0x80000;
    public static final int RAM = 16 << 20;

    public final PhysicalMemory memory = new PhysicalMemory(RAM, 0);
    public final Cpu cpu = new Cpu(memory);
    public final CodeCache cache = new CodeCache(cpu);
    /** Stops the run at {@code platform.limit} instructions (50 million by default). */
    public final BarePlatform platform = new BarePlatform(50_000_000L);
    public final ExecutionLoop loop = new ExecutionLoop(cpu, cache, platform);
    public final StringBuilder debugOut = new StringBuilder();
    public final List<ExitReason> exits = new ArrayList<>();

    private GuestRunner() {
        cpu.exitHandler = this;
        // Tests count translations and regions: translate on this thread, at once.
        loop.setSynchronousTranslation(true);
    }

    /** Flat 32-bit protected mode, paging off, CPL 0, ESP = STACK_TOP, EIP = CODE_BASE. */
    public static GuestRunner flat32() {
        GuestRunner r = new GuestRunner();
        Cpu c = r.cpu;
        c.cr0 |= Cr0.PE;
        int code = SegmentCache.AR_P | SegmentCache.AR_S | 0xB | SegmentCache.AR_DB | SegmentCache.AR_G;
        int data = SegmentCache.AR_P | SegmentCache.AR_S | 0x3 | SegmentCache.AR_DB | SegmentCache.AR_G;
        for (int s = 0; s < 6; s++) {
            c.seg[s].set(s == Seg.CS ? 0x08 : 0x10, 0, 0xFFFFFFFF, s == Seg.CS ? code : data);
        }
        c.regs[Cpu.ESP] = STACK_TOP;
        c.eip = CODE_BASE;
        c.regs[Cpu.EDX] = 0;
        return r;
    }

    /** Real mode with all segments 0, SP = 0xFFFE... below STACK_TOP's 64 KiB, IP = CODE_BASE. */
    public static GuestRunner real16() {
        GuestRunner r = new GuestRunner();
        Cpu c = r.cpu;
        for (int s = 0; s < 6; s++) {
            c.seg[s].loadReal(0);
        }
        c.regs[Cpu.ESP] = 0xFFF0;
        c.eip = CODE_BASE;
        c.regs[Cpu.EDX] = 0;
        return r;
    }

    /** Assembles 32-bit code, runs it in flat32 mode up to an appended {@code cli; hlt}, and checks it got there. */
    public static GuestRunner haltedFlat32(String code) {
        GuestRunner r = flat32();
        r.expectHalt(r.run(Asm.assemble32(code + "\ncli\nhlt")));
        return r;
    }

    /** As {@link #haltedFlat32} for 16-bit code in real mode. */
    public static GuestRunner haltedReal16(String code) {
        GuestRunner r = real16();
        r.expectHalt(r.run(Asm.assemble16(code + "\ncli\nhlt")));
        return r;
    }

    private void expectHalt(StopReason s) {
        if (s.kind != StopReason.Kind.HALTED) {
            throw new AssertionError("guest did not halt: " + s);
        }
    }

    /** The six status flags the guest ended with. */
    public static int arithFlags(GuestRunner r) {
        return r.cpu.getEflags() & Eflags.ARITH;
    }

    public void load(int phys, byte[] bytes) {
        memory.load(phys, bytes, 0, bytes.length);
    }

    /** Loads code at CODE_BASE and runs it until HLT (with IF clear) or a stop. */
    public StopReason run(byte[] code) {
        load(CODE_BASE, code);
        cpu.eip = CODE_BASE;
        return loop.run();
    }

    public StopReason run() {
        return loop.run();
    }

    // ---- VmExitHandler

    @Override
    public int ioIn(Cpu c) {
        exits.add(ExitReason.IO_INSTRUCTION);
        return portRead(c, IoQualification.port(c.exit.qualification()), IoQualification.size(c.exit.qualification()));
    }

    @Override
    public void ioOut(Cpu c, int value) {
        exits.add(ExitReason.IO_INSTRUCTION);
        portWrite(c, IoQualification.port(c.exit.qualification()), IoQualification.size(c.exit.qualification()), value);
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
        exits.add(c.exit.reason());
        // The architectural effect, as a hypervisor's handlers perform it (HLT sets cpu.halted).
        ArchitecturalExits.emulate(c, c.exit.reason(), c.exit.qualification(), c.exit.instructionLength());
    }
}
