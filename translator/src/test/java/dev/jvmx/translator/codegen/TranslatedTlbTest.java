package dev.jvmx.translator.codegen;

import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.arch.Cr4;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.cpu.SegmentCache;
import dev.jvmx.translator.mem.TlbFlush;
import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.jvmx.translator.codegen.SystemInstructionsTest.errorCode;
import static dev.jvmx.translator.codegen.SystemInstructionsTest.expectFault;
import static dev.jvmx.translator.codegen.SystemInstructionsTest.protectedMode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A translation holds its TLB's entries as constants of its class (BlockLoader.define): those of
 * the privilege level its mode names, the user TLB at CPL 3 and the supervisor TLB below, as the
 * Cpu selects them. Code at CPL 3 must not find a supervisor-only page through an entry that
 * supervisor code put in the other TLB (SDM Vol. 3A 4.6: a user-mode read of a supervisor page
 * is a #PF with U/S set in its error code).
 */
class TranslatedTlbTest {
    static final int SUPERVISOR_PAGE = 0x400000, PAGE_DIR = 0x200000, PAGE_TABLE = 0x201000;

    @BeforeAll
    static void needAssembler() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void userCodeDoesNotReadThroughTheSupervisorsEntry(int tier) {
        GuestRunner r = protectedMode(0);
        r.useTier(tier);
        r.memory.write32(PAGE_DIR, 0x87); // the first 4 MiB: P | RW | US | PS, user code and stack
        r.memory.write32(PAGE_DIR + 4, PAGE_TABLE | 0x7);
        r.memory.write32(PAGE_TABLE, SUPERVISOR_PAGE | 0x3); // P | RW, supervisor only
        r.memory.write32(SUPERVISOR_PAGE, 0x600DF00D);
        Cpu c = r.cpu;
        c.cr4 |= Cr4.PSE;
        c.cr3 = PAGE_DIR;
        c.cr0 |= Cr0.PG;
        c.mmu.flushAll(TlbFlush.STATE_LOADED);
        assertEquals(0x600DF00D, c.mmu.read32(SUPERVISOR_PAGE), "the supervisor's read fills its TLB");

        // Ring 3 as SystemInstructionsTest.protectedMode(3) enters it: no TLB flush on the way.
        int dpl3 = 3 << SegmentCache.AR_DPL_SHIFT;
        for (int s = 0; s < 6; s++) {
            c.seg[s].set(s == Seg.CS ? 0x1B : 0x23, 0, 0xFFFFFFFF, c.seg[s].access | dpl3);
        }
        c.setCpl(3);
        expectFault(r, "mov ebx, 0x1234\nmov ebx, [" + SUPERVISOR_PAGE + "]\nhlt", 14);
        assertEquals(5, errorCode(r), "present, read, user");
        assertEquals(0x1234, c.regs[Cpu.EBX]);
        assertEquals(SUPERVISOR_PAGE, c.cr2);
    }
}
