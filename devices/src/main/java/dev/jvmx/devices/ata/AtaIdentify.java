package dev.jvmx.devices.ata;

/**
 * Builds the 256-word IDENTIFY DEVICE block of ATA/ATAPI-6 section 8.15 for a fixed disk
 * with LBA28 and PIO only (no DMA, no 48-bit addressing), and the IDENTIFY PACKET DEVICE
 * block of section 8.16 for a CD-ROM drive.
 */
final class AtaIdentify {
    static final String MODEL = "JVMX HARDDISK";
    static final String CDROM_MODEL = "JVMX CD-ROM";
    static final String CDROM_SERIAL = "JVMX0000000000000002";
    static final String SERIAL = "JVMX0000000000000001";
    static final String FIRMWARE = "0.1";
    /** Largest SET MULTIPLE MODE block we accept (word 47 bits 7:0). */
    static final int MAX_MULTIPLE = 16;
    static final long LBA28_MAX = 0x0FFFFFFFL;

    private AtaIdentify() { }

    static byte[] disk(AtaDisk disk, AtaGeometry current, int multipleCount) {
        int[] w = new int[256];
        AtaGeometry dflt = disk.geometry();
        w[0] = 0x0040;                              // ATA device, fixed (bit 6)
        w[1] = dflt.cylinders();
        w[3] = dflt.heads();
        w[6] = dflt.sectorsPerTrack();
        putString(w, 10, 20, SERIAL);
        putString(w, 23, 8, FIRMWARE);
        putString(w, 27, 40, MODEL);
        w[47] = 0x8000 | MAX_MULTIPLE;
        w[49] = 0x0A00;                             // bit 11 IORDY supported, bit 9 LBA supported
        w[50] = 0x4000;                             // bit 14 shall be one
        w[51] = 0x0200;                             // PIO timing mode 2 (obsolete word)
        w[53] = 0x0003;                             // words 54-58 and 64-70 valid
        w[54] = current.cylinders();
        w[55] = current.heads();
        w[56] = current.sectorsPerTrack();
        long currentCapacity = current.capacity();
        w[57] = (int) (currentCapacity & 0xFFFF);
        w[58] = (int) ((currentCapacity >>> 16) & 0xFFFF);
        w[59] = multipleCount == 0 ? 0 : 0x0100 | multipleCount;
        long lba = Math.min(disk.sectorCount(), LBA28_MAX);
        w[60] = (int) (lba & 0xFFFF);
        w[61] = (int) ((lba >>> 16) & 0xFFFF);
        w[64] = 0x0003;                             // PIO modes 3 and 4
        w[67] = 120;                                // min PIO cycle time without IORDY (ns)
        w[68] = 120;                                // min PIO cycle time with IORDY (ns)
        w[80] = 0x007E;                             // ATA-1 .. ATA-6
        w[82] = 0x4020;                             // NOP, write cache supported
        w[83] = 0x5000;                             // bit 14 one, bit 12 FLUSH CACHE
        w[84] = 0x4000;
        w[85] = 0x4000 | (disk.writeCacheEnabled() ? 0x0020 : 0); // enabled: NOP, write cache
        w[86] = 0x1000;
        w[87] = 0x4000;
        return toBytes(w);
    }

    /**
     * IDENTIFY PACKET DEVICE: word 0 = 85C0h (ATAPI, device type 05h CD-ROM, removable,
     * DRQ within 50 us of PACKET, 12-byte packets); LBA supported, PIO modes 3 and 4 only;
     * the PACKET, DEVICE RESET and NOP commands (word 82 bits 4, 9, 14).
     */
    static byte[] packetDevice() {
        int[] w = new int[256];
        w[0] = 0x85C0;
        putString(w, 10, 20, CDROM_SERIAL);
        putString(w, 23, 8, FIRMWARE);
        putString(w, 27, 40, CDROM_MODEL);
        w[49] = 0x0A00;                             // IORDY supported, LBA supported; no DMA
        w[53] = 0x0002;                             // words 64-70 valid
        w[64] = 0x0003;                             // PIO modes 3 and 4
        w[67] = 120;
        w[68] = 120;
        w[80] = 0x007E;                             // ATA/ATAPI-1 .. 6
        w[82] = 0x4210;                             // NOP, DEVICE RESET, PACKET
        w[83] = 0x4000;
        w[84] = 0x4000;
        w[85] = 0x4210;
        w[86] = 0x0000;
        w[87] = 0x4000;
        return toBytes(w);
    }

    private static byte[] toBytes(int[] w) {
        byte[] b = new byte[512];
        for (int i = 0; i < 256; i++) {
            b[2 * i] = (byte) w[i];
            b[2 * i + 1] = (byte) (w[i] >>> 8);
        }
        // Word 255: signature A5h and a checksum making the 512 bytes sum to 0 (mod 256).
        b[510] = (byte) 0xA5;
        int sum = 0;
        for (int i = 0; i < 511; i++) {
            sum += b[i] & 0xFF;
        }
        b[511] = (byte) -sum;
        return b;
    }

    /** ATA strings: space-padded, first character of each pair in the word's high byte. */
    private static void putString(int[] w, int firstWord, int length, String s) {
        for (int i = 0; i < length; i += 2) {
            int hi = i < s.length() ? s.charAt(i) : ' ';
            int lo = i + 1 < s.length() ? s.charAt(i + 1) : ' ';
            w[firstWord + i / 2] = (hi << 8) | lo;
        }
    }
}
