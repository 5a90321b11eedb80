package dev.jvmx.devices.ata;

import dev.jvmx.devices.IoDevice;
import dev.jvmx.devices.IrqLine;

/**
 * One ATA channel (ATA/ATAPI-6) with up to two devices, device 0 (master) and device 1
 * (slave). Command block at base+0..7 (data, error/features, sector count, LBA low/mid/high,
 * device, status/command), control block at one port (alternate status / device control).
 *
 * <p>Register writes reach both devices, as on the cable; the command goes to the device the
 * DEV bit selects. When the selected device is absent, the other one answers reads of the
 * command block for it but its status reads 00h (ATA-6 9.16), and its commands are ignored.
 * INTRQ is the selected device's pending interrupt unless nIEN is set. A channel with no
 * device floats: every read is all ones.
 */
public final class AtaChannel implements IoDevice {
    public static final int PRIMARY_COMMAND_BASE = 0x1F0;
    public static final int PRIMARY_CONTROL_PORT = 0x3F6;
    public static final int PRIMARY_IRQ = 14;
    public static final int SECONDARY_COMMAND_BASE = 0x170;
    public static final int SECONDARY_CONTROL_PORT = 0x376;
    public static final int SECONDARY_IRQ = 15;

    // Device control register bits.
    public static final int NIEN = 0x02;
    public static final int SRST = 0x04;

    static final int REG_DATA = 0;
    static final int REG_ERROR_FEATURES = 1;
    static final int REG_SECTOR_COUNT = 2;
    static final int REG_LBA_LOW = 3;
    static final int REG_LBA_MID = 4;
    static final int REG_LBA_HIGH = 5;
    static final int REG_DEVICE = 6;
    static final int REG_STATUS_COMMAND = 7;

    private final int commandBase;
    private final int controlPort;
    private final AtaDevice[] devices;
    private final IrqLine irq;

    private int control;
    private int selected;
    private boolean irqLevel;

    /** The primary channel: 0x1F0-0x1F7 and 0x3F6, IRQ 14. Null devices are absent. */
    public static AtaChannel primary(AtaDevice master, AtaDevice slave, IrqLine irq14) {
        return new AtaChannel(PRIMARY_COMMAND_BASE, PRIMARY_CONTROL_PORT, master, slave, irq14);
    }

    /** The secondary channel: 0x170-0x177 and 0x376, IRQ 15. */
    public static AtaChannel secondary(AtaDevice master, AtaDevice slave, IrqLine irq15) {
        return new AtaChannel(SECONDARY_COMMAND_BASE, SECONDARY_CONTROL_PORT, master, slave, irq15);
    }

    public AtaChannel(int commandBase, int controlPort, AtaDevice master, AtaDevice slave, IrqLine irq) {
        this.commandBase = commandBase;
        this.controlPort = controlPort;
        this.devices = new AtaDevice[] {master, slave};
        this.irq = irq;
        for (AtaDevice d : devices) {
            if (d != null) {
                d.setInterruptListener(this::updateIrq);
            }
        }
    }

    public int commandBase() {
        return commandBase;
    }

    public int controlPort() {
        return controlPort;
    }

    /** Device 0 or 1, or null when absent. */
    public AtaDevice device(int unit) {
        return devices[unit];
    }

    private boolean empty() {
        return devices[0] == null && devices[1] == null;
    }

    // ---------------------------------------------------------------- port access

    @Override
    public int ioRead(int port, int size) {
        int mask = size == 1 ? 0xFF : size == 2 ? 0xFFFF : 0xFFFFFFFF;
        if (empty()) {
            return mask; // nothing drives the bus
        }
        AtaDevice d = devices[selected];
        if (port == commandBase + REG_DATA) {
            return d == null ? 0 : d.readData(size);
        }
        int v = 0;
        for (int i = 0; i < size; i++) {
            v |= readRegister(port + i) << (8 * i);
        }
        return v;
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        if (empty()) {
            return;
        }
        if (port == commandBase + REG_DATA) {
            AtaDevice d = devices[selected];
            if (d != null) {
                d.writeData(size, value);
            }
            return;
        }
        for (int i = 0; i < size; i++) {
            writeRegister(port + i, (value >>> (8 * i)) & 0xFF);
        }
    }

    private int readRegister(int port) {
        AtaDevice d = devices[selected];
        if (port == controlPort) {
            return d == null ? 0 : d.status();
        }
        int reg = port - commandBase;
        if (reg == REG_STATUS_COMMAND) {
            return d == null ? 0 : d.readStatus();
        }
        if (reg < REG_ERROR_FEATURES || reg > REG_DEVICE) {
            return 0xFF;
        }
        return (d != null ? d : devices[selected ^ 1]).readRegister(reg);
    }

    private void writeRegister(int port, int value) {
        if (port == controlPort) {
            writeDeviceControl(value);
            return;
        }
        if ((control & SRST) != 0) {
            return; // both devices are busy in reset
        }
        int reg = port - commandBase;
        if (reg == REG_STATUS_COMMAND) {
            command(value);
            return;
        }
        for (AtaDevice d : devices) {
            if (d != null) {
                d.writeRegister(reg, value);
            }
        }
        if (reg == REG_DEVICE) {
            selected = (value & AtaDevice.DEV) != 0 ? 1 : 0;
            updateIrq();
        }
    }

    private void command(int cmd) {
        if (cmd == AtaCommand.EXECUTE_DEVICE_DIAGNOSTIC) {
            // Addressed to both devices whatever DEV says; device 0 (or a lone device 1) interrupts.
            selected = 0;
            boolean interruptFrom0 = devices[0] != null;
            for (int u = 0; u < 2; u++) {
                if (devices[u] != null) {
                    devices[u].executeDiagnostic(u == 0 || !interruptFrom0);
                }
            }
            updateIrq();
            return;
        }
        AtaDevice d = devices[selected];
        if (d != null) {
            d.writeCommand(cmd);
        }
    }

    private void writeDeviceControl(int value) {
        boolean wasReset = (control & SRST) != 0;
        control = value & (NIEN | SRST);
        if ((control & SRST) != 0) {
            for (AtaDevice d : devices) {
                if (d != null) {
                    d.resetAsserted();
                }
            }
        } else if (wasReset) {
            selected = 0;
            for (AtaDevice d : devices) {
                if (d != null) {
                    d.resetReleased();
                }
            }
        }
        updateIrq();
    }

    private void updateIrq() {
        AtaDevice d = devices[selected];
        boolean level = d != null && d.interruptPending() && (control & NIEN) == 0;
        if (level != irqLevel) {
            irqLevel = level;
            irq.set(level);
        }
    }
}
