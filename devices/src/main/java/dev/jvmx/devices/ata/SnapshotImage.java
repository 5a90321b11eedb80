package dev.jvmx.devices.ata;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * snapshot=on: the guest writes to a copy in memory, block by block, and the image under it
 * is only read (opened read-only, so locked as a reader). Everything written is gone when
 * the run ends, as with QEMU's temporary overlay.
 */
public final class SnapshotImage implements BlockImage {
    static final int BLOCK = 512;

    private final BlockImage base;
    private final Map<Long, byte[]> written = new HashMap<>();

    public SnapshotImage(BlockImage base) {
        this.base = base;
    }

    @Override
    public String name() {
        return base.name() + " (snapshot)";
    }

    @Override
    public long size() {
        return base.size();
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    /** Blocks held in memory. */
    public int blocksWritten() {
        return written.size();
    }

    @Override
    public void read(long offset, byte[] dst, int off, int len) throws IOException {
        check(offset, len);
        while (len > 0) {
            long block = offset / BLOCK;
            int within = (int) (offset % BLOCK);
            int n = Math.min(len, BLOCK - within);
            byte[] copy = written.get(block);
            if (copy != null) {
                System.arraycopy(copy, within, dst, off, n);
            } else {
                base.read(offset, dst, off, n);
            }
            offset += n;
            off += n;
            len -= n;
        }
    }

    @Override
    public void write(long offset, byte[] src, int off, int len) throws IOException {
        check(offset, len);
        while (len > 0) {
            long block = offset / BLOCK;
            int within = (int) (offset % BLOCK);
            int n = Math.min(len, BLOCK - within);
            byte[] copy = written.get(block);
            if (copy == null) {
                copy = new byte[BLOCK];
                long start = block * BLOCK;
                base.read(start, copy, 0, (int) Math.min(BLOCK, base.size() - start));
                written.put(block, copy);
            }
            System.arraycopy(src, off, copy, within, n);
            offset += n;
            off += n;
            len -= n;
        }
    }

    /** Nothing to make durable: the writes are meant to vanish. */
    @Override
    public void flush() {
    }

    private void check(long offset, int len) throws IOException {
        if (offset < 0 || len < 0 || offset + len > size()) {
            throw new IOException("bytes " + offset + "+" + len + " outside disk image of " + size() + " bytes");
        }
    }

    @Override
    public void close() throws IOException {
        written.clear();
        base.close();
    }
}
