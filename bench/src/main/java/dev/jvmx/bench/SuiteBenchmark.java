package dev.jvmx.bench;

import dev.jvmx.runtime.MachineConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The guest benchmark suite (guest-images/src/bench) inside one JVM: each program's
 * Multiboot kernel is reloaded and run to its debug-exit again and again in the same
 * machine, so translations stay warm. The primary score is whole guest runs (each
 * {@code BENCH_ROUNDS} rounds plus set-up) per second; the auxiliary counter
 * {@code guestInstructions} is guest instructions retired per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xss16m", "-XX:+UseParallelGC"})
@State(Scope.Thread)
public class SuiteBenchmark {
    @Param({"crc32", "sieve", "qsort", "matmul", "interp", "fib", "memops", "listwalk", "bignum", "nbody", "nbody-ld", "whetstone", "nbody-sse2",
            "whetstone-sse2"})
    public String program;

    private GuestHarness guest;

    @Setup(Level.Trial)
    public void boot() {
        MachineConfig cfg = new MachineConfig();
        cfg.kernel = GuestHarness.image("bench/" + program + ".elf");
        cfg.serial = "none";
        guest = new GuestHarness(cfg);
    }

    @Benchmark
    public long run(GuestInstructions counter) {
        long n = guest.rerunKernel();
        counter.guestInstructions += n;
        return n;
    }
}
