package dev.jvmx.bench;

import dev.jvmx.runtime.MachineConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The first guest's CPU workload (CRC-32, sieve, sort) booted from its ROM, run to its HLT
 * again and again in one machine, so translations are warm. Reports boots per second and,
 * through the auxiliary counter, guest instructions per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xss16m"})
@State(Scope.Thread)
public class FirstGuestBenchmark {
    private GuestHarness guest;

    @Setup(Level.Trial)
    public void boot() {
        MachineConfig cfg = new MachineConfig();
        cfg.bios = GuestHarness.image("first-guest.rom");
        cfg.serial = "none";
        guest = new GuestHarness(cfg);
    }

    @Benchmark
    public long firstGuestWorkload(GuestInstructions counter) {
        guest.machine.cpu.reset();
        long n = guest.runOnce();
        counter.guestInstructions += n;
        return n;
    }
}
