package dev.jvmx.devices.ata;

import java.io.ByteArrayOutputStream;

/**
 * The parameter data a CD-ROM drive returns, built from SPC-3 and MMC-5 (multi-byte fields
 * big-endian): standard INQUIRY data, READ CAPACITY, the TOC formats, mode pages, the
 * feature list of GET CONFIGURATION, media event status and disc information. The disc is
 * one data track (Mode 1, ADR 1, control 4) starting at LBA 0, in one complete session.
 */
final class MmcData {
    /** Discs up to this many 2048-byte sectors report the CD-ROM profile, larger ones DVD-ROM. */
    static final long CD_MAX_SECTORS = 800L * 1024 * 1024 / AtapiCdrom.SECTOR_SIZE;

    static final int PROFILE_NONE = 0x0000;
    static final int PROFILE_CD_ROM = 0x0008;
    static final int PROFILE_DVD_ROM = 0x0010;

    static final int PAGE_READ_ERROR_RECOVERY = 0x01;
    static final int PAGE_CAPABILITIES = 0x2A;
    static final int PAGE_ALL = 0x3F;

    /** ADR 1 (Q sub-channel encodes the current position), control 4 (data track, no copy). */
    private static final int ADR_CONTROL_DATA = 0x14;
    private static final int LEAD_OUT = 0xAA;

    private MmcData() { }

    static int be16(byte[] b, int off) {
        return (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
    }

    static long be32(byte[] b, int off) {
        return (long) be16(b, off) << 16 | be16(b, off + 2);
    }

    static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    static void put32(byte[] b, int off, long v) {
        put16(b, off, (int) (v >>> 16) & 0xFFFF);
        put16(b, off + 2, (int) v & 0xFFFF);
    }

    private static void putAscii(byte[] b, int off, int len, String s) {
        for (int i = 0; i < len; i++) {
            b[off + i] = (byte) (i < s.length() ? s.charAt(i) : ' ');
        }
    }

    /**
     * Standard INQUIRY data, 36 bytes: peripheral device type 05h (CD/DVD), removable,
     * version 00h (no claim of an SPC version, as ATAPI drives report), response data
     * format 2.
     */
    static byte[] inquiry() {
        byte[] b = new byte[36];
        b[0] = 0x05;
        b[1] = (byte) 0x80;
        b[2] = 0x00;
        b[3] = 0x02;
        b[4] = 31;                                      // additional length: bytes 5-35
        putAscii(b, 8, 8, "JVMX");
        putAscii(b, 16, 16, "CD-ROM");
        putAscii(b, 32, 4, AtaIdentify.FIRMWARE);
        return b;
    }

    /** READ CAPACITY: the last LBA and the block length. */
    static byte[] readCapacity(long sectors) {
        byte[] b = new byte[8];
        put32(b, 0, sectors - 1);
        put32(b, 4, AtapiCdrom.SECTOR_SIZE);
        return b;
    }

    /** An address field of the TOC: LBA, or MSF (LBA + 150 frames of the 2-second pregap) as 0, M, S, F. */
    private static void putAddress(byte[] b, int off, long lba, boolean msf) {
        if (msf) {
            long f = lba + 150;
            b[off] = 0;
            b[off + 1] = (byte) (f / (75 * 60));
            b[off + 2] = (byte) (f / 75 % 60);
            b[off + 3] = (byte) (f % 75);
        } else {
            put32(b, off, lba);
        }
    }

    /**
     * READ TOC/PMA/ATIP formats 0 (TOC), 1 (session information) and 2 (full TOC), or null
     * for a field the drive does not support (INVALID FIELD IN CDB).
     */
    static byte[] toc(int format, boolean msf, int startTrack, long sectors) {
        switch (format) {
            case 0 -> {
                if (startTrack > 1 && startTrack != LEAD_OUT) {
                    return null;
                }
                boolean track1 = startTrack <= 1;
                byte[] b = new byte[4 + (track1 ? 16 : 8)];
                put16(b, 0, b.length - 2);
                b[2] = 1;                               // first track
                b[3] = 1;                               // last track
                int off = 4;
                if (track1) {
                    b[off + 1] = ADR_CONTROL_DATA;
                    b[off + 2] = 1;
                    putAddress(b, off + 4, 0, msf);
                    off += 8;
                }
                b[off + 1] = ADR_CONTROL_DATA;
                b[off + 2] = (byte) LEAD_OUT;
                putAddress(b, off + 4, sectors, msf);
                return b;
            }
            case 1 -> {
                byte[] b = new byte[12];
                put16(b, 0, 10);
                b[2] = 1;                               // first complete session
                b[3] = 1;                               // last complete session
                b[5] = ADR_CONTROL_DATA;
                b[6] = 1;                               // first track in the last session
                putAddress(b, 8, 0, msf);
                return b;
            }
            case 2 -> {
                // Full TOC: the lead-in's A0 (first track), A1 (last track), A2 (lead-out) and track 1 points.
                byte[] b = new byte[4 + 4 * 11];
                put16(b, 0, b.length - 2);
                b[2] = 1;
                b[3] = 1;
                int off = 4;
                long[] points = {0xA0, 0xA1, 0xA2, 1};
                for (long point : points) {
                    b[off] = 1;                         // session
                    b[off + 1] = ADR_CONTROL_DATA;
                    b[off + 3] = (byte) point;
                    if (point == 0xA0) {
                        b[off + 8] = 1;                 // PMIN: first track number
                        b[off + 9] = 0x00;              // PSEC: disc type CD-DA or CD-ROM
                    } else if (point == 0xA1) {
                        b[off + 8] = 1;                 // PMIN: last track number
                    } else {
                        byte[] a = new byte[4];
                        putAddress(a, 0, point == 0xA2 ? sectors : 0, true);
                        System.arraycopy(a, 1, b, off + 8, 3);
                    }
                    off += 11;
                }
                return b;
            }
            default -> {
                return null;
            }
        }
    }

    /**
     * MODE SENSE(10) data: the 8-byte header (no block descriptors) and the page(s) asked
     * for, or null for an unsupported page. {@code changeable} gives the changeable-values
     * mask, all zeros: nothing here can be changed with MODE SELECT.
     */
    static byte[] modeSense(int page, boolean changeable, boolean mediumPresent, boolean locked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[8]);
        if (page == PAGE_READ_ERROR_RECOVERY || page == PAGE_ALL) {
            byte[] p = new byte[12];
            p[0] = PAGE_READ_ERROR_RECOVERY;
            p[1] = 10;
            if (!changeable) {
                p[3] = 5;                               // read retry count
            }
            out.writeBytes(p);
        }
        if (page == PAGE_CAPABILITIES || page == PAGE_ALL) {
            out.writeBytes(capabilitiesPage(changeable, locked));
        }
        byte[] b = out.toByteArray();
        if (b.length == 8) {
            return null;
        }
        put16(b, 0, b.length - 2);
        b[2] = (byte) (mediumPresent ? 0x01 : 0x70);    // medium type: 120 mm CD-ROM data, or door closed and no disc
        return b;
    }

