package dev.jvmx.devices.pci;

/**
 * The 82371SB (PIIX3) PCI-to-ISA bridge, function 0 at 00:01.0: 8086:7000, class 0601,
 * multi-function header. PIRQRC[A:D] (0x60-0x63) route PCI interrupts to ISA IRQs: bit 7
 * IRQROUTEN (1 = routing disabled, the reset value 80h), bits 3:0 the IRQ number.
 * (The ELCR at ports 0x4D0/0x4D1 belongs to the interrupt controller, not here.)
 */
public final class Piix3IsaBridge extends PciFunction {
    public static final int VENDOR = 0x8086;
    public static final int DEVICE = 0x7000;
    public static final int PIRQRC = 0x60;
    public static final int IRQROUTEN = 0x80;

    public Piix3IsaBridge() {
        super(new PciConfigSpace(VENDOR, DEVICE, 0x060100, 0x00, PciConfigSpace.HEADER_MULTI_FUNCTION));
        config.set16(PciConfigSpace.COMMAND, 0x0007);
        config.set16(PciConfigSpace.STATUS, 0x0200);     // medium DEVSEL
        config.setWriteOneToClear(PciConfigSpace.STATUS, 2, 0x7800);
        config.setWritable(PciConfigSpace.COMMAND, 2, 0x0008); // special cycle enable only
        config.set8(0x4C, 0x4D);                         // IORT: ISA I/O recovery timer
        config.setWritable(0x4C, 1, 0xFF);
        config.set8(0x4E, 0x03);                         // XBCS: X-bus chip select
        config.setWritable(0x4E, 2, 0xFFFF);
        for (int i = 0; i < 4; i++) {
            config.set8(PIRQRC + i, IRQROUTEN);
            config.setWritable(PIRQRC + i, 1, 0x8F);     // bits 6:4 reserved
        }
        config.set8(0x69, 0x02);                         // TOM: top of memory
        config.setWritableBytes(0x69, 3);           // TOM, MSTAT
        config.set8(0x70, 0x80);                         // MBIRQ0/1: disabled
        config.set8(0x71, 0x80);
        config.setWritable(0x70, 2, 0xFFFF);
        config.setWritableBytes(0x76, 4);         // MBDMA, PCSC
        config.setWritableBytes(0x80, 3);           // APICBASE, DLC
        config.setWritableBytes(0xA0, 16);        // SMI control and timers
    }

    private Runnable routingListener = () -> { };

    /** Called after the guest wrote a PIRQRC register (the board re-routes its PCI interrupt lines). */
    public void setRoutingListener(Runnable listener) {
        routingListener = listener == null ? () -> { } : listener;
    }

    @Override
    protected void configWritten(int offset, int size) {
        if (offset < PIRQRC + 4 && offset + size > PIRQRC) {
            routingListener.run();
        }
    }

    /** The raw PIRQRC register for PIRQ A (0) .. D (3). */
    public int pirqRouteControl(int pirq) {
        return config.get8(PIRQRC + (pirq & 3));
    }

    /** The ISA IRQ PIRQ A (0) .. D (3) is routed to, or -1 when routing is disabled or invalid. */
    public int pirqRoute(int pirq) {
        int v = pirqRouteControl(pirq);
        int irq = v & 0x0F;
        boolean valid = irq >= 3 && irq != 8 && irq != 13;
        return (v & IRQROUTEN) == 0 && valid ? irq : -1;
    }
}
