package dev.jvmx.devices.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClockTest {
    @Test
    void virtualClockMovesOnlyForwardAndOnlyWhenTold() {
        VirtualClock c = new VirtualClock(100);
        assertEquals(100, c.nanos());
        c.advance(50);
        assertEquals(150, c.nanos());
        c.advance(-10);
        c.advanceTo(120);
        assertEquals(150, c.nanos());
        c.advanceTo(200);
        assertEquals(200, c.nanos());
    }

    @Test
    void hostClockStartsNearZeroAndIsMonotonic() throws InterruptedException {
        HostClock c = new HostClock();
        long a = c.nanos();
        Thread.sleep(2);
        long b = c.nanos();
        assertTrue(a >= 0 && a < 1_000_000_000L);
        assertTrue(b - a >= 2_000_000L);
    }
}
