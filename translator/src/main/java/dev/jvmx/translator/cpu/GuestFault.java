package dev.jvmx.translator.cpu;

import dev.jvmx.translator.arch.Vector;

/**
 * A guest exception raised inside translated code or a slow path (DESIGN.md rule 6). One
 * preallocated instance per CPU is thrown; it carries no stack trace, so throwing it costs
 * what a branch does. The translated block's handler restores the registers and EIP of the
 * faulting instruction before the fault is delivered.
 */
public final class GuestFault extends RuntimeException {
    /** Not an architectural exception: a write hit the running block's code (re-run it alone). */
    public static final int SMC_RESTART = -2;

    public int vector;
    public int errorCode;
    public boolean hasErrorCode;

    public GuestFault() {
        super(null, null, false, false);
    }

    public GuestFault set(int vector, int errorCode, boolean hasErrorCode) {
        this.vector = vector;
        this.errorCode = errorCode;
        this.hasErrorCode = hasErrorCode;
        return this;
    }

    @Override
    public String getMessage() {
        return Vector.name(vector) + (hasErrorCode ? String.format(" (error %#x)", errorCode) : "");
    }
}
