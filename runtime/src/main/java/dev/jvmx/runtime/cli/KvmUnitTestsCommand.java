package dev.jvmx.runtime.cli;

import dev.jvmx.runtime.kut.KutExpected;
import dev.jvmx.runtime.kut.KutRunner;
import dev.jvmx.runtime.kut.KutSuite;
import dev.jvmx.runtime.kut.KutTest;
import dev.jvmx.runtime.kut.UnitTestsCfg;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** `jvmx kvm-unit-tests`: builds the KVM project's i386 unit tests and runs them on jvmx (and QEMU). */
@Command(name = "kvm-unit-tests", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        header = "Builds kvm-unit-tests' i386 tests and runs them on jvmx (and QEMU).",
        description = {"Builds kvm-unit-tests' i386 tests (from ../shared/third-party, into a build directory outside"
                + " git) and runs every test x86/unittests.cfg lists, with its parameters and timeout, printing"
                + " PASS/FAIL/SKIP per test with the checks it counted, and a summary, as the suite's run_tests.sh does."
                + " Tests jvmx cannot run (more CPUs, KVM, another machine) are SKIP with why."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done (and no regression from --expected)", "1:a regression from --expected",
            "2:bad option, or the suite cannot be built"})
public final class KvmUnitTestsCommand implements Callable<Integer> {
    @Option(names = "--build-dir", paramLabel = "DIR",
            description = "Where the suite is built and the logs go (default: target/kvm-unit-tests under the jvmx tree).")
    Path buildDir;

    @Option(names = "--tarball", paramLabel = "FILE", description = "The suite's source (default: ../shared/third-party/"
            + KutSuite.TARBALL + ").")
    Path tarball;

    @Option(names = "--only", paramLabel = "NAMES", split = ",", description = "Run only these tests (comma-separated).")
    List<String> only = new ArrayList<>();

    @Option(names = "--qemu", description = "Also run each test on qemu-system-i386 -accel tcg, for comparison.")
    boolean qemu;

    @Option(names = "--clock", paramLabel = "MODE", defaultValue = "virtual",
            description = "jvmx's --clock for the tests: virtual (repeatable runs) or host (default: ${DEFAULT-VALUE})."
                    + " The vmexit benchmarks, which time exits in TSC ticks, always run on the host clock.")
    String clock;

    @Option(names = "--timeout-scale", paramLabel = "F", defaultValue = "1",
            description = "Multiplies every test's timeout (default: ${DEFAULT-VALUE}).")
    double timeoutScale;

    @Option(names = "--results", paramLabel = "FILE", description = "Write one line per test: name status pass fail skip.")
    Path results;

    @Option(names = "--expected", paramLabel = "FILE",
            description = "Compare with these expected results (same format); exit 1 on a regression.")
    Path expected;

    @Override
    public Integer call() {
        PrintStream out = System.out, err = System.err;
        Path home = Path.of(System.getProperty("jvmx.home", ".")).toAbsolutePath().normalize();
        Path dir = buildDir != null ? buildDir : home.resolve("target").resolve("kvm-unit-tests");
        Path src = tarball != null ? tarball : KutSuite.defaultTarball(home);
        if (src == null) {
            err.println("jvmx: kvm-unit-tests source not found (../shared/third-party/" + KutSuite.TARBALL
                    + "); give --tarball FILE");
            return Main.EXIT_USAGE;
        }
        if (!clock.equals("virtual") && !clock.equals("host")) {
            err.println("jvmx: --clock must be host or virtual, got '" + clock + "'");
            return Main.EXIT_USAGE;
        }
        if (!(timeoutScale > 0)) {
            err.println("jvmx: --timeout-scale must be positive");
            return Main.EXIT_USAGE;
        }
        try {
            Path tree = KutSuite.build(src, dir);
            List<KutTest> tests = UnitTestsCfg.read(tree.resolve("x86").resolve("unittests.cfg"));
            KutExpected exp = expected == null ? null : KutExpected.read(expected);
            Set<String> wanted = new LinkedHashSet<>(only);
            List<KutTest> run = new ArrayList<>();
            for (KutTest t : tests) {
                if (only.isEmpty() || wanted.remove(t.name())) {
                    run.add(t);
                }
            }
            if (!wanted.isEmpty()) {
                err.println("jvmx: no such test in x86/unittests.cfg: " + String.join(", ", wanted));
                return Main.EXIT_USAGE;
            }
            List<KutRunner.Row> rows = new KutRunner(tree, dir.resolve("logs"), KutRunner.sameJvm(home))
                    .virtualClock(clock.equals("virtual")).timeoutScale(timeoutScale).withQemu(qemu).run(run, out);
            if (results != null) {
                List<String> lines = new ArrayList<>();
                for (KutRunner.Row r : rows) {
                    lines.add(r.jvmx().resultLine(r.test().name()));
                }
                Files.write(results, lines);
            }
            out.println("logs: " + dir.resolve("logs"));
            if (exp != null) {
                List<String> worse = exp.regressions(rows);
                exp.improvements(rows).forEach(l -> out.println("better than expected: " + l));
                worse.forEach(l -> out.println("REGRESSION " + l));
                return worse.isEmpty() ? 0 : 1;
            }
            return 0;
        } catch (KutSuite.BuildException e) {
            err.println("jvmx: " + e.getMessage());
            return Main.EXIT_USAGE;
        } catch (IOException | IllegalArgumentException e) {
            err.println("jvmx: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
    }
}
