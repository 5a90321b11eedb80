package dev.jvmx.devices.kbd;

import dev.jvmx.devices.IoDevice;
import dev.jvmx.devices.MachineControl;

/**
 * Port 0x92, system control port A (PS/2 and later chipsets): bit 0 is the alternate fast
 * reset (a 0 to 1 transition resets the processor), bit 1 the fast A20 gate. The other bits
 * are kept and read back.
 */
public final class FastA20Port implements IoDevice {
    public static final int PORT = 0x92;
    public static final int FAST_RESET = 0x01;
    public static final int A20 = 0x02;

    private final MachineControl machine;
    private final A20Gate a20;
    private int value;

    public FastA20Port(MachineControl machine, A20Gate a20) {
        this.machine = machine;
        this.a20 = a20;
    }

    @Override
    public synchronized int ioRead(int port, int size) {
        return value;
    }

    @Override
    public synchronized void ioWrite(int port, int size, int v) {
        v &= 0xFF;
        boolean resetEdge = (v & FAST_RESET) != 0 && (value & FAST_RESET) == 0;
        value = v;
        a20.setPort92((v & A20) != 0);
        if (resetEdge) {
            machine.requestReset("port 0x92 fast reset");
        }
    }
}
