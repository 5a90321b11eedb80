package dev.jvmx.devices.pci;

import dev.jvmx.devices.apic.IoApic;
import dev.jvmx.devices.apic.LocalApic;
import dev.jvmx.devices.pic.DualPic;
import dev.jvmx.devices.timer.Pit8254;
import dev.jvmx.devices.timer.TimeStampCounter;
import dev.jvmx.devices.timer.VirtualClock;
import dev.jvmx.devices.IrqLine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The board's interrupt wiring: QEMU's pc machine (ISA IRQ0 to I/O APIC pin 2) and the PIIX3's PIRQ routing. */
class Piix3IrqRoutingTest {
    DualPic pic;
    LocalApic apic;
    IoApic io;
    Piix3IsaBridge bridge;
    Piix3IrqRouting routing;

    @BeforeEach
    void setUp() {
        pic = new DualPic();
        apic = new LocalApic(new VirtualClock(), new TimeStampCounter() {
            @Override public long read() { return 0; }
            @Override public long nanosAt(long v) { return Long.MAX_VALUE; }
        }, 0, false);
        apic.write(LocalApic.SVR, 0x1FF);
        io = new IoApic(apic);
        bridge = new Piix3IsaBridge();
        routing = new Piix3IrqRouting(pic, io, bridge);
        bridge.setRoutingListener(routing::routingChanged);
        // 8259 pair as a BIOS programs it: vectors 08h and 70h, nothing masked.
        int[][] init = {{0x20, 0x11}, {0x21, 0x08}, {0x21, 0x04}, {0x21, 0x01}, {0x21, 0x00},
            {0xA0, 0x11}, {0xA1, 0x70}, {0xA1, 0x02}, {0xA1, 0x01}, {0xA1, 0x00}};
        for (int[] w : init) {
            pic.ioWrite(w[0], 1, w[1]);
        }
    }

    void ioapicEntry(int pin, int low) {
        io.write(IoApic.IOREGSEL, 4, 0x10 + 2 * pin);
        io.write(IoApic.IOWIN, 4, low);
    }

    @Test
    void isaIrq0ReachesThe8259AndIoApicPin2() {
        assertEquals(2, Piix3IrqRouting.isaToGsi(0));
        assertEquals(14, Piix3IrqRouting.isaToGsi(14));
        ioapicEntry(2, 0x30);
        ioapicEntry(0, 0x31);
        routing.isa(0).pulse();
        assertTrue(pic.hasInterrupt());
        assertEquals(0x08, pic.acknowledge());
        assertEquals(0x30, apic.acknowledge(), "pin 2, not pin 0");
    }

    @Test
    void otherIsaIrqsKeepTheirNumber() {
        ioapicEntry(4, 0x44);
        routing.isa(4).pulse();
        assertEquals(0x0C, pic.acknowledge());
        assertEquals(0x44, apic.acknowledge());
    }

    @Test
    void pciInterruptsThroughPirq() {
        assertEquals(0, Piix3IrqRouting.pirqOf(1, 1));
        assertEquals(1, Piix3IrqRouting.pirqOf(3, 4)); // slot 3, INTD# (3 zero-based): (3 + 3 - 1) mod 4 = PIRQB
        IrqLine intd = routing.pci(3, 4);
        bridge.configWrite(Piix3IsaBridge.PIRQRC + 1, 1, 0x0B); // PIRQB -> IRQ11
        pic.ioWrite(0x4D1, 1, 0x0C); // ELCR: IRQ10 and IRQ11 level-triggered
        ioapicEntry(17, (int) (IoApic.POLARITY_LOW | IoApic.TRIGGER_LEVEL) | 0x62);
        intd.set(true);
        assertTrue(pic.hasInterrupt());
        assertEquals(0x73, pic.acknowledge());
        assertEquals(0x62, apic.acknowledge(), "PIRQB is I/O APIC pin 17, active low");
        pic.ioWrite(0xA0, 1, 0x20); // EOI to both 8259s
        pic.ioWrite(0x20, 1, 0x20);
        // Re-routed while asserted: IRQ11 drops, IRQ10 rises.
        bridge.configWrite(Piix3IsaBridge.PIRQRC + 1, 1, 0x0A);
        assertEquals(0x72, pic.acknowledge());
        intd.set(false); // the handler quiets the device, then sends its EOIs
        pic.ioWrite(0xA0, 1, 0x20);
        pic.ioWrite(0x20, 1, 0x20);
        assertFalse(pic.hasInterrupt());
        assertEquals(0, pic.irr() & 0x0C00);
    }

    /**
     * Linux's check_timer: IRQ0 masked at the 8259 (whose IRR then keeps the first edge latched,
     * never acknowledged) and delivered by I/O APIC pin 2. The PIT's catch-up asks the controller
     * that takes IRQ0, so every period reaches the local APIC; asking the 8259 gave one edge in
     * all, and Linux reported "MP-BIOS bug: 8254 timer not connected to IO-APIC".
     */
    @Test
    void pitCatchUpFollowsTheIoApicWhenThe8259IsMasked() {
        VirtualClock clock = new VirtualClock();
        Pit8254 pit = new Pit8254(clock, routing.isa(0));
        pit.setCatchUp(() -> routing.isaMasked(0), () -> routing.isaLatched(0));
        pic.ioWrite(0x21, 1, 0x01);      // IRQ0 masked at the 8259
        ioapicEntry(2, 0x30);            // pin 2: fixed, edge, vector 30h
        assertTrue(io.delivers(2));
        assertFalse(routing.isaMasked(0));
        pit.ioWrite(0x43, 1, 0x34);      // counter 0, mode 2, period 100 ticks: edges at 101, 201, ...
        pit.ioWrite(0x40, 1, 100);
        pit.ioWrite(0x40, 1, 0);
        int taken = 0;
        for (long tick = 150; tick < 1000; tick += 100) {
            clock.advanceTo(Pit8254.nanosOfTick(tick));
            pit.update();
            if (apic.acknowledge() == 0x30) {
                taken++;
                apic.write(LocalApic.EOI, 0);
            }
        }
        assertEquals(9, taken, "one interrupt per period through the I/O APIC");
        assertTrue((pic.irr() & 1) != 0, "the 8259 latched an edge, masked");
        // Back to the 8259 (the I/O APIC pin masked): its latched edge and the catch-up are its own again.
        ioapicEntry(2, 0x30 | (int) IoApic.MASKED);
        assertTrue(routing.isaMasked(0));
        assertTrue(routing.isaLatched(0));
    }
}
