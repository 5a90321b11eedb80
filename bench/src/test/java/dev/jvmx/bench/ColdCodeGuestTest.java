package dev.jvmx.bench;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.exec.Block;
import dev.jvmx.translator.exec.CodeCache;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cold-code benchmark's guest: the same bytes from the same seed, every generated block
 * reached once and only once, to the final HLT, and the same work in every engine.
 */
class ColdCodeGuestTest {
    @Test
    void theSameSeedGivesTheSameGuest() {
        ColdCodeGuest a = ColdCodeGuest.generate(3000, ColdCodeBenchmark.SEED);
        ColdCodeGuest b = ColdCodeGuest.generate(3000, ColdCodeBenchmark.SEED);
        assertArrayEquals(a.code, b.code);
        assertArrayEquals(a.dataInit, b.dataInit);
        assertEquals(a.entry(), b.entry());
    }

    @Test
    void everyBlockRunsOnceInTheFirstTier() {
        ColdCodeGuest g = ColdCodeGuest.generate(3000, ColdCodeBenchmark.SEED);
        try (ColdCodeRun run = new ColdCodeRun(g, ColdCodeRun.TIER1)) {
            long n = run.run(); // reaches the final HLT or throws
            CodeCache cache = run.machine.cache;
            // Each generated block, plus the JMP after a Jcc whose condition was false, is a block of its own.
            assertTrue(cache.size() >= g.blocks && cache.size() <= g.blocks + g.conditional,
                    cache.size() + " blocks for " + g.blocks + " generated (" + g.conditional + " conditional)");
            for (Block b : cache.blocks()) {
                assertEquals(1, b.execCount, "block at " + Integer.toHexString(b.eip));
            }
            assertEquals(cache.statistics().decoded(), cache.size(), "no block decoded twice");
            assertTrue(n >= 3L * g.blocks, n + " instructions"); // at least 2 + an exit per block
        }
    }

    @Test
    void everyEngineDoesTheSameWork() {
        ColdCodeGuest g = ColdCodeGuest.generate(400, ColdCodeBenchmark.SEED);
        try (ColdCodeRun first = new ColdCodeRun(g, ColdCodeRun.TIER1)) {
            long n = first.run();
            for (String engine : new String[] {ColdCodeRun.TIER2, ColdCodeRun.TIERED}) {
                try (ColdCodeRun other = new ColdCodeRun(g, engine)) {
                    assertEquals(n, other.run(), engine);
                    for (int r = 0; r < 8; r++) {
                        assertEquals(first.machine.cpu.getReg32(r), other.machine.cpu.getReg32(r), engine + " register " + r);
                    }
                    byte[] a = new byte[ColdCodeGuest.DATA_SIZE];
                    byte[] b = new byte[ColdCodeGuest.DATA_SIZE];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = (byte) first.machine.memory.read8(g.data + i);
                        b[i] = (byte) other.machine.memory.read8(g.data + i);
                    }
                    assertArrayEquals(a, b, engine + " data area");
                }
            }
            assertEquals(ColdCodeGuest.STACK_TOP, first.machine.cpu.regs[Cpu.ESP], "the stack is balanced");
        }
    }
}
