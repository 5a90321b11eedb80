package dev.jvmx.devices.chr;

/**
 * A bounded FIFO of bytes between two threads. The CPU side never waits: {@link #offer} drops
 * (and counts) a byte that does not fit, {@link #poll} answers -1 when empty. The I/O thread
 * side may wait: {@link #put} blocks while the queue is full (back-pressure towards a socket
 * or a pipe), {@link #take} while it is empty. {@link #close} releases every waiter.
 */
public final class ByteQueue {
    private final byte[] buf;
    private int head;
    private int size;
    private long dropped;
    private boolean closed;

    public ByteQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        buf = new byte[capacity];
    }

    /** Adds a byte if there is room; otherwise drops it and counts it. Never blocks. */
    public synchronized boolean offer(int b) {
        if (size == buf.length || closed) {
            dropped++;
            return false;
        }
        buf[(head + size) % buf.length] = (byte) b;
        size++;
        notifyAll();
        return true;
    }

    /** Adds a byte, waiting while the queue is full. Returns false if the queue was closed. */
    public synchronized boolean put(int b) throws InterruptedException {
        while (size == buf.length && !closed) {
            wait();
        }
        if (closed) {
            return false;
        }
        buf[(head + size) % buf.length] = (byte) b;
        size++;
        notifyAll();
        return true;
    }

    /** The oldest byte 0..255, or -1 when empty. Never blocks. */
    public synchronized int poll() {
        if (size == 0) {
            return -1;
        }
        int b = buf[head] & 0xFF;
        head = (head + 1) % buf.length;
        size--;
        notifyAll();
        return b;
    }

    /**
     * Moves up to {@code dst.length} bytes into {@code dst}, waiting while the queue is empty
     * and open. Returns the count, or -1 once the queue is closed and empty.
     */
    public synchronized int take(byte[] dst) throws InterruptedException {
        while (size == 0 && !closed) {
            wait();
        }
        if (size == 0) {
            return -1;
        }
        int n = Math.min(size, dst.length);
        for (int i = 0; i < n; i++) {
            dst[i] = buf[(head + i) % buf.length];
        }
        head = (head + n) % buf.length;
        size -= n;
        notifyAll();
        return n;
    }

    public synchronized int size() {
        return size;
    }

    public int capacity() {
        return buf.length;
    }

    /** Bytes {@link #offer} could not keep. */
    public synchronized long dropped() {
        return dropped;
    }

    /** Adds to the dropped count (bytes lost elsewhere on the way, e.g. with a broken connection). */
    public synchronized void countDropped(long n) {
        dropped += n;
    }

    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}
