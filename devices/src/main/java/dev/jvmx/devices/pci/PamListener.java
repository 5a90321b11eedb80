package dev.jvmx.devices.pci;

/**
 * Told when a Programmable Attribute Map region of the 82441FX changes, so the machine can
 * route reads and writes of that part of 0xC0000-0xFFFFF to RAM (enabled) or to the ROM /
 * PCI bus (disabled). Regions are numbered as in {@link I440fxHostBridge#pamRegionBase}.
 */
public interface PamListener {
    void pamChanged(int region, boolean readEnable, boolean writeEnable);

    PamListener NONE = (region, readEnable, writeEnable) -> { };
}
