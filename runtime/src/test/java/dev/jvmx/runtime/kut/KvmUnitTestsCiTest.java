package dev.jvmx.runtime.kut;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * CI's share of kvm-unit-tests: builds the i386 suite from the shared tarball (into
 * target/kvm-unit-tests, outside git) and runs the tests listed in {@link #CI_TESTS} on jvmx, each
 * in a JVM of its own, failing on any regression from the checked-in expected results
 * (src/test/resources/kvm-unit-tests/expected-i386.txt). The whole list runs with
 * `jvmx kvm-unit-tests --expected FILE` (or tools/kvm-unit-tests).
 */
class KvmUnitTestsCiTest {
    /** A few minutes in all: the slow ones (realmode's x87 timeout, the vmexit benchmarks) run by command. */
    static final List<String> CI_TESTS = List.of("cmpxchg8b", "setjmp", "eventinj", "taskswitch", "taskswitch2",
            "umip", "hypercall", "emulator", "msr", "la57", "s3", "smap", "tsc", "tsc_adjust", "tsx-ctrl",
            "vmexit_mov_from_cr8", "vmexit_mov_to_cr8", "sieve", "smptest", "smptest3");

    static boolean have(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void noRegressionFromTheExpectedResults() throws Exception {
        Path home = Path.of(System.getProperty("jvmx.home", "..")).toAbsolutePath().normalize();
        Path tarball = KutSuite.defaultTarball(home);
        assumeTrue(tarball != null, "kvm-unit-tests source (../shared/third-party/" + KutSuite.TARBALL + ") not present");
        assumeTrue(have("make", "--version") && have("gcc", "--version"), "make and gcc are needed to build the suite");
        Path buildDir = home.resolve("target").resolve("kvm-unit-tests");
        Path tree;
        try {
            tree = KutSuite.build(tarball, buildDir);
        } catch (KutSuite.BuildException e) {
            fail(e.getMessage());
            return;
        }
        KutExpected expected = KutExpected.read(home.resolve("runtime/src/test/resources/kvm-unit-tests/expected-i386.txt"));
        List<KutTest> all = UnitTestsCfg.read(tree.resolve("x86").resolve("unittests.cfg"));
        List<KutTest> run = new ArrayList<>();
        for (KutTest t : all) {
            if (CI_TESTS.contains(t.name())) {
                run.add(t);
            }
        }
        assertTrue(run.size() == CI_TESTS.size(), "every CI test is in unittests.cfg");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        List<KutRunner.Row> rows = new KutRunner(tree, buildDir.resolve("logs-ci"), KutRunner.sameJvm(home)).run(run, out);
        String report = buf.toString(StandardCharsets.UTF_8);
        System.out.println(report);
        List<String> subset = new ArrayList<>();
        for (String line : Files.readAllLines(home.resolve("runtime/src/test/resources/kvm-unit-tests/expected-i386.txt"))) {
            String[] f = KutOutcome.parseResultLine(line);
            if (!line.startsWith("#") && f != null && CI_TESTS.contains(f[0])) {
                subset.add(line);
            }
        }
        List<String> worse = KutExpected.parse(subset).regressions(rows);
        assertTrue(worse.isEmpty(), "regressions from expected-i386.txt:\n" + String.join("\n", worse) + "\n\n" + report);
    }
}
