package dev.jvmx.translator.mem;

import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The RAM array's little-endian accesses that generated code calls ({@link PhysicalMemory#ram32}
 * and the others): byte order, unaligned offsets, both ends of the array, and an index past
 * either end refused as an array's own index is, whichever way they reach the array.
 */
class RamAccessTest {
    @Test
    void readsAndWritesLittleEndianAtAnyOffsetUpToTheEnd() {
        byte[] ram = new byte[4096];
        PhysicalMemory.setRam32(ram, 1, 0x44332211);
        assertEquals(0x11, ram[1]);
        assertEquals(0x44, ram[4]);
        assertEquals(0x44332211, PhysicalMemory.ram32(ram, 1));
        assertEquals(0x3322, PhysicalMemory.ram16(ram, 2));
        PhysicalMemory.setRam16(ram, 4093, 0xBEEF);
        assertEquals(0xBEEF, PhysicalMemory.ram16(ram, 4093));
        PhysicalMemory.setRam32(ram, 4092, 0x7FEF0102);
        assertEquals(0xEF, ram[4094] & 0xFF);
        assertEquals(0x7F, ram[4095]);
        assertEquals(0x7FEF, PhysicalMemory.ram16(ram, 4094));
        assertEquals(0xFFFF, PhysicalMemory.ram16(new byte[] {-1, -1}, 0), "zero-extended");
        PhysicalMemory.setRam32(ram, 0, -2);
        assertArrayEquals(new byte[] {-2, -1, -1, -1}, java.util.Arrays.copyOf(ram, 4));
    }

    @Test
    void goesThroughUnsafeOnALittleEndianHostUnlessTurnedOff() {
        assertEquals(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN && !Boolean.getBoolean("jvmx.noUnsafe"),
                PhysicalMemory.rawAccess());
    }

    @Test
    void refusesAnIndexPastEitherEnd() {
        byte[] ram = new byte[4096];
        assertThrows(IndexOutOfBoundsException.class, () -> PhysicalMemory.ram32(ram, 4093));
        assertThrows(IndexOutOfBoundsException.class, () -> PhysicalMemory.ram16(ram, 4095));
        assertThrows(IndexOutOfBoundsException.class, () -> PhysicalMemory.setRam32(ram, -1, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> PhysicalMemory.setRam32(ram, 4093, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> PhysicalMemory.setRam16(ram, 4095, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> PhysicalMemory.ram32(ram, Integer.MIN_VALUE));
        assertArrayEquals(new byte[4096], ram, "nothing written by a refused store");
    }
}
