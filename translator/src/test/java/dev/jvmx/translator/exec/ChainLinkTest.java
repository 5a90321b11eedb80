package dev.jvmx.translator.exec;

import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.arch.Cr4;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.mem.TlbFlush;
import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Chain links under paging: a link holds while its target's TLB epoch is current, which the
 * target gets when a lookup finds it at its linear address. A remap behind a CR3 load must send
 * the next entry through the link to the code now mapped; with the mapping unchanged, one
 * lookup confirms every link to the block.
 */
class ChainLinkTest {
    /** Page directory, the page table of the first 4 MiB, and the two pages linear 0x300000 may map. */
    private static final int PD = 0x10000, PT = 0x11000, OLD = 0x300000, NEW = 0x301000;
    private static final int FUNCTION = 0x300000;

    @BeforeAll
    static void needAssembler() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
    }

    /** The first 4 MiB identity mapped in 4 KiB pages; OLD holds "add ebx, 1; ret", NEW "add ebx, 100; ret". */
    private static GuestRunner paged() {
        GuestRunner r = GuestRunner.flat32();
        r.memory.write32(PD, PT | 3);
        for (int p = 0; p < 1024; p++) {
            r.memory.write32(PT + 4 * p, p << 12 | 3);
        }
        r.load(OLD, Asm.assemble32("add ebx, 1\nret"));
        r.load(NEW, Asm.assemble32("add ebx, 100\nret"));
        r.cpu.cr3 = PD;
        r.cpu.cr0 |= Cr0.PG;
        r.cpu.mmu.flushAll(TlbFlush.STATE_LOADED);
        return r;
    }

    private static Block blockAt(GuestRunner r, int eip) {
        for (Block b : r.cache.blocks()) {
            if (b.valid && b.eip == eip) {
                return b;
            }
        }
        return null;
    }

    /** The CALL at 'again' runs four times; {@code between} runs once, after its second call. */
    private static byte[] fourCalls(String between) {
        return fourCalls("call " + FUNCTION + "\n", between);
    }

    /** As {@link #fourCalls(String)}, with {@code callSite} (ending in a CALL) at 'again'. */
    private static byte[] fourCalls(String callSite, String between) {
        return Asm.assemble32("mov esi, 4\njmp again\n"
                + "again: " + callSite
                + "dec esi\njz done\ncmp esi, 2\njne again\n"
                + between + "jmp again\n"
                + "done: cli\nhlt");
    }

    @Test
    void aRemapBehindACr3LoadIsSeenThroughTheLink() {
        GuestRunner r = paged();
        // The same CALL runs four times; after the second, the guest maps NEW at 0x300000.
        r.run(fourCalls("mov dword ptr [" + (PT + 4 * (FUNCTION >>> 12)) + "], " + (NEW | 3) + "\n"
                + "mov eax, cr3\nmov cr3, eax\n"));
        assertEquals(1 + 1 + 100 + 100, r.cpu.regs[Cpu.EBX]);
    }

    @Test
    void aRemapBehindAnInvlpgIsSeenThroughTheLink() {
        GuestRunner r = paged();
        r.run(fourCalls("mov dword ptr [" + (PT + 4 * (FUNCTION >>> 12)) + "], " + (NEW | 3) + "\n"
                + "invlpg [" + FUNCTION + "]\n"));
        assertEquals(1 + 1 + 100 + 100, r.cpu.regs[Cpu.EBX]);
    }

    @Test
    void aRemapOfAGlobalPageBehindAnInvlpgIsSeenThroughTheLink() {
        GuestRunner r = paged();
        r.memory.write32(PT + 4 * (FUNCTION >>> 12), OLD | 0x100 | 3);
        r.cpu.cr4 |= Cr4.PGE;
        r.cpu.mmu.flushAll(TlbFlush.STATE_LOADED);
        r.run(fourCalls("mov dword ptr [" + (PT + 4 * (FUNCTION >>> 12)) + "], " + (NEW | 0x100 | 3) + "\n"
                + "invlpg [" + FUNCTION + "]\n"));
        assertEquals(1 + 1 + 100 + 100, r.cpu.regs[Cpu.EBX]);
    }

    @Test
    void anInvlpgOfAPageWithoutCodeKeepsTheLinks() {
        // A data page's INVLPG between the second and third call: the link from the call site to
        // the function holds, so the function is looked up at its first call only.
        GuestRunner r = paged();
        r.run(fourCalls("mov dword ptr [0x200000], 1\ninvlpg [0x200000]\n"));
        assertEquals(4, r.cpu.regs[Cpu.EBX]);
        Block f = blockAt(r, FUNCTION);
        assertNotNull(f);
        assertEquals(4, f.execCount);
        assertEquals(1, f.lookups);
        assertEquals(1, r.cpu.mmu.invlpgs);
    }

    @Test
    void oneLookupAfterACr3LoadConfirmsEveryLinkToTheBlock() {
        GuestRunner r = paged();
        // The CALL at 'again' runs four times; after the second, a CR3 load (same mapping) and a
        // CALL from elsewhere, whose lookup finds the function in the new epoch.
        r.run(fourCalls("mov eax, cr3\nmov cr3, eax\ncall " + FUNCTION + "\n"));
        assertEquals(5, r.cpu.regs[Cpu.EBX]);
        Block f = blockAt(r, FUNCTION);
        assertNotNull(f);
        assertEquals(5, f.execCount);
        // Looked up at the first call and at the call after the CR3 load; the link from 'again'
        // then holds again for its last two calls (each of which looked the function up before).
        assertEquals(2, f.lookups);
    }

    @Test
    void aRestartedRunFindsItsBlocksThroughTheLinks() {
        // BareMachine.restartFlat32 keeps the TLB: the second run of a loop over a few blocks looks
        // up only its first block (the run starts unchained), where resetFlat32's flush looked up all.
        GuestRunner r = GuestRunner.flat32();
        r.load(GuestRunner.CODE_BASE, Asm.assemble32("mov ecx, 10\nnext: inc eax\ntest ecx, 1\njz even\n"
                + "add ebx, 1\neven: dec ecx\njnz next\ncli\nhlt"));
        r.restartFlat32(GuestRunner.CODE_BASE, GuestRunner.STACK_TOP);
        r.run();
        long first = lookups(r);
        r.restartFlat32(GuestRunner.CODE_BASE, GuestRunner.STACK_TOP);
        r.run();
        assertEquals(10, r.cpu.regs[Cpu.EAX]);
        assertEquals(first + 1, lookups(r));
        r.resetFlat32(GuestRunner.CODE_BASE, GuestRunner.STACK_TOP);
        r.run();
        assertEquals(first + 1 + r.cache.size(), lookups(r), "after a reset every block is looked up once more");
    }

    private static long lookups(GuestRunner r) {
        long n = 0;
        for (Block b : r.cache.blocks()) {
            n += b.lookups;
        }
        return n;
    }

    /** A loop's entry at the end of page 0x300000, its body on the next page, and another body. */
    private static final int LOOP = 0x300FF0, BODY = 0x301000, NEW2 = 0x302000;

    /**
     * The loop, its body ("add ebx, 1") where linear BODY maps at first, NEW2's body "add ebx,
     * 100"; paged, with the entry's page global when asked (CR4.PGE on).
     */
    private static GuestRunner loopAcrossPages(boolean globalEntry) {
        // add ebx, n; dec ecx; jnz LOOP; ret (a hand-assembled rel32 jump)
        return loopAcrossPages(globalEntry, "dec ecx\n.byte 0x0F, 0x85\n.long " + (LOOP - (BODY + 10)) + "\nret");
    }

    /** As {@link #loopAcrossPages(boolean)}, with {@code body} after each body's "add ebx, n". */
    private static GuestRunner loopAcrossPages(boolean globalEntry, String body) {
        GuestRunner r = paged();
        // inc eax; jmp BODY (a hand-assembled rel32 jump)
        r.load(LOOP, Asm.assemble32("inc eax\n.byte 0xE9\n.long " + (BODY - (LOOP + 6))));
        r.load(BODY, Asm.assemble32("add ebx, 1\n" + body));
        r.load(NEW2, Asm.assemble32("add ebx, 100\n" + body));
        if (globalEntry) {
            r.memory.write32(PT + 4 * (LOOP >>> 12), LOOP & ~0xFFF | 0x100 | 3);
            r.cpu.cr4 |= Cr4.PGE;
            r.cpu.mmu.flushAll(TlbFlush.STATE_LOADED);
        }
        r.loop.setTranslateThreshold(100);
        return r;
    }

    /**
     * The loop called four times from one call site, 1000 runs each (a region from the first
     * call on), with NEW2 mapped at BODY behind a CR3 load after the second: the last two calls
     * reach the region through the call site's chain link.
     */
    private static void remapTheBody(GuestRunner r) {
        r.run(fourCalls("mov ecx, 1000\ncall " + LOOP + "\n",
                "mov dword ptr [" + (PT + 4 * (BODY >>> 12)) + "], " + (NEW2 | 3) + "\nmov eax, cr3\nmov cr3, eax\n"));
    }

    @Test
    void aRegionSeesARemapOfAMembersPage() {
        // The region is keyed by its entry's page, which stays; its member's page changes.
        GuestRunner r = loopAcrossPages(false);
        remapTheBody(r);
        assertEquals(2 * 1000 + 2 * 1000 * 100, r.cpu.regs[Cpu.EBX]);
    }

    /** Where the loop of {@link #aRegionSeesAnInvlpgRemapOfAMembersPage} returns from, on the entry's page. */
    private static final int RET_STUB = 0x300FF8;

    @Test
    void aRegionSeesAnInvlpgRemapOfAMembersPage() {
        // The loop's blocks past its entry all lie on BODY's page and run inside the region; it
        // leaves to a RET on the entry's page. After a CR3 load one more call finds the region by
        // its entry alone, so nothing else confirms code on BODY's page in that epoch; then only
        // BODY's page is remapped and invalidated. The lookup must have counted it as the region's.
        for (boolean globalEntry : new boolean[] {false, true}) {
            // add ebx, n; dec ecx; jz RET_STUB; jmp LOOP (hand-assembled rel32 jumps)
            GuestRunner r = loopAcrossPages(globalEntry, "dec ecx\n.byte 0x0F, 0x84\n.long " + (RET_STUB - (BODY + 10))
                    + "\n.byte 0xE9\n.long " + (LOOP - (BODY + 15)));
            r.load(RET_STUB, Asm.assemble32("ret"));
            r.run(fourCalls("mov ecx, 1000\ncall " + LOOP + "\n",
                    "mov eax, cr3\nmov cr3, eax\nmov ecx, 10\ncall " + LOOP + "\n"
                    + "mov dword ptr [" + (PT + 4 * (BODY >>> 12)) + "], " + (NEW2 | 3) + "\ninvlpg [" + BODY + "]\n"));
            assertEquals(2 * 1000 + 10 + 2 * 1000 * 100, r.cpu.regs[Cpu.EBX], "global entry: " + globalEntry);
        }
    }

    @Test
    void aRegionOnAGlobalPageAndAnotherSeesARemapBehindACr3Load() {
        // The entry's page is global, which a CR3 load leaves in the TLB; the member's is not, so
        // the links to the region must follow the epoch CR3 loads move.
        GuestRunner r = loopAcrossPages(true);
        remapTheBody(r);
        assertEquals(2 * 1000 + 2 * 1000 * 100, r.cpu.regs[Cpu.EBX]);
    }
}
