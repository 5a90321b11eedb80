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
 * BT, BTS, BTR, BTC, BSF, BSR, worked from the SDM. Bit tests keep every flag but CF (as this
 * Intel host does); BSF/BSR's undefined flags follow helpers.BitScanOps. Data lives at 0x3000,
 * away from the code page.
 */
class BitOpsTest {
    private static final int CF = Eflags.CF, PF = Eflags.PF, ZF = Eflags.ZF;

    @BeforeAll
    static void needAssembler() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
    }

    @Test
    void registerOffsetIntoRegisterIsTakenModuloWidth() {
        // bit 36 mod 32 = 4 of 0x10 is set: CF = 1; ZF|PF from xor are kept
        GuestRunner r = haltedFlat32("xor ebx, ebx\nmov eax, 0x10\nmov ecx, 36\nbt eax, ecx");
        assertEquals(0x10, r.cpu.regs[Cpu.EAX]);
        assertEquals(ZF | PF | CF, arithFlags(r));
        // btr ax, 17: bit 17 mod 16 = 1 of 0xFFFF: CF = 1, AX = 0xFFFD, upper half kept
        r = haltedFlat32("mov eax, 0x1234FFFF\nmov ecx, 17\nbtr ax, cx");
        assertEquals(0x1234FFFD, r.cpu.regs[Cpu.EAX]);
        assertEquals(CF, arithFlags(r) & CF);
    }

    @Test
    void immediateOffsets() {
        // bts eax, 31 on 0: bit set, CF = 0
        GuestRunner r = haltedFlat32("xor eax, eax\nbts eax, 31");
        assertEquals(0x80000000, r.cpu.regs[Cpu.EAX]);
        assertEquals(ZF | PF, arithFlags(r));
        // btc dword [0x3000], 33: imm mod 32 = 1 -> the same dword, bit 1
        r = haltedFlat32("mov dword ptr [0x3000], 0\nmov dword ptr [0x3004], 0\nbtc dword ptr [0x3000], 33");
        assertEquals(2, r.memory.read32(0x3000));
        assertEquals(0, r.memory.read32(0x3004));
        assertEquals(0, arithFlags(r) & CF);
        // btc again with the bit set: cleared, CF = 1; word form, imm 17 mod 16 = 1
        r = haltedFlat32("mov word ptr [0x3000], 0xFFFF\nbtc word ptr [0x3000], 17");
        assertEquals(0xFFFD, r.memory.read16(0x3000));
        assertEquals(CF, arithFlags(r) & CF);
    }

    @Test
    void registerOffsetIntoMemoryAddressesBeyondTheOperand() {
        // offset 35: dword at 0x3000 + (35 >> 5) * 4 = 0x3004, bit 3
        GuestRunner r = haltedFlat32("mov dword ptr [0x3004], 0\nmov ebx, 0x3000\nmov ecx, 35\nbts dword ptr [ebx], ecx");
        assertEquals(8, r.memory.read32(0x3004));
        assertEquals(0, arithFlags(r) & CF);
        // offset -1: dword at 0x3000 + (-1 >> 5) * 4 = 0x2FFC, bit 31
        r = haltedFlat32("mov dword ptr [0x2FFC], 0xFFFFFFFF\nmov dword ptr [0x3000], 0\nmov ebx, 0x3000\nmov ecx, -1\n"
                + "btr dword ptr [ebx], ecx");
        assertEquals(0x7FFFFFFF, r.memory.read32(0x2FFC));
        assertEquals(0, r.memory.read32(0x3000));
        assertEquals(CF, arithFlags(r) & CF);
        // 16 bits, offset -17: word at 0x3000 + (-17 >> 4) * 2 = 0x3000 - 4 = 0x2FFC, bit -17 & 15 = 15
        r = haltedFlat32("mov word ptr [0x2FFC], 0x8000\nmov word ptr [0x3000], 0\nmov ebx, 0x3000\nmov cx, -17\n"
                + "bt word ptr [ebx], cx");
        assertEquals(CF, arithFlags(r) & CF);
        // the same with bit 15 clear there and set in the word the offset would hit unsigned
        r = haltedFlat32("mov word ptr [0x2FFC], 0\nmov dword ptr [0x3000], 0xFFFFFFFF\nmov ebx, 0x3000\nmov cx, -17\n"
                + "bt word ptr [ebx], cx");
        assertEquals(0, arithFlags(r) & CF);
    }

    @Test
    void bitScans() {
        // 0x00018000: lowest set bit 15, highest 16; ZF = 0; PF = parity of the index
        GuestRunner r = haltedFlat32("mov ecx, 0x00018000\nbsf eax, ecx");
        assertEquals(15, r.cpu.regs[Cpu.EAX]);
        assertEquals(0, arithFlags(r) & ZF);
        r = haltedFlat32("mov ecx, 0x00018000\nbsr eax, ecx");
        assertEquals(16, r.cpu.regs[Cpu.EAX]);
        assertEquals(0, arithFlags(r) & ZF);
        // zero source: ZF = 1, destination unchanged
        r = haltedFlat32("mov eax, 0x12345678\nxor ecx, ecx\ninc ecx\ndec ecx\nbsf eax, ecx");
        assertEquals(0x12345678, r.cpu.regs[Cpu.EAX]);
        assertEquals(ZF, arithFlags(r) & ZF);
        // 16 bits: bsr ax, 1 -> AX = 0, upper half kept; ZF = 0, PF(index 0) = 1, the rest 0 (host)
        r = haltedFlat32("mov eax, 0xABCDFFFF\nmov ecx, 1\nbsr ax, cx");
        assertEquals(0xABCD0000, r.cpu.regs[Cpu.EAX]);
        assertEquals(PF, arithFlags(r));
        // memory source, 16 bits: 0x0100 -> 8
        r = haltedFlat32("mov word ptr [0x3000], 0x0100\nbsf dx, word ptr [0x3000]");
        assertEquals(8, r.cpu.regs[Cpu.EDX] & 0xFFFF);
    }
}
