package dev.jvmx.devices.ata;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A fixed disk backed by a raw image file: sector n is bytes 512n..512n+511 of the file.
 * Writes go through to the file; {@link #flush()} forces them to the storage device.
 */
public final class AtaDisk implements Closeable {
    public static final int SECTOR_SIZE = 512;

    private final Path path;
    private final FileChannel channel;
    private final boolean readOnly;
    private final long sectorCount;
    private final AtaGeometry geometry;

    private AtaDisk(Path path, FileChannel channel, boolean readOnly, long sectorCount) {
        this.path = path;
        this.channel = channel;
        this.readOnly = readOnly;
        this.sectorCount = sectorCount;
        this.geometry = AtaGeometry.forSectors(sectorCount);
    }

    /**
     * Opens an image. A missing file, one smaller than a sector, one whose size is not a
     * whole number of sectors, or a read-write open of a file that cannot be written gives
     * an IllegalArgumentException with a one-line message for the user.
     */
    public static AtaDisk open(Path path, boolean readOnly) {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("disk image not found: " + path);
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("disk image is not a regular file: " + path);
        }
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException("disk image is not readable: " + path);
        }
        if (!readOnly && !Files.isWritable(path)) {
            throw new IllegalArgumentException("disk image is not writable (open it read-only): " + path);
        }
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the size of disk image " + path + ": " + e.getMessage());
        }
        if (size < SECTOR_SIZE) {
            throw new IllegalArgumentException("disk image " + path + " is " + size
                    + " bytes; it must hold at least one 512-byte sector");
        }
        if (size % SECTOR_SIZE != 0) {
            throw new IllegalArgumentException("disk image " + path + " is " + size
                    + " bytes, not a multiple of the 512-byte sector size");
        }
        try {
            FileChannel ch = readOnly
                    ? FileChannel.open(path, StandardOpenOption.READ)
                    : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            return new AtaDisk(path, ch, readOnly, size / SECTOR_SIZE);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("cannot open disk image " + path + ": " + e.getMessage());
        }
    }

    public Path path() {
        return path;
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    public long sectorCount() {
        return sectorCount;
    }

    /** The default CHS geometry reported in IDENTIFY DEVICE words 1, 3 and 6. */
    public AtaGeometry geometry() {
        return geometry;
    }

    /** Reads {@code count} sectors from {@code lba} into {@code dst} at {@code offset}. */
    public void read(long lba, byte[] dst, int offset, int count) throws IOException {
        checkRange(lba, count);
        ByteBuffer b = ByteBuffer.wrap(dst, offset, count * SECTOR_SIZE);
        long pos = lba * SECTOR_SIZE;
        while (b.hasRemaining()) {
            int n = channel.read(b, pos);
            if (n < 0) {
                throw new IOException("unexpected end of disk image " + path);
            }
            pos += n;
        }
    }

    /** Writes {@code count} sectors from {@code src} at {@code offset} to {@code lba}. */
    public void write(long lba, byte[] src, int offset, int count) throws IOException {
        if (readOnly) {
            throw new IOException("disk image is read-only: " + path);
        }
        checkRange(lba, count);
        ByteBuffer b = ByteBuffer.wrap(src, offset, count * SECTOR_SIZE);
        long pos = lba * SECTOR_SIZE;
        while (b.hasRemaining()) {
            pos += channel.write(b, pos);
        }
    }

    public void flush() throws IOException {
        if (!readOnly) {
            channel.force(false);
        }
    }

    private void checkRange(long lba, int count) throws IOException {
        if (lba < 0 || count < 0 || lba + count > sectorCount) {
            throw new IOException("sector " + lba + "+" + count + " outside disk image of " + sectorCount + " sectors");
        }
    }

    @Override
    public void close() throws IOException {
        if (channel.isOpen()) {
            try {
                flush();
            } finally {
                channel.close();
            }
        }
    }
}
