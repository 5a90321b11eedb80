package dev.jvmx.runtime.cli;

import dev.jvmx.translator.cputest.CpuTestReport;
import dev.jvmx.translator.cputest.HostFuzzer;
import dev.jvmx.translator.cputest.SingleStepSuite;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** `jvmx cpu-test`: the CPU checked against hardware-captured tests or against the host CPU. */
@Command(name = "cpu-test", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Checks the translator against an oracle; the last line is 'N passed, M failed'.",
            "  --singlestep DIR  single-instruction tests captured from real hardware (one gzipped",
            "                    JSON-lines file per opcode, e.g. ../shared/tests/ss286)",
            "  --fuzz N          N random instruction sequences run natively on this host (32-bit",
            "                    static programs built with gcc -m32) and in jvmx, compared register",
            "                    for register, flag for flag, byte for byte"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:all tests passed", "1:some tests failed", "2:bad option or test directory, or no 32-bit toolchain"})
public final class CpuTestCommand implements Callable<Integer> {
    static final class Mode {
        @Option(names = "--singlestep", paramLabel = "DIR", required = true, description = "Directory of single-step test files.")
        Path singlestep;

        @Option(names = "--fuzz", paramLabel = "N", required = true, description = "Number of random sequences to run.")
        Long fuzz;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    @Option(names = "--opcode", paramLabel = "XX", description = "With --singlestep: only this opcode's file(s), e.g. 00, F6 or F6.6.")
    String opcode;

    @Option(names = "--limit", paramLabel = "N", description = "With --singlestep: at most N tests per file (a deterministic sample).")
    Integer limit;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "With --fuzz: the random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        CpuTestReport r;
        long t0 = System.nanoTime();
        if (mode.singlestep != null) {
            if (!Files.isDirectory(mode.singlestep)) {
                System.err.println("jvmx: not a directory of single-step tests: " + mode.singlestep);
                return Main.EXIT_USAGE;
            }
            r = SingleStepSuite.run(mode.singlestep, opcode, limit == null ? Integer.MAX_VALUE : limit, System.out);
        } else {
            if (mode.fuzz < 1) {
                System.err.println("jvmx: --fuzz needs a positive count");
                return Main.EXIT_USAGE;
            }
            String why = HostFuzzer.unavailableReason();
            if (why != null) {
                System.err.println("jvmx: " + why);
                return Main.EXIT_USAGE;
            }
            r = HostFuzzer.run(mode.fuzz, seed, System.out);
        }
        System.err.printf("jvmx: cpu-test took %.1f s%n", (System.nanoTime() - t0) / 1e9);
        return r.failed == 0 ? 0 : 1;
    }
}
