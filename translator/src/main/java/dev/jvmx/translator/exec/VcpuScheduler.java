package dev.jvmx.translator.exec;

import dev.jvmx.translator.cpu.Cpu;

/**
 * Runs several virtual processors in turn on the one {@link Cpu} of the execution loop: at a
 * block boundary it may save the running processor's state and load another's (see
 * {@link dev.jvmx.translator.cpu.VcpuContext}). A machine with one processor has none, and its
 * loop pays nothing for the possibility but a null test at boundaries.
 */
public interface VcpuScheduler {
    /**
     * At a block boundary, after the platform's service: switches to another processor when the
     * running one's quantum is over, it cannot run (halted with nothing to wake it, waiting for a
     * start-up IPI), or a halted one has an event to take. Returns whether it switched.
     */
    boolean schedule(Cpu cpu);

    /**
     * Whether a processor other than the running one can still run or be woken by an interrupt:
     * while one can, the running processor halted with IF = 0 waits instead of ending the run.
     */
    boolean othersMayRun();
}
