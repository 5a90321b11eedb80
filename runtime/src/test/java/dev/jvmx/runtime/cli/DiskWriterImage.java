package dev.jvmx.runtime.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What guest-images' diskwriter.elf leaves on its disk, as its source defines it: sector
 * LBA of pass P holds "JVMXDW01", LBA and P (LE32), then bytes (LBA * 31 + P * 7 + i) mod
 * 256 for i = 16..511; sector 0 is never written. It prints "flushed P L" after each FLUSH
 * CACHE that succeeded: from then on, sectors 1..L hold pass P (or a later one) durably.
 */
final class DiskWriterImage {
    static final Pattern FLUSHED = Pattern.compile("^flushed (\\d+) (\\d+)$");

    private DiskWriterImage() { }

    /** The last "flushed P L" line as {P, L}, or {0, 0}. */
    static long[] lastFlush(String serial) {
        long[] last = {0, 0};
        for (String line : serial.split("\n")) {
            Matcher m = FLUSHED.matcher(line.strip());
            if (m.matches()) {
                last = new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
            }
        }
        return last;
    }

    /** The pass a sector holds, 0 for a sector never written, -1 for one that is neither (torn or foreign). */
    static long passOf(byte[] image, int lba) {
        int base = lba * 512;
        boolean zero = true;
        for (int i = 0; i < 512; i++) {
            if (image[base + i] != 0) {
                zero = false;
                break;
            }
        }
        if (zero) {
            return 0;
        }
        if (!new String(image, base, 8, StandardCharsets.ISO_8859_1).equals("JVMXDW01") || le32(image, base + 8) != lba) {
            return -1;
        }
        long pass = le32(image, base + 12);
        for (int i = 16; i < 512; i++) {
            if ((image[base + i] & 0xFF) != (int) ((lba * 31L + pass * 7 + i) & 0xFF)) {
                return -1;
            }
        }
        return pass;
    }

    private static long le32(byte[] b, int off) {
        return (b[off] & 0xFFL) | (b[off + 1] & 0xFFL) << 8 | (b[off + 2] & 0xFFL) << 16 | (b[off + 3] & 0xFFL) << 24;
    }

    /**
     * Every sector the guest was told is durable holds what it wrote: sectors up to L pass P
     * or later, the others pass P-1 or later (they were flushed in the previous pass), none
     * torn, none from a pass after P+1. Returns the problems found (at most 20).
     */
    static List<String> check(byte[] image, long pass, long lastLba) {
        List<String> problems = new ArrayList<>();
        int sectors = image.length / 512;
        for (int lba = 1; lba < sectors && problems.size() < 20; lba++) {
            long p = passOf(image, lba);
            long atLeast = lba <= lastLba ? pass : pass - 1;
            if (p < 0) {
                problems.add("sector " + lba + " is torn or foreign");
            } else if (p < atLeast) {
                problems.add("sector " + lba + " holds pass " + p + " but pass " + atLeast + " was flushed");
            } else if (p > pass + 1) {
                problems.add("sector " + lba + " holds pass " + p + ", after the last pass seen " + pass);
            }
        }
        return problems;
    }
}
