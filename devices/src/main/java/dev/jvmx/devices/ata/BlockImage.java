package dev.jvmx.devices.ata;

import java.io.Closeable;
import java.io.IOException;

/**
 * The storage behind a drive: bytes addressed from 0. A drive reads and writes it in its own
 * sector size; {@link #flush()} makes what was written durable (FLUSH CACHE), and an I/O
 * failure is an IOException the drive reports to the guest as an ATA or SCSI error.
 */
public interface BlockImage extends Closeable {
    /** The file (or what stands for it) in messages for the user. */
    String name();

    /** Size in bytes. */
    long size();

    boolean isReadOnly();

    void read(long offset, byte[] dst, int off, int len) throws IOException;

    void write(long offset, byte[] src, int off, int len) throws IOException;

    void flush() throws IOException;

    /** Releases the file and its lock. It does not flush: call {@link #flush()} first. */
    @Override
    void close() throws IOException;
}
