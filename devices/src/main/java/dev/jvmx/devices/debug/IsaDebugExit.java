package dev.jvmx.devices.debug;

import dev.jvmx.devices.IoDevice;
import dev.jvmx.devices.MachineControl;

/**
 * QEMU's isa-debug-exit (iobase 0xF4, 4 ports): writing V ends the run with exit code
 * (V << 1) | 1, so a guest can report success or failure to a test harness (the process
 * returns the low 8 bits of it, as QEMU's does). Reads return 0.
 */
public final class IsaDebugExit implements IoDevice {
    public static final int PORT = 0xF4;
    public static final int SIZE = 4;

    private final MachineControl machine;

    public IsaDebugExit(MachineControl machine) {
        this.machine = machine;
    }

    @Override
    public int ioRead(int port, int size) {
        return 0;
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        int v = switch (size) {
            case 1 -> value & 0xFF;
            case 2 -> value & 0xFFFF;
            default -> value;
        };
        long code = (Integer.toUnsignedLong(v) << 1) | 1;
        machine.requestExit((int) code, code <= 0xFF ? "isa-debug-exit"
                : String.format("isa-debug-exit (value %#x, (V << 1) | 1 = %#x)", Integer.toUnsignedLong(v), code));
    }
}
