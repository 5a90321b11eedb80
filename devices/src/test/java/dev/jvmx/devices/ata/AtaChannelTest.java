package dev.jvmx.devices.ata;

import dev.jvmx.devices.IrqLine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Expected register values worked by hand from ATA/ATAPI-6: status bits (BSY 80h, DRDY 40h,
 * DSC 10h, DRQ 08h, ERR 01h), error ABRT 04h / IDNF 10h, the PIO data-in/data-out protocols,
 * the device signature (01h, 01h, 00h, 00h) and the IDENTIFY DEVICE word layout.
 */
class AtaChannelTest {
    private static final int SECTORS = 4096; // 2 MiB: default CHS 4/16/63

    @TempDir
    Path dir;

    private Path image;
    private RawImage raw;
    private AtaChannel ata;
    private final Irq irq = new Irq();

    /** Counts rising edges of INTRQ and remembers the level. */
    static final class Irq implements IrqLine {
        int edges;
        boolean level;

        @Override
        public void set(boolean l) {
            if (l && !level) {
                edges++;
            }
            level = l;
        }
    }

    /** Byte i of sector s is (s + i) mod 256 and bytes 0..1 hold s: every sector is distinct. */
    static byte[] pattern(int sectors) {
        byte[] b = new byte[sectors * 512];
        for (int s = 0; s < sectors; s++) {
            for (int i = 0; i < 512; i++) {
                b[s * 512 + i] = (byte) (s + i);
            }
            b[s * 512] = (byte) s;
            b[s * 512 + 1] = (byte) (s >>> 8);
        }
        return b;
    }

    @BeforeEach
    void setUp() throws IOException {
        image = dir.resolve("disk.img");
        Files.write(image, pattern(SECTORS));
        open(false);
    }

    private void open(boolean readOnly) throws IOException {
        if (raw != null) {
            raw.close();
        }
        raw = RawImage.open(image, readOnly);
        ata = AtaChannel.primary(new AtaDisk(raw), null, irq);
    }

    @AfterEach
    void tearDown() throws IOException {
        raw.close();
    }

    private int in(int port) {
        return ata.ioRead(port, 1);
    }

    private void out(int port, int v) {
        ata.ioWrite(port, 1, v);
    }

    private int status() {
        return in(0x1F7);
    }

    private int altStatus() {
        return in(0x3F6);
    }

    private void lba(long lba, int count, int cmd) {
        out(0x1F2, count);
        out(0x1F3, (int) lba & 0xFF);
        out(0x1F4, (int) (lba >>> 8) & 0xFF);
        out(0x1F5, (int) (lba >>> 16) & 0xFF);
        out(0x1F6, 0xE0 | (int) (lba >>> 24) & 0x0F);
        out(0x1F7, cmd);
    }

