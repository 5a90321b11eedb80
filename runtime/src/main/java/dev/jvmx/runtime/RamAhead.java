package dev.jvmx.runtime;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The guest's RAM array, allocated on a thread of its own while the command line is read and
 * the machine configured. Allocating it is page faults: the JVM zeroes 144 MiB (128 MiB of RAM
 * and the ROM space) that the process has never touched. On the 2-core machines that took
 * 15-320 ms in 2 MiB pages (the slow runs about one in four, whatever the kernel's free
 * memory) and 0.42-0.49 s in 4 KiB pages, in front of every boot; the command line and
 * configuration take 13-41 ms of the main thread meanwhile (78-121 ms while picocli read every
 * boot's line), so the guest's start may wait for the rest.
 */
public final class RamAhead {
    private static final AtomicReference<FutureTask<byte[]>> PENDING = new AtomicReference<>();

    private RamAhead() { }

    /** Starts allocating a zeroed array of {@code length} bytes, for the next {@link #take}. */
    public static void start(int length) {
        FutureTask<byte[]> task = new FutureTask<>(() -> {
            try {
                return new byte[length];
            } catch (OutOfMemoryError e) {
                return null; // the machine allocates it itself, and reports that in words
            }
        });
        Thread t = new Thread(task, "jvmx-ram");
        t.setDaemon(true);
        PENDING.set(task);
        t.start();
    }

    /**
     * The array started ahead, waiting for it, when it has {@code length} bytes; null when none
     * was started or it has another length (it is then dropped). Each array is taken once.
     */
    public static byte[] take(int length) {
        FutureTask<byte[]> task = PENDING.getAndSet(null);
        if (task == null) {
            return null;
        }
        try {
            byte[] a = task.get();
            return a != null && a.length == length ? a : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            return null;
        }
    }
}
