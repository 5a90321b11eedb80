package dev.jvmx.translator.exec;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.mem.PhysicalMemory;
import dev.jvmx.vmx.PrimaryProcessorControls;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The cache's side of the execution controls: a control the code bakes in drops every block. */
class CodeCacheTest {
    @Test
    void aControlTheCodeDependsOnFlushesTheCacheAMaskDoesNot() {
        Cpu cpu = new Cpu(new PhysicalMemory(1 << 20, 0));
        CodeCache cache = new CodeCache(cpu);
        // Real mode at 0000:1000: NOP; HLT.
        for (int s = 0; s < 6; s++) {
            cpu.seg[s].loadReal(0);
        }
        cpu.eip = 0x1000;
        cpu.memory.load(0x1000, new byte[] {(byte) 0x90, (byte) 0xF4}, 0, 2);
        cache.lookup();
        assertEquals(1, cache.size());
        cpu.controls.setPrimary(cpu.controls.primary() & ~PrimaryProcessorControls.HLT_EXITING);
        assertEquals(0, cache.size(), "HLT exiting is baked into the code");

        // Masks and shadows are read at run time: no flush.
        cache.lookup();
        cpu.controls.setCr0(0x1, 0x1);
        assertEquals(1, cache.size());
    }
}