    /**
     * The CD/DVD capabilities and mechanical status page (2Ah, 20 bytes of parameters as in
     * MMC-2): reads CD-ROM and DVD-ROM, Mode 2 Form 1 and 2, multi-session; a tray that
     * locks and ejects; 706 KB/s (4x).
     */
    private static byte[] capabilitiesPage(boolean changeable, boolean locked) {
        byte[] p = new byte[22];
        p[0] = PAGE_CAPABILITIES;
        p[1] = 20;
        if (changeable) {
            return p;
        }
        p[2] = 0x08;                                    // DVD-ROM read
        p[4] = 0x70;                                    // multi-session, Mode 2 Form 2, Mode 2 Form 1
        p[6] = (byte) (0x29 | (locked ? 0x02 : 0));     // tray (001b), eject, lock supported, lock state
        put16(p, 8, 706);                               // maximum read speed, KB/s
        put16(p, 10, 256);                              // volume levels
        put16(p, 12, 512);                              // buffer size, KiB
        put16(p, 14, 706);                              // current read speed
        return p;
    }

    /** The current profile for a medium of this size, or none. */
    static int currentProfile(boolean mediumPresent, long sectors) {
        if (!mediumPresent) {
            return PROFILE_NONE;
        }
        return sectors > CD_MAX_SECTORS ? PROFILE_DVD_ROM : PROFILE_CD_ROM;
    }

