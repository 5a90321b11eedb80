package dev.jvmx.devices.pci;

import dev.jvmx.devices.IrqLine;
import dev.jvmx.devices.apic.IoApic;
import dev.jvmx.devices.pic.DualPic;

/**
 * Where the board's interrupt lines go, as on QEMU's pc machine (i440FX + PIIX3 with an I/O
 * APIC): each ISA IRQ drives both the 8259 pair and an I/O APIC pin, the same number except
 * IRQ0 (the PIT), which reaches pin 2 (the "IRQ0 to INTIN2" override that the MP table and the
 * ACPI MADT announce). PCI INTA#-INTD# of a device in slot S reach PIRQ (pin + S - 1) mod 4;
 * PIRQ A-D go to the ISA IRQ that PIRQRC[A-D] of the {@link Piix3IsaBridge} selects (when
 * routing is enabled) and to I/O APIC pins 16-19. PCI interrupt lines are active low and shared:
 * a PIRQ is asserted while any device on it asserts its pin.
 */
public final class Piix3IrqRouting {
    public static final int FIRST_PIRQ_PIN = 16;

    private final DualPic pic;
    private final IoApic ioApic;
    private final Piix3IsaBridge bridge;
    private final IrqLine[] isa = new IrqLine[16];
    /** How many device pins assert each PIRQ. */
    private final int[] pirqAsserted = new int[4];
    /** The ISA IRQ each PIRQ drives now (-1 none), so a re-route can release the old one. */
    private final int[] pirqDriving = {-1, -1, -1, -1};

    public Piix3IrqRouting(DualPic pic, IoApic ioApic, Piix3IsaBridge bridge) {
        this.pic = pic;
        this.ioApic = ioApic;
        this.bridge = bridge;
        for (int n = 0; n < 16; n++) {
            IrqLine toPic = pic.irq(n);
            IrqLine toIoApic = ioApic.pin(isaToGsi(n));
            isa[n] = level -> {
                toPic.set(level);
                toIoApic.set(level);
            };
        }
    }

    /** The I/O APIC pin (global system interrupt) of ISA IRQ {@code irq}. */
    public static int isaToGsi(int irq) {
        return irq == 0 ? 2 : irq;
    }

    /** The line of ISA IRQ {@code n} (0-15), for an ISA device. */
    public IrqLine isa(int n) {
        return isa[n & 15];
    }

    /**
     * Whether ISA IRQ {@code irq} is masked at the controller that takes it: the I/O APIC when
     * its pin delivers (the 8259's mask is then Linux's way of leaving the 8259 out), else the
     * 8259 pair. With {@link #isaLatched} it tells a timer when the IRQ's next edge can be taken.
     */
    public boolean isaMasked(int irq) {
        int n = irq & 15;
        return !ioApic.delivers(isaToGsi(n)) && ((pic.imr() >> n) & 1) != 0;
    }

    /** Whether ISA IRQ {@code irq}'s last edge still waits at the controller that takes it (see {@link #isaMasked}). */
    public boolean isaLatched(int irq) {
        int n = irq & 15;
        int gsi = isaToGsi(n);
        return ioApic.delivers(gsi) ? ioApic.requested(gsi) : ((pic.irr() >> n) & 1) != 0;
    }

    /** The PIRQ (0 = A .. 3 = D) that INTx ({@code intPin} 1 = INTA# .. 4 = INTD#) of a device in {@code slot} drives. */
    public static int pirqOf(int slot, int intPin) {
        return (intPin - 1 + slot - 1) & 3;
    }

    /** The line of a PCI device's interrupt pin (asserted = true). */
    public IrqLine pci(int slot, int intPin) {
        int pirq = pirqOf(slot, intPin);
        boolean[] mine = new boolean[1];
        return level -> {
            synchronized (this) {
                if (level == mine[0]) {
                    return;
                }
                mine[0] = level;
                pirqAsserted[pirq] += level ? 1 : -1;
                drivePirq(pirq);
            }
        };
    }

    /** Re-reads PIRQRC after the guest changed the routing (call from the bridge's config write). */
    public synchronized void routingChanged() {
        for (int p = 0; p < 4; p++) {
            drivePirq(p);
        }
    }

    private void drivePirq(int p) {
        boolean asserted = pirqAsserted[p] > 0;
        ioApic.pin(FIRST_PIRQ_PIN + p).set(!asserted); // active low
        int irq = bridge.pirqRoute(p);
        if (pirqDriving[p] >= 0 && pirqDriving[p] != irq) {
            pic.irq(pirqDriving[p]).set(false);
            pirqDriving[p] = -1;
        }
        if (irq >= 0) {
            pic.irq(irq).set(asserted);
            pirqDriving[p] = asserted ? irq : -1;
        }
    }
}
