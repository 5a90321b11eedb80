package dev.jvmx.runtime.cli;

import dev.jvmx.translator.arch.CpuFeatures;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** QEMU's -cpu spellings for jvmx's one model: MODEL[,+FEATURE|,-FEATURE|,FEATURE=on|off]. */
class CpuOptionTest {
    @Test
    void theModelAloneHasNoOptionalFeature() {
        assertEquals(0, CpuOption.parse("jvmx"));
    }

    @Test
    void featuresInEachSpellingAppliedInOrder() {
        assertEquals(CpuFeatures.SSE | CpuFeatures.SSE2, CpuOption.parse("jvmx,+sse,+sse2"));
        assertEquals(CpuFeatures.SSE, CpuOption.parse("jvmx,sse=on"));
        assertEquals(CpuFeatures.CLFSH, CpuOption.parse("jvmx,+clflush"));
        assertEquals(CpuFeatures.SSE2, CpuOption.parse("jvmx,+sse,+sse2,-sse"));
        assertEquals(0, CpuOption.parse("jvmx,sse2=on,sse2=off"));
    }

    @Test
    void anUnknownModelOrFeatureIsRefusedWithWhatThereIs() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CpuOption.parse("qemu64")).getMessage()
                .contains("unknown CPU model 'qemu64' (jvmx has one: jvmx)"));
        String m = assertThrows(IllegalArgumentException.class, () -> CpuOption.parse("jvmx,+avx")).getMessage();
        assertTrue(m.contains("unknown CPU feature 'avx'") && m.contains("sse, sse2, clflush"), m);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CpuOption.parse("jvmx,sse")).getMessage()
                .contains("neither +FEATURE"));
    }
}
