package dev.jvmx.translator.helpers;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.mem.Mmu;
import dev.jvmx.translator.mem.PhysicalMemory;
import dev.jvmx.translator.mem.TlbFlush;
import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Helpers' data accesses through the TLB ({@link DataAccess}): a hit reads and writes what the
 * slow path would, and stores still reach the code-page and read-only checks that keep pages out
 * of the TLB's write side.
 */
class DataAccessTest {
    private static final int PAGE = PhysicalMemory.PAGE_SIZE;

    private static Cpu cpu() {
        return new Cpu(new PhysicalMemory(4 << 20, 0));
    }

    @Test
    void theSlowPathFillsTheEntryTheNextAccessHits() {
        Cpu c = cpu();
        c.memory.write32(0x2000, 0x11223344);
        assertTrue(Mmu.hit(c.tlbRead, 0x2000, 4) < 0, "nothing has filled the TLB yet");
        assertEquals(0x11223344, DataAccess.read32(c, 0x2000));
        assertTrue(Mmu.hit(c.tlbRead, 0x2000, 4) >= 0, "the walk filled the read side");
        assertEquals(0x3344, DataAccess.read16(c, 0x2000));
        assertEquals(0x22, DataAccess.read8(c, 0x2002));
        DataAccess.write16(c, 0x2002, 0xBEEF);
        assertEquals(0xBEEF3344, DataAccess.read32(c, 0x2000));
        DataAccess.write64(c, 0x2008, 0x0102030405060708L);
        assertEquals(0x0102030405060708L, DataAccess.read64(c, 0x2008));
        assertEquals(0x05060708, c.memory.read32(0x2008), "little-endian, low dword first");
    }

    @Test
    void eightBytesAcrossAPage() {
        Cpu c = cpu();
        DataAccess.write32(c, 0x3000 - 4, 0); // both pages in the TLB, so only the page split stops a hit
        DataAccess.write32(c, 0x3000, 0);
        DataAccess.write64(c, 0x3000 - 3, 0x1122334455667788L);
        assertEquals(0x88, c.memory.read8(0x3000 - 3));
        assertEquals(0x55, c.memory.read8(0x3000));
        assertEquals(0x11, c.memory.read8(0x3000 + 4));
        assertEquals(0x1122334455667788L, DataAccess.read64(c, 0x3000 - 3));
    }

    @Test
    void storesToCodePagesAndReadOnlyPagesTakeTheSlowPath() {
        Cpu c = cpu();
        int[] code = new int[1];
        c.mmu.setCodeWriteListener((phys, size) -> code[0] += size);
        DataAccess.write32(c, 0x5000, 7);
        assertTrue(Mmu.hit(c.tlbWrite, 0x5000, 4) >= 0, "a plain RAM page enters the write side");
        c.memory.markCodePage(0x5000); // what the code cache does when it decodes there
        c.mmu.flushWrites();
        DataAccess.write64(c, 0x5000, -1L);
        DataAccess.write8(c, 0x5010, 1);
        DataAccess.prepareWrite(c, 0x5020, 16);
        assertEquals(8 + 1 + 16, code[0], "every byte stored or about to be stored on the code page is reported");
        assertEquals(-1L, DataAccess.read64(c, 0x5000));

        c.memory.write32(0x6000, 0x600D);
        c.memory.mapReadOnly(0x6000, 0x6000, PAGE);
        c.mmu.flushAll(TlbFlush.STATE_LOADED);
        DataAccess.read32(c, 0x6000);
        DataAccess.write32(c, 0x6000, 0xBAD);
        DataAccess.write64(c, 0x6008, 0xBADL);
        assertEquals(0x600D, DataAccess.read32(c, 0x6000), "a store to ROM is dropped");
        assertEquals(0, DataAccess.read64(c, 0x6008));
    }

    /**
     * An x87 store (FSTP m64, through {@link DataAccess}) over an instruction that has run and
     * been translated: the second call runs the instruction as the store left it.
     */
    @ParameterizedTest(name = "tier {0}")
    @ValueSource(ints = {1, 2})
    void anX87StoreOverTranslatedCodeIsSeen(int tier) {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
        GuestRunner m = GuestRunner.flat32();
        m.useTier(tier);
        String code = "fninit\n"
                + "xor ecx, ecx\n"
                + "again:\n"
                + "call patched\n"
                + "add ecx, eax\n"
                + "fld qword ptr [newcode]\n"
                + "fstp qword ptr [patched]\n"
                + "cmp ecx, 1\n"
                + "je again\n"
                + "cli\nhlt\n"
                + "patched:\n"
                + "mov eax, 1\n"                               // B8 01 00 00 00, then C3 90 90
                + "ret\n"
                + "nop\nnop\n"
                + "newcode:\n"
                + ".byte 0xB8, 5, 0, 0, 0, 0xC3, 0x90, 0x90\n"; // mov eax, 5; ret (a normal double)
        m.expectHalt(m.run(Asm.assemble32(code)));
        assertEquals(1 + 5, m.cpu.regs[Cpu.ECX], "the second call runs the stored instruction");
    }
}
