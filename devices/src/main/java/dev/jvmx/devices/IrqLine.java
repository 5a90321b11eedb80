package dev.jvmx.devices;

/** An interrupt request line a device was given; the device knows nothing of who listens. */
public interface IrqLine {
    /** Drives the line high (true) or low (false). */
    void set(boolean level);

    /** An edge: high then low, as an edge-triggered ISA device would signal. */
    default void pulse() {
        set(true);
        set(false);
    }
}
