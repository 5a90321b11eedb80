package dev.jvmx.devices.chr;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Bytes appended to a file. Opening errors are the caller's; later write errors are dropped. */
public final class FileSink implements CharSink, AutoCloseable {
    private final OutputStream out;

    public FileSink(Path file) throws IOException {
        this.out = new BufferedOutputStream(Files.newOutputStream(file,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE));
    }

    @Override
    public synchronized void write(int b) {
        try {
            out.write(b & 0xFF);
            if ((b & 0xFF) == '\n') {
                out.flush();
            }
        } catch (IOException e) {
            // Disk full or file gone: the guest's output is lost, the guest keeps running.
        }
    }

    @Override
    public synchronized void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            // see write
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            // see write
        }
    }
}
