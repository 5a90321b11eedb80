package dev.jvmx.translator.codegen;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;

import static dev.jvmx.translator.testing.GuestRunner.arithFlags;
import static dev.jvmx.translator.testing.GuestRunner.haltedFlat32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Shifts and rotates. Expected values are worked by hand from the SDM pseudo-code; flags the
 * SDM leaves undefined (OF for counts above 1, CF beyond the width, AF) follow the rules
 * documented in helpers.ShiftOps, which were checked against this Intel host natively.
 * "xor ebx, ebx" before a test sets ZF|PF (0x44) with the other status flags clear.
 */
class ShiftsTest {
    private static final int CF = Eflags.CF, PF = Eflags.PF, ZF = Eflags.ZF, SF = Eflags.SF, OF = Eflags.OF;

    @BeforeAll
    static void needAssembler() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
    }

    @Test
    void shlByOneSetsCarryAndOverflow() {
        // 0x80000001 << 1 = 0x00000002, CF = old bit 31 = 1, OF = MSB(res) ^ CF = 1, PF(0x02) = 0
        GuestRunner r = haltedFlat32("mov eax, 0x80000001\nshl eax, 1");
        assertEquals(0x00000002, r.cpu.regs[Cpu.EAX]);
        assertEquals(CF | OF, arithFlags(r));
    }

    @Test
    void maskedCountZeroChangesNothingAtRunTime() {
        // CL = 0 and CL = 32 both mask to 0: AL and the flags (ZF|PF from xor, CF from stc) stay.
        GuestRunner r = haltedFlat32("mov al, 0x81\nxor ebx, ebx\nstc\nmov cl, 0\nshl al, cl\nmov cl, 32\nsar al, cl\nrcl al, cl");
        assertEquals(0x81, r.cpu.regs[Cpu.EAX] & 0xFF);
        assertEquals(ZF | PF | CF, arithFlags(r));
    }

    @Test
    void immediateCountZeroChangesNothing() {
        GuestRunner r = haltedFlat32("mov al, 0x81\nxor ebx, ebx\nstc\nshl al, 0\nror al, 32");
        assertEquals(0x81, r.cpu.regs[Cpu.EAX] & 0xFF);
        assertEquals(ZF | PF | CF, arithFlags(r));
    }

    @Test
    void memoryOperandWithRuntimeZeroCountIsUnchanged() {
        GuestRunner r = haltedFlat32("mov dword ptr [0x2000], 0x12345678\nxor ebx, ebx\nmov cl, 0x40\nshr dword ptr [0x2000], cl");
        assertEquals(0x12345678, r.memory.read32(0x2000));
        assertEquals(ZF | PF, arithFlags(r));
    }

    @Test
    void skippedShiftKeepsFlagsForALaterBranch() {
        // cmp sets ZF; shl by CL=0 must not disturb it: setz dl = 1. Then shl by 1 of 1 -> ZF = 0.
        GuestRunner r = haltedFlat32("mov eax, 5\nmov ebx, 1\nmov cl, 0\ncmp eax, eax\nshl ebx, cl\nsetz dl\n"
                + "mov cl, 1\nshl ebx, cl\nsetz dh");
        assertEquals(1, r.cpu.regs[Cpu.EDX] & 0xFF);
        assertEquals(0, (r.cpu.regs[Cpu.EDX] >> 8) & 0xFF);
        assertEquals(2, r.cpu.regs[Cpu.EBX]);
    }

    @Test
    void shlByteByWidthAndBeyond() {
        // 0x01 << 8: result 0, CF = last bit out = old bit 0 = 1, ZF = PF = 1, OF = bit7 ^ bit6 of 0x01 = 0
        GuestRunner r = haltedFlat32("mov al, 1\nmov cl, 8\nshl al, cl");
        assertEquals(0, r.cpu.regs[Cpu.EAX] & 0xFF);
        assertEquals(CF | ZF | PF, arithFlags(r));
        // 0xFF << 9: result 0; every bit out came from beyond the operand: CF = 0; OF = 1 ^ 1 = 0
        r = haltedFlat32("mov eax, 0x123456FF\nmov cl, 9\nshl al, cl");
        assertEquals(0x12345600, r.cpu.regs[Cpu.EAX]);
        assertEquals(ZF | PF, arithFlags(r));
    }

    @Test
    void shrWordKeepsUpperHalf() {
        // 0x8001 >> 1 = 0x4000, CF = 1, OF = MSB(original) = 1, PF(0x00) = 1
        GuestRunner r = haltedFlat32("mov eax, 0x12348001\nshr ax, 1");
        assertEquals(0x12344000, r.cpu.regs[Cpu.EAX]);
        assertEquals(CF | PF | OF, arithFlags(r));
    }

    @Test
    void sarFillsWithSign() {
        // 0x80000000 sar 31 = 0xFFFFFFFF, CF = bit 30 = 0, SF = 1, PF(0xFF) = 1, OF = 0
        GuestRunner r = haltedFlat32("mov eax, 0x80000000\nsar eax, 31");
        assertEquals(0xFFFFFFFF, r.cpu.regs[Cpu.EAX]);
        assertEquals(SF | PF, arithFlags(r));
        // 0x8000 sar 20 (above the width): 0xFFFF, CF = the sign bit = 1
        r = haltedFlat32("mov eax, 0x8000\nmov cl, 20\nsar ax, cl");
        assertEquals(0xFFFF, r.cpu.regs[Cpu.EAX]);
        assertEquals(CF | SF | PF, arithFlags(r));
    }

    @Test
    void rotatesChangeOnlyCarryAndOverflow() {
        // rol 0x81,1 = 0x03: CF = LSB(res) = 1, OF = MSB(res) ^ CF = 1; ZF|PF from xor survive
        GuestRunner r = haltedFlat32("xor ebx, ebx\nmov al, 0x81\nrol al, 1");
        assertEquals(0x03, r.cpu.regs[Cpu.EAX] & 0xFF);
        assertEquals(ZF | PF | CF | OF, arithFlags(r));
        // ror 0x12345678,4 = 0x81234567: CF = MSB(res) = 1; OF (count > 1) = MSB(a) ^ LSB(a) = 0
        r = haltedFlat32("xor ebx, ebx\nmov eax, 0x12345678\nror eax, 4");
        assertEquals(0x81234567, r.cpu.regs[Cpu.EAX]);
        assertEquals(ZF | PF | CF, arithFlags(r));
        // rol byte by 8: value unchanged, but the masked count is non-zero: CF = LSB(res) = 1
        r = haltedFlat32("xor ebx, ebx\nmov al, 1\nmov cl, 8\nrol al, cl");
        assertEquals(1, r.cpu.regs[Cpu.EAX] & 0xFF);
        assertEquals(ZF | PF | CF, arithFlags(r));
        // rol word by 4: 0x1234 -> 0x2341, CF = 1; OF = bit15 ^ bit14 of 0x1234 = 0
        r = haltedFlat32("xor ebx, ebx\nmov eax, 0xFFFF1234\nrol ax, 4");
        assertEquals(0xFFFF2341, r.cpu.regs[Cpu.EAX]);
        assertEquals(ZF | PF | CF, arithFlags(r));
    }

    @Test
    void rotateThroughCarry() {
        // rcl 0x80,1 with CF=1: 0x01, CF = old MSB = 1, OF = MSB(res) ^ CF = 1
        GuestRunner r = haltedFlat32("xor ebx, ebx\nstc\nmov al, 0x80\nrcl al, 1");
        assertEquals(0x01, r.cpu.regs[Cpu.EAX] & 0xFF);
        assertEquals(ZF | PF | CF | OF, arithFlags(r));
        // rcr 0x0001,1 with CF=0: 0x0000, CF = 1, OF = MSB(dest) ^ CF(before) = 0
        r = haltedFlat32("xor ebx, ebx\nmov eax, 0xAAAA0001\nrcr ax, 1");
        assertEquals(0xAAAA0000, r.cpu.regs[Cpu.EAX]);
        assertEquals(ZF | PF | CF, arithFlags(r));
        // rcl byte by 9: tempCOUNT = 9 mod 9 = 0, nothing changes
        r = haltedFlat32("xor ebx, ebx\nstc\nmov al, 0x5A\nmov cl, 9\nrcl al, cl");
        assertEquals(0x5A, r.cpu.regs[Cpu.EAX] & 0xFF);
        assertEquals(ZF | PF | CF, arithFlags(r));
        // rcr dword 1 by 31 with CF=1 (33-bit rotation): steps give 0x80000000/CF1, 0xC0000000/CF0,
        // then 29 more plain shifts: 0x00000006, CF = 0. OF (count > 1) = MSB(a) ^ old CF = 1
        r = haltedFlat32("xor ebx, ebx\nstc\nmov eax, 1\nrcr eax, 31");
        assertEquals(6, r.cpu.regs[Cpu.EAX]);
        assertEquals(ZF | PF | OF, arithFlags(r));
        // rcl word by 16 in the 17-bit CF:AX = rotate right by 1: bit 0 (1) -> CF, old CF (0) -> bit 15
        r = haltedFlat32("xor ebx, ebx\nmov ax, 1\nmov cl, 16\nrcl ax, cl");
        assertEquals(0, r.cpu.regs[Cpu.EAX] & 0xFFFF);
        assertEquals(CF, arithFlags(r) & CF);
    }

    @Test
    void doublePrecisionShifts() {
        // shld 0x11223344, 0xAABBCCDD, 8 = 0x223344AA, CF = bit 24 of dest = 1, PF(0xAA) = 1, OF = 0
        GuestRunner r = haltedFlat32("mov eax, 0x11223344\nmov edx, 0xAABBCCDD\nshld eax, edx, 8");
        assertEquals(0x223344AA, r.cpu.regs[Cpu.EAX]);
        assertEquals(CF | PF, arithFlags(r));
        // shrd 0x1234, 0xABCD, 4 = 0xD123, CF = bit 3 of 0x1234 = 0, SF = 1, PF(0x23) = 0,
        // OF = MSB(dest) ^ LSB(src) = 1
        r = haltedFlat32("mov eax, 0x1234\nmov edx, 0xABCD\nmov cl, 4\nshrd ax, dx, cl");
        assertEquals(0xD123, r.cpu.regs[Cpu.EAX]);
        assertEquals(SF | OF, arithFlags(r));
        // shld of 16 bits by 20: 48-bit dest:src:dest = 0x1234ABCD1234, bits 12..27 = 0xBCD1,
        // CF = bit 28 = 0, SF = 1, PF(0xD1) = 1
        r = haltedFlat32("mov eax, 0x1234\nmov edx, 0xABCD\nshld ax, dx, 20");
        assertEquals(0xBCD1, r.cpu.regs[Cpu.EAX]);
        assertEquals(SF | PF, arithFlags(r));
        // shrd by 32 (masked 0): nothing changes
        r = haltedFlat32("xor ebx, ebx\nmov eax, 0x1234\nmov edx, 0xABCD\nmov cl, 32\nshrd eax, edx, cl");
        assertEquals(0x1234, r.cpu.regs[Cpu.EAX]);
        assertEquals(ZF | PF, arithFlags(r));
    }

    @Test
    void shiftMemoryOperand() {
        // 0x0F000001 << 4 = 0xF0000010, CF = bit 28 = 0, SF = 1, PF(0x10) = 0, OF = bit31 ^ bit30 = 0
        GuestRunner r = haltedFlat32("mov dword ptr [0x2000], 0x0F000001\nmov cl, 4\nshl dword ptr [0x2000], cl");
        assertEquals(0xF0000010, r.memory.read32(0x2000));
        assertEquals(SF, arithFlags(r));
    }
}
