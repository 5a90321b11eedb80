package dev.jvmx.runtime.cli;

import dev.jvmx.runtime.Machine;
import dev.jvmx.runtime.gdb.GdbAddress;
import dev.jvmx.runtime.gdb.GdbStub;
import dev.jvmx.translator.exec.StopReason;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * The gdb stub's options of `jvmx boot`, spelled as QEMU's: {@code -s} (= {@code -gdb
 * tcp::1234}), {@code -gdb tcp:[HOST]:PORT}, {@code -S} (the CPU waits for gdb's continue
 * before its first instruction).
 */
public final class GdbOptions {
    @Option(names = "-s", description = "gdb stub on TCP port 1234 (short for -gdb tcp::1234).")
    boolean s;

    @Option(names = {"-gdb", "--gdb"}, paramLabel = "DEV",
            description = "gdb stub listening on tcp::PORT (every local address) or tcp:HOST:PORT;"
                    + " connect with gdb's 'target remote HOST:PORT'.")
    String gdb;

    @Option(names = "-S", description = "Do not start the CPU: wait for gdb to connect and continue (with -s or -gdb).")
    boolean startStopped;

    /** Where to listen, or null for no stub; a malformed spec or -S alone is an IllegalArgumentException. */
    GdbAddress address() {
        if (gdb != null) {
            return GdbAddress.parse(gdb);
        }
        if (s) {
            return GdbAddress.parse(GdbAddress.DEFAULT);
        }
        if (startStopped) {
            throw new IllegalArgumentException("-S waits for gdb, so it needs -s or -gdb tcp::PORT");
        }
        return null;
    }

    /** Opens the stub for the machine (the port is taken now), or returns null without -s/-gdb. */
    GdbStub open(Machine m, PrintStream err) {
        GdbAddress a = address();
        if (a == null) {
            return null;
        }
        return GdbStub.listen(a, m.cpu, m.cache, m.loop, line -> err.println("jvmx: " + line), ExitCodes::of);
    }

    /** Runs the guest, under the stub when there is one. */
    StopReason run(GdbStub stub, Supplier<StopReason> guest) {
        return stub == null ? guest.get() : stub.run(guest, startStopped);
    }
}
