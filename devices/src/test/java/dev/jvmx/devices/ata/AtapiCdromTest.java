package dev.jvmx.devices.ata;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The ATAPI CD-ROM on the secondary channel, as a host driver sees it. Expected values are
 * worked by hand from ATA/ATAPI-6 (packet signature 14h/EBh, IDENTIFY PACKET DEVICE word 0,
 * the PACKET PIO data-in protocol: interrupt reason CoD=01h, IO=02h, end 03h) and SPC-3/MMC-5
 * (fixed-format sense 70h, sense keys and ASC/ASCQ, INQUIRY, READ CAPACITY, TOC, GET
 * CONFIGURATION, GET EVENT STATUS NOTIFICATION, mode page 2Ah layouts).
 */
class AtapiCdromTest {
    private static final int SECTORS = 16;
    private final AtaChannelTest.Irq irq = new AtaChannelTest.Irq();
    private final MemoryImage iso = pattern();
    private AtapiCdrom cd = new AtapiCdrom(iso);
    private AtaChannel ata = AtaChannel.secondary(cd, null, irq);

    /** Sector s holds bytes (s * 3 + i) mod 256, its number in the first two bytes. */
    private static MemoryImage pattern() {
        MemoryImage m = new MemoryImage(SECTORS * 2048);
        for (int s = 0; s < SECTORS; s++) {
            for (int i = 0; i < 2048; i++) {
                m.data[s * 2048 + i] = (byte) (s * 3 + i);
            }
            m.data[s * 2048] = (byte) s;
            m.data[s * 2048 + 1] = (byte) (s >>> 8);
        }
        return m;
    }

    private void out(int port, int v) {
        ata.ioWrite(port, 1, v);
    }

    private int in(int port) {
        return ata.ioRead(port, 1);
    }

    /** The result of one packet command: status, error, interrupt reason and every data byte. */
    record Result(int status, int error, int reason, byte[] data, int blocks, int[] blockSizes) { }

    private Result packet(int byteCountLimit, int... cdb) {
        int edges = irq.edges;
        out(0x176, 0xA0);
        out(0x171, 0x00);
        out(0x174, byteCountLimit & 0xFF);
        out(0x175, byteCountLimit >>> 8);
        out(0x177, 0xA0);
        assertEquals(0x58, in(0x376), "ready for the packet");
        assertEquals(0x01, in(0x172), "interrupt reason CoD");
        assertEquals(edges, irq.edges, "no interrupt before the packet");
        byte[] p = Arrays.copyOf(new byte[0], 12);
        for (int i = 0; i < cdb.length; i++) {
            p[i] = (byte) cdb[i];
        }
        for (int i = 0; i < 12; i += 2) {
            ata.ioWrite(0x170, 2, (p[i] & 0xFF) | (p[i + 1] & 0xFF) << 8);
        }
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int blocks = 0;
        int[] sizes = new int[64];
        while (true) {
            assertTrue(irq.edges > edges, "an interrupt for each phase");
            edges = irq.edges;
            int status = in(0x177); // acknowledges
            int reason = in(0x172);
            if ((status & 0x08) == 0) {
                return new Result(status, in(0x171), reason, data.toByteArray(), blocks, Arrays.copyOf(sizes, blocks));
            }
            assertEquals(0x02, reason, "data-in: IO=1 CoD=0");
            int n = in(0x174) | in(0x175) << 8;
            assertTrue(n <= (byteCountLimit == 0 ? 0xFFFE : byteCountLimit), "block within the byte count limit");
            sizes[blocks++] = n;
            for (int i = 0; i < n; i += 2) {
                int w = ata.ioRead(0x170, 2);
                data.write(w);
                if (i + 1 < n) {
                    data.write(w >>> 8);
                }
            }
        }
    }

    private Result ok(int bcl, int... cdb) {
        Result r = packet(bcl, cdb);
        assertEquals(0x50, r.status, "good status");
        assertEquals(0x03, r.reason, "completion: CoD=1 IO=1");
        return r;
    }

    private void checkCondition(Result r, int key, int asc, int ascq) {
        assertEquals(0x51, r.status, "CHECK CONDITION: ERR (CHK) set");
        assertEquals(0x03, r.reason);
        assertEquals(key, r.error >>> 4, "sense key in the error register");
        byte[] s = ok(18, 0x03, 0, 0, 0, 18).data;
        assertEquals(0x70, s[0] & 0xFF);
        assertEquals(key, s[2] & 0x0F);
        assertEquals(10, s[7]);
        assertEquals(asc, s[12] & 0xFF);
        assertEquals(ascq, s[13] & 0xFF);
    }

