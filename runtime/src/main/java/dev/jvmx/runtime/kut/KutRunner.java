package dev.jvmx.runtime.kut;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the suite's tests on jvmx (each in a JVM of its own, `jvmx boot --kernel x86/T.flat`,
 * the serial port to a log file) and, when asked, on qemu-system-i386 with TCG, as run_tests.sh
 * starts them. Every run has the test's timeout (jvmx's own --timeout, and a watchdog that kills
 * the process a little later), so no test can hang the run.
 */
public final class KutRunner {
    /** Seconds past the timeout after which the watchdog kills a run that did not stop itself. */
    static final int GRACE_SECONDS = 30;

    /** One test's outcome on jvmx and, if run, on QEMU. */
    public record Row(KutTest test, KutOutcome jvmx, KutOutcome qemu) { }

    private final Path suite;
    private final Path logDir;
    private final List<String> javaCommand;
    private boolean virtualClock = true;
    private double timeoutScale = 1;
    private boolean qemu;
    private String qemuBinary = "qemu-system-i386";

    /**
     * {@code javaCommand} starts jvmx's Main with the arguments that follow (a java binary, JVM
     * options, -cp and the class name).
     */
    public KutRunner(Path suite, Path logDir, List<String> javaCommand) {
        this.suite = suite;
        this.logDir = logDir;
        this.javaCommand = List.copyOf(javaCommand);
    }

