package dev.jvmx.runtime.exit;

import dev.jvmx.devices.IoPortBus;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.exec.Block;
import dev.jvmx.translator.exec.TranslationCache;
import dev.jvmx.translator.exit.ArchitecturalExits;
import dev.jvmx.translator.exit.VmExitHandler;
import dev.jvmx.vmx.CrAccessQualification;
import dev.jvmx.vmx.ExitReason;
import dev.jvmx.vmx.ExitStatistics;
import dev.jvmx.vmx.IoQualification;

/**
 * Routes VM exits to one handler per exit reason, as KVM's exit-handler table does, and
 * keeps the statistics (per reason, per I/O port, per CR, per block). Handlers are small:
 * I/O goes to the device bus; the rest perform the instruction's architectural effect.
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
        long t0 = timed ? System.nanoTime() : 0;
        int v = bus.read(IoQualification.port(q), IoQualification.size(q));
        stats.record(ExitReason.IO_INSTRUCTION, timed ? System.nanoTime() - t0 : 0);
        stats.recordIo(IoQualification.port(q), true);
        countBlock(ExitReason.IO_INSTRUCTION);
        return v;
    }

    @Override
    public void ioOut(Cpu cpu, long q, int value) {
        long t0 = timed ? System.nanoTime() : 0;
        bus.write(IoQualification.port(q), IoQualification.size(q), value);
        stats.record(ExitReason.IO_INSTRUCTION, timed ? System.nanoTime() - t0 : 0);
        stats.recordIo(IoQualification.port(q), false);
        countBlock(ExitReason.IO_INSTRUCTION);
    }

    @Override
    public void exit(Cpu cpu, ExitReason reason, long q, int length) {
        long t0 = timed ? System.nanoTime() : 0;
        if (reason == ExitReason.CONTROL_REGISTER_ACCESS) {
            stats.recordCr(CrAccessQualification.cr(q), CrAccessQualification.accessType(q));
        }
        countBlock(reason);
        try {
            handlers[reason.number()].handle(cpu, reason, q, length);
        } finally {
            stats.record(reason, timed ? System.nanoTime() - t0 : 0);
        }
    }

    @Override
    public void hole(Cpu cpu, String name) {
        stats.recordHole(name);
    }
}
