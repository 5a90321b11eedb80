package dev.jvmx.devices.pci;

/**
 * The 82371SB (PIIX3) IDE function at 00:01.1: 8086:7010, class 0101, programming
 * interface 80h (both channels in compatibility mode at the legacy ports, bus master
 * capable). BAR4 holds the 16-byte bus master I/O base; IDETIM (0x40, 0x42) bit 15 enables
 * decoding of each channel's legacy ports.
 */
public final class Piix3Ide extends PciFunction {
    public static final int VENDOR = 0x8086;
    public static final int DEVICE = 0x7010;
    public static final int BMIBA = 0x20;
    public static final int IDETIM_PRIMARY = 0x40;
    public static final int IDETIM_SECONDARY = 0x42;
    public static final int SIDETIM = 0x44;
    public static final int IDE_DECODE_ENABLE = 0x8000;

    public Piix3Ide() {
        super(new PciConfigSpace(VENDOR, DEVICE, 0x010180, 0x00, 0x00));
        config.set16(PciConfigSpace.STATUS, 0x0280);
        config.setWriteOneToClear(PciConfigSpace.STATUS, 2, 0x3800);
        config.setWritable(PciConfigSpace.COMMAND, 2, 0x0005);   // I/O space, bus master
        config.set32(BMIBA, 0x00000001);                           // I/O space indicator
        // 16 bytes of I/O. The 82371SB datasheet reserves bits 31:16, but QEMU's piix3-ide (the
        // machine SeaBIOS is written for) decodes a standard 32-bit I/O BAR, and SeaBIOS sizes
        // it as ~(value & ~3) + 1: with bits 31:16 reading 0 it sees a 4 GiB request and stops
        // with "PCI: out of I/O address space".
        config.setWritable(BMIBA, 4, 0xFFFFFFF0);
        config.setWritable(IDETIM_PRIMARY, 4, 0xFFFFFFFF);
        config.setWritable(SIDETIM, 1, 0xFF);
    }

    /** The bus master I/O base as programmed, or 0 if unassigned. */
    public int busMasterBase() {
        return config.get32(BMIBA) & 0xFFF0;
    }

    public boolean primaryDecodeEnabled() {
        return (config.get16(IDETIM_PRIMARY) & IDE_DECODE_ENABLE) != 0;
    }

    public boolean secondaryDecodeEnabled() {
        return (config.get16(IDETIM_SECONDARY) & IDE_DECODE_ENABLE) != 0;
    }
}
