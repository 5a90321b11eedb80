package dev.jvmx.runtime.inspect;

import dev.jvmx.translator.exec.FirstTierSites;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A dump reads back as written, first-tier sites, evictions and TLB flushes included; older dumps still read. */
class CacheSnapshotTest {
    private static CacheSnapshot sample() {
        CacheSnapshot s = new CacheSnapshot();
        s.guestInstructions = 1000;
        s.interpretedInstructions = 120;
        CacheSnapshot.BlockInfo b = new CacheSnapshot.BlockInfo();
        b.eip = 0x1000;
        b.tier = 1;
        b.instructions = 2;
        b.execCount = 7;
        s.blocks.add(b);
        s.firstTierSites.add(new FirstTierSites.Site(0x1000, 0x7, 7, 14, 1));
        s.firstTierSites.add(new FirstTierSites.Site(0xC1000000, 0x2F, 53, 106, 3));
        return s;
    }

    @Test
    void sitesSurviveTheRoundTrip() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        sample().write(out);
        CacheSnapshot back = CacheSnapshot.read(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(1, back.blocks.size());
        assertEquals(sample().firstTierSites, back.firstTierSites);
    }

    @Test
    void aVersion3DumpReadsWithoutSites() throws Exception {
        CacheSnapshot s = sample();
        s.firstTierSites.clear();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.write(out);
        byte[] v5 = out.toByteArray();
        // Version 3 was the same layout up to the blocks, without the site count after them, and
        // without version 5's evictions and TLB counters (8 + 4 + 8 + 8 bytes with no flushes).
        byte[] v3 = Arrays.copyOf(v5, v5.length - 28 - 4);
        ByteBuffer.wrap(v3).putInt(4, 3);
        CacheSnapshot back = CacheSnapshot.read(new ByteArrayInputStream(v3));
        assertEquals(1, back.blocks.size());
        assertTrue(back.firstTierSites.isEmpty());
        assertEquals(-1, back.evictions);
    }

    @Test
    void evictionsAndTlbFlushesSurviveTheRoundTrip() throws Exception {
        CacheSnapshot s = sample();
        s.evictions = 51574;
        s.tlbFlushesByCause = new long[] {0, 0, 38, 3, 1};
        s.tlbCr3Loads = 15895;
        s.tlbInvlpgs = 379;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.write(out);
        CacheSnapshot back = CacheSnapshot.read(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(51574, back.evictions);
        assertArrayEquals(s.tlbFlushesByCause, back.tlbFlushesByCause);
        assertEquals(15895, back.tlbCr3Loads);
        assertEquals(379, back.tlbInvlpgs);
        assertEquals(sample().firstTierSites, back.firstTierSites);
    }

    @Test
    void aVersion4DumpReadsWithoutEvictionsOrTlbFlushes() throws Exception {
        CacheSnapshot s = sample();
        s.tlbFlushesByCause = new long[] {1, 2};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.write(out);
        byte[] v5 = out.toByteArray();
        // Version 4 ended after the first tier's sites.
        byte[] v4 = Arrays.copyOf(v5, v5.length - (8 + 4 + 2 * 8 + 8 + 8));
        ByteBuffer.wrap(v4).putInt(4, 4);
        CacheSnapshot back = CacheSnapshot.read(new ByteArrayInputStream(v4));
        assertEquals(sample().firstTierSites, back.firstTierSites);
        assertEquals(-1, back.evictions);
        assertNull(back.tlbFlushesByCause);
        assertEquals(-1, back.tlbCr3Loads);
    }
}
