package dev.jvmx.runtime.kut;

import dev.jvmx.runtime.Machine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How one test of the suite runs on a machine, or why it does not: the skip rules of the
 * suite's run_tests.sh (arch, the nodefault group, accel, check files, a missing binary), then
 * the test's parameters mapped to jvmx's options. jvmx has up to {@code Machine.MAX_CPUS}
 * processors (-smp), one CPU model and one machine type: tests that need more CPUs than that (or
 * as many as the host has), KVM, another machine or a device it lacks are skipped with the reason.
 */
public final class KutPlan {
    public static final String ARCH = "i386";

    public final KutTest test;
    /** Why the test does not run, or null. */
    public final String skip;
    /** The command line after the program name (jvmx: boot options; QEMU: its options), without the kernel. */
    public final List<String> args;

    private KutPlan(KutTest test, String skip, List<String> args) {
        this.test = test;
        this.skip = skip;
        this.args = args;
    }

    private static KutPlan skip(KutTest t, String why) {
        return new KutPlan(t, why, List.of());
    }

    /**
     * The vmexit group are benchmarks, not checks: each times its operation in TSC ticks,
     * doubling the iterations until 2^30 ticks pass. On the virtual clock a tick is an instruction
     * retired, and an exit (CPUID, a TSC-deadline interrupt) is one instruction however long the
     * host takes over it, so 2^30 ticks can take minutes; on the host clock a tick is a host
     * nanosecond and each finishes in seconds. Their result does not depend on the clock.
     * s3 waits for an RTC update cycle by polling register A, which on the virtual clock is a
     * second of instructions (about 10 s here), and then sleeps until the RTC alarm; on the host
     * clock the whole test takes a few seconds, with the same result.
     */
    public static boolean needsHostClock(KutTest t) {
        return t.groups().contains("vmexit") || t.name().equals("s3");
    }

    /** run_tests.sh's own reasons to skip, which hold for every machine. */
    static String suiteSkip(KutTest t, Path suite) {
        if (t.groups().contains("nodefault")) {
            return "test marked as manual run only";
        }
        if (!t.arch().isEmpty() && !t.arch().equals(ARCH)) {
            return t.arch() + " only";
        }
        if (t.accel().equals("kvm")) {
            return "kvm only";
        }
        if (!t.check().isEmpty()) {
            for (String c : UnitTestsCfg.words(t.check())) {
                int eq = c.indexOf('=');
                Path p = Path.of(eq < 0 ? c : c.substring(0, eq));
                String want = eq < 0 ? "" : c.substring(eq + 1);
                try {
                    if (!Files.isRegularFile(p) || !Files.readString(p).strip().equals(want)) {
                        return p + " not equal to " + want;
                    }
                } catch (java.io.IOException | SecurityException e) {
                    return p + " not equal to " + want;
                }
            }
        }
        if (!Files.isRegularFile(suite.resolve("x86").resolve(t.file()))) {
            return "Test file 'x86/" + t.file() + "' not found";
        }
        return null;
    }

    /** The test on jvmx: `jvmx boot` options, the parameters it cannot honour making it a skip. */
    public static KutPlan forJvmx(KutTest t, Path suite) {
        String s = suiteSkip(t, suite);
        if (s != null) {
            return skip(t, s);
        }
        if (t.smp() == Integer.MAX_VALUE) {
            return skip(t, "needs as many CPUs as the host has ($MAX_SMP)");
        }
        if (t.smp() > Machine.MAX_CPUS) {
            return skip(t, "needs " + t.smp() + " CPUs; jvmx has at most " + Machine.MAX_CPUS);
        }
        List<String> a = new ArrayList<>(List.of("--device", "pc-testdev", "--device", "pci-testdev"));
        if (t.smp() > 1) {
            a.add("-smp");
            a.add(Integer.toString(t.smp()));
        }
        List<String> p = t.params();
        String append = t.testArgs();
        for (int i = 0; i < p.size(); i++) {
            String o = p.get(i);
            String v = i + 1 < p.size() ? p.get(i + 1) : "";
            switch (o) {
                case "-cpu":
                    i++;
                    if (v.startsWith("host")) {
                        return skip(t, "-cpu host needs KVM");
                    }
                    break; // jvmx has one CPU model: the test reads CPUID and skips what it lacks
                case "-m": {
                    i++;
                    long mib = mebibytes(v);
                    if (mib < 0 || mib > 2047) {
                        return skip(t, "-m " + v + ": jvmx takes 2 to 2047 MiB");
                    }
                    a.add("-m");
                    a.add(Long.toString(mib));
                    break;
                }
                case "-smp":
                    i++;
                    a.add("-smp");
                    a.add(v);
                    break;
                case "-device": {
                    i++;
                    String d = v.split(",")[0];
                    if (d.equals("pc-testdev") || d.equals("pci-testdev") || d.equals("isa-debug-exit")) {
                        break;
                    }
                    return skip(t, "-device " + d + ": jvmx has no such device");
                }
                case "-append":
                    i++;
                    append = append.isEmpty() ? v : append + " " + v;
                    break;
                case "-global":
                case "-overcommit":
                    i++;
                    break; // tunes KVM or host resources: nothing for jvmx to do
                case "-machine":
                case "-M":
                    i++;
                    if (!v.equals("pit=off")) {
                        return skip(t, o + " " + v + ": jvmx has one machine type");
                    }
                    a.add("-machine");
                    a.add(v);
                    break;
                case "-enable-kvm":
                    return skip(t, "needs KVM");
                default:
                    return skip(t, "option " + o + " not supported by jvmx");
            }
        }
        if (!append.isEmpty()) {
            a.add("--append");
            a.add(append);
        }
        return new KutPlan(t, null, a);
    }

    /** The test on QEMU (TCG) as run_tests.sh starts it. */
    public static KutPlan forQemu(KutTest t, Path suite) {
        String s = suiteSkip(t, suite);
        if (s != null) {
            return skip(t, s);
        }
        List<String> a = new ArrayList<>(List.of("--no-reboot", "-nodefaults", "-device", "pc-testdev",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x4", "-display", "none", "-serial", "stdio",
                "-device", "pci-testdev", "-machine", "accel=tcg"));
        if (t.smp() > 1) {
            a.add("-smp");
            a.add(t.smp() == Integer.MAX_VALUE ? Integer.toString(Runtime.getRuntime().availableProcessors())
                    : Integer.toString(t.smp()));
        }
        a.addAll(t.params());
        if (!t.testArgs().isEmpty()) {
            a.add("-append");
            a.add(t.testArgs());
        }
        return new KutPlan(t, null, a);
    }

    /** -m's argument in MiB (a plain number is MiB; k, m, g, t suffixes), -1 if unreadable. */
    static long mebibytes(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        long mul = 1;
        if (s.endsWith("g")) {
            mul = 1024;
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("t")) {
            mul = 1024 * 1024;
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            return Long.parseLong(s) * mul;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