    private void clearPowerOnUnitAttention() {
        checkCondition(packet(0, 0x00), 6, 0x29, 0x00);
    }

    @Test
    void powerOnShowsThePacketSignature() {
        assertEquals(0x01, in(0x171));
        assertEquals(0x01, in(0x172));
        assertEquals(0x01, in(0x173));
        assertEquals(0x14, in(0x174));
        assertEquals(0xEB, in(0x175));
        assertEquals(0x00, in(0x177));
    }

    @Test
    void identifyDeviceAbortsLeavingTheSignature() {
        out(0x176, 0xA0);
        out(0x177, 0xEC);
        assertEquals(0x41, in(0x177));
        assertEquals(0x04, in(0x171));
        assertEquals(0x14, in(0x174));
        assertEquals(0xEB, in(0x175));
        out(0x177, 0x20);                      // READ SECTORS likewise
        assertEquals(0x41, in(0x177));
    }

    @Test
    void identifyPacketDevice() {
        out(0x176, 0xA0);
        out(0x177, 0xA1);
        assertEquals(1, irq.edges);
        assertEquals(0x58, in(0x177));
        int[] w = new int[256];
        int sum = 0;
        for (int i = 0; i < 256; i++) {
            w[i] = ata.ioRead(0x170, 2);
            sum += (w[i] & 0xFF) + (w[i] >>> 8);
        }
        assertEquals(0x50, in(0x177));
        assertEquals(1, irq.edges);            // one block, no completion interrupt
        assertEquals(0x85C0, w[0]);            // ATAPI, CD-ROM (05h), removable, 50 us DRQ, 12-byte packets
        assertEquals(('J' << 8) | 'V', w[27]);
        assertEquals(0x0200, w[49] & 0x0300);  // LBA, no DMA
        assertEquals(0x0010, w[82] & 0x0010);  // PACKET feature set
        assertEquals(0x0200, w[82] & 0x0200);  // DEVICE RESET
        assertEquals(0xA5, w[255] & 0xFF);
        assertEquals(0, sum & 0xFF);
    }

    @Test
    void unitAttentionAfterPowerOnThenReady() {
        clearPowerOnUnitAttention();
        ok(0, 0x00);
        byte[] s = ok(18, 0x03, 0, 0, 0, 18).data;   // no sense left
        assertEquals(0, s[2] & 0x0F);
        assertEquals(0, s[12]);
    }

    @Test
    void inquiryIsNotHeldUpByAUnitAttentionAndHonoursTheAllocationLength() {
        byte[] d = ok(36, 0x12, 0, 0, 0, 36, 0).data;
        assertEquals(36, d.length);
        assertEquals(0x05, d[0]);              // CD/DVD device
        assertEquals(0x80, d[1] & 0xFF);       // removable
        assertEquals(31, d[4]);
        assertEquals("JVMX    ", new String(d, 8, 8));
        assertEquals("CD-ROM          ", new String(d, 16, 16));
        assertEquals(5, ok(36, 0x12, 0, 0, 0, 5, 0).data.length);
        checkCondition(packet(36, 0x12, 1, 0x80, 0, 36, 0), 5, 0x24, 0);  // EVPD: no VPD pages
        checkCondition(packet(0, 0x00), 6, 0x29, 0x00);                   // the unit attention is still there
    }

    @Test
    void readCapacity() {
        clearPowerOnUnitAttention();
        assertArrayEquals(new byte[] {0, 0, 0, 15, 0, 0, 8, 0}, ok(8, 0x25).data);
    }

    @Test
    void read10OneBlockPerSectorWithALimitOf2048() {
        clearPowerOnUnitAttention();
        Result r = ok(2048, 0x28, 0, 0, 0, 0, 5, 0, 0, 3, 0);
        assertArrayEquals(new int[] {2048, 2048, 2048}, r.blockSizes);
        assertArrayEquals(Arrays.copyOfRange(iso.data, 5 * 2048, 8 * 2048), r.data);
    }

