package dev.jvmx.devices.ata;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Image failures as the guest sees them (ATA/ATAPI-6 status ERR 01h with DRDY|DSC 50h;
 * error UNC 40h for reads, ABRT 04h for writes and flushes; the LBA registers holding the
 * failing sector) and as the user sees them (counts, one line for the first).
 */
class AtaDiskErrorsTest {
    private MemoryImage img;
    private AtaDisk disk;
    private AtaChannel ata;
    private final AtaChannelTest.Irq irq = new AtaChannelTest.Irq();
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void setUp() {
        img = new MemoryImage(64 * 512);
        disk = new AtaDisk(img);
        disk.setErrorLog(log::add);
        ata = AtaChannel.primary(disk, null, irq);
    }

    private void out(int port, int v) {
        ata.ioWrite(port, 1, v);
    }

    private int in(int port) {
        return ata.ioRead(port, 1);
    }

    private void lba(long lba, int count, int cmd) {
        out(0x1F2, count);
        out(0x1F3, (int) lba & 0xFF);
        out(0x1F4, (int) (lba >>> 8) & 0xFF);
        out(0x1F5, (int) (lba >>> 16) & 0xFF);
        out(0x1F6, 0xE0 | (int) (lba >>> 24) & 0x0F);
        out(0x1F7, cmd);
    }

    private void writeSector(int fill) {
        for (int i = 0; i < 256; i++) {
            ata.ioWrite(0x1F0, 2, fill * 0x0101);
        }
    }

    private long lbaRegisters() {
        return (long) (in(0x1F6) & 0x0F) << 24 | in(0x1F5) << 16 | in(0x1F4) << 8 | in(0x1F3);
    }

    @Test
    void failedWriteIsAbrtAtTheFailingSector() {
        lba(10, 3, 0x30);
        writeSector(1);
        assertEquals(0x58, in(0x1F7));            // first sector taken, DRQ for the second
        img.failWrites = true;
        writeSector(2);
        assertEquals(0x51, in(0x1F7));            // DRDY DSC ERR, DRQ gone
        assertEquals(0x04, in(0x1F1));            // ABRT
        assertEquals(11, lbaRegisters());
        assertEquals(0, ata.ioRead(0x1F0, 2));    // the transfer ended
        assertEquals(1, disk.writeErrors());
        assertEquals(1, log.size());
        assertTrue(log.get(0).contains("write error") && log.get(0).contains("No space left on device"), log.toString());
        lba(20, 1, 0x30);
        writeSector(3);
        assertEquals(2, disk.writeErrors());
        assertEquals(1, log.size());              // only the first is told at once
        assertTrue(disk.errorSummary().contains("0 read, 2 write and 0 flush errors"), disk.errorSummary());
    }

    @Test
    void failedReadIsUncAtTheFailingSector() {
        img.failReads = true;
        lba(7, 2, 0x20);
        assertEquals(0x51, in(0x1F7));
        assertEquals(0x40, in(0x1F1));            // UNC
        assertEquals(7, lbaRegisters());
        assertEquals(1, disk.readErrors());
        assertEquals(1, irq.edges);
    }

    @Test
    void failedFlushIsAbrtAtTheLowestUnflushedSectorAndRetriesCanSucceed() {
        lba(30, 1, 0x30);
        writeSector(4);
        lba(12, 1, 0x30);
        writeSector(5);
        img.failFlush = true;
        out(0x1F6, 0xE0);
        out(0x1F7, 0xE7);
        assertEquals(0x51, in(0x1F7));
        assertEquals(0x04, in(0x1F1));
        assertEquals(12, lbaRegisters());
        assertEquals(1, disk.flushErrors());
        img.failFlush = false;
        out(0x1F7, 0xE7);
        assertEquals(0x50, in(0x1F7));
        assertEquals(1, img.flushes);
    }

    @Test
    void flushWithTheCacheOnWritesThroughWithItOff() {
        lba(1, 2, 0x30);
        writeSector(1);
        writeSector(2);
        assertEquals(0, img.flushes);             // write-back: durable at FLUSH CACHE only
        out(0x1F1, 0x82);                         // SET FEATURES: disable the write cache
        out(0x1F7, 0xEF);
        assertEquals(0x50, in(0x1F7));
        assertEquals(1, img.flushes);             // what was cached is flushed first
        lba(3, 2, 0x30);
        writeSector(3);
        writeSector(4);
        assertEquals(0x50, in(0x1F7));
        assertEquals(2, img.flushes);             // each write command forced before it completes
        img.failFlush = true;
        lba(5, 1, 0x30);
        writeSector(5);
        assertEquals(0x51, in(0x1F7));            // a write that could not be made durable fails
        assertEquals(0x04, in(0x1F1));
        assertEquals(5, lbaRegisters());
        byte[] s3 = Arrays.copyOfRange(img.data, 3 * 512, 4 * 512);
        byte[] want = new byte[512];
        Arrays.fill(want, (byte) 3);
        assertArrayEquals(want, s3);
    }
}
