package dev.jvmx.runtime.stats;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of this process's threads, read from {@code /proc/self/task} (Linux), so that a run
 * can say where its CPU went: start-up, the guest's thread, the translation worker, HotSpot's
 * compilers, the collector. On a shared machine CPU time is what stays comparable between runs;
 * wall time depends on who else is running. Where {@code /proc} is missing every figure is 0.
 *
 * <p>{@code schedstat}'s first field is the thread's time on a CPU in nanoseconds; {@code stat}'s
 * utime and stime (clock ticks) are the fallback. Reading does not load JMX, which costs start-up
 * time of its own.
 */
public final class ThreadTimes {
    /** What a thread does, from its name ({@code /proc/.../comm}, 15 characters at most). */
    public enum Role {
        GUEST("guest thread"), TRANSLATION("translation worker"), JIT("HotSpot compilers"), GC("GC"),
        OTHER("other JVM threads");

        public final String label;

        Role(String label) {
            this.label = label;
        }
    }

    private static final Path TASKS = Path.of("/proc/self/task");
    private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ = 100 on Linux

    /** CPU nanoseconds per thread id. */
    private final Map<Integer, Long> nanos;
    private final Map<Integer, String> names;

    private ThreadTimes(Map<Integer, Long> nanos, Map<Integer, String> names) {
        this.nanos = nanos;
        this.names = names;
    }

    /** The calling thread's id as the kernel knows it, or -1. */
    public static int currentThreadId() {
        try {
            Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
            return Integer.parseInt(self.getFileName().toString());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Every live thread's CPU time now. Threads that ended are missing (a short-lived thread's time is lost). */
    public static ThreadTimes now() {
        Map<Integer, Long> nanos = new HashMap<>();
        Map<Integer, String> names = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                int tid;
                try {
                    tid = Integer.parseInt(task.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                long ns = cpuNanos(task);
                if (ns >= 0) {
                    nanos.put(tid, ns);
                    names.put(tid, comm(task));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or /proc hidden: no figures.
        }
        return new ThreadTimes(nanos, names);
    }

    private static long cpuNanos(Path task) {
        try {
            String s = Files.readString(task.resolve("schedstat")).trim();
            return Long.parseLong(s.substring(0, s.indexOf(' ')));
        } catch (IOException | RuntimeException e) {
            try {
                // stat: "tid (comm) state ..." with utime and stime the 14th and 15th fields.
                String s = Files.readString(task.resolve("stat"));
                String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK;
            } catch (IOException | RuntimeException e2) {
                return -1;
            }
        }
    }

    private static String comm(Path task) {
        try {
            return Files.readString(task.resolve("comm")).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** CPU nanoseconds of every thread together. */
    public long total() {
        long t = 0;
        for (long n : nanos.values()) {
            t += n;
        }
        return t;
    }

    /** CPU nanoseconds of one thread, 0 when it is unknown. */
    public long of(int tid) {
        return nanos.getOrDefault(tid, 0L);
    }

    /** CPU nanoseconds spent since {@code before}, by role; {@code guestTid} is the guest's thread. */
    public EnumMap<Role, Long> since(ThreadTimes before, int guestTid) {
        EnumMap<Role, Long> r = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            r.put(role, 0L);
        }
        for (Map.Entry<Integer, Long> e : nanos.entrySet()) {
            long d = e.getValue() - before.nanos.getOrDefault(e.getKey(), 0L);
            r.merge(role(e.getKey(), names.get(e.getKey()), guestTid), d, Long::sum);
        }
        return r;
    }

    private static Role role(int tid, String name, int guestTid) {
        if (tid == guestTid) {
            return Role.GUEST;
        }
        if (name.startsWith("jvmx-translat")) {
            return Role.TRANSLATION;
        }
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            return Role.JIT;
        }
        if (name.startsWith("G1 ") || name.startsWith("GC Thread")) {
            return Role.GC;
        }
        return Role.OTHER;
    }

    /** An empty set of figures, for before anything was measured. */
    public static ThreadTimes none() {
        return new ThreadTimes(Map.of(), Map.of());
    }
}
