package dev.jvmx.translator.exit;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.cpu.Vector;
import dev.jvmx.translator.codegen.Faults;
import dev.jvmx.vmx.ExitReason;

/**
 * The static entry points translated code calls for VM exits (DESIGN.md rule 5): one
 * {@code invokestatic} with the exit reason and a qualification fixed at translation time.
 * The bridge only forwards to the CPU's {@link VmExitHandler}.
 */
public final class ExitBridge {
    private static final ExitReason[] REASONS = new ExitReason[65];

    static {
        for (ExitReason r : ExitReason.values()) {
            REASONS[r.number()] = r;
        }
    }

    private ExitBridge() { }

    /** IN: the qualification's port field is filled from {@code port} (DX forms). */
    public static int in(Cpu cpu, long qualification, int port) {
        return cpu.exitHandler.ioIn(cpu, qualification | ((long) (port & 0xFFFF) << 16));
    }

    public static void out(Cpu cpu, long qualification, int port, int value) {
        cpu.exitHandler.ioOut(cpu, qualification | ((long) (port & 0xFFFF) << 16), value);
    }

    /** A generic exit: the guest state is already in {@code cpu}, EIP at the instruction. */
    public static void exit(Cpu cpu, int reason, long qualification, int length) {
        cpu.exitHandler.exit(cpu, REASONS[reason], qualification, length);
    }

    /** Counts a virtualization hole that VT-x itself would not exit on. */
    public static void hole(Cpu cpu, String name) {
        cpu.exitHandler.hole(cpu, name);
    }

    /**
     * Protected-mode I/O permission (SDM Vol. 1, 19.5): allowed when CPL <= IOPL outside
     * virtual-8086 mode, else every bit for the accessed ports in the TSS bitmap must be clear.
     */
    public static void checkIoPermission(Cpu cpu, int port, int size) {
        if (!cpu.v86() && cpu.cpl <= cpu.iopl()) {
            return;
        }
        int type = cpu.tr.access & 0xF;
        if ((type != 0x9 && type != 0xB) || cpu.tr.limit < 0x67) {
            throw Faults.raise(cpu, Vector.GP, 0, true);
        }
        int base = cpu.mmu.readSystem16(cpu.tr.base + 0x66);
        int byteOff = base + (port >>> 3);
        if (byteOff + 1 > cpu.tr.limit) {
            throw Faults.raise(cpu, Vector.GP, 0, true);
        }
        int bits = cpu.mmu.readSystem16(cpu.tr.base + byteOff);
        int mask = ((1 << size) - 1) << (port & 7);
        if ((bits & mask) != 0) {
            throw Faults.raise(cpu, Vector.GP, 0, true);
        }
    }
}
