package dev.jvmx.runtime.control;

import dev.jvmx.devices.chr.StdioBackend;
import dev.jvmx.runtime.Machine;
import dev.jvmx.translator.exec.ExecutionLoop;
import dev.jvmx.translator.exec.StopReason;

import java.io.PrintStream;
import java.util.function.ToIntFunction;

/**
 * Ends a run on time whatever the guest does. A watchdog thread, which counts no guest
 * instructions, wakes every {@link #TICK_MILLIS} ms: at the deadline it requests the timeout
 * stop; while a stop (timeout, Ctrl-A x, a signal, a caller) is pending it requests it again
 * from the execution loop (a request made before the loop started, or lost to a concurrent
 * clear, is not lost); with the host clock it asks the loop to service the devices, so timers
 * run on even when the guest retires nothing; and it refreshes the progress line. If the CPU
 * thread has not ended the run {@link #GRACE_NANOS} after a stop was requested (it is stuck
 * outside the loop, e.g. writing to a pipe nobody reads), a standalone process prints the last
 * line itself and exits with the stop's code.
 */
public final class RunControl implements AutoCloseable {
    public static final long TICK_MILLIS = 10;
    public static final long GRACE_NANOS = 800_000_000L;

    private static volatile RunControl current;

    private final long deadlineNanos;
    private final StopReason timeout;
    private final boolean serviceDevices;
    private final boolean mayHalt;
    private final PrintStream err;
    private final ToIntFunction<StopReason> exitCodes;
    private final Thread watchdog;
    private volatile Machine machine;
    private volatile boolean running;
    private volatile StopReason pending;
    private volatile long stopSeenNanos;
    private volatile boolean closed;
    private volatile ProgressLine progress;
    private volatile Runnable periodic;

    /**
     * @param deadlineNanos  System.nanoTime() at which the run times out, or Long.MAX_VALUE
     * @param timeout        the stop to request then
     * @param serviceDevices request device service every tick (host clock; never with --clock virtual)
     * @param mayHalt        this is the jvmx process itself: the backstop may end it
     * @param exitCodes      the process exit code of a stop (for the backstop)
     */
    public RunControl(long deadlineNanos, StopReason timeout, boolean serviceDevices, boolean mayHalt, PrintStream err,
            ToIntFunction<StopReason> exitCodes) {
        this.deadlineNanos = deadlineNanos;
        this.timeout = timeout;
        this.serviceDevices = serviceDevices;
        this.mayHalt = mayHalt;
        this.err = err;
        this.exitCodes = exitCodes;
        current = this;
        watchdog = new Thread(this::watch, "jvmx-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** The run in progress in this process (for signal handlers), or null. */
    public static RunControl current() {
        RunControl c = current;
        return c == null || c.closed ? null : c;
    }

    public void setProgress(ProgressLine p) {
        progress = p;
    }

    /**
     * Called every tick on a thread of its own (e.g. to flush console output, which may block
     * on a full pipe: it must never hold up the watchdog).
     */
    public void setPeriodic(Runnable r) {
        periodic = r;
        Thread t = new Thread(() -> {
            while (!closed) {
                try {
                    periodic.run();
                    Thread.sleep(2 * TICK_MILLIS);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // keep going: the next tick may succeed
                }
            }
        }, "jvmx-periodic");
        t.setDaemon(true);
        t.start();
    }

    /** Asks the run to stop; the first request wins. Any thread. */
    public void requestStop(StopReason r) {
        synchronized (this) {
            if (pending == null) {
                pending = r;
            }
        }
        Machine m = machine;
        if (m != null) {
            m.loop.requestStop(pending);
        }
    }

    /** The stop requested so far, or null. */
    public StopReason pending() {
        return pending;
    }

    /** Runs the machine until it stops (at once if a stop is pending already). */
    public StopReason run(Machine m) {
        machine = m;
        if (pending != null) {
            return pending;
        }
        running = true;
        try {
            return m.run();
        } finally {
            running = false;
        }
    }

    private void watch() {
        while (!closed) {
            long now = System.nanoTime();
            if (now - deadlineNanos >= 0 && deadlineNanos != Long.MAX_VALUE && pending == null) {
                requestStop(timeout);
            }
            Machine m = machine;
            StopReason p = pending;
            if (m != null && running) {
                if (p != null) {
                    m.loop.requestStop(p);
                    if (stopSeenNanos == 0) {
                        stopSeenNanos = now;
                    } else if (mayHalt && now - stopSeenNanos > GRACE_NANOS) {
                        backstop(m, p);
                    }
                } else if (serviceDevices) {
                    m.cpu.request(ExecutionLoop.REQUEST_SERVICE); // atomic: other threads set request bits too
                }
            }
            try {
                ProgressLine pl = progress;
                if (pl != null && running && p == null) {
                    pl.tick(now, m);
                }
            } catch (RuntimeException e) {
                // the watchdog must keep watching
            }
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void backstop(Machine m, StopReason p) {
        ProgressLine pl = progress;
        if (pl != null) {
            pl.clear();
        }
        StdioBackend.restoreTerminal();
        err.println("jvmx: " + p.message + " after " + m.cpu.instructions + " instructions (the CPU thread did not"
                + " stop within " + GRACE_NANOS / 1_000_000 + " ms; ended without it)");
        err.flush();
        Thread close = new Thread(() -> {
            try {
                m.close(); // flush the disk if the CPU thread does not hold it
            } catch (Throwable ignored) {
                // the process ends now whatever happens
            }
        }, "jvmx-last-close");
        close.setDaemon(true);
        close.start();
        try {
            close.join(500);
        } catch (InterruptedException ignored) {
            // halt below
        }
        Runtime.getRuntime().halt(exitCodes.applyAsInt(p));
    }

    @Override
    public void close() {
        closed = true;
        watchdog.interrupt();
        if (current == this) {
            current = null;
        }
    }
}
