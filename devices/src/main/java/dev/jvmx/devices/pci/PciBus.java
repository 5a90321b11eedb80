package dev.jvmx.devices.pci;

import dev.jvmx.devices.IoDevice;

/**
 * PCI bus 0 reached through configuration mechanism #1 (PCI Local Bus 3.0, 3.2.2.3.2):
 * CONFIG_ADDRESS at 0xCF8 (dword accesses only; bit 31 enable, bus 23:16, device 15:11,
 * function 10:8, register 7:2) and CONFIG_DATA at 0xCFC-0xCFF. Absent functions and other
 * buses read as all ones. Byte and word accesses to 0xCF8-0xCFB are not CONFIG_ADDRESS:
 * the one at 0xCF9 is the PIIX3 reset control register, the rest decode to nothing.
 * Register the bus for ports 0xCF8..0xCFF (8 ports).
 */
public final class PciBus implements IoDevice {
    public static final int CONFIG_ADDRESS = 0xCF8;
    public static final int CONFIG_DATA = 0xCFC;
    public static final int ENABLE = 0x80000000;

    private final PciDevice[] functions = new PciDevice[32 * 8];
    private final ResetControl resetControl;
    private int address;

    public PciBus(ResetControl resetControl) {
        this.resetControl = resetControl;
    }

    /** Puts a function at bus 0, {@code device} 0-31, {@code function} 0-7. */
    public void attach(int device, int function, PciDevice fn) {
        if (fn instanceof PciFunction f) {
            f.config().capturePowerOn();
        }
        if (device < 0 || device > 31 || function < 0 || function > 7) {
            throw new IllegalArgumentException("no PCI slot " + device + "." + function);
        }
        if (functions[device * 8 + function] != null) {
            throw new IllegalStateException("PCI slot " + device + "." + function + " taken twice");
        }
        functions[device * 8 + function] = fn;
    }

    /** RST# on the bus: every function returns to its power-on configuration. */
    public void reset() {
        for (PciDevice d : functions) {
            if (d instanceof PciFunction f) {
                f.reset();
            }
        }
    }

    public PciDevice function(int device, int function) {
        return functions[(device & 31) * 8 + (function & 7)];
    }

    @Override
    public int ioRead(int port, int size) {
        int ones = size == 1 ? 0xFF : size == 2 ? 0xFFFF : 0xFFFFFFFF;
        if (port >= CONFIG_DATA && port + size <= CONFIG_DATA + 4) {
            PciDevice fn = selected();
            return fn == null ? ones : fn.configRead(register() + (port - CONFIG_DATA), size);
        }
        if (port == CONFIG_ADDRESS && size == 4) {
            return address;
        }
        if (port == ResetControl.PORT && size == 1) {
            return resetControl.read();
        }
        return ones;
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        if (port >= CONFIG_DATA && port + size <= CONFIG_DATA + 4) {
            PciDevice fn = selected();
            if (fn != null) {
                fn.configWrite(register() + (port - CONFIG_DATA), size, value);
            }
        } else if (port == CONFIG_ADDRESS && size == 4) {
            address = value & 0x80FFFFFC; // bits 30:24 reserved and 1:0 read as 0
        } else if (port == ResetControl.PORT && size == 1) {
            resetControl.write(value);
        }
    }

    private int register() {
        return address & 0xFC;
    }

    private PciDevice selected() {
        if ((address & ENABLE) == 0 || ((address >>> 16) & 0xFF) != 0) {
            return null;
        }
        return functions[(address >>> 8) & 0xFF];
    }
}
