package dev.jvmx.devices.pci;

/**
 * A function whose configuration space is plain storage with masks; a device with side
 * effects overrides {@link #configWritten} to react after a write has landed.
 */
public abstract class PciFunction implements PciDevice {
    protected final PciConfigSpace config;

    protected PciFunction(PciConfigSpace config) {
        this.config = config;
    }

    public PciConfigSpace config() {
        return config;
    }

    @Override
    public int configRead(int offset, int size) {
        return config.read(offset, size);
    }

    @Override
    public final void configWrite(int offset, int size, int value) {
        config.write(offset, size, value);
        configWritten(offset, size);
    }

    /**
     * A PCI reset (RST#): the configuration space returns to its power-on state, and the function
     * reacts as to a write of every register (the host bridge re-maps its PAM regions, ...).
     */
    public void reset() {
        config.restorePowerOn();
        configWritten(0, PciConfigSpace.SIZE);
    }

    /** Called after each guest write; the default does nothing. */
    protected void configWritten(int offset, int size) {
    }

    /** True if the write of {@code size} bytes at {@code offset} covered byte {@code reg}. */
    protected static boolean touches(int offset, int size, int reg) {
        return reg >= offset && reg < offset + size;
    }
}
