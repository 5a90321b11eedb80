package dev.jvmx.bench.compare;

import dev.jvmx.cputest.HostMode;
import dev.jvmx.cputest.NativeOracle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the guest benchmark suite (guest-images/src/bench) under jvmx, under QEMU's TCG and
 * natively, alternating jvmx, QEMU, native for each program, several rounds, and prints the
 * median wall time of the whole process and of the steady state (the median of the guest's
 * rounds 2..R, timed on the host from its marker lines), with the ratios jvmx/QEMU and
 * jvmx/native and their geometric means.
 *
 * <p>The checksums every run must print come from the committed {@code .expected} files (made
 * by {@code make bench} from the native i386 build where it could run), so jvmx and QEMU are
 * compared whether or not anything native runs here. The native contender is the i386 build of
 * the same objects where this host runs 32-bit programs, else an x86-64 build of the same C
 * ({@code make bench-native64}); the table's header says which ({@code native32}/{@code native64}),
 * and where neither builds the native columns are n/a and the rest of the table is complete.
 *
 * <p>With {@code --paging} jvmx and QEMU run the same programs with paging on
 * ({@code images/bench/paged}: 4 MiB pages map the first 256 MiB to themselves), as programs run
 * under an operating system. Without it jvmx's translated code reaches RAM by physical address,
 * without a TLB probe, while QEMU's code probes its software TLB at every access either way.
 *
 * <pre>bench/compare [--rounds N] [--programs a,b] [--paging] [--native auto|32|64] [--jvmx CMD] [--qemu PATH] [--timeout S]</pre>
 */
public final class CompareMain {
    public static final List<String> PROGRAMS =
            List.of("crc32", "sieve", "qsort", "matmul", "interp", "fib", "memops", "listwalk", "bignum", "nbody",
                    "nbody-ld", "whetstone", "nbody-sse2", "whetstone-sse2");
    /** Rounds every program runs inside one process (BENCH_ROUNDS in bench.h). */
    static final int GUEST_ROUNDS = 5;

    enum Contender { JVMX, QEMU, NATIVE }

    private final Path home;
    private int rounds = 3;
    private List<String> programs = PROGRAMS;
    private boolean paging;
    private String jvmx;
    private String qemu = "qemu-system-i386";
    private long timeoutSeconds = 300;
    private NativeOracle.Request nativeRequest = NativeOracle.Request.AUTO;
    /** 32 or 64: which native build runs; 0 when none could be built. */
    private int nativeBits;
    /** Why the native column is what it is (for the note under the table). */
    private String nativeNote = "";
    /** Per program: the checksum of the committed .expected file. */
    private final Map<String, String> expected = new LinkedHashMap<>();

    private CompareMain(Path home) {
        this.home = home;
        this.jvmx = home.resolve("jvmx").toString();
    }

    public static void main(String[] args) {
        int code;
        try {
            code = new CompareMain(findHome()).run(args);
        } catch (UsageException e) {
            System.err.println("compare: " + e.getMessage());
            code = 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = 130;
        }
        System.exit(code);
    }

    static final class UsageException extends Exception {
        UsageException(String m) {
            super(m);
        }
    }

