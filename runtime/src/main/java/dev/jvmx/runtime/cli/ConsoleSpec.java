package dev.jvmx.runtime.cli;

import dev.jvmx.devices.chr.CharSink;
import dev.jvmx.devices.chr.CharSource;
import dev.jvmx.devices.chr.FileSink;
import dev.jvmx.devices.chr.NullSink;
import dev.jvmx.devices.chr.StdioBackend;
import dev.jvmx.devices.chr.StdoutSink;
import dev.jvmx.devices.chr.TcpSerialBackend;
import dev.jvmx.runtime.control.ProgressLine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * QEMU-style character devices: {@code none} (or {@code null}), {@code stdio} (or {@code
 * mon:stdio}: jvmx has no monitor to multiplex), {@code file:PATH}, and for the serial port
 * {@code tcp:HOST:PORT} with QEMU's options {@code server}, {@code wait}/{@code nowait} and
 * {@code telnet} (without {@code server} it connects out, as QEMU does). jvmx's own long
 * spelling {@code --serial tcp:127.0.0.1:PORT} with no options is a telnet server that waits.
 * Opened back-ends are flushed and closed together at the end of the run.
 */
final class ConsoleSpec implements AutoCloseable {
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final List<CharSink> sinks = new ArrayList<>();
    private final List<Tcp> tcps = new ArrayList<>();
    private final UnaryOperator<CharSink> terminalOut;
    private CharSink stdout;
    private StdioBackend stdio;

    /** A sink and (for the serial port) a source. */
    static final class Backend {
        final CharSink sink;
        final CharSource source;

        Backend(CharSink sink, CharSource source) {
            this.sink = sink;
            this.source = source;
        }
    }

    /** A TCP back-end and how it was asked for. */
    record Tcp(String what, String endpoint, TcpSerialBackend backend, boolean server, boolean waitForClient) { }

    static final CharSource NO_INPUT = () -> -1;

    /** @param terminalOut wraps what is written to standard output (the progress line watches it) */
    ConsoleSpec(UnaryOperator<CharSink> terminalOut) {
        this.terminalOut = terminalOut;
    }

    ConsoleSpec() {
        this(UnaryOperator.identity());
    }

    /** Whether a spec names standard input/output. */
    static boolean isStdio(String spec) {
        return spec.equals("stdio") || spec.equals("mon:stdio");
    }

    /**
     * Opens one device. {@code input}: the guest reads from it (the serial port); piped standard
     * input always goes there, input from a terminal only when {@code terminalInput} (else to the
     * keyboard, see {@link #keyboardInput}). {@code qemuSpelling}: given as -serial (QEMU's meaning of a bare tcp:).
     */
    Backend open(String spec, String what, boolean input, boolean terminalInput, boolean qemuSpelling, Runnable onQuit) {
        if (spec.equals("none") || spec.equals("null")) {
            return new Backend(NullSink.INSTANCE, NO_INPUT);
        }
        if (isStdio(spec)) {
            // Standard input feeds the serial port whether it is a pipe or a terminal (raw mode),
            // as QEMU's -serial stdio does, so scripts can drive the guest; only a terminal's keys
            // go to the keyboard instead (--display text: terminalInput false).
            if (input && (terminalInput || System.console() == null)) {
                StdioBackend s = stdio(onQuit);
                return new Backend(s, s);
            }
            return new Backend(stdout(), NO_INPUT);
        }
        if (spec.startsWith("file:")) {
            if (spec.length() == 5) {
                throw new IllegalArgumentException(what + " file: needs a path, e.g. file:serial.log");
            }
            Path p = Path.of(spec.substring(5));
            FileSink f;
            try {
                f = new FileSink(p);
            } catch (IOException e) {
                throw new IllegalArgumentException(what + " " + spec + ": cannot write " + p + ": " + IoWords.why(e, p));
            }
            opened.add(f);
            sinks.add(f);
            return new Backend(f, NO_INPUT);
        }
        if (spec.startsWith("tcp:") && input) {
            return tcp(spec, what, qemuSpelling);
        }
        if (spec.matches("(vc|pty|udp|unix|telnet|pipe|chardev|serial|tty|msmouse|braille|spicevmc|spiceport|ringbuf|memory)(:.*)?")) {
            throw new IllegalArgumentException(what + " " + spec + ": a QEMU character device that jvmx does not support"
                    + " (it has stdio, none, file:PATH" + (input ? ", tcp:HOST:PORT[,server][,wait|nowait][,telnet]" : "") + ")");
        }
        throw new IllegalArgumentException(what + ": expected stdio, none, file:PATH"
                + (input ? " or tcp:HOST:PORT[,server][,wait|nowait][,telnet]" : "") + ", got '" + spec + "'");
    }

