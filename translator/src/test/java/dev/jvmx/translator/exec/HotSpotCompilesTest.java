package dev.jvmx.translator.exec;

import dev.jvmx.translator.codegen.CompiledBlock;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.Method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Translations that wait for HotSpot's compiler (HotSpotCompiles, PendingInstall): their blocks
 * stay in the tier they were in until HotSpot has compiled the new method, and then the results
 * are those of the blocks run before. The test JVM has the WhiteBox jar on its boot class path
 * (translator/pom.xml), as the launcher gives jvmx.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HotSpotCompilesTest {
    /** Two blocks in a loop, run for EDX rounds: ECX counts them, EAX sums them. */
    private static final byte[] LOOP = Asm.available() ? Asm.assemble32("xor eax, eax\nxor ecx, ecx\n"
            + "top: add eax, ecx\ntest ecx, 1\njz even\nxor eax, 0x55\n"
            + "even: inc ecx\ncmp ecx, edx\njb top\ncli\nhlt\n") : null;

    /** Runs {@link #LOOP} for {@code rounds} rounds (again, on a machine that ran it before). */
    static void runLoop(GuestRunner r, int rounds, boolean first) {
        if (first) {
            r.load(GuestRunner.CODE_BASE, LOOP);
            r.codeLoaded(GuestRunner.CODE_BASE);
        }
        r.restartFlat32(GuestRunner.CODE_BASE, GuestRunner.STACK_TOP);
        r.cpu.regs[Cpu.EDX] = rounds;
        r.expectHalt(r.run());
        assertEquals(expected(rounds), r.cpu.regs[Cpu.EAX], "EAX");
    }

    /** EAX after {@link #loop}, computed here. */
    private static int expected(int rounds) {
        int eax = 0;
        for (int ecx = 0; ecx < rounds; ecx++) {
            eax += ecx;
            if ((ecx & 1) != 0) {
                eax ^= 0x55;
            }
        }
        return eax;
    }

    @Test
    void theTestJvmCanAskForCompiles() {
        assertTrue(HotSpotCompiles.available(), "translator/pom.xml's surefire argLine puts the WhiteBox jar on the boot class path");
    }

    /**
     * Made on the worker, the loop's translations and its region go in place only once HotSpot
     * has compiled them; the run's result and count are those of the first tier.
     */
    @Test
    void translationsFromTheWorkerWaitForHotSpot() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
        GuestRunner r = GuestRunner.flat32();
        r.loop.setSynchronousTranslation(false);
        r.loop.setTranslateThreshold(100);
        runLoop(r, 3_000_000, true);
        assertTrue(r.loop.waitedForCompiler() >= 1, "translations that waited for HotSpot: " + r.loop.waitedForCompiler());
        assertTrue(r.cache.statistics().regions() + r.cache.statistics().translated() >= 1, "nothing went in place");
    }

    /**
     * A block's translation goes in place at C1's tier 1; a block that stays hot with no region
     * to take its place is asked again at tier 3, from where HotSpot's policy takes it to C2.
     */
    @Test
    void aBlockThatStaysHotAloneLeavesTier1() throws Exception {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
        GuestRunner r = GuestRunner.flat32();
        r.loop.setSynchronousTranslation(false);
        r.loop.setTranslateThreshold(100);
        r.loop.regions().off = true;
        runLoop(r, 1_000, true);
        Block b = head(r);
        long giveUp = System.nanoTime() + 20_000_000_000L;
        while (!b.translated() && System.nanoTime() < giveUp) {
            runLoop(r, 1_000, false); // in steps far below PROMOTE_RUNS, while C1 compiles it
        }
        assertTrue(b.translated(), "the loop's head was not put in place");
        assertFalse(b.region);
        Method m = b.code.getClass().getDeclaredMethod("execute", Cpu.class);
        assertEquals(0, r.loop.promotedTranslations(), "promoted before it ran at tier 1");
        assertEquals(1, HotSpotCompiles.level(m), "a block's translation goes in place at tier 1");
        runLoop(r, (int) ExecutionLoop.PROMOTE_RUNS + 8192, false);
        assertFalse(b.promotable);
        assertTrue(r.loop.promotedTranslations() >= 1, "nothing promoted");
        int level = HotSpotCompiles.level(m);
        for (int i = 0; i < 200 && level < 3; i++) {
            runLoop(r, 10_000, false);
            level = HotSpotCompiles.level(m);
        }
        assertTrue(level >= 3, "the promoted translation's tier: " + level);
    }

    /** Synchronous translation (tests, a virtual clock) puts everything in place at once, as the same run every time needs. */
    @Test
    void synchronousTranslationDoesNotWait() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
        GuestRunner r = GuestRunner.flat32(); // synchronous, as every harness
        r.loop.setTranslateThreshold(100);
        runLoop(r, 100_000, true);
        assertEquals(0, r.loop.waitedForCompiler(), "translations that waited");
        assertTrue(r.cache.statistics().regions() >= 1, "the loop's region went in place at once");
    }

    /**
     * A translation called with no Cpu returns at once, as the worker calls a block's new one
     * for the counts that put it ahead in C1's queue (HotSpotCompiles.request): blocks and
     * regions alike, and the guest's next run is not disturbed by it.
     */
    @Test
    void aTranslationCalledWithoutACpuReturnsAtOnce() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
        GuestRunner r = GuestRunner.flat32(); // synchronous: everything in place at once
        r.loop.setTranslateThreshold(100);
        runLoop(r, 100_000, true);
        int regions = 0;
        for (Block b : r.cache.blocks()) {
            if (b.translated()) {
                assertEquals(CompiledBlock.UNCHAINED, b.code.execute(null), "code at " + Integer.toHexString(b.eip));
                regions += b.region ? 1 : 0;
            }
        }
        assertTrue(regions >= 1, "the loop's region");
        // The loop's head went straight to its region: a block translation of its code, made here.
        CompiledBlock alone = r.cache.translator.compile(head(r), r.cpu.controls.generation()).code();
        assertEquals(CompiledBlock.UNCHAINED, alone.execute(null), "the head's translation alone");
        runLoop(r, 100_000, false);
    }

    /** A method HotSpot has no reason to compile: it is never called. */
    static int neverCalled(int x) {
        return x * 31 + 7;
    }

    private static Method uncompiled() throws NoSuchMethodException {
        Method m = HotSpotCompilesTest.class.getDeclaredMethod("neverCalled", int.class);
        assertFalse(HotSpotCompiles.compiled(m), "compiled though never called");
        return m;
    }

    /** The block that heads the loop (its first instruction at CODE_BASE + 4, after the two XORs). */
    private static Block head(GuestRunner r) {
        for (Block b : r.cache.blocks()) {
            if (b.eip == GuestRunner.CODE_BASE + 4 && b.valid) {
                return b;
            }
        }
        throw new AssertionError("no block at the loop's head");
    }

    /**
     * A translation HotSpot never compiles (a bail-out, a full code cache) still goes in place
     * after PENDING_LIMIT runs of its block, which runs in its tier until then.
     */
    @Test
    void aTranslationNeverCompiledGoesInPlaceInTheEnd() throws Exception {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
        GuestRunner r = GuestRunner.flat32();
        r.loop.setTranslateThreshold(Integer.MAX_VALUE); // the first tier only
        runLoop(r, 10, true);
        Block b = head(r);
        int[] installs = {0};
        b.pending = new PendingInstall(uncompiled(), () -> installs[0]++, () -> { }, b.execCount);
        runLoop(r, 1_000_000, false);
        assertEquals(0, installs[0], "put in place before its method was compiled or the limit was reached");
        assertNotNull(b.pending);
        runLoop(r, 100_000, false);
        assertEquals(1, installs[0], "put in place after the limit");
        assertNull(b.pending);
    }

    /** A block dropped while its translation waits (its code written, evicted) gives up what waiting held. */
    @Test
    void aDroppedBlockAbandonsItsPendingTranslation() throws Exception {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
        GuestRunner r = GuestRunner.flat32();
        r.loop.setTranslateThreshold(Integer.MAX_VALUE);
        runLoop(r, 10, true);
        Block b = head(r);
        int[] abandoned = {0};
        b.pending = new PendingInstall(uncompiled(), () -> { throw new AssertionError("installed"); },
                () -> abandoned[0]++, b.execCount);
        r.cache.invalidatePage(b.pages[0]);
        assertFalse(b.valid);
        assertNull(b.pending);
        assertEquals(1, abandoned[0], "abandon runs once");
    }
}
