package dev.jvmx.bench;

import dev.jvmx.bench.compare.BootTimes;
import dev.jvmx.runtime.cli.Main;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * SeaBIOS booting {@code bootdisk.img} to its isa-debug-exit, as {@code jvmx boot --bios ...
 * -drive ...} does it (the disk as a snapshot), again and again in one JVM: each boot is a new
 * machine, so the guest's code is cold and translated afresh, but jvmx's own code is compiled by
 * HotSpot after the first boots. The time of one such boot is what a whole-process boot would
 * take without the JVM's start and HotSpot's warm-up of jvmx: set beside QEMU's whole process
 * (bench/boot-times), it tells the engine's part of the SeaBIOS ratio from the JVM's
 * (bench/RESULTS.md).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10)
@Measurement(iterations = 20)
@Fork(value = 1, jvmArgsAppend = {"-Xss16m", "-XX:+UseParallelGC"})
@State(Scope.Benchmark)
public class WarmBootBenchmark {
    private String[] args;

    @Setup
    public void check() {
        if (!Files.isRegularFile(BootTimes.SEABIOS)) {
            throw new IllegalStateException(BootTimes.NO_SEABIOS);
        }
        Path disk = GuestHarness.image("bootdisk.img");
        // snapshot=on: the guest's writes stay in memory, so every boot starts from the same disk.
        args = new String[] {"boot", "--serial", "none", "--bios", BootTimes.SEABIOS.toString(),
            "-drive", "file=" + disk + ",format=raw,snapshot=on"};
    }

    @Benchmark
    public int seabios() {
        PrintStream err = System.err;
        int code;
        try (PrintStream none = new PrintStream(OutputStream.nullOutputStream())) {
            System.setErr(none); // the run's last line, why it stopped
            code = Main.execute(args);
        } finally {
            System.setErr(err);
        }
        if (code != 33) {
            throw new IllegalStateException("SeaBIOS's boot ended with exit code " + code + ", not 33");
        }
        return code;
    }
}
