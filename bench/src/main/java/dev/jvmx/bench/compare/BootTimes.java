package dev.jvmx.bench.compare;

import dev.jvmx.runtime.QemuCpuModel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real guests under jvmx and QEMU's TCG, side by side (issue "Real guests at QEMU's speed"):
 * SeaBIOS booting the project's boot disk to its exit, and Debian's Linux (guest-images/linux)
 * from launch to the busybox prompt, directly and through SeaBIOS, then busybox programs inside
 * the guest on a generated file, timed by the guest's own clock ({@code time}). Each round runs
 * jvmx, then QEMU, for each workload; the table gives medians and jvmx/QEMU.
 *
 * <p>With {@code --initcalls N} it boots only Linux, with the kernel's initcall report, and
 * prints the N initcalls jvmx is furthest behind in ({@link InitcallTimes}).
 *
 * <pre>bench/boot-times [--rounds N] [--only seabios,linux,linux-bios] [--initcalls N] [--jvmx CMD] [--timeout S]</pre>
 */
public final class BootTimes {
    static final String PROMPT = "/root # ";
    static final String CMDLINE = "console=ttyS0";
    static final int RAM_MIB = 128;
    /** Debian's SeaBIOS (package seabios), and what the bench tools say when it is missing. */
    public static final Path SEABIOS = Path.of("/usr/share/seabios/bios.bin");
    public static final String NO_SEABIOS = "Debian's seabios is not installed (" + SEABIOS + ")";
    /** The guests, under the source tree: Linux's kernel and initramfs (guest-images/linux/build), the boot disk. */
    static final String KERNEL = "guest-images/linux/out/vmlinuz";
    static final String INITRD = "guest-images/linux/out/initramfs.cpio.gz";
    static final String DISK = "guest-images/images/bootdisk.img";
    static final String NO_LINUX = "no Linux guest: build it with guest-images/linux/build";
    /** The busybox programs, each on the generated file /tmp/f (seq 1 N: digits and newlines). */
    static final Map<String, String> PROGRAMS = new LinkedHashMap<>();

    static {
        PROGRAMS.put("gzip", "gzip -c /tmp/f > /tmp/f.gz");
        PROGRAMS.put("gunzip", "gunzip -c /tmp/f.gz > /dev/null");
        PROGRAMS.put("md5sum", "md5sum /tmp/f > /dev/null");
        PROGRAMS.put("sha256sum", "sha256sum /tmp/f > /dev/null");
        PROGRAMS.put("awk", "awk '{ s += $1 % 7 } END { print s }' /tmp/f > /dev/null");
    }

    static final String MAKE_FILE = "seq 1 300000 > /tmp/f";
    /** The elapsed time busybox's {@code time} prints: "real 0m 1.23s". */
    private static final Pattern REAL_TIME = Pattern.compile("real\\s+(\\d+)m\\s*([0-9.]+)s");

    private static final ToolOptions OPTIONS = new ToolOptions("boot-times");

    private final Path home;
    private int rounds = 3;
    private List<String> only = List.of("seabios", "linux", "linux-bios");
    private String jvmx;
    private long timeoutSeconds = 1800;
    /** Rows of the initcall table; 0 for the boot times. */
    private int initcalls;
    /**
     * Runs of each busybox program per boot (--program-runs): the first pays for translating its
     * code, the later ones show how fast that code runs once translated.
     */
    private int programRuns = 1;

    private BootTimes(Path home) {
        this.home = home;
        this.jvmx = home.resolve("jvmx").toString();
    }

    /** A runner of single boots ({@link #toExit}, {@link #toPrompt}) for bench/boot-ab, each bounded by {@code timeoutSeconds}. */
    static BootTimes runner(Path home, long timeoutSeconds) {
        BootTimes b = new BootTimes(home);
        b.timeoutSeconds = timeoutSeconds;
        return b;
    }