    private static Path findHome() throws UsageException {
        String h = System.getProperty("jvmx.home");
        Path start = h != null ? Path.of(h) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("guest-images").resolve("src").resolve("bench"))) {
                return p;
            }
        }
        throw new UsageException("cannot find the jvmx source tree (guest-images/src/bench) above " + start
                + "; run from the tree or pass -Djvmx.home=DIR");
    }

    private void parse(String[] args) throws UsageException {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                v = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "-h": case "--help":
                    throw new UsageException("usage: bench/compare [--rounds N] [--programs a,b,...] [--paging]"
                            + " [--native auto|32|64] [--jvmx CMD] [--qemu PATH] [--timeout SECONDS]\n  programs: "
                            + String.join(",", PROGRAMS)
                            + "\n  --paging: jvmx and QEMU run the programs with paging on (guest-images/images/bench/paged),"
                            + " as under an operating system"
                            + "\n  --native: the native contender; auto takes the i386 build where this host runs 32-bit"
                            + " programs, else an x86-64 build of the same C (JVMX_NO_32BIT=1 makes auto act as on such a host)");
                case "--rounds":
                    rounds = intArg(a, v != null ? v : next(args, ++i, a), 1);
                    break;
                case "--timeout":
                    timeoutSeconds = intArg(a, v != null ? v : next(args, ++i, a), 1);
                    break;
                case "--programs": {
                    List<String> ps = Arrays.asList((v != null ? v : next(args, ++i, a)).split(","));
                    for (String p : ps) {
                        if (!PROGRAMS.contains(p)) {
                            throw new UsageException("unknown program '" + p + "'; known: " + String.join(",", PROGRAMS));
                        }
                    }
                    programs = ps;
                    break;
                }
                case "--paging":
                    if (v != null) {
                        throw new UsageException("--paging takes no value");
                    }
                    paging = true;
                    break;
                case "--jvmx":
                    jvmx = v != null ? v : next(args, ++i, a);
                    break;
                case "--native": {
                    String n = v != null ? v : next(args, ++i, a);
                    switch (n) {
                        case "auto": nativeRequest = NativeOracle.Request.AUTO; break;
                        case "32": nativeRequest = NativeOracle.Request.IA32; break;
                        case "64": nativeRequest = NativeOracle.Request.X86_64; break;
                        default: throw new UsageException("--native expects auto, 32 or 64, got '" + n + "'");
                    }
                    break;
                }
                case "--qemu":
                    qemu = v != null ? v : next(args, ++i, a);
                    break;
                default:
                    throw new UsageException("unknown option '" + args[i] + "' (try --help)");
            }
        }
    }

    private static String next(String[] args, int i, String opt) throws UsageException {
        if (i >= args.length) {
            throw new UsageException(opt + " needs a value");
        }
        return args[i];
    }

    private static int intArg(String opt, String v, int min) throws UsageException {
        try {
            int n = Integer.parseInt(v);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(opt + " expects an integer >= " + min + ", got '" + v + "'");
    }

    private Path image(String program) {
        return image(home, program, paging);
    }

    private String pagingNote() {
        return paging ? "paging: on for jvmx and QEMU (images/bench/paged: 4 MiB pages map the first 256 MiB to themselves;"
                + " native runs as a Linux process)" : "paging: off (jvmx's code reaches RAM without a TLB probe, QEMU's probes"
                + " its TLB anyway; --paging runs the programs with paging on)";
    }

    /** The Multiboot image of {@code program}: the paged build under bench/paged, or the one without paging. */
    static Path image(Path home, String program, boolean paging) {
        return home.resolve("guest-images/images/bench/" + (paging ? "paged/" : "") + program + ".elf");
    }

    private Path nativeProgram(String program) {
        return nativeBits == 64 ? home.resolve("guest-images/target/image-build/bench64/" + program + ".linux64")
                : home.resolve("guest-images/target/image-build/bench/" + program + ".linux");
    }

    private Path expectedFile(String program) {
        return home.resolve("guest-images/images/bench/" + program + ".expected");
    }

    /**
     * The checksum a good run prints, from a committed .expected file: the header lines, an
     * empty line, then the program's output, whose {@code done XXXXXXXX} line is the checksum.
     */
    static String expectedChecksum(String text) {
        int body = text.indexOf("\n\n");
        if (body >= 0) {
            for (String line : text.substring(body + 2).split("\n")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("done ([0-9a-f]{8})").matcher(line.trim());
                if (m.matches()) {
                    return m.group(1);
                }
            }
        }
        return null;
    }

    List<String> command(Contender c, String program) {
        switch (c) {
            case JVMX:
                return List.of(jvmx, "boot", "--kernel", image(program).toString(), "--serial", "none",
                        "--debugcon", "stdio");
            case QEMU:
                return List.of(qemu, "-accel", "tcg", "-m", "128", "-display", "none", "-serial", "none",
                        "-debugcon", "stdio", "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
                        "-kernel", image(program).toString());
            default:
                return List.of(nativeProgram(program).toString());
        }
    }

    /** Exit status of a good run: isa-debug-exit with 0 gives (0 << 1) | 1 under jvmx and QEMU. */
    static int expectedExit(Contender c) {
        return c == Contender.NATIVE ? 0 : 1;
    }

    // ---- preflight: clear messages for missing tools

    private void preflight() throws UsageException, InterruptedException {
        for (String p : programs) {
            if (!Files.isRegularFile(image(p))) {
                throw new UsageException("guest image " + image(p) + " is missing; build it with: make -C "
                        + home.resolve("guest-images") + " bench");
            }
        }
        if (jvmx.contains("/") && !Files.isExecutable(Path.of(jvmx))) {
            throw new UsageException("jvmx launcher " + jvmx + " not found or not executable");
        }
        if (!Files.isRegularFile(home.resolve("runtime/target/jvmx.jar")) && jvmx.equals(home.resolve("jvmx").toString())) {
            throw new UsageException("runtime/target/jvmx.jar is missing; build it with: mvn -B -q install -DskipTests");
        }
        tool(List.of(qemu, "--version"), "QEMU (" + qemu + ") is needed for the comparison: install it"
                + " (Debian: apt-get install qemu-system-x86) or pass --qemu PATH");
        for (String p : programs) {
            String sum = null;
            try {
                sum = expectedChecksum(Files.readString(expectedFile(p)));
            } catch (IOException e) {
                // reported below
            }
            if (sum == null) {
                throw new UsageException(expectedFile(p) + " is missing or has no 'done CHECKSUM' line; it comes with the"
                        + " image (make -C guest-images bench, on a host that runs 32-bit programs)");
            }
            expected.put(p, sum);
        }
        buildNative();
    }

    /**
     * Builds the native contender: the i386 programs where this host runs 32-bit programs (and
     * --native allows), else the x86-64 build of the same C. A failure here costs only the
     * native columns, never the jvmx/QEMU comparison.
     */
    private void buildNative() throws InterruptedException {
        NativeOracle.Choice host = NativeOracle.choose(nativeRequest);
        String why32 = host.ia32Problem;
        if (host.mode == null) {
            nativeNote = "native: none (" + host.unavailableReason() + ")";
            System.err.println("compare: no native contender: " + host.unavailableReason() + "; jvmx and QEMU are still compared");
            return;
        }
        int bits = host.mode == HostMode.IA32 ? 32 : 64;
        String target = bits == 32 ? "bench-native" : "bench-native64";
        try {
            String out = tool(List.of("make", "-s", "-C", home.resolve("guest-images").toString(), target),
                    "building the native programs failed (make -C guest-images " + target + ")");
            if (!out.isBlank()) {
                System.err.print(out);
            }
        } catch (UsageException e) {
            nativeNote = "native: none (" + e.getMessage().lines().findFirst().orElse("") + ")";
            System.err.println("compare: " + e.getMessage() + "\ncompare: jvmx and QEMU are still compared");
            return;
        }
        nativeBits = bits;
        nativeNote = bits == 32 ? "native32: the i386 Linux build of the same objects (guest-images/target/image-build/bench/*.linux)"
                : "native64: an x86-64 Linux build of the same C (guest-images/target/image-build/bench64/*.linux64), because "
                        + (why32 != null ? why32 : "--native 64 asked for it");
    }

    /** Runs a tool to completion; its output, or a UsageException with {@code help} if it is missing or fails. */
    private static String tool(List<String> cmd, String help) throws UsageException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UsageException(cmd.get(0) + " not found: " + help);
        }
        String out;
        try {
            out = new String(p.getInputStream().readAllBytes());
        } catch (IOException e) {
            out = "";
        }
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new UsageException(String.join(" ", cmd) + " did not finish: " + help);
        }
        if (p.exitValue() != 0) {
            throw new UsageException(help + "\n" + out.trim());
        }
        return out;
    }

    // ---- the measurement

    /** Good runs per program and contender, and the first failure seen. */
    private final Map<String, Map<Contender, List<GuestRun>>> good = new LinkedHashMap<>();
    private final Map<String, Map<Contender, String>> failure = new LinkedHashMap<>();

    int run(String[] args) throws UsageException, InterruptedException {
        parse(args);
        preflight();
        System.out.printf("jvmx vs QEMU TCG vs native: %d round(s) of jvmx, qemu, native per program, %d guest rounds each%n",
                rounds, GUEST_ROUNDS);
        System.out.println(pagingNote());
        for (String p : programs) {
            good.put(p, new EnumMap<>(Contender.class));
            failure.put(p, new EnumMap<>(Contender.class));
            for (Contender c : Contender.values()) {
                good.get(p).put(c, new ArrayList<>());
            }
        }
        for (int r = 1; r <= rounds; r++) {
            for (String p : programs) {
                GuestRun[] runs = new GuestRun[3];
                for (Contender c : Contender.values()) {
                    try {
                        runs[c.ordinal()] = c == Contender.NATIVE && nativeBits == 0 ? null : GuestRun.run(command(c, p), timeoutSeconds);
                    } catch (IOException e) {
                        throw new UsageException("cannot start " + command(c, p).get(0) + ": " + e.getMessage());
                    }
                }
                String oracle = expected.get(p);
                StringBuilder line = new StringBuilder(String.format("round %d %-9s", r, p));
                for (Contender c : Contender.values()) {
                    GuestRun g = runs[c.ordinal()];
                    if (g == null) {
                        line.append("  native n/a");
                        continue;
                    }
                    String problem = g.problem(expectedExit(c), GUEST_ROUNDS, oracle);
                    if (problem == null) {
                        good.get(p).get(c).add(g);
                        line.append(String.format("  %s %7.0f ms (steady %6.1f)", c.name().toLowerCase(),
                                g.wallNanos / 1e6, g.steadyNanos() / 1e6));
                    } else {
                        failure.get(p).putIfAbsent(c, problem);
                        line.append(String.format("  %s FAILED: %s", c.name().toLowerCase(), problem));
                    }
                }
                System.out.println(line);
                System.out.flush();
            }
        }
        System.out.println();
        printTable();
        boolean allGood = failure.values().stream().allMatch(Map::isEmpty);
        return allGood ? 0 : 1;
    }

    private void printTable() {
        System.out.println("Median over runs, milliseconds. Whole = launch to exit of the process (JVM start-up included);");
        System.out.println("steady = median of the guest's rounds 2.." + GUEST_ROUNDS + " per run, timed on the host from its marker lines.");
        System.out.println("Checksums: every run must print those of guest-images/images/bench/*.expected.");
        System.out.println(pagingNote());
        System.out.println(nativeNote);
        System.out.println();
        String n = nativeBits == 0 ? "native" : "native" + nativeBits;
        System.out.println("| program | jvmx whole | qemu whole | " + n + " whole | jvmx/qemu | jvmx/" + n + " "
                + "| jvmx steady | qemu steady | " + n + " steady | jvmx/qemu | jvmx/" + n + " |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        List<Double> wq = new ArrayList<>(), wn = new ArrayList<>(), sq = new ArrayList<>(), sn = new ArrayList<>();
        for (String p : programs) {
            double[] whole = new double[3], steady = new double[3];
            for (Contender c : Contender.values()) {
                List<GuestRun> runs = good.get(p).get(c);
                List<Long> w = new ArrayList<>(), s = new ArrayList<>();
                for (GuestRun g : runs) {
                    w.add(g.wallNanos);
                    s.add(g.steadyNanos());
                }
                whole[c.ordinal()] = runs.isEmpty() ? Double.NaN : Stats.median(w) / 1e6;
                steady[c.ordinal()] = runs.isEmpty() ? Double.NaN : Stats.median(s) / 1e6;
            }
            double rwq = whole[0] / whole[1], rwn = whole[0] / whole[2];
            double rsq = steady[0] / steady[1], rsn = steady[0] / steady[2];
            wq.add(rwq);
            wn.add(rwn);
            sq.add(rsq);
            sn.add(rsn);
            System.out.printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", p,
                    ms(whole[0]), ms(whole[1]), ms(whole[2]), ratio(rwq), ratio(rwn),
                    ms(steady[0]), ms(steady[1]), ms(steady[2]), ratio(rsq), ratio(rsn));
        }
        long counted = sq.stream().filter(x -> x > 0 && !Double.isNaN(x) && !Double.isInfinite(x)).count();
        System.out.printf("| **geometric mean** (%d of %d programs) | | | | **%s** | **%s** | | | | **%s** | **%s** |%n",
                counted, programs.size(), ratio(Stats.geomean(wq)), ratio(Stats.geomean(wn)), ratio(Stats.geomean(sq)), ratio(Stats.geomean(sn)));
        boolean any = false;
        for (Map.Entry<String, Map<Contender, String>> e : failure.entrySet()) {
            for (Map.Entry<Contender, String> f : e.getValue().entrySet()) {
                if (!any) {
                    System.out.println();
                    System.out.println("Failed runs (left out of the medians; a program with no good run shows n/a):");
                    any = true;
                }
                System.out.printf("- %s under %s: %s%n", e.getKey(), f.getKey().name().toLowerCase(), f.getValue());
            }
        }
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "n/a" : v >= 100 ? String.format("%.0f", v) : String.format("%.1f", v);
    }

    private static String ratio(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "n/a" : String.format("%.2f", v);
    }
}
