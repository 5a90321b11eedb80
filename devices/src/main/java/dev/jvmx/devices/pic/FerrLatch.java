package dev.jvmx.devices.pic;

import dev.jvmx.devices.IoDevice;
import dev.jvmx.devices.IrqLine;

/**
 * The PC's x87 error path (the AT's "coprocessor error" logic, kept by its chipsets at ISA port
 * F0h): the processor's FERR# output raises IRQ 13; a write of any value to port F0h lowers IRQ 13
 * and asserts IGNNE#, so that the frozen waiting instruction runs once the handler returns (the
 * processor drops IGNNE# when its pending exception is cleared; SDM Vol. 1, D.2.1). The latch
 * knows nothing of the CPU: it is given the IRQ line and what IGNNE# does.
 */
public final class FerrLatch implements IoDevice {
    public static final int PORT = 0xF0;
    public static final int IRQ = 13;

    private final IrqLine irq13;
    private final Runnable ignne;

    public FerrLatch(IrqLine irq13, Runnable ignne) {
        this.irq13 = irq13;
        this.ignne = ignne;
    }

    /** FERR# from the processor: IRQ 13 goes high and stays high until port F0h is written. */
    public void ferr() {
        irq13.set(true);
    }

    /** Nothing to read (the bus floats). */
    @Override
    public int ioRead(int port, int size) {
        return size == 1 ? 0xFF : size == 2 ? 0xFFFF : -1;
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        irq13.set(false);
        ignne.run();
    }
}
