package dev.jvmx.translator.codegen;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;

import static dev.jvmx.translator.testing.GuestRunner.arithFlags;
import static dev.jvmx.translator.testing.GuestRunner.haltedReal16;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * DAA, DAS, AAA, AAS, AAM, AAD in real mode, worked through the SDM pseudo-code by hand.
 * Undefined flags follow helpers.BcdOps (checked on this Intel host): OF = 0 for DAA/DAS,
 * SF/ZF/PF from AL and OF = 0 for AAA/AAS, OF/AF/CF = 0 for AAM, the flags of the 8-bit
 * addition AL + AH*imm8 for AAD.
 */
class BcdTest {
    private static final int CF = Eflags.CF, PF = Eflags.PF, AF = Eflags.AF, SF = Eflags.SF;

    @BeforeAll
    static void needAssembler() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
    }

    private static int ax(GuestRunner r) {
        return r.cpu.regs[Cpu.EAX] & 0xFFFF;
    }

    @Test
    void daa() {
        // 79 + 35 = 0xAE (CF 0, AF 0). Low nibble E > 9: AL = 0xB4, AF = 1; old AL > 0x99: AL = 0x14,
        // CF = 1. PF(0x14, 2 bits) = 1.
        GuestRunner r = haltedReal16("mov ax, 0x0079\nadd al, 0x35\ndaa");
        assertEquals(0x0014, ax(r));
        assertEquals(CF | AF | PF, arithFlags(r));
        // 0x09 + 0x01 = 0x0A: AL = 0x10, AF = 1; old AL <= 0x99, CF 0: CF = 0. PF(0x10) = 0.
        r = haltedReal16("mov ax, 0x0009\nadd al, 0x01\ndaa");
        assertEquals(0x0010, ax(r));
        assertEquals(AF, arithFlags(r));
    }

    @Test
    void das() {
        // 0x35 - 0x47 = 0xEE, CF = 1, AF = 1. AL = 0xE8, AF = 1; old CF: AL = 0x88, CF = 1.
        // SF = 1, PF(0x88, 2 bits) = 1.
        GuestRunner r = haltedReal16("mov ax, 0x0035\nsub al, 0x47\ndas");
        assertEquals(0x0088, ax(r));
        assertEquals(CF | AF | PF | SF, arithFlags(r));
    }

    @Test
    void aaa() {
        // 8 + 9 = 0x11 with AF = 1: AX = 0x0011 + 0x106 = 0x0117, AL &= 0x0F -> 0x0107; CF = AF = 1;
        // PF(0x07, 3 bits) = 0
        GuestRunner r = haltedReal16("mov ax, 0x0008\nadd al, 0x09\naaa");
        assertEquals(0x0107, ax(r));
        assertEquals(CF | AF, arithFlags(r));
        // AL = 0xFA (nibble A > 9) with AH = 0: AX + 0x106 = 0x0200 (the carry out of AL reaches AH)
        r = haltedReal16("mov ah, 0\nsahf\nmov ax, 0x00FA\naaa");
        assertEquals(0x0200, ax(r));
        assertEquals(CF | AF | PF | Eflags.ZF, arithFlags(r));
        // AL = 0x05, AF = 0: no adjustment, AL &= 0x0F, CF = AF = 0
        r = haltedReal16("mov ah, 0\nsahf\nmov ax, 0x0335\naaa");
        assertEquals(0x0305, ax(r));
        assertEquals(PF, arithFlags(r));
    }

    @Test
    void aas() {
        // 0x02 - 0x05 = 0xFD with AF = 1, AH = 1: AX - 6 = 0x01F7, AH - 1 -> 0x00F7, AL &= 0x0F -> 0x0007
        GuestRunner r = haltedReal16("mov ax, 0x0102\nsub al, 0x05\naas");
        assertEquals(0x0007, ax(r));
        assertEquals(CF | AF, arithFlags(r));
        // AX = 0x0203 with AF = 1 (from SAHF): AX - 6 = 0x01FD (borrow from AH), AH - 1 -> 0x00FD,
        // AL &= 0x0F -> 0x000D; PF(0x0D, 3 bits) = 0
        r = haltedReal16("mov ah, 0x10\nsahf\nmov ax, 0x0203\naas");
        assertEquals(0x000D, ax(r));
        assertEquals(CF | AF, arithFlags(r));
    }

    @Test
    void aamAndAad() {
        // AAM: 63 = 6 * 10 + 3 -> AX = 0x0603, PF(0x03) = 1
        GuestRunner r = haltedReal16("mov ax, 0x003F\naam");
        assertEquals(0x0603, ax(r));
        assertEquals(PF, arithFlags(r));
        // AAM 16: 0xA5 -> AH = 0x0A, AL = 0x05, PF(0x05) = 1
        r = haltedReal16("mov ax, 0xFFA5\naam 16");
        assertEquals(0x0A05, ax(r));
        assertEquals(PF, arithFlags(r));
        // AAD: 6 * 10 + 3 = 63 = 0x3F, AH = 0; 3 + 0x3C: no carries; PF(0x3F, 6 bits) = 1
        r = haltedReal16("mov ax, 0x0603\naad");
        assertEquals(0x003F, ax(r));
        assertEquals(PF, arithFlags(r));
        // AAD 7: 2 * 7 + 5 = 19 = 0x13; 5 + 0x0E carries out of bit 3: AF = 1; PF(0x13, 3 bits) = 0
        r = haltedReal16("mov ax, 0x0205\naad 7");
        assertEquals(0x0013, ax(r));
        assertEquals(AF, arithFlags(r));
        // AAD 10 of AH = 0x19, AL = 0x20: 0x19 * 10 = 250 = 0xFA; 0x20 + 0xFA = 0x11A -> AL = 0x1A, CF = 1;
        // OF = 0 (operand signs differ); AF = 0 (0x0 + 0xA has no nibble carry); PF(0x1A, 3 bits) = 0
        r = haltedReal16("mov ax, 0x1920\naad");
        assertEquals(0x001A, ax(r));
        assertEquals(CF, arithFlags(r));
    }

    @Test
    void aamZeroRaisesDivideError() {
        // IVT[0] -> h; the pushed IP is that of the AAM (a fault), so BX = 0 after the subtraction.
        GuestRunner r = haltedReal16("mov word ptr [0], offset h\nmov word ptr [2], 0\nmov ax, 0x1234\n"
                + "f: aam 0\ncli\nhlt\nh: pop bx\nsub bx, offset f\nmov dx, 0x77");
        assertEquals(0x77, r.cpu.regs[Cpu.EDX] & 0xFFFF);
        assertEquals(0, r.cpu.regs[Cpu.EBX] & 0xFFFF);
        assertEquals(0x1234, ax(r));
    }
}
