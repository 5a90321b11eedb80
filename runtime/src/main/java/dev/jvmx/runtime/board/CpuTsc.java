package dev.jvmx.runtime.board;

import dev.jvmx.devices.timer.Clock;
import dev.jvmx.devices.timer.TimeStampCounter;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.helpers.SystemOps;

/**
 * The TSC as devices see it: what RDTSC would read now ({@link SystemOps#tsc}), and when it will
 * reach a value, assuming it advances {@code nanosPerTick} clock nanoseconds per count (exact
 * with --clock virtual, where one instruction is one count; an estimate with the host clock,
 * corrected because the machine looks again at every service).
 */
public final class CpuTsc implements TimeStampCounter {
    private final Cpu cpu;
    private final Clock clock;
    private final long nanosPerTick;

    public CpuTsc(Cpu cpu, Clock clock, long nanosPerTick) {
        this.cpu = cpu;
        this.clock = clock;
        this.nanosPerTick = Math.max(1, nanosPerTick);
    }

    @Override
    public long read() {
        return SystemOps.tsc(cpu);
    }

    @Override
    public long nanosAt(long value) {
        long now = clock.nanos();
        long ticks = value - read();
        if (ticks <= 0) {
            return now;
        }
        if (ticks > (Long.MAX_VALUE - now) / nanosPerTick) {
            return Long.MAX_VALUE;
        }
        return now + ticks * nanosPerTick;
    }
}
