package dev.jvmx.devices.apic;

/**
 * The external interrupt controller behind an ExtINT delivery (the 8259A pair): its INTR output
 * and its interrupt-acknowledge cycle, which supplies the vector (SDM Vol. 3A, 11.6.1, ExtINT).
 */
public interface ExtIntSource {
    /** The controller's INTR output is asserted. */
    boolean intr();

    /** The INTA cycle: the vector the controller puts on the bus. */
    int acknowledge();

    ExtIntSource NONE = new ExtIntSource() {
        @Override public boolean intr() { return false; }
        @Override public int acknowledge() { return -1; }
    };
}