    /** The java command that runs this JVM's class path's Main, with the launcher's options for HotSpot (./jvmx). */
    public static List<String> sameJvm(Path home) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> c = new ArrayList<>(List.of(java, "-Xss16m", "-XX:+UseParallelGC", "-XX:C1InlineStackLimit=3"));
        if (Runtime.version().feature() >= 23) {
            // As the launcher does: JDK 23 on warns about each sun.misc.Unsafe method jvmx uses (RawAccess).
            c.add("--sun-misc-unsafe-memory-access=allow");
        }
        c.addAll(List.of("-Djvmx.home=" + home, "-cp", System.getProperty("java.class.path"), "dev.jvmx.runtime.cli.Main"));
        return c;
    }

    public KutRunner virtualClock(boolean v) {
        this.virtualClock = v;
        return this;
    }

    public KutRunner timeoutScale(double s) {
        this.timeoutScale = s;
        return this;
    }

    public KutRunner withQemu(boolean q) {
        this.qemu = q;
        return this;
    }

    public List<Row> run(List<KutTest> tests, PrintStream out) throws IOException {
        Files.createDirectories(logDir);
        List<Row> rows = new ArrayList<>();
        for (KutTest t : tests) {
            long t0 = System.nanoTime();
            KutOutcome j = runJvmx(t);
            long t1 = System.nanoTime();
            KutOutcome q = qemu ? runQemu(t) : null;
            Row r = new Row(t, j, q);
            rows.add(r);
            String ran = KutPlan.forJvmx(t, suite).skip == null ? String.format("  %.1fs", (t1 - t0) / 1e9) : "";
            out.println(verdict(t.name(), j) + ran + (q == null ? "" : "\n      qemu: " + verdict(t.name(), q)));
            out.flush();
        }
        out.println(summary(rows));
        return rows;
    }

    private double timeout(KutTest t) {
        return t.timeoutSeconds() * timeoutScale;
    }

    KutOutcome runJvmx(KutTest t) throws IOException {
        KutPlan plan = KutPlan.forJvmx(t, suite);
        if (plan.skip != null) {
            return KutOutcome.skipped(plan.skip);
        }
        Path log = logDir.resolve(t.name() + ".log");
        Path err = logDir.resolve(t.name() + ".jvmx-stderr");
        Files.deleteIfExists(log);
        List<String> cmd = new ArrayList<>(javaCommand);
        cmd.add("boot");
        cmd.addAll(List.of("--serial", "file:" + log, "--timeout", String.format("%.0f", timeout(t))));
        if (virtualClock && !KutPlan.needsHostClock(t)) {
            cmd.addAll(List.of("--clock", "virtual"));
        }
        cmd.addAll(plan.args);
        cmd.addAll(List.of("--kernel", suite.resolve("x86").resolve(t.file()).toString()));
        int code = execute(cmd, null, err, timeout(t) + GRACE_SECONDS);
        String text = Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        if (code == 2) {
            return new KutOutcome(KutOutcome.Status.FAIL, 0, 0, 0, 0, 0, "jvmx refused it: " + lastLine(err));
        }
        return KutOutcome.of(code, text, timeout(t));
    }

    KutOutcome runQemu(KutTest t) throws IOException {
        KutPlan plan = KutPlan.forQemu(t, suite);
        if (plan.skip != null) {
            return KutOutcome.skipped(plan.skip);
        }
        Path log = logDir.resolve(t.name() + ".qemu.log");
        Path err = logDir.resolve(t.name() + ".qemu-stderr");
        List<String> cmd = new ArrayList<>();
        cmd.add(qemuBinary);
        cmd.addAll(plan.args);
        cmd.add("-kernel");
        cmd.add(suite.resolve("x86").resolve(t.file()).toString());
        int code = execute(cmd, log, err, timeout(t));
        String text = Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        String stderr = Files.exists(err) ? Files.readString(err, StandardCharsets.ISO_8859_1).strip() : "";
        boolean errors = stderr.lines().anyMatch(l -> !l.toLowerCase(java.util.Locale.ROOT).contains("warning"));
        if (code != KutOutcome.EXIT_TIMEOUT && text.isEmpty() && errors) {
            return KutOutcome.skipped(lastLine(err)); // QEMU refused the machine (run_tests' premature failure)
        }
        if (code == KutOutcome.EXIT_PASS && errors) {
            code = 3; // run_tests: an exit status of 1 with errors on stderr is QEMU failing
        }
        return KutOutcome.of(code, text, timeout(t));
    }

    /** Runs a command with a watchdog; the exit code, or 124 when the watchdog had to kill it. */
    static int execute(List<String> cmd, Path stdout, Path stderr, double seconds) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(stderr.toFile());
        pb.redirectOutput(stdout == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(stdout.toFile()));
        Process p = pb.start();
        try {
            if (!p.waitFor((long) Math.ceil(seconds), TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                return KutOutcome.EXIT_TIMEOUT;
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        return p.exitValue();
    }

    private static String lastLine(Path f) throws IOException {
        if (!Files.exists(f)) {
            return "";
        }
        List<String> lines = Files.readAllLines(f, StandardCharsets.ISO_8859_1);
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank()) {
                return lines.get(i).strip();
            }
        }
        return "";
    }

    /** run_tests.sh's line for a test, with the counted checks, and QEMU's after it. */
    public static String line(Row r) {
        StringBuilder b = new StringBuilder(verdict(r.test().name(), r.jvmx()));
        if (r.qemu() != null) {
            b.append("\n      qemu: ").append(verdict(r.test().name(), r.qemu()));
        }
        return b.toString();
    }

    private static String verdict(String name, KutOutcome o) {
        String d = o.detail() == null || o.detail().isEmpty() ? "" : " (" + o.detail() + ")";
        String counts = o.pass() + o.fail() + o.skip() + o.xfail() + o.xpass() > 0 ? "  [" + o.counts() + "]" : "";
        return o.status() + " " + name + d + counts;
    }

    public static String summary(List<Row> rows) {
        return "SUMMARY jvmx: " + totals(rows, false) + (rows.stream().anyMatch(r -> r.qemu() != null)
                ? "\nSUMMARY qemu: " + totals(rows, true) : "");
    }

    private static String totals(List<Row> rows, boolean q) {
        int[] s = new int[3];
        int pass = 0, fail = 0, skip = 0;
        for (Row r : rows) {
            KutOutcome o = q ? r.qemu() : r.jvmx();
            if (o == null) {
                continue;
            }
            s[o.status().ordinal()]++;
            pass += o.pass();
            fail += o.fail();
            skip += o.skip();
        }
        return String.format("%d tests: %d PASS, %d FAIL, %d SKIP; checks: %d pass, %d fail, %d skip",
                s[0] + s[1] + s[2], s[0], s[1], s[2], pass, fail, skip);
    }
}