    /**
     * GET CONFIGURATION data: the feature header and, for request type {@code rt} (0 all,
     * 1 current, 2 the one feature) from feature {@code start}, the Profile List, Core,
     * Morphing, Removable Medium and Random Readable features. Null for a reserved rt.
     */
    static byte[] configuration(int rt, int start, boolean mediumPresent, long sectors) {
        if (rt == 3) {
            return null;
        }
        int profile = currentProfile(mediumPresent, sectors);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[8]);
        int[][] features = {
            // feature code, version, persistent, current
            {0x0000, 0, 1, 1},
            {0x0001, 0, 1, 1},
            {0x0002, 1, 1, 1},
            {0x0003, 0, 1, 1},
            {0x0010, 0, 0, mediumPresent ? 1 : 0},
        };
        for (int[] f : features) {
            boolean wanted = rt == 2 ? f[0] == start : f[0] >= start && (rt == 0 || f[3] == 1);
            if (!wanted) {
                continue;
            }
            byte[] data = featureData(f[0], profile);
            byte[] d = new byte[4 + data.length];
            put16(d, 0, f[0]);
            d[2] = (byte) (f[1] << 2 | f[2] << 1 | f[3]);
            d[3] = (byte) data.length;
            System.arraycopy(data, 0, d, 4, data.length);
            out.writeBytes(d);
        }
        byte[] b = out.toByteArray();
        put32(b, 0, b.length - 4);
        put16(b, 6, profile);
        return b;
    }

    private static byte[] featureData(int feature, int currentProfile) {
        switch (feature) {
            case 0x0000 -> {
                byte[] d = new byte[8];                 // profile descriptors, highest first
                put16(d, 0, PROFILE_DVD_ROM);
                d[2] = (byte) (currentProfile == PROFILE_DVD_ROM ? 1 : 0);
                put16(d, 4, PROFILE_CD_ROM);
                d[6] = (byte) (currentProfile == PROFILE_CD_ROM ? 1 : 0);
                return d;
            }
            case 0x0001 -> {
                byte[] d = new byte[4];
                put32(d, 0, 2);                         // physical interface standard: ATAPI
                return d;
            }
            case 0x0002 -> {
                return new byte[] {0x02, 0, 0, 0};      // OCEvent: GET EVENT STATUS NOTIFICATION polling
            }
            case 0x0003 -> {
                return new byte[] {0x29, 0, 0, 0};      // tray, eject, lock
            }
            default -> {
                byte[] d = new byte[8];                 // Random Readable
                put32(d, 0, AtapiCdrom.SECTOR_SIZE);
                put16(d, 4, 1);                         // blocking
                return d;
            }
        }
    }

    /** Media event codes of GET EVENT STATUS NOTIFICATION (MMC-5 6.7.2.5). */
    static final int EVENT_NO_CHANGE = 0;
    static final int EVENT_NEW_MEDIA = 2;
    static final int EVENT_MEDIA_REMOVAL = 3;
    private static final int CLASS_MEDIA = 4;

    /**
     * GET EVENT STATUS NOTIFICATION (polled): a media event if the media class (bit 4) was
     * requested, else the header alone with NEA (no event available) set.
     */
    static byte[] eventStatus(int classRequest, int mediaEvent, boolean mediumPresent, boolean trayOpen) {
        if ((classRequest & (1 << CLASS_MEDIA)) == 0) {
            return new byte[] {0, 2, (byte) 0x80, 1 << CLASS_MEDIA};
        }
        byte[] b = new byte[8];
        put16(b, 0, 6);
        b[2] = CLASS_MEDIA;
        b[3] = 1 << CLASS_MEDIA;                        // supported classes: media
        b[4] = (byte) mediaEvent;
        b[5] = (byte) ((mediumPresent ? 0x02 : 0) | (trayOpen ? 0x01 : 0));
        return b;
    }

    /** READ DISC INFORMATION, standard type: a complete disc with one complete session of one track. */
    static byte[] discInformation() {
        byte[] b = new byte[34];
        put16(b, 0, 32);
        b[2] = 0x0E;                                    // last session complete, disc complete
        b[3] = 1;                                       // first track on disc
        b[4] = 1;                                       // sessions
        b[5] = 1;                                       // first track in last session
        b[6] = 1;                                       // last track in last session
        b[8] = 0x00;                                    // disc type: CD-DA or CD-ROM
        put32(b, 16, 0xFFFFFFFFL);                      // last session lead-in start: none (complete)
        put32(b, 20, 0xFFFFFFFFL);                      // last possible lead-out start: none
        return b;
    }

    /** MECHANISM STATUS: the 8-byte header of a drive without a changer. */
    static byte[] mechanismStatus(boolean trayOpen) {
        byte[] b = new byte[8];
        b[1] = (byte) (trayOpen ? 0x10 : 0);
        return b;
    }
}
