package dev.jvmx.runtime.cli;

import dev.jvmx.cputest.CpuTestReport;
import dev.jvmx.cputest.HostFuzzer;
import dev.jvmx.cputest.NativeOracle;
import dev.jvmx.cputest.SingleStepSuite;
import dev.jvmx.translator.bare.BareMachine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/** `jvmx cpu-test`: the CPU checked against hardware-captured tests or against the host CPU. */
@Command(name = "cpu-test", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        header = "Checks the translator against an oracle; the last line is 'N passed, M failed'.",
        description = {"--singlestep DIR runs single-instruction tests captured from real hardware: one gzipped"
                + " JSON-lines file per opcode (XX.jsonl.gz), such as the SingleStepTests project's 80286 real-mode tests.",
            "",
            "--fuzz N runs N random instruction sequences natively on this host and in jvmx, and compares them"
                + " register for register, flag for flag, byte for byte: as 32-bit static programs (gcc -m32) where"
                + " this host runs them, else as 64-bit programs with each instruction assembled for 64-bit mode;"
                + " with --x87, x87 instructions mixed in, the FPU state compared by its FNSAVE image; with --sse,"
                + " MMX, SSE and SSE2 instructions, XMM0-7 and MXCSR compared too."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:all tests passed", "1:some tests failed",
            "2:bad option or test directory, or no native oracle can run here (the message says why)"})
public final class CpuTestCommand implements Callable<Integer> {
    /** An opcode key of the single-step data: one byte, or 0F and a byte, optionally .N for a ModRM group. */
    private static final Pattern OPCODE = Pattern.compile("(0F)?[0-9A-F]{2}(\\.[0-7])?");

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

    @Option(names = "--native", paramLabel = "auto|32|64", defaultValue = "auto",
            description = {"With --fuzz: which native programs; auto (default) takes 32-bit ones where this host runs",
                "them, else 64-bit ones; 64 forces the 64-bit path. JVMX_NO_32BIT=1 in the environment makes",
                "auto act as on a host that cannot run 32-bit programs."})
    String nativeMode;

    @Option(names = "--x87", description = {"With --fuzz: mix x87 instructions into the sequences (random FPU states, operands of",
        "every class, every precision and rounding control, masked exceptions) and compare the FPU state too."})
    boolean x87;

    @Option(names = "--sse", description = {"With --fuzz: mix MMX, SSE and SSE2 instructions into the sequences (random",
        "XMM, MMX registers and MXCSR; moves, logical, packed-integer and floating-point operations with operands of",
        "every class, every rounding control and flush-to-zero, masked exceptions) and compare XMM0-7 and MXCSR too",
        "(the MMX registers by the FNSAVE image)."})
    boolean sse;

    @Option(names = "--x87-differences", paramLabel = "FILE",
            description = {"With --fuzz --x87: write every transcendental result that differed from the host's (the input",
                "state, both results, C1 alone or one ulp) to FILE, one line each."})
    Path x87Differences;

    @Option(names = "--tier", paramLabel = "1|2|both", defaultValue = "both",
            description = {"Which execution tier runs each test: 1 (the first tier's handlers), 2 (translated",
                "code), or both (default): a test passes when every tier agrees with the oracle."})
    String tier;

    @Override
    public Integer call() {
        CpuTestReport r;
        int[] tiers;
        switch (tier) {
            case "1": tiers = new int[] {1}; break;
            case "2": tiers = new int[] {2}; break;
            case "both": tiers = BareMachine.TIERS; break;
            default:
                System.err.println("jvmx: --tier expects 1, 2 or both, got '" + tier + "'");
                return Main.EXIT_USAGE;
        }
        long t0 = System.nanoTime();
        if (mode.singlestep != null && (x87 || sse || x87Differences != null)) {
            System.err.println("jvmx: --x87, --sse and --x87-differences go with --fuzz");
            return Main.EXIT_USAGE;
        }
        if (mode.singlestep != null) {
            if (!Files.isDirectory(mode.singlestep)) {
                System.err.println("jvmx: not a directory of single-step tests: " + mode.singlestep);
                return Main.EXIT_USAGE;
            }
            if (limit != null && limit < 1) {
                System.err.println("jvmx: --limit needs a positive count");
                return Main.EXIT_USAGE;
            }
            if (opcode != null) {
                if (!OPCODE.matcher(opcode.toUpperCase(Locale.ROOT)).matches()) {
                    System.err.println("jvmx: --opcode expects a hex opcode key such as 00, F6, F6.6 or 0FA2, got '" + opcode + "'");
                    return Main.EXIT_USAGE;
                }
                if (!SingleStepSuite.hasFiles(mode.singlestep, opcode)) {
                    System.err.println("jvmx: no single-step test file for opcode " + opcode.toUpperCase(Locale.ROOT) + " in " + mode.singlestep);
                    return Main.EXIT_USAGE;
                }
            }
            r = SingleStepSuite.run(mode.singlestep, opcode, limit == null ? Integer.MAX_VALUE : limit, tiers, System.out);
        } else {
            if (mode.fuzz < 1) {
                System.err.println("jvmx: --fuzz needs a positive count");
                return Main.EXIT_USAGE;
            }
            NativeOracle.Request req;
            switch (nativeMode) {
                case "auto": req = NativeOracle.Request.AUTO; break;
                case "32": req = NativeOracle.Request.IA32; break;
                case "64": req = NativeOracle.Request.X86_64; break;
                default:
                    System.err.println("jvmx: --native expects auto, 32 or 64, got '" + nativeMode + "'");
                    return Main.EXIT_USAGE;
            }
            NativeOracle.Choice oracle = NativeOracle.choose(req);
            if (oracle.mode == null) {
                System.err.println("jvmx: no native oracle: " + oracle.unavailableReason());
                return Main.EXIT_USAGE;
            }
            if (x87Differences != null && !x87) {
                System.err.println("jvmx: --x87-differences needs --x87");
                return Main.EXIT_USAGE;
            }
            r = HostFuzzer.run(mode.fuzz, seed, oracle, tiers, x87, sse, System.out);
            if (x87Differences != null) {
                try {
                    Files.write(x87Differences, r.inexactDifferences);
                } catch (java.io.IOException e) {
                    System.err.println("jvmx: cannot write " + x87Differences + ": " + e.getMessage());
                    return Main.EXIT_USAGE;
                }
            }
        }
        System.err.printf("jvmx: cpu-test took %.1f s%n", (System.nanoTime() - t0) / 1e9);
        if (r.passed + r.failed == 0) {
            System.err.println("jvmx: no test ran, so nothing passed (is " + (mode.singlestep != null ? mode.singlestep
                    + " a directory of XX.jsonl.gz files?" : "the oracle working?") + ")");
            return Main.EXIT_USAGE;
        }
        return r.failed == 0 ? 0 : 1;
    }
}
