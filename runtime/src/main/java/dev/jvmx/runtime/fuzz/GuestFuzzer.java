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
 * more than a second (a guest that overran runs once more: an overrun the re-run does not repeat
 * is reported but not counted, as the host, not the guest, held the watchdog up). A run that
 * does not end at all within timeout + {@link #HANG_SECONDS} is a hang: the fuzzer reports it and stops.
 */
public final class GuestFuzzer {
    public static final double OVERRUN_SECONDS = 1.0;
    public static final double HANG_SECONDS = 20.0;

    /** What a fuzz run found. */
    public static final class Report {
        public long guests;
        public long internalErrors;
        public long overruns;
        /** Overruns a re-run of the same guest did not repeat (the host was busy, not the guest). */
        public long overrunsNotRepeated;
        public long hangs;
        public double longestSeconds;
        public long longestGuest = -1;
        public final Map<Integer, Long> exitCodes = new TreeMap<>();

        public boolean clean() {
            return internalErrors == 0 && overruns == 0 && hangs == 0;
        }
    }

    /** How one run of one guest ended: its stop or the Throwable that escaped, its wall time, or a hang. */
    private record Attempt(Object result, double seconds, boolean hung) { }

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
                String id = String.format(Locale.ROOT, "guest %d (%s, seed %d)", i, g.kind(), seed);
                String again = "  reproduce: ./jvmx fuzz guests --seed " + seed + " --first " + i + " --count 1";
                Attempt a = attempt(g, file, timeoutSeconds, ramMiB, exitCodes, i);
                rep.guests++;
                if (a.hung()) {
                    rep.hangs++;
                    out.printf(Locale.ROOT, "%s: HANG: still running %.1f s after its start; stopping the fuzz run%n", id, a.seconds());
                    out.println(again);
                    break;
                }
                if (a.seconds() > rep.longestSeconds) {
                    rep.longestSeconds = a.seconds();
                    rep.longestGuest = i;
                }
                if (a.result() instanceof Throwable th) {
                    rep.internalErrors++;
                    out.println(id + ": INTERNAL ERROR: " + th);
                    StackTraceElement[] st = th.getStackTrace();
                    for (int k = 0; k < Math.min(8, st.length); k++) {
                        out.println("    at " + st[k]);
                    }
                    out.println(again);
                    continue;
                }
                StopReason r = (StopReason) a.result();
                rep.exitCodes.merge(exitCodes.applyAsInt(r), 1L, Long::sum);
                if (a.seconds() > timeoutSeconds + OVERRUN_SECONDS) {
                    // Once more, the same guest: a host too busy to run the watchdog is not the guest's doing.
                    Attempt b = attempt(g, file, timeoutSeconds, ramMiB, exitCodes, i);
                    boolean repeated = b.hung() || b.seconds() > timeoutSeconds + OVERRUN_SECONDS;
                    if (repeated) {
                        rep.overruns++;
                    } else {
                        rep.overrunsNotRepeated++;
                    }
                    out.printf(Locale.ROOT, "%s: OVERRUN: %.2f s with --timeout %.2f (%s); a re-run took %.2f s%s%n", id,
                            a.seconds(), timeoutSeconds, r.message, b.seconds(), repeated ? "" : ": not repeated, not counted");
                    out.println(again);
                }
                if (rep.guests % 1000 == 0) {
                    System.err.printf(Locale.ROOT, "jvmx fuzz guests: %d run, %.0f s, %d internal errors, %d overruns%n",
                            rep.guests, (System.nanoTime() - t0) / 1e9, rep.internalErrors, rep.overruns);
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
        out.printf(Locale.ROOT, "internal errors: %d; runs past --timeout + %.0f s: %d (and %d not repeated on a re-run);"
                        + " hangs: %d; longest run %.2f s (guest %d)%n",
                rep.internalErrors, OVERRUN_SECONDS, rep.overruns, rep.overrunsNotRepeated, rep.hangs, rep.longestSeconds,
                rep.longestGuest);
        return rep;
    }

    /** Runs one guest on a thread of its own and waits for it at most timeout + {@link #HANG_SECONDS}. */
    private static Attempt attempt(GarbageGuests.Guest g, Path file, double timeoutSeconds, int ramMiB,
            ToIntFunction<StopReason> exitCodes, long index) {
        AtomicReference<Object> result = new AtomicReference<>();
        long start = System.nanoTime();
        Thread t = new Thread(() -> result.set(runOne(g, file, timeoutSeconds, ramMiB, start, exitCodes)),
                "fuzz-guest-" + index);
        t.setDaemon(true);
        t.start();
        try {
            t.join((long) ((timeoutSeconds + HANG_SECONDS) * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Attempt(result.get(), (System.nanoTime() - start) / 1e9, t.isAlive());
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
