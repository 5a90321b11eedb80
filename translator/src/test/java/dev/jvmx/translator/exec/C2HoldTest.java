package dev.jvmx.translator.exec;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * C2 held back while a boot is young (C2Hold): HotSpot's tiers stop at C1 with counters until the
 * guest has a region in place or a processor has retired enough instructions. The test JVM has
 * the WhiteBox jar on its boot class path (translator/pom.xml), as the launcher gives jvmx.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class C2HoldTest {
    private static String tieredStopAtLevel() {
        return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption("TieredStopAtLevel").getValue();
    }

    @AfterEach
    void letC2In() {
        C2Hold.release();
    }

    @Test
    void heldUntilAProcessorHasRetiredEnoughInstructions() {
        assumeTrue(HotSpotCompiles.available(), "no WhiteBox interface");
        C2Hold.hold();
        assertTrue(C2Hold.held());
        assertEquals(String.valueOf(C2Hold.LIMIT), tieredStopAtLevel());
        C2Hold.check(C2Hold.INSTRUCTIONS - 1);
        assertTrue(C2Hold.held(), "released before the count");
        C2Hold.check(C2Hold.INSTRUCTIONS);
        assertFalse(C2Hold.held());
        assertEquals("4", tieredStopAtLevel());
    }

    /**
     * While held, a translation is still queued for C1 (at the tier HotSpot allows then) and waits
     * for it; the loop's region going in place lets C2 in.
     */
    @Test
    void aRegionInPlaceLetsC2In() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
        assumeTrue(HotSpotCompiles.available(), "no WhiteBox interface");
        C2Hold.hold();
        GuestRunner r = GuestRunner.flat32();
        r.loop.setSynchronousTranslation(false);
        r.loop.setTranslateThreshold(100);
        HotSpotCompilesTest.runLoop(r, 3_000_000, true);
        assertTrue(r.loop.waitedForCompiler() >= 1, "translations that waited for C1: " + r.loop.waitedForCompiler());
        assertTrue(r.cache.statistics().regions() >= 1, "no region went in place");
        assertFalse(C2Hold.held(), "still held with a region in place");
        assertEquals("4", tieredStopAtLevel());
    }
}
