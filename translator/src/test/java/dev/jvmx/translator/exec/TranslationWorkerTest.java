package dev.jvmx.translator.exec;

import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The translation worker: its failures reach the guest's thread, which ends the run with them;
 * blocks waiting in the first tier go before the regions queued ahead of them.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a lost failure would leave the guest looping
class TranslationWorkerTest {
    /**
     * An Error in a job (out of heap while defining a class, as seen booting Debian's installer
     * with a small heap) ends the run on the guest's thread, where the command line turns it into
     * one line and exit code 70, instead of killing the worker and leaving the run going.
     */
    @Test
    void anErrorInAJobEndsTheRunOnTheGuestsThread() throws Exception {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
        GuestRunner r = GuestRunner.flat32();
        r.loop.setSynchronousTranslation(false);
        TranslationWorker w = r.loop.worker();
        assertEquals(true, w.submit(() -> {
            throw new OutOfMemoryError("made by the test");
        }));
        while (w.waiting() > 0) {
            Thread.sleep(10);
        }
        r.limit = Long.MAX_VALUE;
        OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> r.run(Asm.assemble32("top: inc eax\njmp top\n")));
        assertEquals("made by the test", e.getMessage());
    }

    /** Jobs for blocks that wait in the first tier run before the regions, each kind in its order. */
    @Test
    void blocksGoBeforeRegions() throws Exception {
        GuestRunner r = GuestRunner.flat32();
        r.loop.setSynchronousTranslation(false);
        TranslationWorker w = r.loop.worker();
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        w.hold(true);
        for (String job : List.of("region 1", "block 1", "region 2", "block 2")) {
            assertEquals(true, w.submit(() -> {
                ran.add(job);
                return () -> { };
            }, job.startsWith("block")));
        }
        assertEquals(4, w.waiting());
        w.hold(false);
        while (ran.size() < 4) {
            Thread.sleep(10);
        }
        assertEquals(List.of("block 1", "block 2", "region 1", "region 2"), ran);
        assertEquals(0, w.waiting());
    }
}
