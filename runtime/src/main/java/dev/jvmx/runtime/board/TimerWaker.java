package dev.jvmx.runtime.board;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * On the host clock, asks the guest's thread to look at its timers when the next timer event is
 * due, as a host timer does for QEMU's TCG (it kicks the vCPU out of its translated code).
 *
 * <p>Without it the execution loop looked at the timers every 65,536 guest instructions when
 * nothing asked sooner (1-2 ms of first-tier code), or when the guest did something that asks:
 * an STI's interrupt shadow, a timer register written. User code executes no STI, so a tick that
 * fell due in user mode waited for the next system call's STI and interrupted kernel code, and
 * Linux, which charges each tick to the mode it interrupts, charged user work to the kernel:
 * `time md5sum` on a 2 MB file read user 0.03 s, sys 0.27 s, where QEMU reads user 0.04 s.
 *
 * <p>The guest's thread tells it when the next event is due after every look ({@link #dueIn});
 * a thread of its own sleeps until then and makes the request. Waking early costs one look that
 * finds nothing due; the clock the devices count (host time less the guest thread's code-making
 * stalls) never runs ahead of host time, so the waker is never late by it.
 */
public final class TimerWaker implements AutoCloseable {
    /**
     * A request closer than this to the last one is not worth a wake-up of its own: a timer whose
     * event stays due (or is due again at once) would otherwise keep the thread spinning.
     */
    static final long MIN_WAIT_NANOS = 20_000;
    /**
     * The guest's thread wakes the waker only for a due time this much sooner than the one it
     * sleeps to: each look republishes the same event, read against two clocks a few nanoseconds
     * apart, and an unpark is a system call.
     */
    static final long SOONER_NANOS = 50_000;

    private final Runnable request;
    /** System.nanoTime() at which to make the request; Long.MAX_VALUE for none. */
    private final AtomicLong due = new AtomicLong(Long.MAX_VALUE);
    private volatile boolean closed;
    /** Started by the guest's thread; volatile for {@link #close}, which any thread may call. */
    private volatile Thread thread;
    private volatile long requests;

    /** {@code request} asks the guest's thread for a look at its timers (any thread may call it). */
    public TimerWaker(Runnable request) {
        this.request = request;
    }

    /**
     * The next timer event is due in {@code nanos} of host time (Long.MAX_VALUE: none is armed).
     * Called by the guest's thread after each look at its timers; starts the waker's thread at the
     * first event.
     */
    public void dueIn(long nanos) {
        if (closed) {
            return;
        }
        long at = nanos == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + Math.max(nanos, MIN_WAIT_NANOS);
        long old = due.get();
        due.set(at);
        if (at < old - SOONER_NANOS) {
            Thread t = thread;
            if (t == null) {
                t = new Thread(this::run, "jvmx-timer");
                t.setDaemon(true);
                thread = t;
                t.start();
            } else {
                LockSupport.unpark(t);
            }
        }
    }

    /** Requests made so far (the tests read it). */
    public long requests() {
        return requests;
    }

    private void run() {
        while (!closed) {
            long at = due.get();
            if (at == Long.MAX_VALUE) {
                LockSupport.park(this);
                continue;
            }
            long wait = at - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
                continue;
            }
            // Due: ask once, unless the guest's thread has moved the time meanwhile.
            if (due.compareAndSet(at, Long.MAX_VALUE)) {
                requests++;
                request.run();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }
}