    /** The terminal as the guest's keyboard (--display text); null when standard input is not a terminal. */
    CharSource keyboardInput(Runnable onQuit) {
        return System.console() == null ? null : stdio(onQuit);
    }

    private StdioBackend stdio(Runnable onQuit) {
        if (stdio == null) {
            stdio = StdioBackend.open(onQuit, terminalOut.apply(new StdoutSink())); // open() starts its one reader thread
            sinks.add(stdio);
        }
        return stdio;
    }

    private Backend tcp(String spec, String what, boolean qemuSpelling) {
        String[] parts = spec.substring(4).split(",", -1);
        String hostPort = parts[0];
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(what + " " + spec + ": expected tcp:HOST:PORT (e.g. tcp:127.0.0.1:4444,server,nowait)");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String portText = hostPort.substring(colon + 1);
        int port;
        if (!portText.matches("[0-9]{1,5}") || (port = Integer.parseInt(portText)) > 65535) {
            throw new IllegalArgumentException(what + " " + spec + ": '" + portText + "' is not a TCP port (0 to 65535)");
        }
        boolean server = false;
        boolean wait = true;
        boolean telnet = false;
        boolean legacy = parts.length == 1 && !qemuSpelling;
        for (int i = 1; i < parts.length; i++) {
            String o = parts[i];
            String key = o.contains("=") ? o.substring(0, o.indexOf('=')) : o;
            String val = o.contains("=") ? o.substring(o.indexOf('=') + 1) : "on";
            boolean on = switch (val) {
                case "on", "yes", "true" -> true;
                case "off", "no", "false" -> false;
                default -> throw new IllegalArgumentException(what + " " + spec + ": " + key + "=" + val + " must be on or off");
            };
            switch (key) {
                case "server" -> server = on;
                case "wait" -> wait = on;
                case "nowait" -> wait = !on;
                case "telnet" -> telnet = on;
                case "nodelay" -> { } // jvmx always sets TCP_NODELAY
                default -> throw new IllegalArgumentException(what + " " + spec + ": unknown tcp option '" + key
                        + "' (jvmx takes server, wait, nowait, telnet)");
            }
        }
        if (legacy) {
            server = true;
            telnet = true;
        }
        TcpSerialBackend t;
        String endpoint;
        try {
            if (server) {
                InetAddress addr = host.isEmpty() || host.equals("localhost")
                        ? InetAddress.getLoopbackAddress() : InetAddress.getByName(host);
                t = TcpSerialBackend.listen(addr, port, telnet);
                endpoint = "tcp:" + addr.getHostAddress() + ":" + t.localPort();
            } else {
                if (host.isEmpty()) {
                    host = "127.0.0.1";
                }
                endpoint = "tcp:" + host + ":" + port;
                t = TcpSerialBackend.connect(new InetSocketAddress(InetAddress.getByName(host), port), 5000);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " " + spec + ": cannot " + (server ? "listen on " : "connect to ")
                    + host + ":" + port + ": " + IoWords.why(e, null));
        }
        opened.add(t);
        sinks.add(t);
        tcps.add(new Tcp(what, endpoint, t, server, server && wait));
        return new Backend(t, t);
    }

    List<Tcp> tcpBackends() {
        return tcps;
    }

    private CharSink stdout() {
        if (stdout == null) {
            stdout = terminalOut.apply(new StdoutSink());
            sinks.add(stdout);
        }
        return stdout;
    }

    void flush() {
        for (CharSink s : sinks) {
            s.flush();
        }
    }

    /** What was lost on the way, for the last line ("" when nothing). */
    String losses() {
        StringBuilder b = new StringBuilder();
        for (Tcp t : tcps) {
            long d = t.backend().dropped();
            int left = t.backend().pending();
            if (d > 0) {
                b.append("; ").append(d).append(" bytes of ").append(t.what()).append(" output dropped (")
                        .append(t.backend().everConnected() ? "the client did not read them" : "no client connected")
                        .append(")");
            }
            if (left > 0) {
                b.append("; ").append(left).append(" bytes of ").append(t.what()).append(" output never sent (no client took them)");
            }
        }
        if (stdio != null && stdio.droppedInput() > 0) {
            b.append("; ").append(stdio.droppedInput()).append(" typed bytes dropped (the guest did not read them)");
        }
        return b.toString();
    }

    /** Flushes the consoles, gives TCP clients a moment to take the rest, and leaves raw terminal mode. */
    void finish() {
        flush();
        for (Tcp t : tcps) {
            t.backend().drain(1000);
        }
        if (stdio != null) {
            StdioBackend.restoreTerminal();
        }
    }

    @Override
    public void close() {
        finish();
        for (AutoCloseable c : opened) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing a console must not hide the run's result
            }
        }
    }
}
