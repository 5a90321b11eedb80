package dev.jvmx.devices.ata;

import java.io.IOException;

/** An image in memory whose reads, writes or flushes can be made to fail, as a full or broken disk would. */
final class MemoryImage implements BlockImage {
    final byte[] data;
    boolean failReads;
    boolean failWrites;
    boolean failFlush;
    int flushes;
    int writes;

    MemoryImage(int size) {
        data = new byte[size];
    }

    @Override
    public String name() {
        return "mem.img";
    }

    @Override
    public long size() {
        return data.length;
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public void read(long offset, byte[] dst, int off, int len) throws IOException {
        if (failReads) {
            throw new IOException("Input/output error");
        }
        System.arraycopy(data, (int) offset, dst, off, len);
    }

    @Override
    public void write(long offset, byte[] src, int off, int len) throws IOException {
        if (failWrites) {
            throw new IOException("No space left on device");
        }
        writes++;
        System.arraycopy(src, off, data, (int) offset, len);
    }

    @Override
    public void flush() throws IOException {
        if (failFlush) {
            throw new IOException("Input/output error");
        }
        flushes++;
    }

    @Override
    public void close() {
    }
}
