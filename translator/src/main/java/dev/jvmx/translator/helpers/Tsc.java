package dev.jvmx.translator.helpers;

import dev.jvmx.translator.cpu.Cpu;

/**
 * The time-stamp counter (SDM Vol. 3B, 18.17): it counts at one fixed rate, {@link #FREQUENCY_HZ},
 * from the machine's clock ({@link Cpu#timeSource}), whatever the guest runs or how fast. The CPU
 * advertises no TSC frequency (CPUID stops at leaf 1), so an operating system measures it against
 * the PIT or the ACPI PM timer, which run from the same clock and therefore agree with it.
 * 1 GHz makes a TSC tick one nanosecond of that clock: a read is an add.
 * {@code cpu.tsc} is the offset a WRMSR to IA32_TIME_STAMP_COUNTER sets.
 */
public final class Tsc {
    public static final long FREQUENCY_HZ = 1_000_000_000L;

    private Tsc() { }

    /** The counter now; RDTSC, RDMSR 0x10 and translated code's inline RDTSC all read it here. */
    public static long read(Cpu cpu) {
        return cpu.tsc + cpu.timeSource.nanos();
    }

    /** WRMSR 0x10: the counter continues from {@code value}. */
    public static void write(Cpu cpu, long value) {
        cpu.tsc = value - cpu.timeSource.nanos();
    }
}
