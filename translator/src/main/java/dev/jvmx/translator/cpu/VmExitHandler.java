package dev.jvmx.translator.cpu;

/**
 * Answers the VM exits that translated code takes (the runtime's exit dispatcher, one handler
 * per exit reason as in KVM). Before any call the exit-information fields are in
 * {@code cpu.vmcs} (read them through {@code cpu.exit}: reason, qualification, instruction
 * length and information, guest-linear address), and the registers, EIP (of the exiting
 * instruction) and flags are in the {@link Cpu}; a handler may change them (CPUID, RDMSR ...)
 * and advances EIP itself when it completes the instruction.
 */
public interface VmExitHandler {
    /** IN / INS: returns the value read, zero-extended to the access size. */
    int ioIn(Cpu cpu);

    /** OUT / OUTS. */
    void ioOut(Cpu cpu, int value);

    /** Any other exit. Returns normally when the guest may continue at {@code cpu.eip}. */
    void exit(Cpu cpu);

    /**
     * IN from a port the execution controls pass (no VM exit): the device answers directly and
     * nothing is counted as an exit.
     */
    int portRead(Cpu cpu, int port, int size);

    /** OUT to a port the execution controls pass (no VM exit). */
    void portWrite(Cpu cpu, int port, int size, int value);

    /** A virtualization hole (PUSH CS, SGDT, POPF touching IF ...) that VT-x would not exit on. */
    default void hole(Cpu cpu, String name) { }
}
