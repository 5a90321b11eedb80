package dev.jvmx.devices.pci;

/**
 * The power management function at 00:01.3 (8086:7113, class 0680), as firmware for the
 * i440FX machine expects it. Configuration space: PMBA (0x40, 64 bytes of I/O),
 * PMREGMISC (0x80, bit 0 PMIOSE) and SMBBA (0x90, 16 bytes). The ACPI registers behind PMBA
 * are {@code acpi.PmRegisters}; the machine moves them where PMBA and PMIOSE say (the
 * I/O listener). SMBus is not modelled.
 */
public final class Piix3Pm extends PciFunction {
    public static final int VENDOR = 0x8086;
    public static final int DEVICE = 0x7113;
    public static final int PMBA = 0x40;
    public static final int PMREGMISC = 0x80;
    public static final int SMBBA = 0x90;

    private java.util.function.IntConsumer ioListener = b -> { };

    public Piix3Pm() {
        super(new PciConfigSpace(VENDOR, DEVICE, 0x068000, 0x03, 0x00));
        config.set16(PciConfigSpace.STATUS, 0x0280);
        config.setWritable(PciConfigSpace.COMMAND, 2, 0x0001);
        config.set8(PciConfigSpace.INTERRUPT_PIN, 0x01);
        config.set32(PMBA, 0x00000001);
        config.setWritable(PMBA, 4, 0x0000FFC0);
        config.setWritable(PMREGMISC, 1, 0x01);
        config.set32(SMBBA, 0x00000001);
        config.setWritable(SMBBA, 4, 0x0000FFF0);
        config.setWritable(0xD2, 1, 0x0F);                       // SMBHSTCFG
    }

    /**
     * Called with the I/O base the PM registers decode at (PMBA while PMREGMISC.PMIOSE is set,
     * else -1) after every write that may have moved it.
     */
    public void setIoListener(java.util.function.IntConsumer listener) {
        ioListener = listener;
    }

    @Override
    protected void configWritten(int offset, int size) {
        if (touches(offset, size, PMBA) || touches(offset, size, PMBA + 1) || touches(offset, size, PMREGMISC)) {
            ioListener.accept(pmIoEnabled() ? pmBase() : -1);
        }
    }

    public int pmBase() {
        return config.get32(PMBA) & 0xFFC0;
    }

    public boolean pmIoEnabled() {
        return (config.get8(PMREGMISC) & 0x01) != 0;
    }
}
