package dev.jvmx.runtime.board;

import dev.jvmx.devices.timer.Clock;
import dev.jvmx.devices.timer.TimeStampCounter;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.helpers.SystemOps;

import java.util.function.LongSupplier;

/**
 * The TSC as devices see it: what RDTSC would read now ({@link SystemOps#tsc}), and when it will
 * reach a value. The TSC counts the machine clock at 1 GHz (helpers.Tsc), one count per clock
 * nanosecond, under either clock mode.
 */
public final class CpuTsc implements TimeStampCounter {
    private final LongSupplier counter;
    private final Clock clock;

    public CpuTsc(Cpu cpu, Clock clock) {
        this(() -> SystemOps.tsc(cpu), clock);
    }

    /** The TSC that {@code counter} reads (on a machine with several processors, one processor's own). */
    public CpuTsc(LongSupplier counter, Clock clock) {
        this.counter = counter;
        this.clock = clock;
    }

    @Override
    public long read() {
        return counter.getAsLong();
    }

    @Override
    public long nanosAt(long value) {
        long now = clock.nanos();
        long ticks = value - read();
        if (ticks <= 0) {
            return now;
        }
        if (ticks > Long.MAX_VALUE - now) {
            return Long.MAX_VALUE;
        }
        return now + ticks;
    }
}
