package dev.jvmx.translator.exec;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;
import org.junit.jupiter.api.Test;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The translation cache stays within its bound however much new code a guest makes (DESIGN.md rule 9). */
class BoundedCacheTest {
    /**
     * A guest that writes 3000 fresh functions ("mov eax, imm32; ret"), each on a new page, and
     * calls each once; EBX sums the returned values: sum of i for i < 3000 = 4498500.
     */
    private static byte[] freshFunctions() {
        return Asm.assemble32(
                "xor ebx, ebx\nxor ecx, ecx\nmov edi, 0x100000\n"
                + "1: mov byte ptr [edi], 0xb8\nmov [edi+1], ecx\nmov byte ptr [edi+5], 0xc3\n"
                + "call edi\nadd ebx, eax\nadd edi, 4096\ninc ecx\ncmp ecx, 3000\njb 1b\ncli\nhlt");
    }

    /** {@link #freshFunctions}, every block translated: far more than 1 MiB of translations. */
    @Test
    void endlessNewCodeRunsInBoundedCacheAndClassesUnload() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
        GuestRunner r = GuestRunner.flat32();
        long limit = 1L << 20;
        r.cache.setLimitBytes(limit);
        r.loop.setTranslateThreshold(1); // every block translated: each one's class must go again
        ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        long unloadedBefore = classes.getUnloadedClassCount();
        StopReason s = r.run(freshFunctions());
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertEquals(4498500, r.cpu.regs[Cpu.EBX]);
        assertTrue(r.cache.bytes() <= limit, "cache holds " + r.cache.bytes() + " bytes, limit " + limit);
        assertTrue(r.cache.statistics().evictions() > 0, "the cache never had to evict");
        assertTrue(r.cache.statistics().translated() >= 3000, "translations: " + r.cache.statistics().translated());
        for (int i = 0; i < 3 && classes.getUnloadedClassCount() == unloadedBefore; i++) {
            System.gc();
        }
        assertTrue(classes.getUnloadedClassCount() > unloadedBefore, "no translated class was unloaded");
    }

    /**
     * A guest that rewrites one function ("mov eax, imm32; ret") in place 3000 times and calls
     * it: each write drops the block, so the cache never fills and never evicts, and the dropped
     * blocks (with their classes) must not pile up in the eviction clock. EBX sums the returned
     * values: sum of i for i < 3000 = 4498500.
     */
    @Test
    void codeRewrittenInPlaceLeavesNoDeadBlocksBehind() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
        GuestRunner r = GuestRunner.flat32();
        r.loop.setTranslateThreshold(1);
        StopReason s = r.run(Asm.assemble32(
                "xor ebx, ebx\nxor ecx, ecx\nmov edi, 0x100000\n"
                + "1: mov byte ptr [edi], 0xb8\nmov [edi+1], ecx\nmov byte ptr [edi+5], 0xc3\n"
                + "call edi\nadd ebx, eax\ninc ecx\ncmp ecx, 3000\njb 1b\ncli\nhlt"));
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertEquals(4498500, r.cpu.regs[Cpu.EBX]);
        assertEquals(0, r.cache.statistics().evictions(), "the cache had to evict: this test is about dead blocks under the bound");
        // Every rewrite but the first (the function has not run yet) drops the function's block.
        assertTrue(r.cache.statistics().invalidations() >= 2999, "invalidations: " + r.cache.statistics().invalidations());
        assertTrue(r.cache.clockLength() <= 2 * r.cache.size() + CodeCache.CLOCK_SLACK + 1,
                "the eviction clock holds " + r.cache.clockLength() + " entries for " + r.cache.size() + " live blocks");
    }

    /**
     * The first tier's sites cover the blocks the bound evicted: {@link #freshFunctions}, run
     * wholly in the first tier, leaves a site per function though the cache holds far fewer
     * blocks, and the sites' instructions add up to what the loop counted.
     */
    @Test
    void firstTierSitesOutliveEviction() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
        GuestRunner r = GuestRunner.flat32();
        r.cache.setLimitBytes(1L << 20);
        r.loop.setTranslateThreshold(Integer.MAX_VALUE);
        r.cache.keepFirstTierSites();
        StopReason s = r.run(freshFunctions());
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertEquals(4498500, r.cpu.regs[Cpu.EBX]);
        assertTrue(r.cache.statistics().evictions() > 0, "the cache never had to evict");
        List<FirstTierSites.Site> sites = r.cache.firstTierSites();
        long functions = sites.stream().filter(t -> t.linear() >= 0x100000 && (t.linear() & 0xFFF) == 0).count();
        assertEquals(3000, functions, "one site per fresh function");
        assertTrue(r.cache.size() < 3000, "the cache holds " + r.cache.size() + " blocks: nothing was evicted for real");
        assertEquals(r.loop.interpretedInstructions(), sites.stream().mapToLong(FirstTierSites.Site::instructions).sum());
        // The loop's blocks run once per function, whether or not the bound evicted them between runs.
        FirstTierSites.Site loop = sites.stream().max((a, b) -> Long.compare(a.runs(), b.runs())).orElseThrow();
        assertEquals(3000, loop.runs(), loop.toString());
    }
}
