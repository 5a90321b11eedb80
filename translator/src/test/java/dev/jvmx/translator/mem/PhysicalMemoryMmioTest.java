package dev.jvmx.translator.mem;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Pages mapped above RAM, where the page map starts with one leaf shared by every unmapped
 * stretch: MMIO pages as a board maps them (the local APIC at FEE00000h, the I/O APIC at
 * FEC00000h, the HPET at FED00000h) each reach their own device, a ROM at the top of 4 GiB reads
 * back, and the pages around them, and another machine's, stay unmapped.
 */
class PhysicalMemoryMmioTest {
    private static final int MIB = 1 << 20, PAGE = PhysicalMemory.PAGE_SIZE;

    /** A device that answers its tag in the high byte and the offset in its page below, and keeps the last write. */
    private static final class Tagged implements MmioDevice {
        final int tag;
        int lastPhys = -1, lastValue = -1, lastSize;

        Tagged(int tag) {
            this.tag = tag;
        }

        @Override public int mmioRead(int phys, int size) {
            return tag << 24 | (phys & (PAGE - 1));
        }

        @Override public void mmioWrite(int phys, int size, int value) {
            lastPhys = phys;
            lastSize = size;
            lastValue = value;
        }
    }

    @Test
    void eachPageReachesItsOwnDevice() {
        PhysicalMemory m = new PhysicalMemory(16 * MIB, 0);
        Tagged lapic = new Tagged(1), ioapic = new Tagged(2), hpet = new Tagged(3);
        m.mapMmio(0xFEE00000, PAGE, lapic);
        m.mapMmio(0xFEC00000, PAGE, ioapic);
        m.mapMmio(0xFED00000, 2 * PAGE, hpet); // two pages, the second one in the same leaf

        assertEquals(1 << 24 | 0x30, m.read32(0xFEE00030));
        assertEquals(2 << 24 | 0x10, m.read32(0xFEC00010));
        assertEquals(3 << 24 | 0xF0, m.read32(0xFED000F0));
        assertEquals(3 << 24 | 0x8, m.read32(0xFED01008));
        assertEquals(0x30, m.read8(0xFEE00030)); // a byte read: the device's low byte

        m.write32(0xFEE000B0, 0);
        assertEquals(0xFEE000B0, lapic.lastPhys);
        assertEquals(4, lapic.lastSize);
        m.write8(0xFED00010, 0x5A);
        assertEquals(0xFED00010, hpet.lastPhys);
        assertEquals(0x5A, hpet.lastValue);
        assertEquals(-1, ioapic.lastPhys, "a write to one device reaches no other");

        // Unmapped pages next to them, in the same leaves and in one no device has: all ones, writes dropped.
        assertEquals(0xFFFFFFFF, m.read32(0xFEE01000));
        assertEquals(0xFFFFFFFF, m.read32(0xFED02000));
        assertEquals(0xFF, m.read8(0xF0000000));
        m.write32(0xF0000000, 1);
        assertEquals(0xFF, m.read8(0xF0000000));
    }

    @Test
    void aRomMappedAboveRamIsThisMachinesAlone() {
        PhysicalMemory m = new PhysicalMemory(2 * MIB, 64 * 1024);
        PhysicalMemory other = new PhysicalMemory(2 * MIB, 64 * 1024);
        byte[] rom = new byte[64 * 1024];
        rom[rom.length - 16] = (byte) 0xEA; // a far jump at FFFFFFF0h, as a BIOS has
        m.loadRom(-rom.length, rom);
        assertEquals(0xEA, m.read8(0xFFFFFFF0));
        assertEquals(0xFF, m.read8(0xFFFEFFFF), "below the ROM");
        assertEquals(0xFF, other.read8(0xFFFFFFF0), "another machine's map is its own");
        m.write8(0xFFFFFFF0, 0); // ROM: the write is dropped
        assertEquals(0xEA, m.read8(0xFFFFFFF0));
        assertEquals(0xFF, m.read8(2 * MIB), "past the end of RAM");
    }
}
