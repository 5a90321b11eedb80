package dev.jvmx.runtime.control;

import dev.jvmx.devices.chr.CharSink;
import dev.jvmx.runtime.Machine;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A status line on standard error while the guest runs silent (no output for {@link
 * #SILENCE_NANOS}): guest instructions so far and VM exits per second, redrawn in place every
 * {@link #REFRESH_NANOS}, erased before the guest prints again and before the last line. Only
 * when standard error is a terminal, and never over a line the guest left unfinished.
 */
public final class ProgressLine {
    static final long SILENCE_NANOS = 2_000_000_000L;
    static final long REFRESH_NANOS = 500_000_000L;

    private final PrintStream err;
    private final long startNanos = System.nanoTime();
    private volatile long lastOutputNanos = System.nanoTime();
    private volatile boolean atLineStart = true;
    private volatile boolean shown;
    private long lastDraw;
    private long lastExits;
    private long lastExitsNanos;

    public ProgressLine(PrintStream err) {
        this.err = err;
    }

    /** Whether file descriptor 2 is a terminal (Linux: /proc/self/fd/2 names a tty). */
    public static boolean stderrIsTerminal() {
        String term = System.getenv("TERM");
        if (term == null || term.equals("dumb")) {
            return false;
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return false;
        }
    }

    /** A sink that tells this line about guest output before passing it on. */
    public CharSink watch(CharSink out) {
        return new CharSink() {
            @Override
            public void write(int b) {
                outputSeen(b);
                out.write(b);
            }

            @Override
            public void flush() {
                out.flush();
            }
        };
    }

    void outputSeen(int b) {
        lastOutputNanos = System.nanoTime();
        atLineStart = (b & 0xFF) == '\n';
        if (shown) {
            clear();
        }
    }

    /** Called by the watchdog thread. */
    void tick(long now, Machine m) {
        if (m == null || now - lastOutputNanos < SILENCE_NANOS || !atLineStart || now - lastDraw < REFRESH_NANOS) {
            return;
        }
        long exits = m.exits.statistics().totalCount();
        double rate = lastExitsNanos == 0 ? 0 : (exits - lastExits) * 1e9 / (now - lastExitsNanos);
        lastExits = exits;
        lastExitsNanos = now;
        lastDraw = now;
        String line = String.format(Locale.ROOT, "jvmx: running %.0f s: %s guest instructions, %s exits/s",
                (now - startNanos) / 1e9, count(m.cpu.instructions), count((long) rate));
        synchronized (this) {
            err.print("\r\033[K" + line);
            err.flush();
            shown = true;
        }
    }

    /** Erases the line if it is shown. */
    public synchronized void clear() {
        if (shown) {
            err.print("\r\033[K");
            err.flush();
            shown = false;
        }
    }

    private static String count(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2fG", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.1fM", n / 1e6);
        }
        if (n >= 10_000L) {
            return String.format(Locale.ROOT, "%.0fk", n / 1e3);
        }
        return Long.toString(n);
    }
}
