package dev.jvmx.translator.exec;

import dev.jvmx.translator.cpu.Cpu;

/**
 * A platform with no devices and no interrupt source, for running guest code in tests and
 * harnesses: the run stops at an instruction count, and HLT with interrupts enabled ends it
 * (nothing could ever wake the CPU).
 */
public final class BarePlatform implements Platform {
    /** The instruction count at which the run stops (absolute, compared with cpu.instructions). */
    public long limit;

    public BarePlatform(long limit) {
        this.limit = limit;
    }

    @Override
    public StopReason service(Cpu c) {
        if (c.instructions >= limit) {
            return new StopReason(StopReason.Kind.INSTRUCTION_LIMIT, 4, "instruction limit");
        }
        return null;
    }

    @Override
    public boolean interruptPending() {
        return false;
    }

    @Override
    public int acknowledgeInterrupt() {
        return -1;
    }

    @Override
    public StopReason waitForInterrupt(Cpu c) {
        return new StopReason(StopReason.Kind.HALTED, 0, "halted with interrupts enabled and no interrupt source");
    }

    @Override
    public long nextDeadline() {
        return limit;
    }
}
