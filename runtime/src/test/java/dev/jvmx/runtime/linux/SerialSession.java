package dev.jvmx.runtime.linux;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A machine whose serial console is the process's standard input and output (jvmx --serial stdio,
 * QEMU -serial stdio), driven like a person at a terminal: wait for text, type a line. Commands
 * run between two markers the shell prints, {@code ==B<n>==} and {@code ==E<n>==}, typed as
 * {@code ==B''<n>==} so that the echo of the typed line never looks like the marker itself.
 */
final class SerialSession implements AutoCloseable {
    /** Terminal control sequences (busybox's line editing asks for the cursor position with ESC [6n). */
    private static final Pattern CSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");

    private final String name;
    private final Process process;
    private final OutputStream in;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private int consumed;
    private int commands;

    SerialSession(String name, List<String> command) throws IOException {
        this.name = name;
        this.process = new ProcessBuilder(command).start();
        this.in = process.getOutputStream();
        pump(process.getInputStream(), out, name + "-stdout");
        pump(process.getErrorStream(), err, name + "-stderr");
    }

    private static void pump(InputStream s, ByteArrayOutputStream to, String thread) {
        Thread t = new Thread(() -> {
            byte[] b = new byte[4096];
            try {
                int n;
                while ((n = s.read(b)) > 0) {
                    synchronized (to) {
                        to.write(b, 0, n);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, thread);
        t.setDaemon(true);
        t.start();
    }

    /** Everything the console printed so far: carriage returns and control sequences removed. */
    String transcript() {
        String s;
        synchronized (out) {
            s = out.toString(StandardCharsets.ISO_8859_1);
        }
        return CSI.matcher(s.replace("\r", "")).replaceAll("");
    }

    String stderr() {
        synchronized (err) {
            return err.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** Waits until {@code text} appears after what was consumed; consumes up to its end. */
    String await(String text, long timeoutSeconds) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            String t = transcript();
            int at = t.indexOf(text, consumed);
            if (at >= 0) {
                String seen = t.substring(consumed, at + text.length());
                consumed = at + text.length();
                return seen;
            }
            int panic = t.indexOf("end Kernel panic", consumed);
            if (panic >= 0) { // the kernel stopped for good: no use waiting out the timeout
                throw new AssertionError(name + ": the kernel panicked before printing '" + text + "'\n--- console\n"
                        + tail(t) + "\n--- stderr\n" + stderr());
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " ended (exit " + process.exitValue() + ") before printing '" + text
                        + "'\n--- console\n" + tail(t) + "\n--- stderr\n" + stderr());
            }
            if (System.nanoTime() > end) {
                throw new AssertionError(name + ": no '" + text + "' within " + timeoutSeconds + " s\n--- console\n" + tail(t)
                        + "\n--- stderr\n" + stderr());
            }
            sleep(50);
        }
    }

    void type(String s) {
        try {
            in.write(s.getBytes(StandardCharsets.ISO_8859_1));
            in.flush();
        } catch (IOException e) {
            throw new AssertionError(name + ": cannot type (the process ended?): " + e.getMessage());
        }
    }

    /** Runs one shell command line and returns what it printed (its own lines only). */
    String run(String command, long timeoutSeconds) {
        int n = ++commands;
        type("echo ==B''" + n + "==; " + command + "; echo ==E''" + n + "==\n");
        await("\n==B" + n + "==\n", timeoutSeconds);
        String seen = await("==E" + n + "==", timeoutSeconds);
        return seen.substring(0, seen.length() - ("==E" + n + "==").length());
    }

    /** Waits for the process to end; its exit code. */
    int awaitExit(long timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " did not end within " + timeoutSeconds + " s\n--- console\n"
                    + tail(transcript()) + "\n--- stderr\n" + stderr());
        }
        return process.exitValue();
    }

    private static String tail(String s) {
        return s.length() > 6000 ? "..." + s.substring(s.length() - 6000) : s;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
