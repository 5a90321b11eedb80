package dev.jvmx.translator.cpu;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.cpu.GuestFault;

/** Raising guest exceptions from translated code and helpers. */
public final class Faults {
    private Faults() { }

    /** Returns the CPU's preallocated fault, set up; the caller throws it. */
    public static GuestFault raise(Cpu cpu, int vector, int errorCode, boolean hasErrorCode) {
        return cpu.fault(vector, errorCode, hasErrorCode);
    }

    public static GuestFault raise(Cpu cpu, int vector) {
        return cpu.fault(vector, 0, false);
    }
}
