package dev.jvmx.translator.codegen;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.exec.StopReason;
import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;

import static dev.jvmx.translator.testing.GuestRunner.arithFlags;
import static dev.jvmx.translator.testing.GuestRunner.haltedFlat32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * MUL, IMUL, DIV, IDIV. Products and quotients are worked by hand. CF/OF are the SDM's; SF, ZF,
 * AF, PF after MUL/IMUL follow helpers.MulDivOps (SF = MSB of the low half, PF = parity of
 * its low byte, ZF = AF = 0, checked on this Intel host). DIV/IDIV leave the flags alone.
 */
class MulDivTest {
    private static final int CF = Eflags.CF, PF = Eflags.PF, ZF = Eflags.ZF, SF = Eflags.SF, OF = Eflags.OF;

    @BeforeAll
    static void needAssembler() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
    }

    @Test
    void unsignedMultiplyAllSizes() {
        // 0x80 * 2 = 0x0100: AH != 0 -> CF = OF = 1; low half AL = 0: SF = 0, PF = 1
        GuestRunner r = haltedFlat32("mov eax, 0xFFFF0080\nmov cl, 2\nmul cl");
        assertEquals(0xFFFF0100, r.cpu.regs[Cpu.EAX]);
        assertEquals(CF | OF | PF, arithFlags(r));
        // 0x1234 * 0x10 = 0x00012340: DX = 0x0001, AX = 0x2340; upper halves kept
        r = haltedFlat32("mov eax, 0xAAAA1234\nmov edx, 0xBBBBBBBB\nmov ecx, 0x10\nmul cx");
        assertEquals(0xAAAA2340, r.cpu.regs[Cpu.EAX]);
        assertEquals(0xBBBB0001, r.cpu.regs[Cpu.EDX]);
        assertEquals(CF | OF, arithFlags(r) & (CF | OF));
        // 0xFFFFFFFF^2 = 0xFFFFFFFE_00000001
        r = haltedFlat32("mov eax, 0xFFFFFFFF\nmov ecx, 0xFFFFFFFF\nmul ecx");
        assertEquals(1, r.cpu.regs[Cpu.EAX]);
        assertEquals(0xFFFFFFFE, r.cpu.regs[Cpu.EDX]);
        assertEquals(CF | OF, arithFlags(r) & (CF | OF));
        // 3 * 5 = 15 fits: CF = OF = 0, EDX = 0; PF(0x0F) = 1
        r = haltedFlat32("mov eax, 3\nmov edx, -1\nmov ecx, 5\nmul ecx");
        assertEquals(15, r.cpu.regs[Cpu.EAX]);
        assertEquals(0, r.cpu.regs[Cpu.EDX]);
        assertEquals(PF, arithFlags(r));
    }

    @Test
    void signedMultiplyOneOperand() {
        // -1 * -128 = 128 = 0x0080: does not fit in a signed byte -> CF = OF = 1
        GuestRunner r = haltedFlat32("mov al, 0xFF\nmov cl, 0x80\nimul cl");
        assertEquals(0x0080, r.cpu.regs[Cpu.EAX] & 0xFFFF);
        assertEquals(CF | OF, arithFlags(r) & (CF | OF));
        // -2 * 3 = -6: DX:AX = 0xFFFF:0xFFFA, fits -> CF = OF = 0; SF = 1, PF(0xFA, 6 bits) = 1
        r = haltedFlat32("mov ax, 0xFFFE\nmov cx, 3\nimul cx");
        assertEquals(0xFFFA, r.cpu.regs[Cpu.EAX] & 0xFFFF);
        assertEquals(0xFFFF, r.cpu.regs[Cpu.EDX] & 0xFFFF);
        assertEquals(SF | PF, arithFlags(r));
        // 0x40000000 * -4 = -2^32: EDX:EAX = 0xFFFFFFFF:00000000 -> does not fit
        r = haltedFlat32("mov eax, 0x40000000\nmov ecx, -4\nimul ecx");
        assertEquals(0, r.cpu.regs[Cpu.EAX]);
        assertEquals(0xFFFFFFFF, r.cpu.regs[Cpu.EDX]);
        assertEquals(CF | OF, arithFlags(r) & (CF | OF));
    }

    @Test
    void signedMultiplyTruncatingForms() {
        // 0x10000 * 0x10000 = 2^32 -> 0, CF = OF = 1; ZF stays 0 (host), PF(0) = 1
        GuestRunner r = haltedFlat32("mov eax, 0x10000\nmov ecx, 0x10000\nimul eax, ecx");
        assertEquals(0, r.cpu.regs[Cpu.EAX]);
        assertEquals(CF | OF | PF, arithFlags(r));
        // 5 * -2 = -10 = 0xFFFFFFF6 fits
        r = haltedFlat32("mov ecx, 5\nimul eax, ecx, -2");
        assertEquals(0xFFFFFFF6, r.cpu.regs[Cpu.EAX]);
        assertEquals(0, arithFlags(r) & (CF | OF | ZF));
        // 2 * 0x4000 = 0x8000 = 32768: out of the signed 16-bit range -> CF = OF = 1, upper EAX kept
        r = haltedFlat32("mov eax, 0x55550000\nmov cx, 2\nimul ax, cx, 0x4000");
        assertEquals(0x55558000, r.cpu.regs[Cpu.EAX]);
        assertEquals(CF | OF, arithFlags(r) & (CF | OF));
        // memory source: -3 * 7 = -21
        r = haltedFlat32("mov dword ptr [0x2000], -3\nmov ebx, 7\nimul ebx, dword ptr [0x2000]");
        assertEquals(-21, r.cpu.regs[Cpu.EBX]);
    }

    @Test
    void unsignedDivide() {
        // 1000 / 7 = 142 rem 6 (7*142 = 994): AL = 0x8E, AH = 0x06; flags untouched (ZF|PF|CF)
        GuestRunner r = haltedFlat32("xor ebx, ebx\nstc\nmov eax, 0xAAAA03E8\nmov cl, 7\ndiv cl");
        assertEquals(0xAAAA068E, r.cpu.regs[Cpu.EAX]);
        assertEquals(ZF | PF | CF, arithFlags(r));
        // 0x0001_2345 / 0x100 = 0x123 rem 0x45
        r = haltedFlat32("mov edx, 1\nmov eax, 0x2345\nmov ecx, 0x100\ndiv cx");
        assertEquals(0x123, r.cpu.regs[Cpu.EAX]);
        assertEquals(0x45, r.cpu.regs[Cpu.EDX]);
        // 2^32 / 2 = 2^31 rem 0
        r = haltedFlat32("mov edx, 1\nmov eax, 0\nmov ecx, 2\ndiv ecx");
        assertEquals(0x80000000, r.cpu.regs[Cpu.EAX]);
        assertEquals(0, r.cpu.regs[Cpu.EDX]);
        // (0xFFFFFFFE * 2^32 + 0xFFFFFFFF) = 0xFFFFFFFF * 0xFFFFFFFF + 0xFFFFFFFE -> q 0xFFFFFFFF, r 0xFFFFFFFE
        r = haltedFlat32("mov edx, 0xFFFFFFFE\nmov eax, 0xFFFFFFFF\nmov ecx, 0xFFFFFFFF\ndiv ecx");
        assertEquals(0xFFFFFFFF, r.cpu.regs[Cpu.EAX]);
        assertEquals(0xFFFFFFFE, r.cpu.regs[Cpu.EDX]);
    }

    @Test
    void signedDivideTruncatesTowardZero() {
        // -7 / 2 = -3 rem -1
        GuestRunner r = haltedFlat32("mov dx, 0xFFFF\nmov ax, 0xFFF9\nmov cx, 2\nidiv cx");
        assertEquals(0xFFFD, r.cpu.regs[Cpu.EAX] & 0xFFFF);
        assertEquals(0xFFFF, r.cpu.regs[Cpu.EDX] & 0xFFFF);
        // 7 / -2 = -3 rem 1
        r = haltedFlat32("xor edx, edx\nmov eax, 7\nmov ecx, -2\nidiv ecx");
        assertEquals(-3, r.cpu.regs[Cpu.EAX]);
        assertEquals(1, r.cpu.regs[Cpu.EDX]);
        // -128 / 1 = -128: the boundary of the byte range still fits
        r = haltedFlat32("mov ax, 0xFF80\nmov cl, 1\nidiv cl");
        assertEquals(0x0080, r.cpu.regs[Cpu.EAX] & 0xFFFF);
    }

    /** A #DE with no IDT (flat32 has none) escalates to a triple fault at the DIV itself. */
    private static void assertDivideError(int eax, int edx, int ecx, String insn) {
        GuestRunner r = GuestRunner.flat32();
        r.cpu.regs[Cpu.EAX] = eax;
        r.cpu.regs[Cpu.EDX] = edx;
        r.cpu.regs[Cpu.ECX] = ecx;
        StopReason s = r.run(Asm.assemble32(insn + "\ncli\nhlt"));
        assertEquals(StopReason.Kind.TRIPLE_FAULT, s.kind, s.toString());
        assertEquals(GuestRunner.CODE_BASE, r.cpu.eip);
        // the registers are those before the DIV
        assertEquals(eax, r.cpu.regs[Cpu.EAX]);
        assertEquals(edx, r.cpu.regs[Cpu.EDX]);
    }

    @Test
    void divideErrors() {
        assertDivideError(100, 0, 0, "div cl");                  // divide by zero
        assertDivideError(0x0100, 0, 1, "div cl");               // 256 / 1 does not fit in AL
        assertDivideError(0, 5, 5, "div ecx");                   // EDX >= divisor: quotient >= 2^32
        assertDivideError(0x8000, 0, 0xFF, "idiv cl");           // -32768 / -1 = 32768 > 127
        assertDivideError(0x0080, 0, 1, "idiv cl");              // 128 / 1 = 128 > 127
        assertDivideError(0x80000000, 0xFFFFFFFF, -1, "idiv ecx"); // most negative / -1
        assertDivideError(0, 0, 0, "idiv cx");                   // divide by zero, 16 bits
    }

    @Test
    void divideErrorGoesThroughVectorZeroInRealMode() {
        // IVT[0] -> handler; the pushed IP is the DIV itself (a fault), so BX = 0 after the subtraction.
        GuestRunner r = GuestRunner.real16();
        StopReason s = r.run(Asm.assemble16("mov word ptr [0], offset h\nmov word ptr [2], 0\n"
                + "mov ax, 5\nxor cl, cl\nf: div cl\ncli\nhlt\nh: pop bx\nsub bx, offset f\nmov dx, 0x77\ncli\nhlt"));
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertEquals(0x77, r.cpu.regs[Cpu.EDX] & 0xFFFF);
        assertEquals(0, r.cpu.regs[Cpu.EBX] & 0xFFFF);
        assertEquals(5, r.cpu.regs[Cpu.EAX] & 0xFFFF);
    }
}
