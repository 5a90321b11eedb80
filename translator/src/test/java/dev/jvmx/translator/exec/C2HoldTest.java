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
 * C2 held back while a boot is young (C2Hold): HotSpot's tiers stop at C1 with counters until a
 * processor has retired enough instructions. The test JVM has the WhiteBox jar on its boot class
 * path (translator/pom.xml), as the launcher gives jvmx.
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
     * for it; the loop's region going in place leaves C2 held, short of the count.
     */
    @Test
    void aRegionInPlaceLeavesC2Held() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
        assumeTrue(HotSpotCompiles.available(), "no WhiteBox interface");
        C2Hold.hold();
        GuestRunner r = GuestRunner.flat32();
        r.loop.setSynchronousTranslation(false);
        r.loop.setTranslateThreshold(100);
        // Rounds of about 1.3 M instructions each, short of the count in all.
        HotSpotCompilesTest.runLoop(r, 200_000, true);
        for (int i = 0; i < 6 && r.cache.statistics().regions() == 0; i++) {
            HotSpotCompilesTest.runLoop(r, 200_000, false);
        }
        assertTrue(r.cpu.instructions < C2Hold.INSTRUCTIONS, "ran " + r.cpu.instructions);
        assertTrue(r.loop.waitedForCompiler() >= 1, "translations that waited for C1: " + r.loop.waitedForCompiler());
        assertTrue(r.cache.statistics().regions() >= 1, "no region went in place");
        assertTrue(C2Hold.held(), "released by a region before the count");
        assertEquals(String.valueOf(C2Hold.LIMIT), tieredStopAtLevel());
    }
}