    private byte[] readBytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i += 2) {
            int w = ata.ioRead(0x1F0, 2);
            b[i] = (byte) w;
            b[i + 1] = (byte) (w >>> 8);
        }
        return b;
    }

    private void writeBytes(byte[] b) {
        for (int i = 0; i < b.length; i += 2) {
            ata.ioWrite(0x1F0, 2, (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8);
        }
    }

    private int[] identify() {
        out(0x1F6, 0xA0);
        out(0x1F7, 0xEC);
        assertEquals(0x58, status());
        byte[] b = readBytes(512);
        int[] w = new int[256];
        for (int i = 0; i < 256; i++) {
            w[i] = (b[2 * i] & 0xFF) | (b[2 * i + 1] & 0xFF) << 8;
        }
        return w;
    }

    private static byte[] sectors(byte[] all, int first, int count) {
        return Arrays.copyOfRange(all, first * 512, (first + count) * 512);
    }

    @Test
    void powerOnShowsTheAtaSignature() {
        assertEquals(0x01, in(0x1F1));
        assertEquals(0x01, in(0x1F2));
        assertEquals(0x01, in(0x1F3));
        assertEquals(0x00, in(0x1F4));
        assertEquals(0x00, in(0x1F5));
        assertEquals(0x50, status());
    }

    @Test
    void identifyDeviceReportsGeometryCapacityAndStrings() {
        int[] w = identify();
        assertEquals(1, irq.edges);
        assertEquals(0x50, status()); // DRQ gone after 256 words
        assertEquals(0x0040, w[0]);
        assertEquals(4, w[1]);       // 4096 / (16 * 63) = 4 cylinders
        assertEquals(16, w[3]);
        assertEquals(63, w[6]);
        assertEquals(('J' << 8) | 'V', w[27]);
        assertEquals(('M' << 8) | 'X', w[28]);
        assertEquals(('K' << 8) | ' ', w[33]); // "JVMX HARDDISK" ends in the high byte of word 33
        assertEquals(0x2020, w[46]);
        assertEquals(0x0200, w[49] & 0x0200); // LBA supported
        assertEquals(1, w[53] & 1);
        assertEquals(4, w[54]);
        assertEquals(16, w[55]);
        assertEquals(63, w[56]);
        assertEquals(4 * 16 * 63, w[57] | w[58] << 16);
        assertEquals(0, w[59] & 0x0100); // no multiple setting yet
        assertEquals(SECTORS, w[60] | w[61] << 16);
        assertEquals(0x8000, w[47] & 0xFF00);
        assertTrue((w[80] & 0x0040) != 0, "ATA-6 in major version");
        assertEquals(0x4000, w[83] & 0xC000);
        // Word 255: A5h signature, all 512 bytes sum to zero.
        assertEquals(0xA5, w[255] & 0xFF);
        int sum = 0;
        for (int x : w) {
            sum += (x & 0xFF) + (x >>> 8);
        }
        assertEquals(0, sum & 0xFF);
    }

    @Test
    void readSectorsLba28InterruptsPerSector() {
        lba(5, 2, 0x20);
        assertEquals(1, irq.edges);
        assertEquals(0x58, status());
        byte[] first = readBytes(512);
        assertEquals(2, irq.edges);
        assertEquals(0x58, status());
        byte[] second = readBytes(512);
        assertEquals(2, irq.edges);   // no interrupt after the last sector of a read
        assertEquals(0x50, status());
        byte[] all = pattern(SECTORS);
        assertArrayEquals(sectors(all, 5, 1), first);
        assertArrayEquals(sectors(all, 6, 1), second);
    }

    @Test
    void readSectorsChsUsesDefaultTranslation() {
        // C=1 H=2 S=3 with 16 heads, 63 sectors: (1*16 + 2)*63 + 3 - 1 = 1136
        out(0x1F2, 1);
        out(0x1F3, 3);
        out(0x1F4, 1);
        out(0x1F5, 0);
        out(0x1F6, 0xA2);
        out(0x1F7, 0x20);
        assertArrayEquals(sectors(pattern(SECTORS), 1136, 1), readBytes(512));
    }

    @Test
    void sectorCountZeroMeans256() {
        lba(0, 0, 0x20);
        for (int i = 0; i < 256; i++) {
            assertEquals(0x58, status(), "sector " + i);
            readBytes(512);
        }
        assertEquals(0x50, status());
        assertEquals(256, irq.edges);
    }

    @Test
    void dwordDataReadsTwoWords() {
        lba(7, 1, 0x20);
        int d = ata.ioRead(0x1F0, 4);
        // sector 7: bytes 0,1 = 07h,00h; bytes 2,3 = (7+2),(7+3)
        assertEquals(0x0A090007, d);
    }

    @Test
    void writeSectorsGoesToTheImage() throws IOException {
        byte[] data = new byte[1024];
        Arrays.fill(data, 0, 512, (byte) 0x5A);
        Arrays.fill(data, 512, 1024, (byte) 0xC3);
        lba(10, 2, 0x30);
        assertEquals(0, irq.edges); // data-out: no interrupt before the first block
        assertEquals(0x58, altStatus());
        writeBytes(Arrays.copyOfRange(data, 0, 512));
        assertEquals(1, irq.edges);
        assertEquals(0x58, status());
        writeBytes(Arrays.copyOfRange(data, 512, 1024));
        assertEquals(2, irq.edges); // and one after the last
        assertEquals(0x50, status());
        byte[] file = Files.readAllBytes(image);
        assertArrayEquals(data, sectors(file, 10, 2));
        assertArrayEquals(sectors(pattern(SECTORS), 12, 1), sectors(file, 12, 1));
    }

    @Test
    void writeToReadOnlyDiskAborts() throws IOException {
        open(true);
        lba(10, 1, 0x30);
        assertEquals(0x51, status());
        assertEquals(0x04, in(0x1F1));
        writeBytes(new byte[512]);
        assertArrayEquals(pattern(SECTORS), Files.readAllBytes(image));
    }

    @Test
    void readPastTheEndIsIdnf() {
        lba(SECTORS - 1, 2, 0x20);
        assertEquals(0x51, status());
        assertEquals(0x10, in(0x1F1));
    }

    @Test
    void invalidChsSectorZeroIsIdnf() {
        out(0x1F2, 1);
        out(0x1F3, 0);
        out(0x1F6, 0xA0);
        out(0x1F7, 0x20);
        assertEquals(0x51, status());
        assertEquals(0x10, in(0x1F1));
    }

    @Test
    void unknownCommandAndIdentifyPacketAbort() {
        out(0x1F6, 0xA0);
        for (int cmd : new int[] {0xFF, 0xA1, 0x00, 0x24}) {
            int before = irq.edges;
            out(0x1F7, cmd);
            assertEquals(before + 1, irq.edges);
            assertEquals(0x51, status(), Integer.toHexString(cmd));
            assertEquals(0x04, in(0x1F1));
        }
    }

    @Test
    void statusReadClearsTheInterruptAlternateStatusDoesNot() {
        out(0x1F6, 0xA0);
        out(0x1F7, 0xE7);
        assertTrue(irq.level);
        altStatus();
        assertTrue(irq.level);
        status();
        assertFalse(irq.level);
    }

    @Test
    void nienMasksInterrupts() {
        out(0x3F6, 0x02);
        out(0x1F6, 0xA0);
        out(0x1F7, 0xE7);
        assertFalse(irq.level);
        out(0x3F6, 0x00);
        assertTrue(irq.level); // still pending: shown once nIEN clears
    }

    @Test
    void softResetIsBusyThenPostsSignature() {
        lba(100, 1, 0x20);
        out(0x3F6, 0x04);
        assertEquals(0x80, altStatus());
        out(0x3F6, 0x00);
        assertEquals(0x50, altStatus());
        assertEquals(0x01, in(0x1F1));
        assertEquals(0x01, in(0x1F2));
        assertEquals(0x01, in(0x1F3));
        assertEquals(0x00, in(0x1F4));
        assertEquals(0x00, in(0x1F5));
        assertEquals(0, ata.ioRead(0x1F0, 2)); // the transfer was cancelled
    }

    @Test
    void absentSlaveReadsStatusZeroAndIgnoresCommands() {
        out(0x1F6, 0xB0);
        assertEquals(0x00, status());
        assertEquals(0x00, altStatus());
        out(0x1F7, 0xEC);
        assertEquals(0, irq.edges);
        out(0x1F6, 0xA0);
        assertEquals(0x50, status());
    }

    @Test
    void multipleModeTransfersBlocks() {
        out(0x1F2, 4);
        out(0x1F6, 0xA0);
        out(0x1F7, 0xC6);
        assertEquals(0x50, status());
        assertEquals(0x0104, identify()[59]);
        irq.edges = 0;
        lba(20, 8, 0xC4);
        assertEquals(1, irq.edges);
        assertEquals(0x58, status()); // acknowledges the block's interrupt
        byte[] first = readBytes(4 * 512);
        assertEquals(2, irq.edges);
        byte[] second = readBytes(4 * 512);
        assertEquals(0x50, status());
        byte[] all = pattern(SECTORS);
        assertArrayEquals(sectors(all, 20, 4), first);
        assertArrayEquals(sectors(all, 24, 4), second);
    }

    @Test
    void writeMultipleInterruptsPerBlock() throws IOException {
        out(0x1F2, 2);
        out(0x1F6, 0xA0);
        out(0x1F7, 0xC6);
        status();
        byte[] data = new byte[3 * 512];
        Arrays.fill(data, (byte) 0x77);
        lba(30, 3, 0xC5);
        assertEquals(1, irq.edges); // from SET MULTIPLE only
        writeBytes(Arrays.copyOfRange(data, 0, 1024));
        assertEquals(2, irq.edges);
        assertEquals(0x58, status());
        writeBytes(Arrays.copyOfRange(data, 1024, 1536)); // last, shorter block
        assertEquals(3, irq.edges);
        assertEquals(0x50, status());
        assertArrayEquals(data, sectors(Files.readAllBytes(image), 30, 3));
    }

    @Test
    void multipleCommandsAbortWithoutMultipleModeAndBadBlockSizesAbort() {
        lba(0, 1, 0xC4);
        assertEquals(0x51, status());
        out(0x1F2, 3);
        out(0x1F7, 0xC6);
        assertEquals(0x51, status());
        out(0x1F2, 32);
        out(0x1F7, 0xC6);
        assertEquals(0x51, status());
    }

    @Test
    void initializeDeviceParametersChangesTheChsTranslation() {
        out(0x1F2, 32);   // 32 sectors per track
        out(0x1F6, 0xA3); // 4 heads
        out(0x1F7, 0x91);
        assertEquals(0x50, status());
        int[] w = identify();
        assertEquals(32, w[54]);  // 4096 / (4 * 32)
        assertEquals(4, w[55]);
        assertEquals(32, w[56]);
        assertEquals(4, w[1]);    // default geometry unchanged
        // C=0 H=1 S=1 -> (0*4 + 1)*32 + 0 = 32
        out(0x1F2, 1);
        out(0x1F3, 1);
        out(0x1F4, 0);
        out(0x1F5, 0);
        out(0x1F6, 0xA1);
        out(0x1F7, 0x20);
        assertArrayEquals(sectors(pattern(SECTORS), 32, 1), readBytes(512));
    }

    @Test
    void readVerifyChecksRangeOnly() {
        lba(100, 10, 0x40);
        assertEquals(0x50, status());
        assertEquals(1, irq.edges);
        assertEquals(0, ata.ioRead(0x1F0, 2));
        lba(SECTORS, 1, 0x40);
        assertEquals(0x51, status());
        assertEquals(0x10, in(0x1F1));
    }

    @Test
    void executeDeviceDiagnosticPostsSignature() {
        out(0x1F2, 0x55);
        out(0x1F3, 0x66);
        out(0x1F6, 0xB0); // addressed to both devices even with DEV set
        out(0x1F7, 0x90);
        assertEquals(0x01, in(0x1F1));
        assertEquals(0x01, in(0x1F2));
        assertEquals(0x01, in(0x1F3));
        assertEquals(0x50, status());
    }

    @Test
    void setFeaturesRecalibrateAndSeekSucceed() {
        out(0x1F6, 0xA0);
        out(0x1F1, 0x03);  // SET FEATURES 03h: transfer mode
        out(0x1F2, 0x0C);  // PIO flow control mode 4
        for (int cmd : new int[] {0xEF, 0x10, 0x70, 0xE1}) {
            out(0x1F7, cmd);
            assertEquals(0x50, status(), Integer.toHexString(cmd));
        }
    }

    @Test
    void setFeaturesAbortsWhatThereIsNot() {
        out(0x1F6, 0xA0);
        int[][] refused = {{0x03, 0x22}, {0x03, 0x44}, {0x00, 0x00}, {0x10, 0x02}}; // MWDMA 2, UDMA 4, reserved, SATA
        for (int[] f : refused) {
            out(0x1F1, f[0]);
            out(0x1F2, f[1]);
            out(0x1F7, 0xEF);
            assertEquals(0x51, status(), Arrays.toString(f));
            assertEquals(0x04, in(0x1F1));
        }
    }

    @Test
    void writeCacheIsReportedEnabledAndCanBeTurnedOff() {
        int[] w = identify();
        assertEquals(0x0020, w[82] & 0x0020);   // write cache supported
        assertEquals(0x0020, w[85] & 0x0020);   // and enabled
        out(0x1F1, 0x82);
        out(0x1F7, 0xEF);
        assertEquals(0x50, status());
        assertEquals(0, identify()[85] & 0x0020);
        out(0x1F1, 0x02);
        out(0x1F7, 0xEF);
        assertEquals(0x50, status());
        assertEquals(0x0020, identify()[85] & 0x0020);
    }

    @Test
    void strayDataAccessesAreIgnored() {
        ata.ioWrite(0x1F0, 2, 0x1234); // no transfer in progress
        assertEquals(0, ata.ioRead(0x1F0, 2));
        assertEquals(0x50, status());
        ata.ioWrite(0x1F7, 1, 0xEC);
        status();
        readBytes(512);
        ata.ioWrite(0x1F0, 2, 0x1234); // after the transfer ended
        assertEquals(0x50, status());
    }

    @Test
    void emptyChannelFloats() {
        AtaChannel empty = AtaChannel.primary(null, null, irq);
        assertEquals(0xFF, empty.ioRead(0x1F7, 1));
        empty.ioWrite(0x1F7, 1, 0xEC);
        assertEquals(0, irq.edges);
    }
}
