package dev.jvmx.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jvmx.translator.exec.StopReason;
import org.junit.jupiter.api.Test;

/** The message of a run stopped by --timeout names the timeout as the user gave it. */
class TimeoutStopTest {
    @Test
    void tenthsKeepOneDecimal() {
        StopReason r = Machine.timeoutStop(3);
        assertEquals(StopReason.Kind.TIMEOUT, r.kind);
        assertEquals("timeout after 3.0 s", r.message);
        assertEquals("timeout after 2.5 s", Machine.timeoutStop(2.5).message);
    }

    @Test
    void finerTimeoutsAreNotRounded() {
        // %.1f printed 0.05 as "0.1" and 0.25 as "0.3".
        assertEquals("timeout after 0.05 s", Machine.timeoutStop(0.05).message);
        assertEquals("timeout after 0.25 s", Machine.timeoutStop(0.25).message);
    }
}
