package dev.jvmx.runtime.cli;

import dev.jvmx.translator.arch.CpuFeatures;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** QEMU's -cpu spellings for jvmx's one model: MODEL[,+FEATURE|,-FEATURE|,FEATURE=on|off]. */
class CpuOptionTest {
    @Test
    void theModelAloneHasEveryOptionalFeature() {
        assertEquals(CpuFeatures.MMX | CpuFeatures.SSE | CpuFeatures.SSE2 | CpuFeatures.CLFSH, CpuOption.parse("jvmx"));
    }

    @Test
    void featuresInEachSpellingAppliedInOrder() {
        int all = CpuFeatures.ALL;
        assertEquals(all & ~CpuFeatures.SSE2, CpuOption.parse("jvmx,-sse2"));
        assertEquals(all & ~CpuFeatures.SSE, CpuOption.parse("jvmx,sse=off"));
        assertEquals(all, CpuOption.parse("jvmx,-clflush,+clflush"));
        assertEquals(CpuFeatures.CLFSH, CpuOption.parse("jvmx,-mmx,-sse,-sse2"));
        assertEquals(all, CpuOption.parse("jvmx,sse2=off,sse2=on"));
    }

    @Test
    void anUnknownModelOrFeatureIsRefusedWithWhatThereIs() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CpuOption.parse("qemu64")).getMessage()
                .contains("unknown CPU model 'qemu64' (jvmx has one: jvmx)"));
        String m = assertThrows(IllegalArgumentException.class, () -> CpuOption.parse("jvmx,+avx")).getMessage();
        assertTrue(m.contains("unknown CPU feature 'avx'") && m.contains("mmx, sse, sse2, clflush"), m);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CpuOption.parse("jvmx,sse")).getMessage()
                .contains("neither +FEATURE"));
    }
}
