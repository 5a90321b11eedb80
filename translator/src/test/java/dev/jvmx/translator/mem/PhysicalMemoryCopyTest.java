package dev.jvmx.translator.mem;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Device DMA's copies ({@link PhysicalMemory#write(int, byte[], int, int)} and
 * {@link PhysicalMemory#read(int, byte[], int, int)}): a page of RAM at a time, and byte by byte
 * as the bus does it where a page is not plain RAM.
 */
class PhysicalMemoryCopyTest {
    private static final int MIB = 1 << 20, PAGE = PhysicalMemory.PAGE_SIZE;

    /** A device that answers 0xA0 + the offset in its page, and records what it is written. */
    private static final class Recorder implements MmioDevice {
        final List<Integer> written = new ArrayList<>();

        @Override public int mmioRead(int phys, int size) {
            return 0xA0 + (phys & 0xF);
        }

        @Override public void mmioWrite(int phys, int size, int value) {
            written.add((phys & (PAGE - 1)) << 8 | value);
        }
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 13 + 1);
        }
        return b;
    }

    @Test
    void ramAcrossPagesAndRamOnDemand() {
        PhysicalMemory m = new PhysicalMemory(64 * MIB, 0, null, 16 * MIB);
        byte[] data = pattern(3 * PAGE);
        m.write(2 * MIB - 100, data, 0, data.length);
        m.write(16 * MIB - 50, data, 0, data.length); // the array's last RAM page, then RAM on demand
        for (int i = 0; i < data.length; i++) {
            assertEquals(data[i] & 0xFF, m.read8(2 * MIB - 100 + i));
            assertEquals(data[i] & 0xFF, m.read8(16 * MIB - 50 + i));
        }
        assertEquals(3, m.onDemandPagesWritten(), "three pages past the array's RAM");
        assertEquals(0, m.onDemandAccesses(), "they took slots: no byte through the slow path");
        byte[] back = new byte[data.length];
        m.read(16 * MIB - 50, back, 0, back.length);
        assertArrayEquals(data, back);
    }

    /** A loader's copy ({@link PhysicalMemory#load}): pages at a time, zeros on a fresh page on demand take nothing. */
    @Test
    void loadAcrossPagesIntoTheArrayAndRamOnDemand() {
        PhysicalMemory m = new PhysicalMemory(64 * MIB, 0, null, 16 * MIB);
        byte[] data = pattern(3 * PAGE + 7);
        m.load(MIB + 123, data, 5, data.length - 5);
        byte[] zerosThenData = new byte[2 * PAGE];
        System.arraycopy(data, 0, zerosThenData, PAGE + 10, PAGE - 10); // a page of zeros, then data from byte 10
        m.load(16 * MIB, zerosThenData, 0, zerosThenData.length); // the first page of RAM on demand: zeros
        for (int i = 5; i < data.length; i++) {
            assertEquals(data[i] & 0xFF, m.read8(MIB + 123 + i - 5));
        }
        for (int i = 0; i < zerosThenData.length; i++) {
            assertEquals(zerosThenData[i] & 0xFF, m.read8(16 * MIB + i), "byte " + i);
        }
        assertEquals(1, m.onDemandPagesWritten(), "the page of zeros took no slot, the one with data did");
    }

    @Test
    void romStaysRomAndDevicesGetTheirBytes() {
        PhysicalMemory m = new PhysicalMemory(16 * MIB, MIB);
        byte[] rom = new byte[PAGE];
        rom[7] = 0x77;
        m.loadRom(0xFFFF0000, rom);
        Recorder dev = new Recorder();
        m.mapMmio(0xFEC00000, PAGE, dev);

        m.write(0xFFFF0000, pattern(16), 0, 16);
        assertEquals(0x77, m.read8(0xFFFF0007), "ROM ignores the write");
        m.write(0xFEC00000 + 2, new byte[] {5, 6}, 0, 2);
        assertEquals(List.of(2 << 8 | 5, 3 << 8 | 6), dev.written, "byte by byte, in order");

        byte[] b = new byte[4];
        m.read(0xFEC00000 + 4, b, 0, 4);
        assertArrayEquals(new byte[] {(byte) 0xA4, (byte) 0xA5, (byte) 0xA6, (byte) 0xA7}, b);
        m.read(0xFFFF0006, b, 0, 2);
        assertEquals(0x77, b[1] & 0xFF);
        m.read(0x40000000, b, 0, 4); // nothing there
        assertArrayEquals(new byte[] {-1, -1, -1, -1}, b);
    }

    @Test
    void aCopyEndsAtItsLength() {
        PhysicalMemory m = new PhysicalMemory(4 * MIB, 0);
        byte[] data = pattern(10);
        m.write(0x1000, data, 3, 4);
        assertEquals(data[3], (byte) m.read8(0x1000));
        assertEquals(data[6], (byte) m.read8(0x1003));
        assertEquals(0, m.read8(0x1004));
        assertNotEquals(0, data[7]);
    }
}
