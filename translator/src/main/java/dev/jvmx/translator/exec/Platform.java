package dev.jvmx.translator.exec;

import dev.jvmx.translator.cpu.Cpu;

/** What the execution loop needs from the machine around the CPU. */
public interface Platform {
    /**
     * Called at a block boundary when {@code cpu.interruptRequest} is non-zero or the
     * instruction deadline has passed: update timers and devices. Returns a reason to stop, or null.
     */
    StopReason service(Cpu cpu);

    /** The INTR line: an external interrupt is waiting. */
    boolean interruptPending();

    /** The interrupt-acknowledge cycle: the vector of the interrupt being taken. */
    int acknowledgeInterrupt();

    /** An NMI waits for delivery (the local APIC's NMI input). */
    default boolean nmiPending() {
        return false;
    }

    /** The NMI is being delivered: it is no longer pending. */
    default void acknowledgeNmi() {
    }

    /** HLT with interrupts enabled: wait for the next event. Returns a reason to stop, or null. */
    StopReason waitForInterrupt(Cpu cpu);

    /** The instruction count at which {@link #service} must next be called (virtual time). */
    long nextDeadline();
}
