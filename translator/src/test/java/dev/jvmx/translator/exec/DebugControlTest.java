package dev.jvmx.translator.exec;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;
import dev.jvmx.translator.codegen.BlockMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A debugger's hooks in the execution loop: breakpoints stop before their instruction in every
 * tier, also inside a loop that was translated and formed into a region before the breakpoint
 * was set; a single step runs exactly one instruction; watchpoints stop after the instruction
 * that wrote or read a watched byte. Expected states follow from the guest's own arithmetic.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DebugControlTest {
    /**
     * ECX counts rounds; each round stores ECX + 3 at 0x8000 and reads 0x8004. It ends after 4 G
     * rounds, which no test waits for: its region ran 100 M in under 100 ms.
     */
    private static final String LOOP = "xor ecx, ecx\n"
            + "top: inc ecx\nmov eax, ecx\nadd eax, 3\n"
            + "store: mov [0x8000], eax\n"
            + "load: mov edx, [0x8004]\n"
            + "after: cmp ecx, 0xFFFFFFFF\njb top\ncli\nhlt\n";

    private static int top, store, load, after;

    @BeforeAll
    static void labels() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
        top = at("top");
        store = at("store");
        load = at("load");
        after = at("after");
    }

    /** The guest address of a label of {@link #LOOP}: the length of the code before it (all backward jumps). */
    private static int at(String label) {
        String before = LOOP.substring(0, LOOP.indexOf(label + ":"));
        return GuestRunner.CODE_BASE + (before.isEmpty() ? 0 : Asm.assemble32(before).length);
    }

    /** The loop run hot: translated and formed into a region. */
    private static GuestRunner hotLoop() {
        GuestRunner r = GuestRunner.flat32();
        r.limit = 400_000;
        StopReason s = r.run(Asm.assemble32(LOOP));
        assertEquals(StopReason.Kind.INSTRUCTION_LIMIT, s.kind, s.toString());
        return r;
    }

    private static boolean regionHolds(GuestRunner r, int eip) {
        for (Block b : r.cache.blocks()) {
            if (b.valid && b.region) {
                for (int i = 0; i < b.instructionCount(); i++) {
                    if (b.insnEip(i) == eip) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Test
    void breakpointStopsInsideARegionMadeBeforeIt() {
        GuestRunner r = hotLoop();
        assertTrue(regionHolds(r, store), "the loop was not formed into a region holding " + Integer.toHexString(store));
        DebugControl d = r.loop.debugControl();
        d.addBreakpoint(store);
        r.limit = Long.MAX_VALUE;
        StopReason s = r.run();
        assertEquals(StopReason.Kind.DEBUG, s.kind, s.toString());
        assertEquals(DebugControl.Cause.BREAKPOINT, d.cause());
        assertEquals(store, r.cpu.eip);
        int ecx = r.cpu.regs[Cpu.ECX];
        assertEquals(ecx + 3, r.cpu.regs[Cpu.EAX], "EAX at the store");
        assertEquals(ecx + 2, r.memory.read32(0x8000), "the store of the round before (not this one's)");

        // Run on to the same breakpoint: exactly one round (7 instructions) later.
        long n = r.cpu.instructions;
        d.removeBreakpoint(store);
        assertEquals(StopReason.Kind.DEBUG, r.loop.singleStep().kind);
        d.addBreakpoint(store);
        s = r.run();
        assertEquals(StopReason.Kind.DEBUG, s.kind, s.toString());
        assertEquals(store, r.cpu.eip);
        assertEquals(ecx + 1, r.cpu.regs[Cpu.ECX]);
        assertEquals(n + 7, r.cpu.instructions);
    }

    @Test
    void aBreakpointRemovedAndSetAgainCostsNoFlush() {
        GuestRunner r = hotLoop();
        DebugControl d = r.loop.debugControl();
        d.addBreakpoint(top);
        r.limit = Long.MAX_VALUE;
        assertEquals(StopReason.Kind.DEBUG, r.run().kind);
        assertTrue(r.cache.size() > 0);
        Block cached = r.cache.cachedAt(top, 0, BlockMode.of(r.cpu));
        assertNotNull(cached);
        d.removeBreakpoint(top);
        r.loop.singleStep();
        d.addBreakpoint(top);
        assertTrue(cached.valid, "setting the same breakpoint again dropped the cached blocks");
    }

    @Test
    void singleStepRunsOneInstruction() {
        GuestRunner r = hotLoop();
        DebugControl d = r.loop.debugControl();
        d.addBreakpoint(store);
        r.limit = Long.MAX_VALUE;
        assertEquals(StopReason.Kind.DEBUG, r.run().kind);
        d.removeBreakpoint(store);
        long n = r.cpu.instructions;
        StopReason s = r.loop.singleStep();
        assertEquals(StopReason.Kind.DEBUG, s.kind);
        assertEquals(DebugControl.Cause.STEP, d.cause());
        assertEquals(load, r.cpu.eip);
        assertEquals(n + 1, r.cpu.instructions);
        assertEquals(r.cpu.regs[Cpu.EAX], r.memory.read32(0x8000), "the step made the store");
    }

    @Test
    void writeWatchpointStopsAfterTheStore() {
        GuestRunner r = hotLoop();
        DebugControl d = r.loop.debugControl();
        r.memory.write32(0x8004, 0x1234);
        d.addWatch(0x8002, 1, DebugControl.WATCH_WRITE); // one byte inside the stored dword
        r.limit = Long.MAX_VALUE;
        StopReason s = r.run();
        assertEquals(StopReason.Kind.DEBUG, s.kind, s.toString());
        assertEquals(DebugControl.Cause.WATCHPOINT, d.cause());
        assertEquals(0x8002, d.watchHit().address());
        assertEquals(load, r.cpu.eip, "stopped after the store");
        assertEquals(r.cpu.regs[Cpu.ECX] + 3, r.memory.read32(0x8000));

        // Read watch on the other word: the next stop is after the load, in the same round.
        d.removeWatch(0x8002, 1, DebugControl.WATCH_WRITE);
        d.addWatch(0x8004, 4, DebugControl.WATCH_READ);
        int ecx = r.cpu.regs[Cpu.ECX];
        s = r.run();
        assertEquals(StopReason.Kind.DEBUG, s.kind, s.toString());
        assertEquals(after, r.cpu.eip);
        assertEquals(ecx, r.cpu.regs[Cpu.ECX]);
        assertEquals(0x1234, r.cpu.regs[Cpu.EDX]);

        // Without watchpoints the loop runs on at full speed to its limit.
        d.clear();
        r.limit = r.cpu.instructions + 100_000;
        assertEquals(StopReason.Kind.INSTRUCTION_LIMIT, r.run().kind);
    }

    @Test
    void aRepeatedStringStoreHitsAWatchpointInItsMiddle() {
        // REP STOSD over 0x9000..0x93FF: the bulk fill must not pass the watched dword at 0x9200 unseen.
        GuestRunner r = GuestRunner.flat32();
        DebugControl d = r.loop.debugControl();
        d.addWatch(0x9200, 4, DebugControl.WATCH_WRITE);
        StopReason s = r.run(Asm.assemble32("mov edi, 0x9000\nmov ecx, 256\nmov eax, 0xabcdef01\ncld\nrep stosd\ncli\nhlt\n"));
        assertEquals(StopReason.Kind.DEBUG, s.kind, s.toString());
        assertEquals(DebugControl.Cause.WATCHPOINT, d.cause());
        assertEquals(0xabcdef01, r.memory.read32(0x9200), "the watched store was made");
        // The stop comes after that element, as the debug registers' trap does: 129 stored, 127 to go.
        assertEquals(127, r.cpu.regs[Cpu.ECX]);
        assertEquals(0x9204, r.cpu.regs[Cpu.EDI]);
        assertEquals(0, r.memory.read32(0x9204), "the next element is not stored yet");
    }

    /**
     * The guest's own instruction breakpoint (DR0) under a debugger's single step: the step onto
     * it delivers the guest's #DB, so it ends at the guest's handler, which has not run yet.
     */
    @Test
    void aSingleStepOntoTheGuestsOwnBreakpointEndsAtItsHandler() {
        String code = "mov eax, 0x12345678\nmov dr0, eax\nmov eax, 2\nmov dr7, eax\n"
                + "before: nop\ntarget: mov ecx, 5\ncli\nhlt\nhandler: mov ebx, 0x77\ncli\nhlt\n";
        int before = labelIn(code, "before"), target = labelIn(code, "target"), handler = labelIn(code, "handler");
        GuestRunner r = GuestRunner.flat32();
        // A GDT at 0 (code 08h, data 10h) and an IDT at 0x800 whose #DB gate leads to the handler.
        r.memory.write32(0x08, 0x0000FFFF);
        r.memory.write32(0x0C, 0x00CF9A00);
        r.memory.write32(0x10, 0x0000FFFF);
        r.memory.write32(0x14, 0x00CF9200);
        r.memory.write32(0x808, (0x08 << 16) | (handler & 0xFFFF));
        r.memory.write32(0x80C, (handler & 0xFFFF0000) | 0x8E00);
        r.cpu.idtrBase = 0x800;
        r.cpu.idtrLimit = 0x7FF;
        DebugControl d = r.loop.debugControl();
        d.addBreakpoint(before);
        StopReason s = r.run(Asm.assemble32(code.replace("0x12345678", "0x" + Integer.toHexString(target))));
        assertEquals(DebugControl.Cause.BREAKPOINT, d.cause(), s.toString());
        assertEquals(before, r.cpu.eip);
        d.removeBreakpoint(before);
        r.loop.singleStep();
        assertEquals(target, r.cpu.eip, "the NOP stepped");
        r.loop.singleStep();
        assertEquals(handler, r.cpu.eip, "the step onto DR0's instruction ends at the guest's #DB handler");
        assertEquals(0, r.cpu.regs[Cpu.ECX], "the instruction did not run");
        assertEquals(1, r.cpu.dr[6] & 0xF, "DR6.B0");
    }

    /** The address of {@code label} in {@code code} assembled at CODE_BASE (the code before it has no forward references). */
    private static int labelIn(String code, String label) {
        String before = code.substring(0, code.indexOf(label + ":"));
        return GuestRunner.CODE_BASE + Asm.assemble32(before).length;
    }

    @Test
    void interruptRequestStopsForTheDebugger() throws Exception {
        GuestRunner r = hotLoop();
        StopReason s = r.runUntilRequest(100, () -> r.loop.requestDebugStop("interrupted by the test"));
        assertEquals(StopReason.Kind.DEBUG, s.kind, s.toString());
        assertEquals(DebugControl.Cause.REQUEST, r.loop.debugControl().cause());
    }
}
