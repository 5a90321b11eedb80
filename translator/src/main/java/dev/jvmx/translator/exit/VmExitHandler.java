package dev.jvmx.translator.exit;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.vmx.ExitReason;

/**
 * Answers the VM exits that translated code takes. The runtime's exit dispatcher implements
 * it with one handler per exit reason. Before {@link #exit} is called the CPU's registers,
 * EIP (of the exiting instruction) and flags are in {@link Cpu}; the handler may change
 * them (CPUID, RDMSR ...) and advances EIP itself when it completes the instruction.
 */
public interface VmExitHandler {
    /** IN / INS: returns the value read, zero-extended to the access size. */
    int ioIn(Cpu cpu, long qualification);

    /** OUT / OUTS. */
    void ioOut(Cpu cpu, long qualification, int value);

    /**
     * Any other exit. {@code length} is the VM-exit instruction length. Returns normally when
     * the guest may continue at {@code cpu.eip}.
     */
    void exit(Cpu cpu, ExitReason reason, long qualification, int length);

    /** A virtualization hole (PUSH CS, SGDT, POPF touching IF ...) that VT-x would not exit on. */
    default void hole(Cpu cpu, String name) { }
}
