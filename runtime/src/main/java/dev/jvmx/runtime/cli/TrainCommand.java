package dev.jvmx.runtime.cli;

import dev.jvmx.devices.chr.StdioBackend;
import dev.jvmx.runtime.CompilerDirectives;
import dev.jvmx.runtime.RamAhead;
import dev.jvmx.translator.codegen.HandlerLibrary;
import dev.jvmx.translator.exec.C2Hold;
import picocli.CommandLine.Command;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * `jvmx train`: boots the built-in workloads once each in one JVM, so that the launcher can
 * record a start-up cache from the run (JDK 25's AOT cache of loaded and linked classes and
 * method profiles, or JDK 17's class-data-sharing archive): `./jvmx train` does both steps,
 * and the build runs it. A run without the cache behaves the same, only its start is slower.
 */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = Version.class,
        header = "Boots the built-in workloads: the training run of the start-up cache (use ./jvmx train).",
        description = {"Boots the built-in workloads once each (the first guest, SeaBIOS with bootdisk.img when",
            "SeaBIOS is installed, two paging guests, a benchmark program): the training run of the launcher's",
            "start-up cache.",
            "Use ./jvmx train, which records the cache; on its own this command only runs the workloads."})
public final class TrainCommand implements Callable<Integer> {
    static final Path SEABIOS = Path.of("/usr/share/seabios/bios.bin");

    @Override
    public Integer call() {
        Path images = Path.of(System.getProperty("jvmx.home", "."), "guest-images", "images");
        List<String[]> runs = new ArrayList<>();
        runs.add(new String[] {"boot", "--serial", "none", "--timeout", "60"});
        Path disk = images.resolve("bootdisk.img");
        if (Files.isRegularFile(SEABIOS) && Files.isRegularFile(disk)) {
            runs.add(new String[] {"boot", "--serial", "none", "--timeout", "60",
                "-drive", "file=" + disk + ",format=raw,snapshot=on"});
        }
        // Two paging guests (paging, page faults inside blocks and user mode, as every operating
        // system has them: with their branches in the cached profiles, C2's first compiles keep
        // them, where a Linux boot otherwise deoptimised a dozen methods when its first process
        // ran, bench/RESULTS.md) and a benchmark program.
        for (String kernel : new String[] {"systest-paging.elf", "workload-paged.elf", "bench/interp.elf"}) {
            Path elf = images.resolve(kernel);
            if (Files.isRegularFile(elf)) {
                runs.add(new String[] {"boot", "--serial", "none", "--timeout", "60", "--kernel", elf.toString()});
            }
        }
        PrintStream out = System.out;
        PrintStream err = System.err;
        long t0 = System.nanoTime();
        int failed = 0;
        try (PrintStream none = new PrintStream(OutputStream.nullOutputStream())) {
            System.setOut(none);
            System.setErr(none);
            for (String[] run : runs) {
                int code = Main.execute(run);
                // The workloads end by isa-debug-exit or a halt; these codes say they did not.
                if (code == Main.EXIT_USAGE || code == Main.EXIT_INTERNAL || code == ExitCodes.TIMEOUT) {
                    failed++;
                    err.println("jvmx train: exit code " + code + " from: jvmx " + String.join(" ", run));
                }
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        // What main starts before a guest's run, besides the guest: the RAM array's thread and the
        // C2 hold's (made, not started: the cache keeps this run's compile decisions). Their
        // lambdas are linked here so that the cache holds them; a start spun each (1-2 ms apiece,
        // bench/RESULTS.md).
        RamAhead.start(1);
        RamAhead.take(1);
        C2Hold.beginner();
        StdioBackend.restoreTerminal(); // main's last call in a guest's run; harmless here
        // The platform logger that System.exit consults at the end of the other commands: its
        // classes, cached too.
        System.getLogger("java.lang.Runtime").isLoggable(System.Logger.Level.DEBUG);
        int handlers = HandlerLibrary.loadAll(); // those of guests not run here (Linux) are cached too
        // The thread that adds the launcher's compiler directives, its lambda cached too; the
        // directives themselves are not added here. Recorded with C2 kept off the code
        // generator, the cache made the suite's interp 6-9% slower to run whole (bench/RESULTS.md).
        CompilerDirectives.loadClasses();
        err.printf("jvmx train: %d workloads in %.1f s, %d library handlers loaded%n", runs.size(),
                (System.nanoTime() - t0) / 1e9, handlers);
        return failed == 0 ? 0 : 1;
    }
}