    public static void main(String[] args) throws Exception {
        BootTimes b = new BootTimes(Path.of(System.getProperty("jvmx.home", ".")).toAbsolutePath().normalize());
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--rounds" -> { b.rounds = (int) OPTIONS.number(v, "--rounds", 1, Integer.MAX_VALUE); i++; }
                case "--only" -> { b.only = List.of(OPTIONS.need(v, "--only").split(",")); i++; }
                case "--jvmx" -> { b.jvmx = OPTIONS.need(v, "--jvmx"); i++; }
                case "--timeout" -> { b.timeoutSeconds = OPTIONS.number(v, "--timeout", 1, Long.MAX_VALUE / 1_000_000_000L); i++; }
                case "--initcalls" -> { b.initcalls = (int) OPTIONS.number(v, "--initcalls", 1, Integer.MAX_VALUE); i++; }
                case "--program-runs" -> { b.programRuns = (int) OPTIONS.number(v, "--program-runs", 1, 100); i++; }
                case "--help", "-h" -> {
                    System.out.println("usage: bench/boot-times [--rounds N] [--only seabios,linux,linux-bios]"
                            + " [--program-runs N] [--initcalls N] [--jvmx CMD] [--timeout S]");
                    return;
                }
                default -> OPTIONS.fail("unknown option " + args[i] + " (try --help)");
            }
        }
        try {
            System.exit(b.run());
        } catch (IllegalStateException e) {
            // A guest that failed, hung or did not power off: what happened, without a stack trace.
            System.err.println("boot-times: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * One measurement: wall and process CPU (all threads) in ms, the guest-timed programs (each
     * run's seconds, in order), and the console's output up to the prompt (empty for a run to its
     * exit).
     */
    record Sample(long wallMs, long cpuMs, Map<String, List<Double>> programs, String console) { }

    private int run() throws Exception {
        Path kernel = home.resolve(KERNEL);
        Path initrd = home.resolve(INITRD);
        Path bios = SEABIOS;
        Path disk = home.resolve(DISK);
        for (String w : only) {
            if (!List.of("seabios", "linux", "linux-bios").contains(w)) {
                System.err.println("boot-times: unknown workload " + w);
                return 2;
            }
        }
        if ((initcalls > 0 || only.stream().anyMatch(w -> w.startsWith("linux")))
                && !(Files.isRegularFile(kernel) && Files.isRegularFile(initrd))) {
            System.err.println("boot-times: " + NO_LINUX);
            return 2;
        }
        String cpu = QemuCpuModel.option();
        if (initcalls > 0) {
            return initcalls(cpu, kernel, initrd); // Linux only, without firmware
        }
        if (!Files.isRegularFile(bios)) {
            System.err.println("boot-times: " + NO_SEABIOS);
            return 2;
        }
        Map<String, List<Sample>> results = new LinkedHashMap<>();
        for (int r = 1; r <= rounds; r++) {
            for (String w : only) {
                for (String who : List.of("jvmx", "qemu")) {
                    List<String> cmd = new ArrayList<>();
                    Sample s;
                    if (w.equals("seabios")) {
                        Path copy = Files.createTempFile("boot-times", ".img");
                        Files.copy(disk, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        if (who.equals("jvmx")) {
                            cmd.addAll(jvmxSeabios(jvmx, bios, copy));
                        } else {
                            cmd.addAll(qemu(cpu));
                            cmd.addAll(List.of("-serial", "none", "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
                                    "-drive", "file=" + copy + ",format=raw"));
                        }
                        s = toExit(cmd, 33);
                        Files.deleteIfExists(copy);
                    } else {
                        cmd.addAll(linux(who, cpu, kernel, initrd, CMDLINE));
                        if (who.equals("jvmx") && w.equals("linux-bios")) {
                            cmd.addAll(List.of("--bios", bios.toString()));
                        }
                        s = toPrompt(cmd, w.equals("linux"));
                    }
                    String key = w + "/" + who;
                    results.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
                    System.err.printf("boot-times: round %d %-10s %-4s wall %7d ms  cpu %7d ms  %s%n", r, w, who,
                            s.wallMs, s.cpuMs, s.programs.isEmpty() ? "" : s.programs);
                }
            }
        }
        print(results, System.out);
        return 0;
    }

    /** Linux to its prompt with the initcall report, jvmx then QEMU each round; prints the table. */
    private int initcalls(String cpu, Path kernel, Path initrd) throws Exception {
        String cmdline = CMDLINE + InitcallTimes.CMDLINE;
        Map<String, List<Map<String, Long>>> boots = new LinkedHashMap<>();
        for (int r = 1; r <= rounds; r++) {
            for (String who : List.of("jvmx", "qemu")) {
                Map<String, Long> times = InitcallTimes.parse(toPrompt(linux(who, cpu, kernel, initrd, cmdline), false).console());
                if (times.isEmpty()) {
                    throw new IllegalStateException(who + ": the kernel reported no initcalls (initcall_debug)");
                }
                boots.computeIfAbsent(who, k -> new ArrayList<>()).add(times);
                System.err.printf("boot-times: round %d %-4s %d initcalls, %d ms in all%n", r, who, times.size(),
                        times.values().stream().mapToLong(Long::longValue).sum() / 1000);
            }
        }
        InitcallTimes.table(boots.get("jvmx"), boots.get("qemu"), initcalls).forEach(System.out::println);
        return 0;
    }

    /** Linux's kernel and initramfs, booted directly with this command line, the console on stdio. */
    private List<String> linux(String who, String cpu, Path kernel, Path initrd, String cmdline) {
        List<String> cmd = new ArrayList<>();
        if (who.equals("jvmx")) {
            cmd.addAll(jvmxLinux(jvmx, kernel, initrd, cmdline));
        } else {
            cmd.addAll(qemu(cpu));
            cmd.addAll(List.of("-serial", "stdio", "-no-reboot", "-kernel", kernel.toString(),
                    "-initrd", initrd.toString(), "-append", cmdline));
        }
        return cmd;
    }

    /** jvmx ({@code launcher}) booting SeaBIOS ({@code bios}) with {@code disk}, to the disk's isa-debug-exit. */
    static List<String> jvmxSeabios(String launcher, Path bios, Path disk) {
        return List.of(launcher, "boot", "--bios", bios.toString(), "-hda", disk.toString(), "--serial", "none");
    }

    /** jvmx ({@code launcher}) booting Linux's kernel and initramfs directly, the console on stdio. */
    static List<String> jvmxLinux(String launcher, Path kernel, Path initrd, String cmdline) {
        return List.of(launcher, "boot", "--kernel", kernel.toString(), "--initrd", initrd.toString(),
                "--append", cmdline, "-m", Integer.toString(RAM_MIB), "--serial", "stdio");
    }

    private List<String> qemu(String cpu) {
        return new ArrayList<>(List.of("qemu-system-i386", "-accel", "tcg", "-display", "none", "-nic", "none",
                "-m", Integer.toString(RAM_MIB), "-cpu", cpu));
    }

    /** Runs to the process's end, which must be {@code exitCode}. */
    private Sample toExit(List<String> cmd, int exitCode) throws Exception {
        return toExit(cmd, Map.of(), exitCode);
    }

    /** The same, with {@code env} added to the process's environment. */
    Sample toExit(List<String> cmd, Map<String, String> env, int exitCode) throws Exception {
        long t0 = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Process p = pb.start();
        CpuWatch cpu = new CpuWatch(p);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(cmd.get(0) + " did not end within " + timeoutSeconds + " s");
        }
        long wall = (System.nanoTime() - t0) / 1_000_000;
        if (p.exitValue() != exitCode) {
            throw new IllegalStateException(String.join(" ", cmd) + ": exit " + p.exitValue() + ", not " + exitCode);
        }
        return new Sample(wall, cpu.lastMs(), Map.of(), "");
    }

    /** Boots to the prompt (the time taken), optionally runs the busybox programs, powers off. */
    private Sample toPrompt(List<String> cmd, boolean programs) throws Exception {
        return toPrompt(cmd, Map.of(), programs);
    }

    /** The same, with {@code env} added to the process's environment. */
    Sample toPrompt(List<String> cmd, Map<String, String> env, boolean programs) throws Exception {
        long t0 = System.nanoTime();
        Process p = startWithConsole(cmd, env);
        CpuWatch cpu = new CpuWatch(p);
        Console c = new Console(p);
        try {
            String console = c.await(PROMPT, timeoutSeconds);
            long wall = (System.nanoTime() - t0) / 1_000_000;
            long cpuMs = cpu.nowMs();
            Map<String, List<Double>> times = new LinkedHashMap<>();
            if (programs) {
                c.run(MAKE_FILE, timeoutSeconds);
                for (Map.Entry<String, String> e : PROGRAMS.entrySet()) {
                    List<Double> runs = new ArrayList<>();
                    for (int i = 0; i < programRuns; i++) {
                        String out = c.run("time " + e.getValue(), timeoutSeconds);
                        Matcher m = REAL_TIME.matcher(out);
                        if (!m.find()) {
                            throw new IllegalStateException("no time for " + e.getKey() + ": " + out);
                        }
                        runs.add(Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2)));
                    }
                    times.put(e.getKey(), runs);
                }
            }
            c.type("poweroff\n");
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                throw new IllegalStateException(cmd.get(0) + " did not power off");
            }
            return new Sample(wall, cpuMs, times, console);
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * Runs until the console first shows {@code mark} (the time taken), then ends the process: a
     * stretch of a boot, such as launch to "Linux version" (the kernel's decompression).
     */
    Sample toMark(List<String> cmd, Map<String, String> env, String mark) throws Exception {
        long t0 = System.nanoTime();
        Process p = startWithConsole(cmd, env);
        CpuWatch cpu = new CpuWatch(p);
        try {
            String console = new Console(p).await(mark, timeoutSeconds);
            return new Sample((System.nanoTime() - t0) / 1_000_000, cpu.nowMs(), Map.of(), console);
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Starts {@code cmd} with {@code env} added to its environment, its errors on its console's stream. */
    private static Process startWithConsole(List<String> cmd, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        return pb.start();
    }

    /** The tables of medians (Markdown) for {@code results}, keyed by workload/contender. */
    static void print(Map<String, List<Sample>> results, PrintStream out) {
        // Besides the ratio of the medians, each round's own ratio: jvmx and QEMU ran back to back
        // there, so a host that slows down for a while moves both; its median and range say how
        // far one run's ratio can be trusted on a shared machine.
        out.println("| workload | jvmx wall ms | qemu wall ms | jvmx/qemu | per round: median (range) | jvmx cpu ms | qemu cpu ms | jvmx/qemu |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        List<Double> programRatios = new ArrayList<>();
        List<Double> steadyRatios = new ArrayList<>();
        boolean repeated = false;
        Map<String, String> programRows = new LinkedHashMap<>();
        for (String w : List.of("seabios", "linux", "linux-bios")) {
            List<Sample> j = results.get(w + "/jvmx");
            List<Sample> q = results.get(w + "/qemu");
            if (j == null || q == null) {
                continue;
            }
            long jw = Stats.median(j.stream().map(Sample::wallMs).toList());
            long qw = Stats.median(q.stream().map(Sample::wallMs).toList());
            long jc = Stats.median(j.stream().map(Sample::cpuMs).toList());
            long qc = Stats.median(q.stream().map(Sample::cpuMs).toList());
            String what = w.equals("seabios") ? "SeaBIOS boots bootdisk.img to exit 33"
                    : w.equals("linux") ? "Linux to the shell prompt (jvmx direct, QEMU -kernel)"
                    : "Linux to the shell prompt (jvmx --bios SeaBIOS, QEMU -kernel)";
            List<Double> rounds = Stats.pairedRatios(j.stream().map(Sample::wallMs).toList(),
                    q.stream().map(Sample::wallMs).toList());
            out.printf("| %s | %d | %d | %.2f | %.2f (%.2f-%.2f) | %d | %d | %.2f |%n", what, jw, qw, (double) jw / qw,
                    Stats.medianOfDoubles(rounds), Collections.min(rounds), Collections.max(rounds), jc, qc,
                    (double) jc / qc);
            if (!j.get(0).programs.isEmpty()) {
                repeated = j.get(0).programs.values().iterator().next().size() > 1;
                for (String prog : PROGRAMS.keySet()) {
                    double jt = Stats.medianOfDoubles(j.stream().map(s -> s.programs.get(prog).get(0)).toList());
                    double qt = Stats.medianOfDoubles(q.stream().map(s -> s.programs.get(prog).get(0)).toList());
                    programRatios.add(jt / qt);
                    String row = String.format("| %s | %.2f | %.2f | %.2f |", PROGRAMS.get(prog).replace("|", "\\|"),
                            jt, qt, jt / qt);
                    if (repeated) {
                        double js = Stats.medianOfDoubles(j.stream().map(s -> later(s.programs.get(prog))).toList());
                        double qs = Stats.medianOfDoubles(q.stream().map(s -> later(s.programs.get(prog))).toList());
                        steadyRatios.add(js / qs);
                        row += String.format(" %.2f | %.2f | %.2f |", js, qs, js / qs);
                    }
                    programRows.put(prog, row);
                }
            }
        }
        if (!programRows.isEmpty()) {
            out.println();
            // With repeated runs, three more columns: the first run pays for translating the
            // program's code; the later runs of the same boot find it translated, and show how
            // fast hot code runs against QEMU's.
            out.println("| busybox in the guest (on `" + MAKE_FILE + "`) | jvmx s | qemu s | jvmx/qemu |"
                    + (repeated ? " later runs: jvmx s | qemu s | jvmx/qemu |" : ""));
            out.println("|---|---:|---:|---:|" + (repeated ? "---:|---:|---:|" : ""));
            programRows.values().forEach(out::println);
            out.printf("| **geometric mean** | | | **%.2f** |%s%n", Stats.geomean(programRatios),
                    repeated ? String.format(" | | **%.2f** |", Stats.geomean(steadyRatios)) : "");
        }
    }

    /** The median of a program's runs after its first in one boot. */
    private static double later(List<Double> runs) {
        return Stats.medianOfDoubles(runs.subList(1, runs.size()));
    }

    /** The process's CPU time (all its threads), sampled while it lives (the JDK gives none after). */
    static final class CpuWatch {
        private final Process p;
        private volatile long last;

        CpuWatch(Process p) {
            this.p = p;
            Thread t = new Thread(() -> {
                while (p.isAlive()) {
                    nowMs();
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "cpu-watch");
            t.setDaemon(true);
            t.start();
        }

        long nowMs() {
            long ms = p.toHandle().info().totalCpuDuration().map(Duration::toMillis).orElse(last);
            if (ms > last) {
                last = ms;
            }
            return last;
        }

        long lastMs() {
            return last;
        }
    }

    /** The serial console on the process's stdin/stdout, driven like a terminal. */
    static final class Console {
        private final OutputStream in;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final Process p;
        /** Copies the process's output into {@link #out} until it ends. */
        private final Thread reader;
        private int consumed;
        private int commands;

        Console(Process p) {
            this.p = p;
            this.in = p.getOutputStream();
            InputStream s = p.getInputStream();
            Thread t = new Thread(() -> {
                byte[] b = new byte[4096];
                try {
                    int n;
                    while ((n = s.read(b)) > 0) {
                        synchronized (out) {
                            out.write(b, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // ended
                }
            }, "console");
            t.setDaemon(true);
            t.start();
            reader = t;
        }

        String await(String text, long seconds) throws InterruptedException {
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            while (true) {
                // Once the process has ended, what it wrote last may still be on its way to out.
                boolean ended = !p.isAlive();
                if (ended) {
                    reader.join(5_000);
                }
                String t;
                synchronized (out) {
                    t = out.toString(StandardCharsets.ISO_8859_1).replace("\r", "");
                }
                int at = t.indexOf(text, consumed);
                if (at >= 0) {
                    String seen = t.substring(consumed, at + text.length());
                    consumed = at + text.length();
                    return seen;
                }
                if (ended || System.nanoTime() > end) {
                    throw new IllegalStateException("no '" + text + "' (process "
                            + (ended ? "ended" : "still running") + "); last output:\n"
                            + t.substring(Math.max(0, t.length() - 2000)));
                }
                Thread.sleep(20);
            }
        }

        void type(String s) throws IOException {
            in.write(s.getBytes(StandardCharsets.ISO_8859_1));
            in.flush();
        }

        String run(String command, long seconds) throws IOException, InterruptedException {
            int n = ++commands;
            type("echo ==B''" + n + "==; " + command + "; echo ==E''" + n + "==\n");
            await("\n==B" + n + "==\n", seconds);
            return await("==E" + n + "==", seconds);
        }
    }
}
