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
    /**
     * Not an exception either: a triple fault inside an instruction's helper (a task switch or
     * software interrupt whose delivery ended in one), carried out of the block to the execution
     * loop, which stops the machine; {@link #shutdown} says why.
     */
    public static final int SHUTDOWN = -3;
    /**
     * Not an architectural exception: a REP INS/OUTS stopped between two iterations with its
     * registers at the progress made (SDM Vol. 2, REP: an interrupted repeat resumes), so that
     * the dispatcher can look at stop requests and interrupts before it runs the instruction again.
     */
    public static final int RESUME = -4;

    public int vector;
    public int errorCode;
    public boolean hasErrorCode;
    /**
     * State the exception loads when its delivery starts, held back until then because an
     * exception that causes a VM exit does not load it (SDM Vol. 3C, 27.1): the linear address
     * for CR2 of a #PF, the DR6 bits (B3-B0, BD, BS) of a #DB. An exception exit reports it as
     * its exit qualification. 0 for the other vectors.
     */
    public int payload;
    /** What shut the processor down, for {@link #SHUTDOWN}. */
    public String shutdown;

    public GuestFault() {
        super(null, null, false, false);
    }

    public GuestFault set(int vector, int errorCode, boolean hasErrorCode) {
        this.vector = vector;
        this.errorCode = errorCode;
        this.hasErrorCode = hasErrorCode;
        this.payload = 0;
        this.shutdown = null;
        return this;
    }

    @Override
    public String getMessage() {
        return Vector.name(vector) + (hasErrorCode ? String.format(" (error %#x)", errorCode) : "");
    }
}
