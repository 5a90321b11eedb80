package dev.jvmx.translator.cpu;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.vmx.ExitReason;
import dev.jvmx.vmx.IoQualification;

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

    /**
     * IN to a port the execution controls pass (no VM exit): the device answers directly and
     * nothing is counted as an exit. The default forwards to {@link #ioIn} for handlers that
     * do not tell the two apart.
     */
    default int portRead(Cpu cpu, int port, int size) {
        return ioIn(cpu, IoQualification.encode(size, true, false, false, false, port));
    }

    /** OUT to a port the execution controls pass (no VM exit); see {@link #portRead}. */
    default void portWrite(Cpu cpu, int port, int size, int value) {
        ioOut(cpu, IoQualification.encode(size, false, false, false, false, port), value);
    }

    /** A virtualization hole (PUSH CS, SGDT, POPF touching IF ...) that VT-x would not exit on. */
    default void hole(Cpu cpu, String name) { }
}
