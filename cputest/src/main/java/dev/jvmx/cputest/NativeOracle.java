package dev.jvmx.cputest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which native oracle the host fuzzer can use on this host, and in words why not where it
 * cannot. Two probes, each a tiny static program built with gcc: a 32-bit one that exits 42,
 * and a 64-bit one that reports whether 64-bit mode has LAHF/SAHF (exit 42 + CPUID.80000001H:
 * ECX[0]) and, given a path, execve()s it and exits 100 + errno when the kernel refuses it. The
 * 32-bit probe is started through the 64-bit one, so "cannot run" is the kernel's own errno
 * (ENOEXEC: "Exec format error"), not the shell that the JDK falls back to for a file the
 * kernel will not execute.
 *
 * <p>{@code JVMX_NO_32BIT=1} in the environment (or {@code -Djvmx.no32bit=true}) makes the
 * 32-bit probe fail as on a host without 32-bit support, to try the 64-bit path where both
 * work. {@code -Djvmx.cc=PATH} (or {@code JVMX_CC}) names the compiler driver (default gcc).
 */
public final class NativeOracle {
    public static final String NO_32BIT_ENV = "JVMX_NO_32BIT";

    /** What the caller asks for: the best available, or one path. */
    public enum Request { AUTO, IA32, X86_64 }

    /** The probes' findings and the path chosen from them. */
    public static final class Choice {
        /** The path to use, or null when none can run. */
        public final HostMode mode;
        /** 64-bit mode runs LAHF and SAHF here. */
        public final boolean lahfSahf64;
        /** Why 32-bit programs cannot be used, or null. */
        public final String ia32Problem;
        /** Why the 64-bit oracle cannot be used, or null. */
        public final String x64Problem;
        final String cc;
        private final Request request;

        Choice(Request request, HostMode mode, boolean lahfSahf64, String ia32Problem, String x64Problem, String cc) {
            this.request = request;
            this.mode = mode;
            this.lahfSahf64 = lahfSahf64;
            this.ia32Problem = ia32Problem;
            this.x64Problem = x64Problem;
            this.cc = cc;
        }

        /** Null when {@link #mode} is set, else one line that says why no native oracle can run. */
        public String unavailableReason() {
            if (mode != null) {
                return null;
            }
            switch (request) {
                case IA32: return ia32Problem;
                case X86_64: return x64Problem;
                default: return ia32Problem + " and " + x64Problem;
            }
        }

        /** One line for the report: which path runs and why. */
        public String describe() {
            if (mode == HostMode.IA32) {
                return "native oracle: 32-bit programs (the host runs the very bytes jvmx runs)";
            }
            return "native oracle: 64-bit programs, the sequences assembled for 64-bit mode"
                    + (ia32Problem == null ? " (forced; this host also runs 32-bit programs)" : " (" + ia32Problem + ")");
        }
    }

    private static final Map<String, Probe> PROBES = new HashMap<>();

    private NativeOracle() { }

    /** The compiler driver: -Djvmx.cc, else $JVMX_CC, else gcc. */
    static String compiler() {
        String cc = System.getProperty("jvmx.cc");
        if (cc == null || cc.isBlank()) {
            cc = System.getenv("JVMX_CC");
        }
        return cc == null || cc.isBlank() ? "gcc" : cc;
    }

    /** 32-bit programs disabled for testing: $JVMX_NO_32BIT or -Djvmx.no32bit. */
    static boolean no32() {
        String v = System.getProperty("jvmx.no32bit");
        if (v == null) {
            v = System.getenv(NO_32BIT_ENV);
        }
        return v != null && !v.isBlank() && !v.equals("0") && !v.equalsIgnoreCase("false");
    }

