package dev.jvmx.translator.codegen;

import dev.jvmx.translator.cpu.Cpu;
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
        r.cpu.regs[Cpu.EBX] = 0xFFFF;
        r.memory.write8(0xFFFF, 0x11);
        r.memory.write8(0x0000 + 0x10000, 0x22);
        r.run(new byte[]{(byte) 0x81, 0x07, (byte) 0xC3, (byte) 0x91, (byte) 0xFA, (byte) 0xF4}); // add word [bx],91C3h; cli; hlt
        assertEquals(0x2002, r.cpu.eip, "entered the #GP handler");
        assertEquals(0x11, r.memory.read8(0xFFFF));
        assertEquals(GuestRunner.CODE_BASE, r.memory.read16(r.cpu.regs[Cpu.ESP] & 0xFFFF), "pushed IP is the faulting instruction");
    }

    /** ss286 C9 (LEAVE) with BP = FFFF: the POP BP reads SS:FFFF, past the limit: #GP (exception 13). */
    @Test
    void realModePopAtOffsetFfffRaisesGp() {
        GuestRunner r = realWithGpHandler();
        r.cpu.regs[Cpu.EBP] = 0xFFFF;
        r.run(new byte[]{(byte) 0xC9, (byte) 0xFA, (byte) 0xF4}); // leave; cli; hlt
        assertEquals(0x2002, r.cpu.eip, "entered the #GP handler");
    }

    /**
     * Host fuzz (seed 2026, cases 11456 and 512329): ROL/ROR by more than 1 leave OF as it
     * was on this machine's CPU; jvmx computed it from the operand. Oracle: a 32-bit program
     * run natively (pushf after each rotate): OF=1, rol $3 of 0x7D -> EFLAGS 0xA02; OF=0,
     * rol $3 of 0x40000000 -> 0x202; OF=0, ror $3 of 0x80000000 -> 0x202; OF=1, ror $3 of 0 -> 0xA02
     * (compared on the six status flags: the native program runs with IF set).
     */
    @Test
    void rotatesByMoreThanOneKeepOf() {
        int[][] cases = { // initial EFLAGS, operand, opcode extension (0 = ROL, 1 = ROR), expected EFLAGS
            {0x802, 0x7D, 0, 0xA02},
            {0x002, 0x40000000, 0, 0x202},
            {0x002, 0x80000000, 1, 0x202},
            {0x802, 0x0, 1, 0xA02},
        };
        for (int[] c : cases) {
            GuestRunner r = GuestRunner.flat32();
            r.cpu.setEflags(c[0]);
            r.cpu.regs[Cpu.EDI] = c[1];
            // rol/ror edi, 3 (C1 /0 or /1, ModRM 0xC7/0xCF); pushfd; pop eax; cli; hlt
            r.run(new byte[]{(byte) 0xC1, (byte) (0xC7 | (c[2] << 3)), 0x03, (byte) 0x9C, 0x58, (byte) 0xFA, (byte) 0xF4});
            assertEquals(c[3] & 0x8D5, r.cpu.regs[Cpu.EAX] & 0x8D5, String.format("flags %#x operand %#x op %d", c[0], c[1], c[2]));
        }
    }
}
