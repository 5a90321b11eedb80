package dev.jvmx.devices.chr;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The host terminal as a serial line: a daemon thread reads standard input into a queue the
 * device polls; output goes to a {@link CharSink} (standard output). On a real terminal it is
 * put in raw mode (so Ctrl-C reaches the guest) and restored at exit; Ctrl-A x quits.
 */
public final class StdioBackend implements CharSink, CharSource {
    private final ConcurrentLinkedQueue<Integer> input = new ConcurrentLinkedQueue<>();
    private final InputStream in;
    private final CharSink out;
    private final Runnable onQuit;

    public StdioBackend(InputStream in, CharSink out, Runnable onQuit) {
        this.in = in;
        this.out = out;
        this.onQuit = onQuit;
    }

    /** Standard input and output; raw terminal mode when there is a console. */
    public static StdioBackend open(Runnable onQuit) {
        StdioBackend b = new StdioBackend(System.in, new StdoutSink(), onQuit);
        if (System.console() != null) {
            RawTerminal.enter();
        }
        b.start();
        return b;
    }

    /** Puts the terminal back in the mode it had (before the runner prints its last lines). */
    public static void restoreTerminal() {
        RawTerminal.leave();
    }

    /** Starts the reader thread. */
    public StdioBackend start() {
        Thread t = new Thread(this::readLoop, "stdio-serial");
        t.setDaemon(true);
        t.start();
        return this;
    }

    private void readLoop() {
        EscapeDecoder escape = new EscapeDecoder();
        try {
            int b;
            while ((b = in.read()) >= 0) {
                int d = escape.accept(b);
                if (d == EscapeDecoder.QUIT) {
                    onQuit.run();
                    return; // nothing typed after Ctrl-A x reaches the guest
                } else if (d >= 0) {
                    input.add(d);
                }
            }
        } catch (IOException e) {
            // stdin closed: the guest just sees no more input.
        }
    }

    @Override
    public int read() {
        Integer b = input.poll();
        return b == null ? -1 : b;
    }

    @Override
    public void write(int b) {
        out.write(b);
    }

    @Override
    public void flush() {
        out.flush();
    }

    /** `stty` on /dev/tty; every failure leaves the terminal as it was. */
    static final class RawTerminal {
        private static boolean entered;

        private RawTerminal() { }

        private static String saved;

        static synchronized void enter() {
            if (entered) {
                return;
            }
            String s = stty("-g");
            if (s == null || s.isBlank() || stty("raw", "-echo") == null) {
                return;
            }
            saved = s.trim();
            entered = true;
            Runtime.getRuntime().addShutdownHook(new Thread(RawTerminal::leave, "stty-restore"));
        }

        /** Restores the terminal as it was before {@link #enter}; harmless when not entered. */
        static synchronized void leave() {
            if (entered) {
                stty(saved);
                entered = false;
            }
        }

        private static String stty(String... args) {
            File tty = new File("/dev/tty");
            if (!tty.exists()) {
                return null;
            }
            String[] cmd = new String[args.length + 1];
            cmd[0] = "stty";
            System.arraycopy(args, 0, cmd, 1, args.length);
            try {
                Process p = new ProcessBuilder(cmd).redirectInput(tty)
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                byte[] outBytes = p.getInputStream().readAllBytes();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroy();
                    return null;
                }
                if (p.exitValue() != 0) {
                    return null;
                }
                return new String(outBytes, StandardCharsets.US_ASCII);
            } catch (IOException | InterruptedException e) {
                return null;
            }
        }
    }
}