    @Test
    void readBlocksFollowTheByteCountLimit() {
        clearPowerOnUnitAttention();
        assertArrayEquals(new int[] {4096, 2048}, ok(4096, 0x28, 0, 0, 0, 0, 1, 0, 0, 3, 0).blockSizes);
        assertArrayEquals(new int[] {2048, 2048}, ok(2049, 0x28, 0, 0, 0, 0, 1, 0, 0, 2, 0).blockSizes); // odd: one less
        Result r = ok(1000, 0x28, 0, 0, 0, 0, 2, 0, 0, 1, 0);
        assertArrayEquals(new int[] {1000, 1000, 48}, r.blockSizes);
        assertArrayEquals(Arrays.copyOfRange(iso.data, 2 * 2048, 3 * 2048), r.data);
        Result all = ok(0, 0xA8, 0, 0, 0, 0, 0, 0, 0, 0, SECTORS, 0, 0);    // READ(12), limit 0 taken as FFFEh
        assertArrayEquals(iso.data, all.data);
        assertArrayEquals(new int[] {SECTORS * 2048}, all.blockSizes);
    }

    @Test
    void aReadLargerThanTheBufferIsRefilledBetweenBlocks() {
        MemoryImage big = new MemoryImage(40 * 2048);
        for (int i = 0; i < big.data.length; i++) {
            big.data[i] = (byte) (i * 7 + i / 2048);
        }
        ata = AtaChannel.secondary(new AtapiCdrom(big), null, irq);
        clearPowerOnUnitAttention();
        Result r = ok(0, 0x28, 0, 0, 0, 0, 0, 0, 0, 40, 0);
        // Limit FFFEh: 65534 bytes, the 2 left of the 32 sectors in the buffer, then the last 8 sectors.
        assertArrayEquals(new int[] {0xFFFE, 2, 8 * 2048}, r.blockSizes);
        assertArrayEquals(big.data, r.data);
    }

    @Test
    void readPastTheEndIsLbaOutOfRange() {
        clearPowerOnUnitAttention();
        checkCondition(packet(2048, 0x28, 0, 0, 0, 0, SECTORS - 1, 0, 0, 2, 0), 5, 0x21, 0);
        assertEquals(0x54, packet(2048, 0xA8, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0).error); // ILLEGAL REQUEST + ABRT
        assertEquals(0, ok(2048, 0x28, 0, 0, 0, 0, 3, 0, 0, 0, 0).data.length);         // zero sectors: no data
    }

    @Test
    void imageReadErrorIsMediumError() {
        clearPowerOnUnitAttention();
        iso.failReads = true;
        checkCondition(packet(2048, 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0), 3, 0x11, 0);
        assertEquals(1, cd.readErrors());
    }

    @Test
    void unknownCommandIsInvalidOperationCode() {
        clearPowerOnUnitAttention();
        checkCondition(packet(0, 0x42, 0, 0x40, 1), 5, 0x20, 0);   // READ SUB-CHANNEL: no audio here
        checkCondition(packet(0, 0x1A, 0, 0x2A, 0, 64), 5, 0x20, 0); // MODE SENSE(6): ATAPI uses (10)
    }

    @Test
    void emptyDriveIsNotReadyMediumNotPresent() {
        cd = new AtapiCdrom(null);
        ata = AtaChannel.secondary(cd, null, irq);
        clearPowerOnUnitAttention();
        Result r = packet(0, 0x00);
        assertEquals(0x20, r.error & 0xF0);     // NOT READY
        checkCondition(r, 2, 0x3A, 0x01);
        checkCondition(packet(8, 0x25), 2, 0x3A, 0x01);
        byte[] s = ok(18, 0x03, 0, 0, 0, 18).data;        // REQUEST SENSE alone reports the state
        assertEquals(0x3A, s[12]);
    }

