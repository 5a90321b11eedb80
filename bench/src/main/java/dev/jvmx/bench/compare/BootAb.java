package dev.jvmx.bench.compare;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Two jvmx variants, A and B, booting the same guest in alternating pairs (A then B, then B then
 * A, ...): a change's effect on a 2-core machine whose speed drifts by a third within the hour
 * shows in the per-pair ratios, not in either side's times. A variant is a launcher (a tree's
 * {@code jvmx}, e.g. a worktree of the commit before) and JVM options for it
 * ({@code JVMX_JAVA_OPTS}). Prints each pair, the medians, the per-pair ratios' median and
 * geometric mean, how many pairs B won and the sign test's p-value for that split. A Linux boot
 * runs to its shell prompt, or with {@code --until TEXT} to the first console output holding TEXT
 * (e.g. "Linux version", the end of the kernel's decompression), where it is ended.
 *
 * <pre>bench/boot-ab [--pairs N] [--workload seabios|linux] [--until TEXT] [--a-jvmx PATH] [--a-opts OPTS] [--b-jvmx PATH] [--b-opts OPTS] [--timeout S]</pre>
 */
public final class BootAb {
    /** One side: a launcher and the JVM options it runs with. */
    record Variant(String launcher, String opts) {
        /** Its options in place of any the caller's environment has, so that both sides say all they run with. */
        Map<String, String> env() {
            return Map.of("JVMX_JAVA_OPTS", opts);
        }

        @Override
        public String toString() {
            return launcher + (opts.isEmpty() ? "" : " with JVMX_JAVA_OPTS=" + opts);
        }
    }

    /** What the pairs measured (ms): A's and B's time in each pair. */
    record Result(List<Long> a, List<Long> b) {
        /** B/A for each pair. */
        List<Double> ratios() {
            return Stats.pairedRatios(b, a);
        }

        /** Pairs B was faster in; ties count for neither. */
        int bFaster() {
            int n = 0;
            for (int i = 0; i < a.size(); i++) {
                n += b.get(i) < a.get(i) ? 1 : 0;
            }
            return n;
        }

        int ties() {
            int n = 0;
            for (int i = 0; i < a.size(); i++) {
                n += b.get(i).equals(a.get(i)) ? 1 : 0;
            }
            return n;
        }

        String summary() {
            int decided = a.size() - ties();
            return String.format("A median %d ms, B median %d ms%nB/A: per-pair median %.3f, geometric mean %.3f;"
                    + " B faster in %d of %d pairs (sign test p = %.3g)", Stats.median(a), Stats.median(b),
                    Stats.medianOfDoubles(ratios()), Stats.geomean(ratios()), bFaster(), a.size(),
                    Stats.signTest(bFaster(), decided));
        }
    }

    private static final ToolOptions OPTIONS = new ToolOptions("boot-ab");

    private BootAb() { }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getProperty("jvmx.home", ".")).toAbsolutePath().normalize();
        String defaultLauncher = home.resolve("jvmx").toString();
        int pairs = 8;
        String workload = "seabios";
        String aJvmx = defaultLauncher;
        String bJvmx = defaultLauncher;
        String aOpts = "";
        String bOpts = "";
        long timeout = 600;
        String until = null;
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--pairs" -> { pairs = (int) OPTIONS.number(v, "--pairs", 1, 10_000); i++; }
                case "--workload" -> { workload = OPTIONS.need(v, "--workload"); i++; }
                case "--until" -> { until = OPTIONS.need(v, "--until"); i++; }
                case "--a-jvmx" -> { aJvmx = OPTIONS.need(v, "--a-jvmx"); i++; }
                case "--b-jvmx" -> { bJvmx = OPTIONS.need(v, "--b-jvmx"); i++; }
                case "--a-opts" -> { aOpts = OPTIONS.need(v, "--a-opts").trim(); i++; }
                case "--b-opts" -> { bOpts = OPTIONS.need(v, "--b-opts").trim(); i++; }
                case "--timeout" -> { timeout = OPTIONS.number(v, "--timeout", 1, 86_400); i++; }
                case "--help", "-h" -> {
                    System.out.println("usage: bench/boot-ab [--pairs N] [--workload seabios|linux] [--until TEXT]"
                            + " [--a-jvmx PATH] [--a-opts OPTS] [--b-jvmx PATH] [--b-opts OPTS] [--timeout S]");
                    return;
                }
                default -> OPTIONS.fail("unknown option " + args[i] + " (try --help)");
            }
        }
        if (!workload.equals("seabios") && !workload.equals("linux")) {
            OPTIONS.fail("--workload is seabios or linux, not '" + workload + "'");
        }
        if (until != null && (until.isEmpty() || !workload.equals("linux"))) {
            OPTIONS.fail(until.isEmpty() ? "--until needs some text to wait for"
                    : "--until is for --workload linux (SeaBIOS runs to its exit)");
        }
        Variant a = new Variant(aJvmx, aOpts);
        Variant b = new Variant(bJvmx, bOpts);
        if (a.equals(b)) {
            System.err.println("boot-ab: A and B are the same variant: the pairs show the host's noise alone");
        }
        for (Variant x : List.of(a, b)) {
            if (!Files.isExecutable(Path.of(x.launcher()))) {
                OPTIONS.fail("no jvmx launcher at " + x.launcher());
            }
        }
        Path kernel = home.resolve(BootTimes.KERNEL);
        Path initrd = home.resolve(BootTimes.INITRD);
        Path disk = home.resolve(BootTimes.DISK);
        if (workload.equals("linux") && !(Files.isRegularFile(kernel) && Files.isRegularFile(initrd))) {
            OPTIONS.fail(BootTimes.NO_LINUX);
        }
        if (workload.equals("seabios") && !Files.isRegularFile(BootTimes.SEABIOS)) {
            OPTIONS.fail(BootTimes.NO_SEABIOS);
        }
        System.out.printf("A: %s%nB: %s%n%s, %d pairs%n", a, b, workload.equals("seabios")
                ? "SeaBIOS boots bootdisk.img to exit 33"
                : until == null ? "Linux to the shell prompt" : "Linux to the console's first '" + until + "'", pairs);
        try {
            System.out.println(pairs(BootTimes.runner(home, timeout), a, b, pairs, workload, until, kernel, initrd, disk)
                    .summary());
        } catch (IllegalStateException e) {
            // A guest that failed, hung or did not power off: what happened, without a stack trace.
            System.err.println("boot-ab: " + e.getMessage());
            System.exit(1);
        }
    }

    /** The pairs, each printed as it ends. */
    private static Result pairs(BootTimes runner, Variant a, Variant b, int pairs, String workload, String until,
                                Path kernel, Path initrd, Path disk) throws Exception {
        List<Long> at = new ArrayList<>();
        List<Long> bt = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            boolean aFirst = p % 2 == 0;
            long first = boot(runner, aFirst ? a : b, workload, until, kernel, initrd, disk);
            long second = boot(runner, aFirst ? b : a, workload, until, kernel, initrd, disk);
            at.add(aFirst ? first : second);
            bt.add(aFirst ? second : first);
            System.out.printf("pair %d (%s first): A %d ms, B %d ms, B/A %.3f%n", p + 1, aFirst ? "A" : "B",
                    at.get(p), bt.get(p), (double) bt.get(p) / at.get(p));
        }
        return new Result(at, bt);
    }

    /** One boot of {@code v}: its wall time in ms, to the exit (SeaBIOS), the prompt or {@code until} (Linux). */
    private static long boot(BootTimes runner, Variant v, String workload, String until, Path kernel, Path initrd,
                             Path disk) throws Exception {
        if (workload.equals("linux")) {
            List<String> cmd = BootTimes.jvmxLinux(v.launcher(), kernel, initrd, BootTimes.CMDLINE);
            return (until == null ? runner.toPrompt(cmd, v.env(), false) : runner.toMark(cmd, v.env(), until)).wallMs();
        }
        Path copy = Files.createTempFile("boot-ab", ".img");
        try {
            Files.copy(disk, copy, StandardCopyOption.REPLACE_EXISTING);
            return runner.toExit(BootTimes.jvmxSeabios(v.launcher(), BootTimes.SEABIOS, copy), v.env(), 33).wallMs();
        } finally {
            Files.deleteIfExists(copy);
        }
    }
}
