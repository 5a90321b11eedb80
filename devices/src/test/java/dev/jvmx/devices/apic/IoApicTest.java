package dev.jvmx.devices.apic;

import dev.jvmx.devices.timer.TimeStampCounter;
import dev.jvmx.devices.timer.VirtualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expected values from the Intel 82093AA I/O APIC datasheet (290566), sections 3.2 and 3.2.4. */
class IoApicTest {
    LocalApic apic;
    IoApic io;

    @BeforeEach
    void setUp() {
        TimeStampCounter tsc = new TimeStampCounter() {
            @Override public long read() { return 0; }
            @Override public long nanosAt(long v) { return Long.MAX_VALUE; }
        };
        apic = new LocalApic(new VirtualClock(), tsc, 0, false);
        apic.write(LocalApic.SVR, 0x1FF);
        io = new IoApic(apic);
        apic.setEoiListener(io::endOfInterrupt);
    }

    void reg(int index, int value) {
        io.write(IoApic.IOREGSEL, 4, index);
        io.write(IoApic.IOWIN, 4, value);
    }

    int reg(int index) {
        io.write(IoApic.IOREGSEL, 4, index);
        return io.read(IoApic.IOWIN, 4);
    }

    void entry(int pin, long e) {
        reg(0x10 + 2 * pin, (int) e);
        reg(0x11 + 2 * pin, (int) (e >>> 32));
    }

    @Test
    void identificationRegisters() {
        assertEquals(0x00170011, reg(0x01), "version 11h, maximum redirection entry 17h (24 pins)");
        reg(0x00, 0xFFFFFFFF);
        assertEquals(0x0F000000, reg(0x00), "ID in bits 27:24");
        assertEquals(0x0F000000, reg(0x02), "arbitration ID follows the ID");
        io.write(IoApic.IOREGSEL, 4, 0x12);
        assertEquals(0x12, io.read(IoApic.IOREGSEL, 4));
        for (int pin = 0; pin < 24; pin++) {
            assertEquals(0x00010000, reg(0x10 + 2 * pin), "masked after reset");
        }
    }

    @Test
    void readOnlyBitsOfAnEntry() {
        entry(5, 0xFFFF_FFFF_FFFF_FFFFL);
        assertEquals(0xFF00_0000_0001_AFFFL, io.entry(5), "delivery status, remote IRR and 55:17 are not writable");
    }

    @Test
    void edgeTriggeredPinDeliversEachAssertion() {
        entry(3, 0x30);
        io.pin(3).set(true);
        assertEquals(0x30, apic.acknowledge());
        apic.write(LocalApic.EOI, 0);
        io.pin(3).set(true);
        assertFalse(apic.intr(), "no new edge");
        io.pin(3).set(false);
        io.pin(3).set(true);
        assertEquals(0x30, apic.acknowledge());
    }

    @Test
    void maskedEdgeIsLost() {
        entry(4, IoApic.MASKED | 0x34);
        io.pin(4).pulse();
        entry(4, 0x34);
        assertFalse(apic.intr());
    }

    @Test
    void levelTriggeredPinAndRemoteIrr() {
        entry(9, IoApic.TRIGGER_LEVEL | 0x49);
        io.pin(9).set(true);
        assertTrue((io.entry(9) & IoApic.REMOTE_IRR) != 0, "remote IRR set when the local APIC accepts it");
        assertEquals(0x49, apic.acknowledge());
        assertEquals(0x00000200, apic.read(LocalApic.TMR + 0x20), "level-triggered: TMR bit of 49h");
        // Still asserted at EOI: remote IRR clears and the interrupt comes again.
        apic.write(LocalApic.EOI, 0);
        assertTrue((io.entry(9) & IoApic.REMOTE_IRR) != 0);
        assertEquals(0x49, apic.acknowledge());
        io.pin(9).set(false);
        apic.write(LocalApic.EOI, 0);
        assertEquals(0, io.entry(9) & IoApic.REMOTE_IRR);
        assertFalse(apic.intr());
    }

    @Test
    void unmaskingAnAssertedLevelPinDelivers() {
        entry(10, IoApic.MASKED | IoApic.TRIGGER_LEVEL | 0x4A);
        io.pin(10).set(true);
        assertFalse(apic.intr());
        entry(10, IoApic.TRIGGER_LEVEL | 0x4A);
        assertEquals(0x4A, apic.acknowledge());
    }

    @Test
    void activeLowPin() {
        // Pins 16-23 are PCI lines, pulled up: an active-low entry sees them deasserted.
        entry(16, IoApic.POLARITY_LOW | IoApic.TRIGGER_LEVEL | 0x60);
        assertFalse(apic.intr());
        io.pin(16).set(false);
        assertEquals(0x60, apic.acknowledge());
    }

    @Test
    void destinationMustNameTheApic() {
        entry(6, 0x05000000_00000000L | 0x36); // physical APIC ID 5
        io.pin(6).pulse();
        assertFalse(apic.intr());
        entry(6, 0xFF000000_00000000L | 0x36); // broadcast
        io.pin(6).pulse();
        assertEquals(0x36, apic.acknowledge());
    }

    @Test
    void nmiAndExtIntDeliveryModes() {
        entry(7, LocalApic.NMI << 8);
        io.pin(7).pulse();
        assertTrue(apic.takeNmi());
        int[] acks = {0};
        apic.setExtIntSource(new ExtIntSource() {
            @Override public boolean intr() { return true; }
            @Override public int acknowledge() { acks[0]++; return 0x20; }
        });
        entry(0, LocalApic.EXTINT << 8);
        io.pin(0).pulse();
        assertEquals(0x20, apic.acknowledge());
        assertEquals(1, acks[0]);
    }
}