    @Test
    void readTocFormat0InLbaAndMsf() {
        clearPowerOnUnitAttention();
        byte[] lba = ok(0xFFFE, 0x43, 0, 0, 0, 0, 0, 0, 0, 100, 0).data;
        assertArrayEquals(new byte[] {0, 18, 1, 1, 0, 0x14, 1, 0, 0, 0, 0, 0, 0, 0x14, (byte) 0xAA, 0, 0, 0, 0, SECTORS}, lba);
        byte[] msf = ok(0xFFFE, 0x43, 2, 0, 0, 0, 0, 0, 0, 100, 0).data;
        // Track 1 at LBA 0 = 150 frames = 00:02:00; lead-out at LBA 16 = 166 frames = 00:02:16.
        assertArrayEquals(new byte[] {0, 18, 1, 1, 0, 0x14, 1, 0, 0, 0, 2, 0, 0, 0x14, (byte) 0xAA, 0, 0, 0, 2, 16}, msf);
        byte[] session = ok(0xFFFE, 0x43, 0, 1, 0, 0, 0, 0, 0, 12, 0).data;
        assertArrayEquals(new byte[] {0, 10, 1, 1, 0, 0x14, 1, 0, 0, 0, 0, 0}, session);
        assertEquals(4, ok(0xFFFE, 0x43, 0, 0, 0, 0, 0, 0, 0, 4, 0).data.length);     // allocation length
        assertArrayEquals(Arrays.copyOfRange(session, 0, 12),
                ok(0xFFFE, 0x43, 0, 0, 0, 0, 0, 0, 0, 12, 0x40).data);              // format in byte 9 (older drives)
        checkCondition(packet(0xFFFE, 0x43, 0, 0, 0, 0, 0, 5, 0, 100, 0), 5, 0x24, 0); // no track 5
        checkCondition(packet(0xFFFE, 0x43, 0, 4, 0, 0, 0, 0, 0, 100, 0), 5, 0x24, 0); // format 4 (ATIP): none
        byte[] full = ok(0xFFFE, 0x43, 0, 2, 0, 0, 0, 0, 0, 100, 0).data;
        assertEquals(48, full.length);
        assertEquals((byte) 0xA2, full[4 + 2 * 11 + 3]);
        assertArrayEquals(new byte[] {0, 2, 16}, Arrays.copyOfRange(full, 4 + 2 * 11 + 8, 4 + 2 * 11 + 11));
    }

    @Test
    void getConfigurationReportsTheCdRomProfile() {
        byte[] d = ok(0xFFFE, 0x46, 0, 0, 0, 0, 0, 0, 1, 0, 0).data;   // even with the unit attention pending
        int len = (d[0] & 0xFF) << 24 | (d[1] & 0xFF) << 16 | (d[2] & 0xFF) << 8 | (d[3] & 0xFF);
        assertEquals(d.length - 4, len);
        assertEquals(0x0008, (d[6] & 0xFF) << 8 | (d[7] & 0xFF));         // current profile: CD-ROM
        assertArrayEquals(new byte[] {0, 0, 3, 8, 0, 0x10, 0, 0, 0, 8, 1, 0}, Arrays.copyOfRange(d, 8, 20));
        byte[] one = ok(0xFFFE, 0x46, 2, 0, 3, 0, 0, 0, 1, 0, 0).data;      // RT 2: feature 0003h alone
        assertArrayEquals(new byte[] {0, 3, 3, 4, 0x29, 0, 0, 0}, Arrays.copyOfRange(one, 8, one.length));
        checkCondition(packet(0xFFFE, 0x46, 3, 0, 0, 0, 0, 0, 1, 0, 0), 5, 0x24, 0); // RT 3 is reserved
        checkCondition(packet(0), 6, 0x29, 0);    // GET CONFIGURATION left the unit attention pending
    }

    @Test
    void getEventStatusNotificationPolledMediaClass() {
        assertArrayEquals(new byte[] {0, 6, 4, 0x10, 0, 2, 0, 0}, ok(8, 0x4A, 1, 0, 0, 0x10, 0, 0, 0, 8, 0).data);
        assertArrayEquals(new byte[] {0, 2, (byte) 0x80, 0x10}, ok(8, 0x4A, 1, 0, 0, 0x02, 0, 0, 0, 8, 0).data);
        checkCondition(packet(8, 0x4A, 0, 0, 0, 0x10, 0, 0, 0, 8, 0), 5, 0x24, 0);   // asynchronous is refused
        checkCondition(packet(0), 6, 0x29, 0);    // and the unit attention is still pending
    }

    @Test
    void modeSenseCapabilitiesPage() {
        clearPowerOnUnitAttention();
        byte[] d = ok(0xFFFE, 0x5A, 0, 0x2A, 0, 0, 0, 0, 0, 64, 0).data;
        assertEquals(30, d.length);
        assertEquals(28, (d[0] & 0xFF) << 8 | (d[1] & 0xFF));   // mode data length
        assertEquals(0, d[6] | d[7]);                           // no block descriptors
        assertEquals(0x2A, d[8]);
        assertEquals(20, d[9]);
        assertEquals(0x29, d[14]);                              // tray, eject, lock supported, unlocked
        assertEquals(706, (d[16] & 0xFF) << 8 | (d[17] & 0xFF));
        byte[] all = ok(0xFFFE, 0x5A, 0, 0x3F, 0, 0, 0, 0, 0, 64, 0).data;
        assertEquals(8 + 12 + 22, all.length);
        checkCondition(packet(0xFFFE, 0x5A, 0, 0xEA, 0, 0, 0, 0, 0, 64, 0), 5, 0x39, 0); // saved values
        checkCondition(packet(0xFFFE, 0x5A, 0, 0x0E, 0, 0, 0, 0, 0, 64, 0), 5, 0x24, 0); // audio page: none
    }

