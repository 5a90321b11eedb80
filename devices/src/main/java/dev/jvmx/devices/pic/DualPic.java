package dev.jvmx.devices.pic;

import dev.jvmx.devices.IoDevice;
import dev.jvmx.devices.IoPortBus;
import dev.jvmx.devices.IrqLine;

/**
 * The PC/AT pair of 8259As: the master at 0x20/0x21 delivers IRQ0-7, the slave at 0xA0/0xA1
 * IRQ8-15 through the master's IR2; the edge/level control registers (ELCR, as on PIIX/ICH) at
 * 0x4D0/0x4D1. The master's INT pin is what the CPU sees ({@link #hasInterrupt()}); the CPU runs
 * the INTA cycle with {@link #acknowledge()}.
 */
public final class DualPic implements IoDevice {
    public static final int MASTER_PORT = 0x20;
    public static final int SLAVE_PORT = 0xA0;
    public static final int ELCR_PORT = 0x4D0;
    public static final int CASCADE_IRQ = 2;

    private final Pic8259 master = new Pic8259(true, 0xF8);  // IRQ0-2 are always edge
    private final Pic8259 slave = new Pic8259(false, 0xDE);  // IRQ8 and IRQ13 are always edge
    private final IrqLine[] lines = new IrqLine[16];
    private volatile boolean intr;
    private volatile Runnable intrListener = () -> { };

    public DualPic() {
        slave.setOutputListener(() -> master.setInput(CASCADE_IRQ, slave.output()));
        master.setOutputListener(() -> {
            intr = master.output();
            intrListener.run();
        });
        for (int n = 0; n < 16; n++) {
            // The ISA bus's IRQ2 pin is wired to the slave's IR1 (IRQ9) on an AT, since the
            // master's IR2 carries the cascade.
            int irq = n == CASCADE_IRQ ? 9 : n;
            lines[n] = level -> setIrq(irq, level);
        }
    }

    /** Claims 0x20-0x21, 0xA0-0xA1 and 0x4D0-0x4D1 on the bus. */
    public void registerPorts(IoPortBus bus) {
        bus.register(MASTER_PORT, 2, this);
        bus.register(SLAVE_PORT, 2, this);
        bus.register(ELCR_PORT, 2, this);
    }

    /** The input line of IRQ n (0-15); IRQ2 is the cascade, so irq(2) is the same pin as irq(9). */
    public IrqLine irq(int n) {
        return lines[n & 15];
    }

    /**
     * Called whenever the INTR pin changes, on the thread that changed it and with the PIC's
     * lock held: the listener should only note the change (set a field the CPU reads).
     */
    public void setIntrListener(Runnable listener) {
        intrListener = listener == null ? () -> { } : listener;
    }

    /** The INTR pin: a request the CPU should take when IF allows. */
    public boolean hasInterrupt() {
        return intr;
    }

    /** The INTA cycle: the vector of the highest request, now in service. */
    public synchronized int acknowledge() {
        int irq = master.acknowledgeLevel();
        if (irq < 0) {
            return master.vectorBase() | 7; // spurious IRQ7
        }
        if (irq == CASCADE_IRQ && !master.singleMode() && (master.icw3() & (1 << CASCADE_IRQ)) != 0) {
            int slaveIrq = slave.acknowledgeLevel();
            // The request went away: the slave answers IR7 (spurious IRQ15); master IR2 stays in service.
            return slave.vectorBase() | (slaveIrq < 0 ? 7 : slaveIrq);
        }
        return master.vectorBase() | irq;
    }

    private synchronized void setIrq(int n, boolean level) {
        if (n < 8) {
            master.setInput(n, level);
        } else {
            slave.setInput(n - 8, level);
        }
    }

    @Override
    public synchronized int ioRead(int port, int size) {
        // Byte registers on an 8-bit bus: a wider access is split into consecutive bytes.
        int v = 0;
        for (int i = 0; i < size; i++) {
            v |= readByte(port + i) << (8 * i);
        }
        return v;
    }

    @Override
    public synchronized void ioWrite(int port, int size, int value) {
        for (int i = 0; i < size; i++) {
            writeByte(port + i, (value >>> (8 * i)) & 0xFF);
        }
    }

    private int readByte(int port) {
        return switch (port) {
            case MASTER_PORT, MASTER_PORT + 1 -> master.read(port & 1);
            case SLAVE_PORT, SLAVE_PORT + 1 -> slave.read(port & 1);
            case ELCR_PORT -> master.elcr();
            case ELCR_PORT + 1 -> slave.elcr();
            default -> 0xFF;
        };
    }

    private void writeByte(int port, int value) {
        switch (port) {
            case MASTER_PORT, MASTER_PORT + 1 -> master.write(port & 1, value);
            case SLAVE_PORT, SLAVE_PORT + 1 -> slave.write(port & 1, value);
            case ELCR_PORT -> master.writeElcr(value);
            case ELCR_PORT + 1 -> slave.writeElcr(value);
            default -> { }
        }
    }

    /** Debug view: IRR, ISR and IMR of both chips (slave in bits 8-15). */
    public synchronized int irr() {
        return master.irr() | slave.irr() << 8;
    }

    public synchronized int isr() {
        return master.isr() | slave.isr() << 8;
    }

    public synchronized int imr() {
        return master.imr() | slave.imr() << 8;
    }
}
