package dev.jvmx.devices.ata;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A raw image file: byte n of the drive is byte n of the file. Writes go straight to the
 * file (no cache of our own, so a killed process loses nothing the kernel already has);
 * {@link #flush()} forces them to the storage device. The file is locked while open
 * ({@link ImageLock}): a second user gets a one-line refusal.
 */
public final class RawImage implements BlockImage {
    private final Path path;
    private final FileChannel channel;
    private final boolean readOnly;
    private final long size;

    private RawImage(Path path, FileChannel channel, boolean readOnly, long size) {
        this.path = path;
        this.channel = channel;
        this.readOnly = readOnly;
        this.size = size;
    }

    /**
     * Opens and locks an image. A missing file, a directory or other non-regular file, one
     * that cannot be read (or written, for a read-write open), or one another process holds
     * gives an IllegalArgumentException with a one-line message for the user.
     */
    public static RawImage open(Path path, boolean readOnly) {
        return open(path, readOnly, "disk image");
    }

    /** As {@link #open(Path, boolean)}, naming the file {@code what} ("CD-ROM image") in messages. */
    public static RawImage open(Path path, boolean readOnly, String what) {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(what + " not found: " + path);
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(what + " is not a regular file: " + path);
        }
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException(what + " is not readable: " + path);
        }
        if (!readOnly && !Files.isWritable(path)) {
            throw new IllegalArgumentException(what + " is not writable (open it read-only): " + path);
        }
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the size of " + what + " " + path + ": " + e.getMessage());
        }
        if (readOnly) {
            ImageLock.checkNoWriter(path); // before this process holds any lock on the file
        }
        FileChannel ch;
        try {
            ch = readOnly
                    ? FileChannel.open(path, StandardOpenOption.READ)
                    : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("cannot open " + what + " " + path + ": " + e.getMessage());
        }
        try {
            ImageLock.acquire(path, ch, !readOnly);
        } catch (RuntimeException e) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // the refusal is the message the user needs
            }
            throw e;
        }
        return new RawImage(path, ch, readOnly, size);
    }

    public Path path() {
        return path;
    }

    @Override
    public String name() {
        return path.toString();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    @Override
    public void read(long offset, byte[] dst, int off, int len) throws IOException {
        checkRange(offset, len);
        ByteBuffer b = ByteBuffer.wrap(dst, off, len);
        long pos = offset;
        while (b.hasRemaining()) {
            int n = channel.read(b, pos);
            if (n < 0) {
                throw new IOException("unexpected end of disk image " + path + " (was it truncated?)");
            }
            pos += n;
        }
    }

    @Override
    public void write(long offset, byte[] src, int off, int len) throws IOException {
        if (readOnly) {
            throw new IOException("disk image is read-only: " + path);
        }
        checkRange(offset, len);
        ByteBuffer b = ByteBuffer.wrap(src, off, len);
        long pos = offset;
        while (b.hasRemaining()) {
            pos += channel.write(b, pos);
        }
    }

    @Override
    public void flush() throws IOException {
        if (!readOnly && channel.isOpen()) {
            channel.force(false);
        }
    }

    private void checkRange(long offset, int len) throws IOException {
        if (offset < 0 || len < 0 || offset + len > size) {
            throw new IOException("bytes " + offset + "+" + len + " outside disk image of " + size + " bytes");
        }
    }

    /** Closes the file; the kernel drops its locks with it. */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
