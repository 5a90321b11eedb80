package dev.jvmx.translator.cpu;

/**
 * The machine's clock as the CPU sees it: nanoseconds since an origin fixed when the machine was
 * built, never decreasing. The runtime sets it ({@link Cpu#timeSource}) to the same clock its
 * timers use, so the TSC and the PIT, the PM timer and the RTC agree; without a machine it counts
 * retired instructions as nanoseconds.
 */
@FunctionalInterface
public interface TimeSource {
    long nanos();
}
