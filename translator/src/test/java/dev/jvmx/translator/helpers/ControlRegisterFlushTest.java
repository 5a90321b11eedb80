package dev.jvmx.translator.helpers;

import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.mem.PhysicalMemory;
import dev.jvmx.translator.mem.TlbFlush;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which writes of CR0 empty the TLB: those that change what it may hold, and no others. */
class ControlRegisterFlushTest {
    private final Cpu cpu = new Cpu(new PhysicalMemory(1 << 20, 0));

    /** Page directory at 0x10000, one page table at 0x11000: linear 0x1000 -> physical 0x5000. */
    private void mapPage() {
        cpu.memory.write32(0x10000, 0x11000 | 3);
        cpu.memory.write32(0x11000 + 4, 0x5000 | 3);
        cpu.memory.write32(0x1000, 0x1111);
        cpu.memory.write32(0x5000, 0x5555);
        cpu.cr3 = 0x10000;
    }

    @Test
    void protectionOnAndOffWithPagingOffKeepsTheTlb() {
        mapPage();
        assertEquals(0x1111, cpu.mmu.read32(0x1000)); // an identity entry in the TLB
        long before = cpu.mmu.fullFlushes();
        SystemOps.setCr0(cpu, cpu.cr0 | Cr0.PE);
        SystemOps.setCr0(cpu, cpu.cr0 | Cr0.WP); // WP means nothing without paging
        SystemOps.setCr0(cpu, cpu.cr0 & ~(Cr0.PE | Cr0.WP));
        assertEquals(before, cpu.mmu.fullFlushes());
        assertEquals(0x1111, cpu.mmu.read32(0x1000));
    }

    @Test
    void pagingOnOrOffAndWpUnderPagingEmptyIt() {
        mapPage();
        SystemOps.setCr0(cpu, cpu.cr0 | Cr0.PE);
        assertEquals(0x1111, cpu.mmu.read32(0x1000));
        long before = cpu.mmu.fullFlushes();
        SystemOps.setCr0(cpu, cpu.cr0 | Cr0.PG);
        assertEquals(before + 1, cpu.mmu.fullFlushes());
        assertEquals(0x5555, cpu.mmu.read32(0x1000), "the identity entry was dropped when paging came on");
        SystemOps.setCr0(cpu, cpu.cr0 | Cr0.WP);
        assertEquals(before + 2, cpu.mmu.fullFlushes());
        SystemOps.setCr0(cpu, cpu.cr0 & ~Cr0.PG);
        assertEquals(before + 3, cpu.mmu.fullFlushes());
        assertEquals(3, cpu.mmu.flushesByCause[TlbFlush.PAGING_CONTROLS.ordinal()], "counted as the paging controls'");
        assertEquals(0x1111, cpu.mmu.read32(0x1000), "the paged entry was dropped when paging went off");
    }
}
