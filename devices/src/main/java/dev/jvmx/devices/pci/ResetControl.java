package dev.jvmx.devices.pci;

import dev.jvmx.devices.MachineControl;

/**
 * The PIIX3 reset control register at I/O port 0xCF9: bit 1 SRST chooses a hard (1) or
 * soft (0) reset, and a 0-to-1 transition of bit 2 RCPU starts it. The machine has one
 * kind of reset, so both ask it to reset; the reason names which one the guest chose.
 */
public final class ResetControl {
    public static final int PORT = 0xCF9;
    public static final int SRST = 0x02;
    public static final int RCPU = 0x04;

    private final MachineControl machine;
    private int value;

    public ResetControl(MachineControl machine) {
        this.machine = machine;
    }

    public int read() {
        return value;
    }

    public void write(int v) {
        // RCPU is not kept: the reset it starts returns it to 0, so every write of 1 is a new edge.
        value = v & SRST;
        if ((v & RCPU) != 0) {
            machine.requestReset((v & SRST) != 0 ? "hard reset via port 0xCF9" : "soft reset via port 0xCF9");
        }
    }
}
