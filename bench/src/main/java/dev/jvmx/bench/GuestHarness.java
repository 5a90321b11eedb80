package dev.jvmx.bench;

import dev.jvmx.devices.chr.CharSink;
import dev.jvmx.devices.chr.NullSink;
import dev.jvmx.runtime.Machine;
import dev.jvmx.runtime.MachineConfig;
import dev.jvmx.runtime.boot.ImageException;
import dev.jvmx.translator.exec.ExecutionLoop;
import dev.jvmx.translator.exec.StopReason;

import java.nio.file.Files;
import java.nio.file.Path;

/** Builds a machine for a guest image once and runs it again and again with warm translations. */
final class GuestHarness implements AutoCloseable {
    final Machine machine;
    /**
     * Our own loop over the machine's CPU and cache: {@code Machine.run()}'s loop keeps the stop
     * request of an isa-debug-exit forever, so it cannot run the guest a second time. Here the
     * debug-exit request is ignored and the guest's own {@code cli; hlt} after it ends the run.
     */
    private final ExecutionLoop loop;

    GuestHarness(MachineConfig cfg) {
        this(cfg, NullSink.INSTANCE);
    }

    /** With the guest's debug-console output (port 0xE9) going to {@code debugOut}. */
    GuestHarness(MachineConfig cfg, CharSink debugOut) {
        machine = new Machine(cfg, NullSink.INSTANCE, () -> -1, debugOut, NullSink.INSTANCE);
        try {
            machine.load();
        } catch (ImageException e) {
            throw new IllegalStateException(e.getMessage());
        }
        loop = new ExecutionLoop(machine.cpu, machine.cache, machine);
    }

    /** Runs the guest from its entry state to its stop; returns the guest instructions retired. */
    long runOnce() {
        long before = machine.cpu.instructions;
        StopReason r = loop.run();
        if (r.kind != StopReason.Kind.HALTED && r.kind != StopReason.Kind.DEBUG_EXIT) {
            throw new IllegalStateException("guest did not finish: " + r);
        }
        return machine.cpu.instructions - before;
    }

    /**
     * Reloads a Multiboot kernel (its bytes are unchanged, so translations stay valid) and runs
     * it from its entry again; returns the guest instructions retired.
     */
    long rerunKernel() {
        machine.cpu.reset();
        try {
            machine.load();
        } catch (ImageException e) {
            throw new IllegalStateException(e.getMessage());
        }
        return runOnce();
    }

    /** Ends both loops' translation worker threads (each holds the machine's RAM while it lives). */
    @Override
    public void close() {
        loop.close();
        machine.close();
    }

    /** Locates a guest image in the source tree (jvmx.home, or walking up from the working directory). */
    static Path image(String name) {
        String home = System.getProperty("jvmx.home");
        Path dir = home != null ? Path.of(home) : Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            Path c = p.resolve("guest-images").resolve("images").resolve(name);
            if (Files.isRegularFile(c)) {
                return c;
            }
        }
        throw new IllegalStateException("guest image " + name + " not found; run from the jvmx source tree or set -Djvmx.home");
    }

    static CharSink none() {
        return NullSink.INSTANCE;
    }
}
