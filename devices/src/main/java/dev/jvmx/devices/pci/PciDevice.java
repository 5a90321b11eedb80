package dev.jvmx.devices.pci;

/** One PCI function as the configuration mechanism sees it. */
public interface PciDevice {
    /** Reads {@code size} (1, 2, 4) bytes at {@code offset} (aligned to the size by the bus). */
    int configRead(int offset, int size);

    void configWrite(int offset, int size, int value);
}
