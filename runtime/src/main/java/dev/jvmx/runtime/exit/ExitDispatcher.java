package dev.jvmx.runtime.exit;

import dev.jvmx.devices.IoPortBus;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.exec.Block;
import dev.jvmx.translator.exec.CodeCache;
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
 * <p>Each exit is read from the CPU's VMCS ({@code cpu.exit}: reason, qualification, length, and
 * the instruction information and guest-linear address its handler reads there), as KVM's
 * handlers read theirs with vmcs_read. The CPU's execution controls ({@code cpu.controls}) decide
 * at translation time which instructions exit. Port accesses the controls pass come in through
 * {@link #portRead}/{@link #portWrite} and go to the bus without being counted.
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
    private final CodeCache cache;
    private final boolean timed;

    public ExitDispatcher(IoPortBus bus, CodeCache cache, boolean timed) {
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
            b.countExit(r.number());
        }
    }

    @Override
    public int ioIn(Cpu cpu) {
        long q = cpu.exit.qualification();
        long t0 = timed ? System.nanoTime() : 0;
        int v = bus.read(IoQualification.port(q), IoQualification.size(q));
        stats.record(ExitReason.IO_INSTRUCTION, timed ? System.nanoTime() - t0 : 0);
        stats.recordIo(IoQualification.port(q), true);
        countBlock(ExitReason.IO_INSTRUCTION);
        return v;
    }

    @Override
    public void ioOut(Cpu cpu, int value) {
        long q = cpu.exit.qualification();
        long t0 = timed ? System.nanoTime() : 0;
        bus.write(IoQualification.port(q), IoQualification.size(q), value);
        stats.record(ExitReason.IO_INSTRUCTION, timed ? System.nanoTime() - t0 : 0);
        stats.recordIo(IoQualification.port(q), false);
        countBlock(ExitReason.IO_INSTRUCTION);
    }

    @Override
    public void exit(Cpu cpu) {
        ExitReason reason = cpu.exit.reason();
        long q = cpu.exit.qualification();
        int length = cpu.exit.instructionLength();
        long t0 = timed ? System.nanoTime() : 0;
        if (reason == ExitReason.CONTROL_REGISTER_ACCESS) {
            stats.recordCr(CrAccessQualification.cr(q), CrAccessQualification.accessType(q));
        } else if (reason == ExitReason.RDMSR || reason == ExitReason.WRMSR) {
            stats.recordMsr(cpu.regs[Cpu.ECX], reason == ExitReason.WRMSR);
        } else if (reason == ExitReason.EXCEPTION_OR_NMI) {
            stats.recordException(cpu.exit.interruptionInfo());
        } else if (reason == ExitReason.TASK_SWITCH) {
            stats.recordTaskSwitch(q);
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
