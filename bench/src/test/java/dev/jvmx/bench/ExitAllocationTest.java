package dev.jvmx.bench;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The steady-state exit allocates nothing (issue 15, DESIGN.md rule 5): the guest thread's
 * allocated bytes (HotSpot's per-thread counter) over a run of 100,000 exits of each kind of
 * {@link ExitCostBenchmark}, in both tiers, once the loop's code is made and warm. A run has a
 * fixed cost of its own (the stop at its HLT formats a message), so the bound is one byte per exit:
 * a single object per exit (16 bytes or more) breaks it sixteen times over, and zero passes.
 */
class ExitAllocationTest {
    private static final int EXITS = 99_990; // a multiple of 1, 2 and 3

    @ParameterizedTest
    @CsvSource({
        "outIn, tiered", "post80, tiered", "pitLatchRead, tiered", "picEoi, tiered", "uartStatus, tiered",
        "rdtsc, tiered", "cpuid, tiered",
        "outIn, tier1", "post80, tier1", "pitLatchRead, tier1", "picEoi, tier1", "uartStatus, tier1",
        "rdtsc, tier1", "cpuid, tier1",
    })
    void anExitAllocatesNothing(String kind, String engine) {
        com.sun.management.ThreadMXBean threads = threads();
        ExitCostBenchmark.Device d = new ExitCostBenchmark.Device();
        d.kind = kind;
        d.engine = engine;
        d.exits = EXITS;
        d.setUp(); // three runs: the code is made (a region in the tiered engine) and has run
        long least = Long.MAX_VALUE;
        try {
            d.machine.loop.setSynchronousTranslation(true);
            long id = Thread.currentThread().getId();
            for (int i = 0; i < 5; i++) {
                long before = threads.getThreadAllocatedBytes(id);
                d.run();
                least = Math.min(least, threads.getThreadAllocatedBytes(id) - before);
            }
        } finally {
            d.close();
        }
        assertTrue(least < EXITS, kind + " in " + engine + ": " + least + " bytes allocated over " + EXITS + " exits");
    }

    private static com.sun.management.ThreadMXBean threads() {
        java.lang.management.ThreadMXBean t = ManagementFactory.getThreadMXBean();
        assumeTrue(t instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter in this JVM");
        com.sun.management.ThreadMXBean s = (com.sun.management.ThreadMXBean) t;
        assumeTrue(s.isThreadAllocatedMemorySupported() && s.isThreadAllocatedMemoryEnabled(),
                "per-thread allocation counting is off");
        return s;
    }
}
