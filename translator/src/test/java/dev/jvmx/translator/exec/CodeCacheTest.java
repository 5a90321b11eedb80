package dev.jvmx.translator.exec;

import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.cpu.SegmentCache;
import dev.jvmx.translator.decode.Mnemonic;
import dev.jvmx.translator.mem.PhysicalMemory;
import dev.jvmx.translator.mem.TlbFlush;
import dev.jvmx.vmx.PrimaryProcessorControls;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cache's side of the execution controls: a control the code bakes in drops every block. */
class CodeCacheTest {
    @Test
    void aControlTheCodeDependsOnFlushesTheCacheAMaskDoesNot() {
        Cpu cpu = realModeCpu();
        CodeCache cache = new CodeCache(cpu);
        // Real mode at 0000:1000: NOP; HLT.
        cpu.eip = 0x1000;
        cpu.memory.load(0x1000, new byte[] {(byte) 0x90, (byte) 0xF4}, 0, 2);
        cache.lookup();
        assertEquals(1, cache.size());
        assertTrue(cpu.memory.isCodePage(0x1000));
        cpu.controls.setPrimary(cpu.controls.primary() & ~PrimaryProcessorControls.HLT_EXITING);
        assertEquals(0, cache.size(), "HLT exiting is baked into the code");
        // A flush unmarks the pages it held (writes there take the fast path again).
        assertFalse(cpu.memory.isCodePage(0x1000));

        // Masks and shadows are read at run time: no flush.
        cache.lookup();
        cpu.controls.setCr0(0x1, 0x1);
        assertEquals(1, cache.size());
    }

    /**
     * A block that runs onto a second page is keyed by its first: when the guest remaps the
     * second page alone, the next lookup must decode the code now there, not run the old.
     */
    @Test
    void aBlockIsDecodedAfreshWhenItsSecondPageIsRemapped() {
        Cpu cpu = new Cpu(new PhysicalMemory(1 << 20, 0));
        CodeCache cache = new CodeCache(cpu);
        int code = SegmentCache.AR_P | SegmentCache.AR_S | 0xB | SegmentCache.AR_DB | SegmentCache.AR_G;
        int data = SegmentCache.AR_P | SegmentCache.AR_S | 0x3 | SegmentCache.AR_DB | SegmentCache.AR_G;
        for (int s = 0; s < 6; s++) {
            cpu.seg[s].set(s == Seg.CS ? 0x08 : 0x10, 0, 0xFFFFFFFF, s == Seg.CS ? code : data);
        }
        // Page directory at 0x10000, one page table at 0x11000: linear 0x1000 -> 0x1000, 0x2000 -> 0x2000.
        cpu.memory.write32(0x10000, 0x11000 | 3);
        cpu.memory.write32(0x11000 + 4, 0x1000 | 3);
        cpu.memory.write32(0x11000 + 8, 0x2000 | 3);
        cpu.cr3 = 0x10000;
        cpu.cr0 |= Cr0.PE | Cr0.PG;
        cpu.mmu.flushAll(TlbFlush.STATE_LOADED);
        // NOP x4 at 0x1FFC, then INC EAX; HLT at 0x2000; the other page (0x5000) holds DEC EAX; HLT.
        cpu.memory.load(0x1FFC, new byte[] {(byte) 0x90, (byte) 0x90, (byte) 0x90, (byte) 0x90, 0x40, (byte) 0xF4}, 0, 6);
        cpu.memory.load(0x5000, new byte[] {0x48, (byte) 0xF4}, 0, 2);
        cpu.eip = 0x1FFC;
        assertEquals(Mnemonic.INC, cache.lookup().insns[4].mnemonic);

        cpu.memory.write32(0x11000 + 8, 0x5000 | 3);
        cpu.mmu.flushAll(TlbFlush.STATE_LOADED);
        Block b = cache.lookup();
        assertEquals(Mnemonic.DEC, b.insns[4].mnemonic, "the code of the page the guest maps now");
        assertSame(b, cache.lookup(), "decoded once");

        // Unmapped, the second page is not part of the block: its fetch faults when the code gets there.
        cpu.memory.write32(0x11000 + 8, 0);
        cpu.mmu.flushAll(TlbFlush.STATE_LOADED);
        assertEquals(4, cache.lookup().instructionCount());
    }

    /**
     * A write drops the blocks whose bytes it touches and no other, also when it lands in a
     * 64-byte chunk beside code (where the page's blocks are walked) or far from it on the same
     * page (where they are not); a block at the end of a page is found by a write to its last byte.
     */
    @Test
    void aWriteOnACodePageDropsOnlyTheBlocksItTouches() {
        Cpu cpu = realModeCpu();
        CodeCache cache = new CodeCache(cpu);
        // Real mode: NOP; NOP; HLT at 0x1040 (chunk 1 of page 1) and at 0x1FFD (the page's last bytes).
        byte[] code = {(byte) 0x90, (byte) 0x90, (byte) 0xF4};
        cpu.memory.load(0x1040, code, 0, 3);
        cpu.memory.load(0x1FFD, code, 0, 3);
        cpu.eip = 0x1040;
        Block first = cache.lookup();
        cpu.eip = 0x1FFD;
        Block last = cache.lookup();

        cache.codeWritten(0x1800, 4); // a chunk without code
        cache.codeWritten(0x1043, 1); // the byte after the first block, in its chunk
        cache.codeWritten(0x1000, 0x40); // the chunk before it, up to its first byte
        assertEquals(2, cache.size());
        assertEquals(0, cache.statistics().invalidations());

        cache.codeWritten(0x1FFF, 1);
        assertEquals(1, cache.size(), "the HLT at the page's last byte");
        assertFalse(last.valid);
        cache.codeWritten(0x103E, 4);
        assertEquals(0, cache.size(), "a write that reaches the first block's first bytes");
        assertFalse(first.valid);
        assertFalse(cpu.memory.isCodePage(0x1000), "a page left without code is released");
    }

    /**
     * A block across two 64-byte chunks is found from either: a write into its second chunk drops
     * it and leaves the other block of that chunk; a later write into its first chunk finds nothing
     * left to drop; the page stays marked as code until its last block goes.
     */
    @Test
    void aBlockAcrossTwoChunksIsFoundFromEither() {
        Cpu cpu = realModeCpu();
        CodeCache cache = new CodeCache(cpu);
        byte[] code = {(byte) 0x90, (byte) 0x90, (byte) 0xF4};
        cpu.memory.load(0x103E, code, 0, 3); // chunks 0 and 1 of page 1
        cpu.memory.load(0x1050, code, 0, 3); // chunk 1
        cpu.eip = 0x103E;
        Block across = cache.lookup();
        cpu.eip = 0x1050;
        Block beside = cache.lookup();

        cache.codeWritten(0x1040, 1);
        assertFalse(across.valid, "its HLT, in its second chunk");
        assertTrue(beside.valid);
        cache.codeWritten(0x103E, 2);
        assertEquals(1, cache.statistics().invalidations(), "nothing more in the first chunk");
        assertTrue(cpu.memory.isCodePage(0x1000));
        cache.codeWritten(0x1052, 1);
        assertFalse(beside.valid);
        assertFalse(cpu.memory.isCodePage(0x1000));
    }

    /** A CPU with 1 MiB of RAM in real mode, every segment at base 0. */
    private static Cpu realModeCpu() {
        Cpu cpu = new Cpu(new PhysicalMemory(1 << 20, 0));
        for (int s = 0; s < 6; s++) {
            cpu.seg[s].loadReal(0);
        }
        return cpu;
    }
}
