package dev.jvmx.devices.chr;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Bytes to an output stream (standard output by default), buffered and flushed on a newline
 * and on {@link #flush()}, so a guest printing one byte per OUT does not cost a syscall each.
 */
public final class StdoutSink implements CharSink {
    private final OutputStream out;
    private final byte[] buf = new byte[4096];
    private int len;

    public StdoutSink() {
        this(System.out);
    }

    public StdoutSink(OutputStream out) {
        this.out = out;
    }

    @Override
    public synchronized void write(int b) {
        buf[len++] = (byte) b;
        if ((b & 0xFF) == '\n' || len == buf.length) {
            flush();
        }
    }

    @Override
    public synchronized void flush() {
        try {
            out.write(buf, 0, len);
            out.flush();
        } catch (IOException e) {
            // The terminal went away; the guest must not notice.
        }
        len = 0;
    }
}
