package dev.jvmx.translator.codegen;

import dev.jvmx.translator.testing.GuestRunner;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bugs the CPU-test harnesses found, each pinned by the failing case (expected values from the oracle named). */
class RegressionTest {
    /** IVT entry 13 points at 0000:2000, which holds CLI; HLT. */
    private static GuestRunner realWithGpHandler() {
        GuestRunner r = GuestRunner.real16();
        r.memory.write16(13 * 4, 0x2000);
        r.memory.write16(13 * 4 + 2, 0);
        r.load(0x2000, new byte[]{(byte) 0xFA, (byte) 0xF4});
        return r;
    }

    /**
     * ss286 81.0 #545 "add word [bx],91C3h" with BX = FFFF: the 286 raises #GP (exception 13),
     * the word at DS:FFFF is not written and does not wrap to DS:0000. jvmx wrapped.
     */
    @Test
    void realModeWordAccessAtOffsetFfffRaisesGp() {
        GuestRunner r = realWithGpHandler();
        r.cpu.ebx = 0xFFFF;
        r.memory.write8(0xFFFF, 0x11);
        r.memory.write8(0x0000 + 0x10000, 0x22);
        r.run(new byte[]{(byte) 0x81, 0x07, (byte) 0xC3, (byte) 0x91, (byte) 0xFA, (byte) 0xF4}); // add word [bx],91C3h; cli; hlt
        assertEquals(0x2002, r.cpu.eip, "entered the #GP handler");
        assertEquals(0x11, r.memory.read8(0xFFFF));
        assertEquals(GuestRunner.CODE_BASE, r.memory.read16(r.cpu.esp & 0xFFFF), "pushed IP is the faulting instruction");
    }

    /** ss286 C9 (LEAVE) with BP = FFFF: the POP BP reads SS:FFFF, past the limit: #GP (exception 13). */
    @Test
    void realModePopAtOffsetFfffRaisesGp() {
        GuestRunner r = realWithGpHandler();
        r.cpu.ebp = 0xFFFF;
        r.run(new byte[]{(byte) 0xC9, (byte) 0xFA, (byte) 0xF4}); // leave; cli; hlt
        assertEquals(0x2002, r.cpu.eip, "entered the #GP handler");
    }
}
