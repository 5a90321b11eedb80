package dev.jvmx.devices.timer;

/** Time that moves only when the machine says so: runs are deterministic and repeatable. */
public final class VirtualClock implements Clock {
    private volatile long now;

    public VirtualClock() {
        this(0);
    }

    public VirtualClock(long startNanos) {
        now = startNanos;
    }

    @Override
    public long nanos() {
        return now;
    }

    /** Moves time forward; a negative amount is ignored (time never goes back). */
    public synchronized void advance(long nanos) {
        if (nanos > 0) {
            now += nanos;
        }
    }

    /** Moves time forward to {@code nanos} if that is later than now. */
    public synchronized void advanceTo(long nanos) {
        if (nanos > now) {
            now = nanos;
        }
    }
}
