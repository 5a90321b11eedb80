package dev.jvmx.bench;

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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Cold code (issue 15): a guest of {@code blocks} distinct basic blocks, each run once
 * ({@link ColdCodeGuest}), per engine: {@code tier1} (first-tier handlers only), {@code tier2}
 * (every block translated on the guest's thread before its first run) and {@code tiered} (the
 * default engine: first tier, hot blocks translated by the background worker, which here has
 * almost nothing to do, since no block runs often enough).
 *
 * <p>{@code cold}: each call runs the whole guest once in a new machine, made before the call and
 * outside its time (a {@link Level#Invocation} set-up). The score is cold runs per second and
 * {@code guestInstructions} the guest instructions they retired per second. (JMH reports
 * auxiliary counters in Throughput and AverageTime modes only, so it is not a single-shot mode;
 * with a per-invocation set-up JMH times each call alone. A call at tier2 takes longer than an
 * iteration, so those iterations are one call each.) Every measured run has a new machine, so
 * a new code cache, new blocks, a new first-tier handler cache and new hidden classes for its
 * translations: the guest's code has not run in that form before. The guest's bytes are the same
 * in every run, and that is deliberate: nothing in jvmx outlives a machine keyed by guest code
 * (blocks, translations and run-time handlers belong to the machine's code cache; HotSpot
 * profiles and compiles each hidden class on its own, and a new machine defines new ones), so a
 * run of the same bytes costs what a run of different bytes of the same kind costs. What does
 * carry over from one run to the next is what carries over in a long-lived jvmx too: the
 * decoder, the code generator and ASM, the first tier's dispatch and the handler library's
 * classes, compiled by HotSpot in the warm-up iterations. Same bytes also means the same work in
 * every run, so scores compare across runs and engines.
 *
 * <p>{@code warm}: the same guest run again and again in one machine ({@link Mode#Throughput},
 * score = whole runs per second, {@code guestInstructions} per second beside it), so its blocks
 * are first-tier blocks that have seen their handlers (tier1), translated classes HotSpot has
 * compiled (tier2), or whatever the tiered engine made of them once they ran often enough.
 * Cold instructions per second over warm is what running code once costs in each engine.
 * The warm machine's code cache is large enough to keep every block.
 */
@Fork(value = 1, jvmArgsAppend = {"-Xss16m"})
public class ColdCodeBenchmark {
    /** Seed of the generated guest: fixed, so every run of every JVM sees the same bytes. */
    static final long SEED = 0x6A766D78L;

    /** Parameters both states share (JMH wants @Param in a @State class). */
    @State(Scope.Thread)
    public abstract static class Params {
        @Param({ColdCodeRun.TIER1, ColdCodeRun.TIER2, ColdCodeRun.TIERED})
        public String engine;

        @Param({"100000"})
        public int blocks;

        ColdCodeGuest guest;

        @Setup(Level.Trial)
        public void generate() {
            guest = ColdCodeGuest.generate(blocks, SEED);
        }
    }

    /** A new machine for every call. */
    @State(Scope.Thread)
    public static class Fresh extends Params {
        ColdCodeRun run;

        @Setup(Level.Invocation)
        public void newMachine() {
            run = new ColdCodeRun(guest, engine);
        }

        /** Outside the call's time too: a machine left with its worker thread would stay reachable. */
        @TearDown(Level.Invocation)
        public void closeMachine() {
            run.close();
        }
    }

    /** One machine for the trial, the guest already run through its tiers before measuring. */
    @State(Scope.Thread)
    public static class Warmed extends Params {
        ColdCodeRun run;

        @Setup(Level.Trial)
        public void warmUp() {
            run = new ColdCodeRun(guest, engine);
            // Room for every block and its class: a warm run must not evict.
            run.machine.cache.setLimitBytes(4L << 30);
            run.run();
        }

        @TearDown(Level.Trial)
        public void closeMachine() {
            run.close();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Warmup(iterations = 3, time = 10)
    @Measurement(iterations = 5, time = 10)
    public long cold(Fresh s, GuestInstructions counter) {
        long n = s.run.run();
        counter.guestInstructions += n;
        return n;
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Warmup(iterations = 5, time = 10)
    @Measurement(iterations = 5, time = 10)
    public long warm(Warmed s, GuestInstructions counter) {
        long n = s.run.run();
        counter.guestInstructions += n;
        return n;
    }
}
