package dev.jvmx.runtime.fuzz;

import dev.jvmx.devices.chr.CharSource;
import dev.jvmx.devices.chr.NullSink;
import dev.jvmx.runtime.Machine;
import dev.jvmx.runtime.MachineConfig;
import dev.jvmx.runtime.control.RunControl;
import dev.jvmx.translator.exec.StopReason;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToIntFunction;

/**
 * Runs garbage guests ({@link GarbageGuests}) one after another, each in a machine of its own
 * with a timeout, as `jvmx boot` would (its watchdog included), and counts how they end: exit
 * codes, internal errors (any Java exception or error), and runs that overran the timeout by
 * more than a second. A run that does not end at all within timeout + {@link #HANG_SECONDS} is
 * a hang: the fuzzer reports it and stops.
 */
public final class GuestFuzzer {
    public static final double OVERRUN_SECONDS = 1.0;
    public static final double HANG_SECONDS = 20.0;

    /** What a fuzz run found. */
    public static final class Report {
        public long guests;
        public long internalErrors;
        public long overruns;
        public long hangs;
        public double longestSeconds;
        public long longestGuest = -1;
        public final Map<Integer, Long> exitCodes = new TreeMap<>();

        public boolean clean() {
            return internalErrors == 0 && overruns == 0 && hangs == 0;
        }
    }

    private GuestFuzzer() { }

    /** @param exitCodes the process exit code of each way a run ends (the runner's table) */
    public static Report run(long seed, long first, long count, double timeoutSeconds, int ramMiB,
            ToIntFunction<StopReason> exitCodes, PrintStream out) throws IOException {
        Report rep = new Report();
        Path dir = Files.createTempDirectory("jvmx-fuzz");
        Path rom = dir.resolve("guest.rom");
        Path elf = dir.resolve("guest.elf");
        long t0 = System.nanoTime();
        try {
            for (long i = first; i < first + count; i++) {
                GarbageGuests.Guest g = GarbageGuests.make(seed, i);
                Path file = g.isKernel() ? elf : rom;
                Files.write(file, g.image());
                AtomicReference<Object> result = new AtomicReference<>();
                long start = System.nanoTime();
                Thread t = new Thread(() -> result.set(runOne(g, file, timeoutSeconds, ramMiB, start, exitCodes)),
                        "fuzz-guest-" + i);
                t.setDaemon(true);
                t.start();
                try {
                    t.join((long) ((timeoutSeconds + HANG_SECONDS) * 1000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                double secs = (System.nanoTime() - start) / 1e9;
                rep.guests++;
                String id = String.format(Locale.ROOT, "guest %d (%s, seed %d)", i, g.kind(), seed);
                Object res = result.get();
                if (t.isAlive()) {
                    rep.hangs++;
                    out.printf(Locale.ROOT, "%s: HANG: still running %.1f s after its start; stopping the fuzz run%n", id, secs);
                    out.println("  reproduce: ./jvmx fuzz guests --seed " + seed + " --first " + i + " --count 1");
                    break;
                }
                if (secs > rep.longestSeconds) {
                    rep.longestSeconds = secs;
                    rep.longestGuest = i;
                }
                if (res instanceof Throwable th) {
                    rep.internalErrors++;
                    out.println(id + ": INTERNAL ERROR: " + th);
                    StackTraceElement[] st = th.getStackTrace();
                    for (int k = 0; k < Math.min(8, st.length); k++) {
                        out.println("    at " + st[k]);
                    }
                    out.println("  reproduce: ./jvmx fuzz guests --seed " + seed + " --first " + i + " --count 1");
                    continue;
                }
                StopReason r = (StopReason) res;
                rep.exitCodes.merge(exitCodes.applyAsInt(r), 1L, Long::sum);
                if (timeoutSeconds > 0 && secs > timeoutSeconds + OVERRUN_SECONDS) {
                    rep.overruns++;
                    out.printf(Locale.ROOT, "%s: OVERRUN: %.2f s with --timeout %.2f (%s)%n", id, secs, timeoutSeconds, r.message);
                }
            }
        } finally {
            Files.deleteIfExists(rom);
            Files.deleteIfExists(elf);
            Files.deleteIfExists(dir);
        }
        out.printf(Locale.ROOT, "jvmx fuzz guests: %d guests from seed %d (first %d), --timeout %.2f s each, %.0f s in all%n",
                rep.guests, seed, first, timeoutSeconds, (System.nanoTime() - t0) / 1e9);
        StringBuilder codes = new StringBuilder();
        rep.exitCodes.forEach((c, n) -> codes.append(codes.length() == 0 ? "" : ", ").append(c).append(" (")
                .append(meaning(c)).append("): ").append(n));
        out.println("exit codes: " + (codes.length() == 0 ? "none" : codes));
        out.printf(Locale.ROOT, "internal errors: %d; runs past --timeout + %.0f s: %d; hangs: %d; longest run %.2f s (guest %d)%n",
                rep.internalErrors, OVERRUN_SECONDS, rep.overruns, rep.hangs, rep.longestSeconds, rep.longestGuest);
        return rep;
    }

    private static String meaning(int code) {
        return switch (code) {
            case 0 -> "halted";
            case 3 -> "triple fault";
            case 4 -> "reset loop";
            case 124 -> "timeout";
            default -> (code & 1) == 1 ? "isa-debug-exit" : "other";
        };
    }

    /** One guest, as `jvmx boot` runs it; a StopReason, or the Throwable that escaped. */
    private static Object runOne(GarbageGuests.Guest g, Path file, double timeoutSeconds, int ramMiB, long start,
            ToIntFunction<StopReason> exitCodes) {
        try {
            MachineConfig cfg = new MachineConfig();
            cfg.ramMiB = ramMiB;
            cfg.startNanos = start;
            cfg.timeoutSeconds = timeoutSeconds;
            if (g.isKernel()) {
                cfg.kernel = file;
            } else {
                cfg.bios = file;
            }
            CharSource none = () -> -1;
            Machine m = new Machine(cfg, NullSink.INSTANCE, none, NullSink.INSTANCE, NullSink.INSTANCE);
            StopReason timeout = m.timeoutStop();
            RunControl rc = new RunControl(m.deadlineNanos(), timeout, true, false, System.err, exitCodes);
            try {
                m.load();
                return rc.run(m);
            } finally {
                rc.close();
                m.close();
            }
        } catch (Throwable t) {
            return t;
        }
    }
}
