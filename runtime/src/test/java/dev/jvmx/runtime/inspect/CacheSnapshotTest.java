package dev.jvmx.runtime.inspect;

import dev.jvmx.translator.exec.FirstTierSites;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A dump reads back as written, first-tier sites included; a dump from before the sites still reads. */
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
        byte[] v4 = out.toByteArray();
        // Version 3 was the same layout up to the blocks, without the site count after them.
        byte[] v3 = Arrays.copyOf(v4, v4.length - 4);
        ByteBuffer.wrap(v3).putInt(4, 3);
        CacheSnapshot back = CacheSnapshot.read(new ByteArrayInputStream(v3));
        assertEquals(1, back.blocks.size());
        assertTrue(back.firstTierSites.isEmpty());
    }
}
