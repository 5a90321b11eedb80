package dev.jvmx.devices.timer;

/**
 * The processor's time-stamp counter as a device sees it (the local APIC's TSC-deadline timer).
 * The machine decides how the TSC relates to its {@link Clock}; the device only reads it and
 * asks when it will reach a value, to schedule its next event.
 */
public interface TimeStampCounter {
    /** The TSC now. */
    long read();

    /**
     * The {@link Clock#nanos()} instant at which the TSC reaches {@code value}: now or earlier
     * when it already has, Long.MAX_VALUE if it never will.
     */
    long nanosAt(long value);
}
