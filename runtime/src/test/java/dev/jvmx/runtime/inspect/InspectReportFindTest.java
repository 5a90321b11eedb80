package dev.jvmx.runtime.inspect;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** `jvmx inspect --block ADDR`: which block an address names. */
class InspectReportFindTest {
    private static CacheSnapshot.BlockInfo block(CacheSnapshot s, int csBase, int eip, int tier) {
        CacheSnapshot.BlockInfo b = new CacheSnapshot.BlockInfo();
        b.csBase = csBase;
        b.eip = eip;
        b.tier = tier;
        s.blocks.add(b);
        return b;
    }

    @Test
    void theRegionAtAnAddressIsShownRatherThanItsFirstBlock() {
        // The dump lists blocks in the cache's order: here the first-tier block comes first.
        CacheSnapshot s = new CacheSnapshot();
        block(s, 0, 0xc3922437, 1);
        CacheSnapshot.BlockInfo region = block(s, 0, 0xc3922437, 3);
        block(s, 0, 0xc3922440, 2);
        assertSame(region, InspectReport.find(s, 0xc3922437));
    }

    @Test
    void aLinearAddressWinsOverAnEipThatMatchesInAnotherSegment() {
        CacheSnapshot s = new CacheSnapshot();
        CacheSnapshot.BlockInfo byEip = block(s, 0xf0000, 0x1000, 3);
        CacheSnapshot.BlockInfo byLinear = block(s, 0, 0x1000, 1);
        assertSame(byLinear, InspectReport.find(s, 0x1000));
        assertSame(byEip, InspectReport.find(s, 0xf1000));
        assertNull(InspectReport.find(s, 0x2000));
    }
}
