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
@Command(name = "cpu-test", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        header = "Checks the translator against an oracle; the last line is 'N passed, M failed'.",
        description = {"--singlestep DIR runs single-instruction tests captured from real hardware: one gzipped JSON-lines"
                + " file per opcode (XX.jsonl.gz), such as the SingleStepTests project's 80286 real-mode tests.",
            "",
            "--fuzz N runs N random instruction sequences natively on this host (32-bit static programs built with"
                + " gcc -m32) and in jvmx, and compares them register for register, flag for flag, byte for byte."},
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
            String missing = missingTests(mode.singlestep, opcode);
            if (missing != null) {
                System.err.println("jvmx: " + missing);
                return Main.EXIT_USAGE;
            }
            if (limit != null && limit < 1) {
                System.err.println("jvmx: --limit must be 1 or more, got " + limit);
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
        if (r.passed + r.failed == 0) {
            System.err.println("jvmx: no test ran, so nothing passed");
            return Main.EXIT_USAGE;
        }
        return r.failed == 0 ? 0 : 1;
    }

    /**
     * Null when {@code dir} has a test file for {@code opcode} (all files when null): a
     * file XX.jsonl.gz or XX.R.jsonl.gz, XX in hex; else what is missing, in words.
     */
    static String missingTests(Path dir, String opcode) {
        if (opcode != null && !opcode.matches("(?i)[0-9a-f]{2}(\\.[0-7])?|(?i)0f\\.?[0-9a-f]{2}(\\.[0-7])?")) {
            return "--opcode expects a hex opcode such as 00, F6 or F6.6, got '" + opcode + "'";
        }
        String want = opcode == null ? null : opcode.toUpperCase(java.util.Locale.ROOT);
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            boolean any = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".jsonl.gz"))
                    .map(n -> n.substring(0, n.length() - ".jsonl.gz".length()).toUpperCase(java.util.Locale.ROOT))
                    .anyMatch(k -> want == null || k.equals(want) || k.startsWith(want + "."));
            if (any) {
                return null;
            }
        } catch (java.io.IOException e) {
            return "cannot list " + dir + ": " + IoWords.why(e, dir);
        }
        return want == null ? dir + " holds no single-step test files (XX.jsonl.gz)"
                : dir + " has no test file for opcode " + want + " (" + want + ".jsonl.gz or " + want + ".R.jsonl.gz)";
    }
}
