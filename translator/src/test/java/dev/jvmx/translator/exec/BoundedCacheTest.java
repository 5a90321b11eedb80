package dev.jvmx.translator.exec;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;
import org.junit.jupiter.api.Test;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The translation cache stays within its bound however much new code a guest makes (DESIGN.md rule 9). */
class BoundedCacheTest {
    /**
     * A guest that writes a fresh function ("mov eax, imm32; ret", 6 bytes) on a new page
     * each time and calls it: 3000 distinct blocks, far more than 1 MiB of translations.
     * EBX sums the returned values: sum of i for i < 3000 = 4498500.
     */
    @Test
    void endlessNewCodeRunsInBoundedCacheAndClassesUnload() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
        GuestRunner r = GuestRunner.flat32();
        long limit = 1L << 20;
        r.cache.setLimitBytes(limit);
        r.loop.setTranslateThreshold(1); // every block translated: each one's class must go again
        ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        long unloadedBefore = classes.getUnloadedClassCount();
        StopReason s = r.run(Asm.assemble32(
                "xor ebx, ebx\nxor ecx, ecx\nmov edi, 0x100000\n"
                + "1: mov byte ptr [edi], 0xb8\nmov [edi+1], ecx\nmov byte ptr [edi+5], 0xc3\n"
                + "call edi\nadd ebx, eax\nadd edi, 4096\ninc ecx\ncmp ecx, 3000\njb 1b\ncli\nhlt"));
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
}
