package dev.jvmx.runtime.cli;

import dev.jvmx.devices.chr.CharSink;
import dev.jvmx.devices.chr.CharSource;
import dev.jvmx.devices.chr.FileSink;
import dev.jvmx.devices.chr.NullSink;
import dev.jvmx.devices.chr.StdioBackend;
import dev.jvmx.devices.chr.StdoutSink;
import dev.jvmx.devices.chr.TcpSerialBackend;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * QEMU-style character back-end specifications: {@code stdio}, {@code none},
 * {@code file:PATH}, {@code tcp:HOST:PORT} (serial only, loopback). Opened back-ends are
 * closed and flushed together at the end of the run.
 */
final class ConsoleSpec implements AutoCloseable {
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final List<CharSink> sinks = new ArrayList<>();
    private StdoutSink stdout;
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

    static final CharSource NO_INPUT = () -> -1;

    Backend open(String spec, String what, boolean input, Runnable onQuit) throws IOException {
        if (spec.equals("none")) {
            return new Backend(NullSink.INSTANCE, NO_INPUT);
        }
        if (spec.equals("stdio")) {
            // Standard input feeds the serial port whether it is a terminal (raw mode) or a pipe,
            // as QEMU's -serial stdio does, so scripts can drive the guest.
            if (input) {
                if (stdio == null) {
                    stdio = StdioBackend.open(onQuit); // open() starts its one reader thread
                    sinks.add(stdio);
                }
                return new Backend(stdio, stdio);
            }
            return new Backend(stdout(), NO_INPUT);
        }
        if (spec.startsWith("file:") && spec.length() > 5) {
            FileSink f = new FileSink(Path.of(spec.substring(5)));
            opened.add(f);
            sinks.add(f);
            return new Backend(f, NO_INPUT);
        }
        if (spec.startsWith("tcp:") && input) {
            String[] hp = spec.substring(4).split(":");
            if (hp.length != 2 || !(hp[0].isEmpty() || hp[0].equals("127.0.0.1") || hp[0].equals("localhost"))) {
                throw new IllegalArgumentException(what + ": expected tcp:127.0.0.1:PORT (loopback only), got '" + spec + "'");
            }
            int port;
            try {
                port = Integer.parseInt(hp[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + ": bad port in '" + spec + "'");
            }
            TcpSerialBackend t = new TcpSerialBackend(port);
            opened.add(t);
            sinks.add(t);
            System.err.println("jvmx: " + what + " waiting on telnet 127.0.0.1:" + t.localPort());
            return new Backend(t, t);
        }
        throw new IllegalArgumentException(what + ": expected stdio, none, file:PATH"
                + (input ? " or tcp:127.0.0.1:PORT" : "") + ", got '" + spec + "'");
    }

    private StdoutSink stdout() {
        if (stdout == null) {
            stdout = new StdoutSink();
            sinks.add(stdout);
        }
        return stdout;
    }

    void flush() {
        for (CharSink s : sinks) {
            s.flush();
        }
    }

    /** Flushes the consoles and leaves raw terminal mode, so the runner's own lines print normally. */
    void finish() {
        flush();
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
