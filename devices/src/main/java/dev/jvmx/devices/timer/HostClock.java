package dev.jvmx.devices.timer;

/** Host monotonic time (System.nanoTime), starting from zero when created. */
public final class HostClock implements Clock {
    private final long origin = System.nanoTime();

    @Override
    public long nanos() {
        return System.nanoTime() - origin;
    }
}
