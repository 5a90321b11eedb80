package dev.jvmx.runtime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class RamAheadTest {
    @Test
    void theArrayStartedAheadIsTakenOnceAndOnlyAtItsLength() {
        assertNull(RamAhead.take(4096), "nothing was started");
        RamAhead.start(4096);
        byte[] a = RamAhead.take(4096);
        assertNotNull(a);
        assertEquals(4096, a.length);
        assertNull(RamAhead.take(4096), "taken twice");
        RamAhead.start(4096);
        assertNull(RamAhead.take(8192), "another length");
        assertNull(RamAhead.take(4096), "a mismatched array is dropped, not kept for later");
    }
}
