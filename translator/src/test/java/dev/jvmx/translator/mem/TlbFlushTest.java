package dev.jvmx.translator.mem;

import dev.jvmx.translator.cpu.Cpu;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Full TLB flushes are counted by cause, and described as --exit-stats and inspect print them. */
class TlbFlushTest {
    @Test
    void eachFlushCountsItsCause() {
        Mmu mmu = new Cpu(new PhysicalMemory(1 << 20, 0)).mmu;
        assertEquals(2, mmu.flushesByCause[TlbFlush.RESET.ordinal()], "the MMU's first state and the processor's RESET");
        mmu.setA20(false);
        mmu.setA20(false); // no change, no flush
        mmu.setA20(true);
        mmu.flushAll(TlbFlush.MEMORY_MAP);
        assertEquals(2, mmu.flushesByCause[TlbFlush.A20.ordinal()]);
        assertEquals(1, mmu.flushesByCause[TlbFlush.MEMORY_MAP.ordinal()]);
        assertEquals(5, mmu.fullFlushes());
        assertEquals("5 full flushes (2 A20, 1 memory map, 2 RESET or INIT)", TlbFlush.describe(mmu.flushesByCause));
    }

    @Test
    void describeListsOnlyTheCausesThatOccurred() {
        assertEquals("0 full flushes", TlbFlush.describe(new long[TlbFlush.values().length]));
        assertEquals("42 full flushes (38 memory map, 3 RESET or INIT, 1 state loaded)", TlbFlush.describe(new long[] {0, 0, 38, 3, 1}));
        assertEquals("1 full flush (1 A20)", TlbFlush.describe(new long[] {0, 1}));
        // A dump from a later jvmx with a cause this one does not know.
        assertEquals("3 full flushes (1 paging controls, 2 cause 7)", TlbFlush.describe(new long[] {1, 0, 0, 0, 0, 0, 0, 2}));
    }
}
