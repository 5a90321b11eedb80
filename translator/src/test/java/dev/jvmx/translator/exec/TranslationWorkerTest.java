package dev.jvmx.translator.exec;

import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The translation worker's failures reach the guest's thread, which ends the run with them. */
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
}
