package dev.jvmx.translator.exec;

import dev.jvmx.translator.bare.BareMachine;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.decode.Mnemonic;
import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Regions (DESIGN.md rule 4): hot blocks retranslated together, with guest loops as JVM loops,
 * one budget check per loop head and one shared lookupswitch for indirect branches. Counts and
 * results must be exactly those of block-by-block execution, and the budget must end a region.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a region that ignores its budget never returns
class RegionTest {
    /**
     * i386 PIC: every function of a PIE calls {@code __x86.get_pc_thunk.bx} first, so the thunk
     * turns hot before any one caller and heads a region of its own (here: a first loop calls it
     * twice per round). A later loop's region must still take a copy of it and the return sites,
     * so that this loop never leaves its method. Results and counts must be those of
     * block-by-block execution.
     */
    @Test
    void aRegionKeepsCallsToAShortLeafAndTheirReturnSites() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
        GuestRunner r = GuestRunner.flat32();
        StopReason s = r.run(Asm.assemble32(
                "xor ecx, ecx\n"
                + "warm: call thunk\ncall thunk\ninc ecx\ncmp ecx, 50000\njb warm\n"
                + "xor ecx, ecx\nxor edi, edi\nxor esi, esi\n"
                + "top: call thunk\nadd edi, ebx\n"
                + "call thunk\nsub esi, ebx\n"
                + "inc ecx\ncmp ecx, 100000\njb top\ncli\nhlt\n"
                + "thunk: mov ebx, [esp]\nret\n"));
        r.expectHalt(s);
        // The second loop's region: the one holding its two calls (those followed by ADD and SUB).
        Block loop = null;
        List<Insn> calls = new ArrayList<>();
        for (Block b : r.cache.blocks()) {
            List<Insn> c = new ArrayList<>();
            for (Insn i : b.insns) {
                if (i.mnemonic == Mnemonic.ADD || i.mnemonic == Mnemonic.SUB) {
                    c.add(i);
                }
            }
            if (b.region && b.valid && c.size() == 2) {
                loop = b;
                calls = c;
            }
        }
        assertTrue(loop != null, "no region holds the second loop");
        calls.sort((a, b) -> Integer.compare(a.address, b.address)); // members are in region order
        List<Integer> in = new ArrayList<>();
        int thunk = -1;
        for (Insn i : loop.insns) {
            in.add(i.address);
            if (i.mnemonic == Mnemonic.CALL) {
                thunk = i.target;
            }
        }
        assertTrue(in.contains(thunk) && in.contains(thunk + 3), "the thunk's copy is in the loop's region");
        int ret1 = calls.get(0).address, ret2 = calls.get(1).address; // the return sites
        assertEquals(100000 * ret1, r.cpu.regs[Cpu.EDI], "EDI: the first call's return address, summed");
        assertEquals(-100000 * ret2, r.cpu.regs[Cpu.ESI], "ESI");
        assertEquals(100000, r.cpu.regs[Cpu.ECX]);
        // 1 + per warm-up round call, mov, ret twice, inc, cmp, jb; 3; per round call, mov, ret,
        // add, call, mov, ret, sub, inc, cmp, jb; CLI and HLT.
        assertEquals(1 + 50000L * 9 + 3 + 100000L * 11 + 2, r.cpu.instructions, "instructions retired");
    }

    /**
     * A threaded interpreter: handlers ending in {@code jmp [table + eax*4]}, run over the
     * byte-code string 1 2 1 2 3 (xor, rol, xor, rol, end of round) 20000 times.
     */
    private static final String THREADED =
            "mov esi, offset prog\nxor ebx, ebx\nxor ecx, ecx\njmp next\n"
            + "h_add: add ebx, 3\nnext: movzx eax, byte ptr [esi]\njmp [table + eax*4]\n"
            + "h_xor: xor ebx, 0x55\ninc esi\nmovzx eax, byte ptr [esi]\njmp [table + eax*4]\n"
            + "h_rol: rol ebx, 1\ninc esi\nmovzx eax, byte ptr [esi]\njmp [table + eax*4]\n"
            + "h_end: mov esi, offset prog\ninc ecx\ncmp ecx, 20000\njb next\ncli\nhlt\n"
            + ".p2align 2\ntable: .long h_add, h_xor, h_rol, h_end\n"
            + "prog: .byte 1, 2, 1, 2, 3\n";

    @Test
    void threadedDispatchStaysInOneRegionWithExactCounts() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
        GuestRunner r = GuestRunner.flat32();
        StopReason s = r.run(Asm.assemble32(THREADED));
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertTrue(r.cache.statistics().regions() > 0, "no region was formed");
        int ebx = 0;
        for (int i = 0; i < 20000; i++) {
            for (int k = 0; k < 2; k++) {
                ebx = Integer.rotateLeft(ebx ^ 0x55, 1);
            }
        }
        assertEquals(ebx, r.cpu.regs[Cpu.EBX], "EBX");
        assertEquals(20000, r.cpu.regs[Cpu.ECX]);
        // 4 to set up; per round next (2), xor, rol, xor, rol and end (4 each); then CLI and HLT.
        assertEquals(4 + 20000L * 22 + 2, r.cpu.instructions, "instructions retired");
        assertTrue(r.loop.lastBlock() != null);
    }

    /**
     * The same dispatch loop without an end: the budget alone stops it. The run must stop at the
     * platform's instruction limit, give or take one block, and resume where it stopped.
     */
    @Test
    void budgetEndsARegionThatNeverLeaves() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
        GuestRunner r = GuestRunner.flat32();
        // Every loop now goes through the indirect dispatch: only its folded check can stop it.
        String endless = THREADED.replace("cmp ecx, 20000\njb next\ncli\nhlt\n",
                "movzx eax, byte ptr [esi]\njmp [table + eax*4]\n");
        r.limit = 3_000_000;
        StopReason s = r.run(Asm.assemble32(endless));
        assertEquals(StopReason.Kind.INSTRUCTION_LIMIT, s.kind, s.toString());
        assertTrue(r.cache.statistics().regions() > 0, "no region was formed");
        long first = r.cpu.instructions;
        assertTrue(first >= 3_000_000 && first < 3_000_000 + 48, "stopped after " + first);

        r.limit = 6_000_000;
        s = r.run();
        assertEquals(StopReason.Kind.INSTRUCTION_LIMIT, s.kind, s.toString());
        assertTrue(r.cpu.instructions >= 6_000_000 && r.cpu.instructions < 6_000_000 + 48,
                "stopped after " + r.cpu.instructions);
    }

    /**
     * With the worker far behind (held here), the blocks of a region being made keep running and
     * pass the threshold themselves. They wait for that region instead of each asking for one of
     * their own, whose installs would invalidate each other's members; the region then installs.
     */
    @Test
    void membersOfAPendingRegionWaitForIt() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
        GuestRunner r = GuestRunner.flat32();
        r.loop.setSynchronousTranslation(false);
        r.loop.worker().hold(true);
        runEndlessDispatch(r);
        // next, h_xor and h_rol (h_add never runs; h_end is cold).
        // Counted where they are made: each goes in place only once C1 has compiled it
        // (HotSpotCompiles), which on a busy machine can come after the run's end.
        assertTrue(r.cache.statistics().guestTranslations() >= 3, "the guest's thread translates what waited too long");
        assertEquals(1, r.loop.regions().requested, "regions asked for");

        r.loop.worker().hold(false);
        // The region too waits for C1: run on, 20M instructions at a time, until it is in place.
        long deadline = System.nanoTime() + 60_000_000_000L;
        do {
            r.limit = r.cpu.instructions + 20_000_000;
            StopReason s = r.run();
            assertEquals(StopReason.Kind.INSTRUCTION_LIMIT, s.kind, s.toString());
        } while (r.cache.statistics().regions() == 0 && System.nanoTime() < deadline);
        assertTrue(r.cache.statistics().regions() >= 1, "the region was not installed");
        assertEquals(0, r.loop.regions().discarded, "regions made and thrown away");
    }

    /**
     * With the worker's queue full, hot blocks are still translated (by the guest's thread, once
     * they have waited as long as a queued block would), and no region is asked for until there
     * is room (asking walks the region's members, too dear to repeat at every execution).
     */
    @Test
    void aFullQueueDoesNotKeepBlocksInTheFirstTier() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
        GuestRunner r = GuestRunner.flat32();
        r.loop.setSynchronousTranslation(false);
        TranslationWorker w = r.loop.worker();
        w.hold(true);
        while (!w.full()) {
            assertTrue(w.submit(() -> () -> { }));
        }
        runEndlessDispatch(r);
        // Counted where they are made, as above: C1's compile may still be under way.
        assertTrue(r.cache.statistics().guestTranslations() >= 3, "hot blocks stayed in the first tier behind a full queue");
        assertEquals(0, r.loop.regions().requested, "regions asked for with no room in the queue");
        assertEquals(TranslationWorker.QUEUE, w.waiting(), "jobs queued past a full queue");
    }

    /** Runs THREADED's dispatch without its end for 2M instructions. */
    private static void runEndlessDispatch(GuestRunner r) {
        String endless = THREADED.replace("cmp ecx, 20000\njb next\ncli\nhlt\n",
                "movzx eax, byte ptr [esi]\njmp [table + eax*4]\n");
        r.limit = 2_000_000;
        StopReason s = r.run(Asm.assemble32(endless));
        assertEquals(StopReason.Kind.INSTRUCTION_LIMIT, s.kind, s.toString());
    }

    /** An interrupt request (another thread's stop, a device) ends a region at its next check. */
    @Test
    void interruptRequestEndsARegion() throws Exception {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
        GuestRunner r = GuestRunner.flat32();
        String endless = THREADED.replace("cmp ecx, 20000\njb next\ncli\nhlt\n",
                "movzx eax, byte ptr [esi]\njmp [table + eax*4]\n");
        r.limit = Long.MAX_VALUE;
        Thread stopper = new Thread(() -> {
            // Once a region has formed (a busy machine may take seconds), plus a little.
            long end = System.nanoTime() + 30_000_000_000L;
            try {
                while (r.cache.statistics().regions() == 0 && System.nanoTime() < end) {
                    Thread.sleep(20);
                }
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            r.loop.requestStop(new StopReason(StopReason.Kind.INSTRUCTION_LIMIT, 9, "stopped by the test"));
        });
        stopper.start();
        StopReason s = r.run(Asm.assemble32(endless));
        stopper.join();
        assertEquals(9, s.value, s.toString());
        assertTrue(r.cache.statistics().regions() > 0, "no region was formed");
    }

    /** An endless loop of direct jumps: every way round is a back edge to the loop head. */
    private static final String BACK_EDGE_LOOP = "xor ecx, ecx\nagain:\nadd ecx, 1\ntest ecx, 3\n"
            + "jnz skip\nxor eax, ecx\nskip:\njmp again\n";

    /**
     * A loop of direct back edges, whose region the execution loop also runs now and then with an
     * empty budget or a profiling request (ExecutionLoop.PROFILE_EXITS_MASK): the budget must
     * still end it at the platform's instruction limit (give or take one block), and a stop
     * request still ends the run.
     */
    @Test
    void aBackEdgeEndsItsLoopAtTheBudgetAndAtARequest() throws Exception {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
        GuestRunner r = GuestRunner.flat32();
        r.limit = 3_000_000;
        StopReason s = r.run(Asm.assemble32(BACK_EDGE_LOOP));
        assertEquals(StopReason.Kind.INSTRUCTION_LIMIT, s.kind, s.toString());
        assertTrue(r.cache.statistics().regions() > 0, "no region was formed");
        assertTrue(r.cpu.instructions >= 3_000_000 && r.cpu.instructions < 3_000_000 + 8,
                "stopped after " + r.cpu.instructions);

        s = r.runUntilRequest(200,
                () -> r.loop.requestStop(new StopReason(StopReason.Kind.INSTRUCTION_LIMIT, 7, "stopped by the test")));
        assertEquals(7, s.value, s.toString());
    }

    /**
     * A fault in a region member that follows a first-tier member with a dead tail: the block
     * decoded at {@code rep movsb} holds the instructions after it, which the first tier never
     * runs (a repeated string instruction ends the block's run) and the region does not emit.
     * The fault must still report its own instruction: before the fix, every later member's
     * instruction index was off by that tail, and Debian's Linux returned from a page fault in
     * {@code __copy_user_ll}'s REP MOVSL to the POP three instructions before its RET.
     */
    @Test
    void aFaultAfterAMemberWithADeadTailReportsItsOwnInstruction() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
        GuestRunner r = GuestRunner.flat32();
        // The loop head is translated, and becomes a region at 2000 runs, while the copy and the
        // division, run every fourth time, stay in the first tier.
        r.loop.setTranslateThreshold(1000);
        String guest = """
                lgdt [gdtr]
                mov eax, offset divide_error
                mov word ptr [0x30000], ax
                mov word ptr [0x30002], 0x08
                mov word ptr [0x30004], 0x8E00
                shr eax, 16
                mov word ptr [0x30006], ax
                lidt [idtr]
                xor ebx, ebx
                top:
                inc ebx
                test ebx, 3
                jnz skip
                mov ecx, 1
                mov esi, 0x21000
                mov edi, 0x20000
                rep movsb
                nop
                nop
                mov ecx, 2900
                sub ecx, ebx
                mov eax, 100
                xor edx, edx
                faulting: div ecx
                skip:
                cmp ebx, 5000
                jb top
                cli
                hlt
                divide_error:
                mov eax, [esp]
                mov [0x30100], eax
                cli
                hlt
                .p2align 3
                gdt: .quad 0, 0x00CF9A000000FFFF, 0x00CF92000000FFFF
                gdtr: .word 23
                .long gdt
                idtr: .word 7
                .long 0x30000
                marker: .long faulting
                """;
        byte[] code = Asm.assemble32(guest);
        StopReason s = r.run(code);
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertTrue(r.cache.statistics().regions() > 0, "no region was formed");
        assertEquals(2900, r.cpu.regs[Cpu.EBX], "the division by zero comes at the 2900th round");
        int faulting = r.memory.read32(BareMachine.CODE_BASE + code.length - 4);
        assertEquals(Integer.toHexString(faulting), Integer.toHexString(r.memory.read32(0x30100)),
                "EIP pushed by #DE");
    }
}
