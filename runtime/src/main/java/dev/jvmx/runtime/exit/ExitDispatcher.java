package dev.jvmx.runtime.exit;

import dev.jvmx.devices.IoPortBus;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.exec.Block;
import dev.jvmx.translator.exec.TranslationCache;
import dev.jvmx.translator.exec.TranslationContext;
import dev.jvmx.translator.exit.ArchitecturalExits;
import dev.jvmx.translator.cpu.VmExitHandler;
import dev.jvmx.vmx.CrAccessQualification;
import dev.jvmx.vmx.ExitReason;
import dev.jvmx.vmx.ExitStatistics;
import dev.jvmx.vmx.IoQualification;

/**
 * Routes VM exits to one handler per exit reason, as KVM's exit-handler table does, and
 * keeps the statistics (per reason, per I/O port, per CR, per block). Handlers are small:
 * I/O goes to the device bus; the rest perform the instruction's architectural effect.
 *
 * <p>The CPU's execution controls ({@code cpu.exitContext.controls}) decide at translation
 * time which instructions exit. {@link #attach} binds them for the translator and makes a
 * change flush the translation cache; it happens by itself at the first exit, and should be
 * called before the guest runs when the controls were changed from their exit-everything
 * default. Port accesses the controls pass come in through {@link #portRead}/{@link #portWrite}
 * and go to the bus without being counted.
 */
public final class ExitDispatcher implements VmExitHandler {
    /** A handler for one exit reason. */
    @FunctionalInterface
    public interface Handler {
        void handle(Cpu cpu, ExitReason reason, long qualification, int length);
    }

    private final Handler[] handlers = new Handler[65];
    private final IoPortBus bus;
    private final ExitStatistics stats = new ExitStatistics();
    private final TranslationCache cache;
    private final boolean timed;
    private Cpu attached;

    public ExitDispatcher(IoPortBus bus, TranslationCache cache, boolean timed) {
        this.bus = bus;
        this.cache = cache;
        this.timed = timed;
        Handler architectural = (cpu, r, q, len) -> ArchitecturalExits.emulate(cpu, r, q, len);
        for (ExitReason r : ExitReason.values()) {
            handlers[r.number()] = architectural;
        }
    }

    /** Replaces the handler for one exit reason. */
    public void register(ExitReason reason, Handler h) {
        handlers[reason.number()] = h;
    }

    /** Binds the CPU's execution controls for translation on this thread and wires the cache flush. */
    public void attach(Cpu cpu) {
        TranslationContext.attach(cpu, cache);
        attached = cpu;
    }

    private void attachOnce(Cpu cpu) {
        if (cpu != attached) {
            attach(cpu);
        }
    }

    public ExitStatistics statistics() {
        return stats;
    }

    private void countBlock(ExitReason r) {
        Block b = cache.running();
        if (b != null) {
            b.exits[r.number()]++;
        }
    }

    @Override
    public int ioIn(Cpu cpu, long q) {
        attachOnce(cpu);
        long t0 = timed ? System.nanoTime() : 0;
        int v = bus.read(IoQualification.port(q), IoQualification.size(q));
        stats.record(ExitReason.IO_INSTRUCTION, timed ? System.nanoTime() - t0 : 0);
        stats.recordIo(IoQualification.port(q), true);
        countBlock(ExitReason.IO_INSTRUCTION);
        return v;
    }

    @Override
    public void ioOut(Cpu cpu, long q, int value) {
        attachOnce(cpu);
        long t0 = timed ? System.nanoTime() : 0;
        bus.write(IoQualification.port(q), IoQualification.size(q), value);
        stats.record(ExitReason.IO_INSTRUCTION, timed ? System.nanoTime() - t0 : 0);
        stats.recordIo(IoQualification.port(q), false);
        countBlock(ExitReason.IO_INSTRUCTION);
    }

    @Override
    public void exit(Cpu cpu, ExitReason reason, long q, int length) {
        attachOnce(cpu);
        long t0 = timed ? System.nanoTime() : 0;
        if (reason == ExitReason.CONTROL_REGISTER_ACCESS) {
            stats.recordCr(CrAccessQualification.cr(q), CrAccessQualification.accessType(q));
        } else if (reason == ExitReason.RDMSR || reason == ExitReason.WRMSR) {
            stats.recordMsr(cpu.regs[Cpu.ECX], reason == ExitReason.WRMSR);
        }
        countBlock(reason);
        try {
            handlers[reason.number()].handle(cpu, reason, q, length);
        } finally {
            stats.record(reason, timed ? System.nanoTime() - t0 : 0);
        }
    }

    /** A port access the execution controls pass: straight to the bus, not an exit. */
    @Override
    public int portRead(Cpu cpu, int port, int size) {
        return bus.read(port, size);
    }

    @Override
    public void portWrite(Cpu cpu, int port, int size, int value) {
        bus.write(port, size, value);
    }

    @Override
    public void hole(Cpu cpu, String name) {
        stats.recordHole(name);
    }
}
