package dev.jvmx.devices.timer;

/** The machine's time base for devices that count real or virtual time. */
public interface Clock {
    /** Nanoseconds since an arbitrary origin fixed at construction; never decreases. */
    long nanos();
}