    /** The host CPU's vendor string (CPUID leaf 0, as /proc/cpuinfo shows it), or "unknown". */
    public static String vendor() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("vendor_id")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or unreadable: unknown
        }
        return "unknown";
    }

    public static Choice choose(Request request) {
        return choose(request, compiler(), no32());
    }

    static Choice choose(Request request, String cc, boolean no32) {
        Probe p = probe(cc, no32);
        HostMode mode;
        switch (request) {
            case IA32: mode = p.ia32Problem == null ? HostMode.IA32 : null; break;
            case X86_64: mode = p.x64Problem == null ? HostMode.X86_64 : null; break;
            default:
                mode = p.ia32Problem == null ? HostMode.IA32 : p.x64Problem == null ? HostMode.X86_64 : null;
                break;
        }
        return new Choice(request, mode, p.lahfSahf64, p.ia32Problem, p.x64Problem, cc);
    }

    private static final class Probe {
        String ia32Problem;
        String x64Problem;
        boolean lahfSahf64;
    }

    private static synchronized Probe probe(String cc, boolean no32) {
        String key = cc + "\u0000" + no32;
        Probe p = PROBES.get(key);
        if (p == null) {
            p = runProbes(cc, no32);
            PROBES.put(key, p);
        }
        return p;
    }

    private static final String PROBE32 = ".globl _start\n_start:\n\tmovl $1, %eax\n\tmovl $42, %ebx\n\tint $0x80\n";
    static final String PROBE64 = String.join("\n",
            "\t.globl _start",
            "_start:",
            "\tcmpq $2, (%rsp)",        // argc
            "\tjb 1f",
            "\tmovq 16(%rsp), %rdi",    // argv[1]
            "\tleaq 16(%rsp), %rsi",    // its argv: argv[1], NULL
            "\txorl %edx, %edx",        // no environment
            "\tmovl $59, %eax",         // execve: returns only if the kernel refused
            "\tsyscall",
            "\tnegl %eax",
            "\tleal 100(%rax), %edi",   // exit 100 + errno
            "\tmovl $60, %eax",
            "\tsyscall",
            "1:\tmovl $0x80000001, %eax",
            "\tcpuid",
            "\tandl $1, %ecx",          // LAHF-SAHF in 64-bit mode
            "\tleal 42(%rcx), %edi",
            "\tmovl $60, %eax",
            "\tsyscall",
            "");

    private static Probe runProbes(String cc, boolean no32) {
        Probe p = new Probe();
        Path dir;
        try {
            dir = Files.createTempDirectory("jvmx-fuzz-probe");
        } catch (IOException e) {
            p.ia32Problem = p.x64Problem = "cannot make a temporary directory: " + e.getMessage();
            return p;
        }
        try {
            // The 64-bit probe first: it also starts the 32-bit one.
            String built64 = build(dir, cc, HostMode.X86_64, PROBE64, "p64");
            if (built64 != null) {
                p.x64Problem = "building the 64-bit oracle failed: " + built64;
            } else {
                Exec r = Exec.run(dir, dir.resolve("p64").toString());
                if (r.code == 42 || r.code == 43) {
                    p.lahfSahf64 = r.code == 43;
                } else {
                    p.x64Problem = "the 64-bit oracle's probe program failed (exit " + r.code + ")";
                }
            }
            if (no32) {
                p.ia32Problem = "32-bit programs are disabled by " + NO_32BIT_ENV + " (as on a host that cannot run them)";
            } else {
                String built32 = build(dir, cc, HostMode.IA32, PROBE32, "p32");
                if (built32 != null) {
                    p.ia32Problem = "this host cannot build 32-bit programs (" + built32 + ")";
                } else {
                    Exec r = p.x64Problem == null ? Exec.run(dir, dir.resolve("p64").toString(), dir.resolve("p32").toString())
                            : Exec.run(dir, dir.resolve("p32").toString());
                    if (r.code != 42) {
                        p.ia32Problem = "this host cannot run 32-bit programs ("
                                + (p.x64Problem == null && r.code > 100 ? Errno.text(r.code - 100)
                                : "exit " + r.code + (r.err.isBlank() ? "" : ": " + r.lastErrLine())) + ")";
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            String why = "the probe failed: " + e.getMessage();
            if (p.x64Problem == null) {
                p.x64Problem = why;
            }
            if (p.ia32Problem == null) {
                p.ia32Problem = why;
            }
        } finally {
            Exec.deleteTree(dir);
        }
        return p;
    }

    /** Builds a static program from assembly source; null on success, else why not in a few words. */
    private static String build(Path dir, String cc, HostMode mode, String source, String name) throws IOException {
        Files.writeString(dir.resolve(name + ".s"), source);
        List<String> cmd = new ArrayList<>(buildCommand(cc, mode));
        cmd.addAll(List.of("-o", name, name + ".s"));
        Exec r;
        try {
            r = Exec.run(dir, cmd);
        } catch (IOException e) {
            return cc + " not found";
        }
        return r.code == 0 ? null : cc + " " + String.join(" ", mode.gccFlags) + ": " + r.lastErrLine();
    }

    /** The compiler driver and its flags for a freestanding static program of this mode. */
    static List<String> buildCommand(String cc, HostMode mode) {
        List<String> cmd = new ArrayList<>();
        cmd.add(cc);
        cmd.addAll(mode.gccFlags);
        cmd.addAll(List.of("-ffreestanding", "-nostdlib", "-static", "-no-pie"));
        return cmd;
    }

    /** strerror for the errno values execve reports. */
    static final class Errno {
        private Errno() { }

        static String text(int errno) {
            switch (errno) {
                case 1: return "Operation not permitted";
                case 2: return "No such file or directory";
                case 7: return "Argument list too long";
                case 8: return "Exec format error";
                case 12: return "Cannot allocate memory";
                case 13: return "Permission denied";
                case 22: return "Invalid argument";
                case 26: return "Text file busy";
                default: return "errno " + errno;
            }
        }
    }
}