    @Test
    void preventedEjectThenEjectAndLoad() {
        clearPowerOnUnitAttention();
        ok(0, 0x1E, 0, 0, 0, 1);                                    // PREVENT
        checkCondition(packet(0, 0x1B, 0, 0, 0, 0x02), 5, 0x53, 0x02);
        ok(0, 0x1E, 0, 0, 0, 0);                                    // ALLOW
        ok(0, 0x1B, 0, 0, 0, 0x02);                                 // eject
        checkCondition(packet(0, 0x00), 2, 0x3A, 0x02);             // tray open
        assertArrayEquals(new byte[] {0, 6, 4, 0x10, 3, 1, 0, 0}, ok(8, 0x4A, 1, 0, 0, 0x10, 0, 0, 0, 8, 0).data);
        ok(0, 0x1B, 0, 0, 0, 0x03);                                 // load
        checkCondition(packet(0, 0x00), 6, 0x28, 0);                // medium may have changed
        ok(0, 0x00);
    }

    @Test
    void readCdUserDataAndRefusals() {
        clearPowerOnUnitAttention();
        Result r = ok(2048, 0xBE, 0, 0, 0, 0, 4, 0, 0, 1, 0x10, 0, 0);
        assertArrayEquals(Arrays.copyOfRange(iso.data, 4 * 2048, 5 * 2048), r.data);
        checkCondition(packet(2048, 0xBE, 1 << 2, 0, 0, 0, 4, 0, 0, 1, 0x10, 0, 0), 5, 0x64, 0); // CD-DA
        checkCondition(packet(2048, 0xBE, 0, 0, 0, 0, 4, 0, 0, 1, 0xF8, 0, 0), 5, 0x24, 0);      // raw sectors
    }

    @Test
    void discInformationAndMechanismStatus() {
        clearPowerOnUnitAttention();
        byte[] d = ok(0xFFFE, 0x51, 0, 0, 0, 0, 0, 0, 0, 34, 0).data;
        assertEquals(34, d.length);
        assertEquals(32, d[1]);
        assertEquals(0x0E, d[2]);
        assertArrayEquals(new byte[8], ok(0xFFFE, 0xBD, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0).data);
    }

    @Test
    void dmaPacketsAndOtherAtaCommandsAbort() {
        out(0x176, 0xA0);
        out(0x171, 0x01);                      // PACKET with DMA
        out(0x177, 0xA0);
        assertEquals(0x41, in(0x177));
        assertEquals(0x04, in(0x171));
        out(0x177, 0xE7);                      // FLUSH CACHE: not in word 83
        assertEquals(0x41, in(0x177));
        out(0x177, 0xE5);                      // CHECK POWER MODE
        assertEquals(0x50, in(0x177));
        assertEquals(0xFF, in(0x172));
    }

    @Test
    void deviceResetPostsTheSignatureWithoutAnInterrupt() {
        clearPowerOnUnitAttention();
        out(0x172, 0x00);
        int edges = irq.edges;
        out(0x177, 0x08);
        assertEquals(edges, irq.edges);
        assertEquals(0x00, in(0x376));
        assertEquals(0x01, in(0x171));
        assertEquals(0x14, in(0x174));
        assertEquals(0xEB, in(0x175));
    }

    @Test
    void diskAndCdromShareAChannel() {
        AtaDisk disk = new AtaDisk(new MemoryImage(4 * 512));
        AtaChannel both = AtaChannel.primary(disk, new AtapiCdrom(iso), irq);
        both.ioWrite(0x1F6, 1, 0xB0);
        assertEquals(0x14, both.ioRead(0x1F4, 1));
        assertEquals(0xEB, both.ioRead(0x1F5, 1));
        both.ioWrite(0x1F6, 1, 0xA0);
        assertEquals(0x00, both.ioRead(0x1F4, 1));
        assertEquals(0x50, both.ioRead(0x1F7, 1));
    }
}
