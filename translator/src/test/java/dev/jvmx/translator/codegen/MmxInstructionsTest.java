package dev.jvmx.translator.codegen;

import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.arch.Cr4;
import dev.jvmx.translator.arch.CpuFeatures;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.exec.StopReason;
import dev.jvmx.translator.fpu.FpuState;
import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.jvmx.translator.codegen.SseInstructionsTest.DATA;
import static dev.jvmx.translator.codegen.SseInstructionsTest.GP;
import static dev.jvmx.translator.codegen.SseInstructionsTest.NM;
import static dev.jvmx.translator.codegen.SseInstructionsTest.OUT;
import static dev.jvmx.translator.codegen.SseInstructionsTest.PF;
import static dev.jvmx.translator.codegen.SseInstructionsTest.UD;
import static dev.jvmx.translator.codegen.SseInstructionsTest.XM;
import static dev.jvmx.translator.codegen.SseInstructionsTest.assertXmm;
import static dev.jvmx.translator.codegen.SseInstructionsTest.dbl;
import static dev.jvmx.translator.codegen.SseInstructionsTest.fault;
import static dev.jvmx.translator.codegen.SseInstructionsTest.get64;
import static dev.jvmx.translator.codegen.SseInstructionsTest.machine;
import static dev.jvmx.translator.codegen.SseInstructionsTest.pagedWithAHole;
import static dev.jvmx.translator.codegen.SseInstructionsTest.put128;
import static dev.jvmx.translator.codegen.SseInstructionsTest.run;
import static dev.jvmx.translator.codegen.SseInstructionsTest.singles;
import static dev.jvmx.translator.codegen.SystemInstructionsTest.MARK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * MMX, in both execution tiers: the MMX state's rules (SDM Vol. 1, 9.5-9.6; Vol. 3A, MMX register
 * aliasing: MMi is the significand of x87 register Ri, a write sets Ri's sign and exponent to ones,
 * TOP = 0 and every tag valid after an MMX instruction, EMMS empties them), seen through x87
 * instructions and the FNSAVE/FXSAVE images; the order of #UD (CPUID, CR0.EM), #NM (CR0.TS) and #MF
 * (a pending x87 exception, or FERR# with CR0.NE = 0); each instruction group on values worked by
 * hand from the SDM's "Operation" sections; the conversions between MMX and XMM registers (MXCSR
 * rounding, the integer indefinite, #XM); MASKMOVQ and MASKMOVDQU with a segment override, a 16-bit
 * address size, a zero mask, and a store across into a not-present page.
 */
class MmxInstructionsTest {
    static final int MF = 16;
    /** x87 code that leaves an unmasked zero-divide pending (ES = 1), TOP = 6: control word 037BH at DATA. */
    static final String PENDING = "fninit\nfldcw [0x2000]\nfldz\nfld1\nfdiv st, st(1)\n";

    @BeforeAll
    static void needAssembler() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
    }

    static void put64(GuestRunner r, int at, long v) {
        r.memory.write32(at, (int) v);
        r.memory.write32(at + 4, (int) (v >>> 32));
    }

    /** Sets MMi as a test's initial state (the x87 register's significand; its sign and exponent untouched). */
    static void mm(GuestRunner r, int i, long v) {
        r.cpu.fpu.mant[i] = v;
    }

    static void assertMm(GuestRunner r, int i, long expected) {
        assertEquals(String.format("%016x", expected), String.format("%016x", r.cpu.fpu.mant[i]), "mm" + i);
    }

    // ---- the MMX state

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void anMmxInstructionSetsTopToZeroEveryTagValidAndTheExponentOfWhatItWrites(boolean translated) {
        GuestRunner r = machine(translated);
        put64(r, DATA, 0x0123456789ABCDEFL);
        // Two pushes: TOP 6, R6 and R7 valid (1.0: significand 8000000000000000, sign/exponent 3FFF).
        run(r, "fninit\nfld1\nfld1\nmovq mm3, [0x2000]\nmovq [0x2008], mm7");
        FpuState s = r.cpu.fpu;
        assertEquals(0, s.top, "TOP");
        assertEquals(0, s.empty, "every register valid");
        assertMm(r, 3, 0x0123456789ABCDEFL);
        assertEquals(0xFFFF, s.sexp[3], "R3's sign and exponent all ones");
        assertEquals(0x3FFF, s.sexp[7], "R7 only read: 1.0's exponent kept");
        assertEquals(0x8000000000000000L, get64(r, DATA + 8), "MM7 is R7's significand, not ST(7)'s");
        assertEquals(0, s.statusWord(), "no other status bit");
        // FNSAVE: the tags derived from the contents (R0-R2, R4, R5 zero: 01; R3 special: 10; R6, R7 valid: 00).
        run(r, "fnsave [0x3000]");
        assertEquals(0, r.memory.read16(0x3004), "FSW: TOP 0");
        assertEquals(0x0595, r.memory.read16(0x3008), "FTW");
        assertEquals(0x0123456789ABCDEFL, get64(r, 0x3000 + 28 + 3 * 10), "ST(3) = R3: significand");
        assertEquals(0xFFFF, r.memory.read16(0x3000 + 28 + 3 * 10 + 8), "ST(3): sign and exponent");
        // FXSAVE after an MMX instruction: the abridged tags all valid, TOP 0.
        put64(r, DATA, 0x5555AAAA5555AAAAL);
        run(r, "fninit\nfld1\nmovq mm2, [0x2000]\nfxsave [0x3200]");
        assertEquals(0xFF, r.memory.read8(0x3204), "abridged FTW: all valid");
        assertEquals(0, r.memory.read16(0x3202), "FSW: TOP 0");
        assertEquals(0x5555AAAA5555AAAAL, get64(r, 0x3200 + 32 + 2 * 16), "ST(2) = R2");
        assertEquals(0xFFFF, r.memory.read16(0x3200 + 32 + 2 * 16 + 8));
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void emmsEmptiesEveryTagAndX87CodeSeesTheAliasedRegisters(boolean translated) {
        GuestRunner r = machine(translated);
        // R0 = (C000000000000800, FFFF): a negative QNaN whose payload's low bit reaches the double.
        put64(r, DATA, 0xC000000000000800L);
        run(r, "fninit\nfld1\nmovq mm0, [0x2000]\nfstp qword ptr [0x2100]");
        assertEquals(0xFFF8000000000001L, get64(r, OUT), "ST(0) is R0: the MMX value as an x87 NaN");
        assertEquals(1, r.cpu.fpu.top, "the FSTP popped from TOP 0");
        assertEquals(0, r.cpu.fpu.sw & FpuState.EXCEPTIONS, "a QNaN stored: no exception");
        // Without EMMS the next x87 push finds R7 valid: stack overflow (IE, SF, C1), the indefinite loaded.
        GuestRunner o = machine(translated);
        run(o, "fninit\nmovd mm1, eax\nfld1");
        assertEquals(FpuState.IE | FpuState.SF | FpuState.C1,
                o.cpu.fpu.sw & (FpuState.EXCEPTIONS | FpuState.SF | FpuState.C1));
        assertEquals(7, o.cpu.fpu.top);
        assertEquals(0xC000000000000000L, o.cpu.fpu.mant[7], "the real indefinite");
        // EMMS: every tag empty, and TOP 0 (from 6 here); the push then finds R7 empty.
        GuestRunner e = machine(translated);
        run(e, "fninit\nfld1\nfld1\nemms");
        assertEquals(0xFF, e.cpu.fpu.empty);
        assertEquals(0, e.cpu.fpu.top, "EMMS too sets TOP to 0");
        assertEquals(0xFFFF, e.cpu.fpu.tagWord());
        run(e, "fld1\nfstp qword ptr [0x2100]");
        assertEquals(0, e.cpu.fpu.sw & FpuState.EXCEPTIONS);
        assertEquals(dbl(1), get64(e, OUT));
    }

    // ---- checks and their order

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void undefinedWithoutTheCpuidFeatures(boolean translated) {
        GuestRunner noMmx = machine(translated);
        noMmx.cpu.features = CpuFeatures.ALL & ~CpuFeatures.MMX;
        fault(noMmx, "paddb mm0, mm1", UD);
        fault(noMmx, "emms", UD);
        fault(noMmx, "pavgb mm0, mm1", UD);
        fault(noMmx, "cvtps2pi mm0, xmm1", UD);
        run(noMmx, "paddb xmm0, xmm1\ncvtpi2ps xmm0, [0x2000]"); // no MMX register: SSE's own checks
        GuestRunner mmxOnly = machine(translated);
        mmxOnly.cpu.features = CpuFeatures.MMX;
        run(mmxOnly, "paddb mm0, mm1\npsllq mm0, 3\nemms");
        fault(mmxOnly, "pavgb mm0, mm1", UD);
        fault(mmxOnly, "pshufw mm0, mm1, 0", UD);
        fault(mmxOnly, "maskmovq mm0, mm1", UD);
        fault(mmxOnly, "paddq mm0, mm1", UD);
        GuestRunner noSse2 = machine(translated);
        noSse2.cpu.features = CpuFeatures.MMX | CpuFeatures.SSE;
        run(noSse2, "pavgb mm0, mm1\npmovmskb eax, mm1");
        fault(noSse2, "pmuludq mm0, mm1", UD);
        fault(noSse2, "movq2dq xmm0, mm1", UD);
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void emThenTsThenAPendingX87Exception(boolean translated) {
        GuestRunner em = machine(translated);
        em.memory.write16(DATA, 0x037B);
        em.cpu.cr0 |= Cr0.NE;
        run(em, PENDING);
        em.cpu.cr0 |= Cr0.EM | Cr0.TS;
        fault(em, "paddw mm0, mm1", UD); // #UD before #NM and #MF
        assertEquals(6, em.cpu.fpu.top, "nothing changed");
        em.cpu.cr0 &= ~Cr0.EM;
        fault(em, "emms", NM); // #NM before #MF
        em.cpu.cr0 &= ~Cr0.TS;
        fault(em, "movq mm0, [0x2000]", MF);
        assertEquals(6, em.cpu.fpu.top, "the #MF changed no x87 state");
        assertEquals(0x3F, em.cpu.fpu.empty, "R6, R7 valid, the others empty");
        fault(em, "emms", MF);
        fault(em, "cvtpi2ps xmm0, mm1", MF);
        fault(em, "movq2dq xmm0, mm1", MF);
        // CVTPI2PS and CVTPI2PD from memory take no x87 exception, and leave the x87 state alone.
        run(em, "cvtpi2ps xmm0, [0x2000]\ncvtpi2pd xmm1, [0x2000]");
        assertEquals(6, em.cpu.fpu.top);
        // CR4.OSFXSR matters only to the forms with an XMM register.
        GuestRunner noFxsr = machine(translated);
        noFxsr.cpu.cr4 &= ~Cr4.OSFXSR;
        run(noFxsr, "paddb mm0, mm1\npavgb mm0, mm1\nemms");
        fault(noFxsr, "movq2dq xmm0, mm1", UD);
        fault(noFxsr, "cvtpi2ps xmm0, mm1", UD);
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void withNeClearAPendingExceptionFreezesTheMmxInstructionUntilIgnne(boolean translated) {
        GuestRunner r = machine(translated);
        int[] ferr = {0};
        r.cpu.ferr = () -> ferr[0]++;
        r.memory.write16(DATA, 0x037B);
        byte[] code = Asm.assemble32(PENDING + "mov ebx, 5\nstall: paddb mm0, mm1\nmov eax, 1\ncli\nhlt");
        StopReason s = r.run(code);
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertEquals(1, ferr[0], "FERR# asserted once");
        assertEquals(5, r.cpu.regs[Cpu.EBX]);
        assertEquals(0, r.cpu.regs[Cpu.EAX]);
        int stall = GuestRunner.CODE_BASE + code.length - 2 - 5 - 3; // paddb (3), mov eax (5), cli hlt (2)
        assertEquals(stall, r.cpu.eip, "EIP stays at the MMX instruction");
        assertEquals(6, r.cpu.fpu.top, "it has not run");
        r.cpu.fpu.ignne = true;
        r.cpu.halted = false;
        s = r.run();
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertEquals(1, r.cpu.regs[Cpu.EAX]);
        assertEquals(0, r.cpu.fpu.top, "it ran");
        assertEquals(0xFF, r.memory.read8(MARK));
    }

    // ---- data movement

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void movesBetweenMmxRegistersGeneralRegistersMemoryAndXmmRegisters(boolean translated) {
        GuestRunner r = machine(translated);
        mm(r, 2, 0x0123456789ABCDEFL);
        mm(r, 4, -1);
        put64(r, DATA, 0x1122334455667788L);
        r.cpu.fpu.xmm[10] = 0xAAAABBBBCCCCDDDDL; // xmm5
        r.cpu.fpu.xmm[11] = -1;
        r.cpu.fpu.xmm[6] = -1; // xmm3
        r.cpu.fpu.xmm[7] = -1;
        run(r, "mov eax, 0x80000001\nmovd mm1, eax\nmovd ecx, mm2\nmovd [0x2100], mm2\nmovd mm4, [0x2004]\n"
                + "movq mm5, mm2\nmovq mm6, [0x2000]\nmovq [0x2108], mm2\nmovntq [0x2110], mm6\n"
                + "movq2dq xmm3, mm2\nmovdq2q mm7, xmm5");
        assertMm(r, 1, 0x80000001L);
        assertEquals(0x89ABCDEF, r.cpu.regs[Cpu.ECX]);
        assertEquals(0x89ABCDEF, r.memory.read32(OUT));
        assertMm(r, 4, 0x11223344L);
        assertMm(r, 5, 0x0123456789ABCDEFL);
        assertMm(r, 6, 0x1122334455667788L);
        assertEquals(0x0123456789ABCDEFL, get64(r, OUT + 8));
        assertEquals(0x1122334455667788L, get64(r, OUT + 16));
        assertXmm(r, 3, 0x0123456789ABCDEFL, 0);
        assertMm(r, 7, 0xAAAABBBBCCCCDDDDL);
        for (int i : new int[] {1, 4, 5, 6, 7}) {
            assertEquals(0xFFFF, r.cpu.fpu.sexp[i], "written: R" + i);
        }
        assertEquals(0, r.cpu.fpu.sexp[2], "only read: R2");
    }

    // ---- packed integer operations

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void addSubtractCompareAndLogic(boolean translated) {
        GuestRunner r = machine(translated);
        // Words of a (low first): 0001 FFFF 8000 7FFF; of b: FFFF 0001 0001 0001.
        long a = 0x7FFF_8000_FFFF_0001L, b = 0x0001_0001_0001_FFFFL;
        for (int i = 0; i < 7; i++) {
            mm(r, i, a);
        }
        put64(r, DATA, b);
        mm(r, 7, b);
        run(r, "paddw mm0, mm7\npsubw mm1, [0x2000]\npaddb mm2, mm7\npaddq mm3, mm7\npcmpgtw mm4, [0x2000]\n"
                + "pcmpeqw mm5, mm7\npsubd mm6, mm7");
        assertMm(r, 0, 0x8000_8001_0000_0000L);
        assertMm(r, 1, 0x7FFE_7FFF_FFFE_0002L);
        assertMm(r, 2, 0x7F00_8001_FF00_FF00L); // bytes 01+FF 00+FF FF+01 FF+00 00+01 80+00 FF+01 7F+00, wrapping
        assertMm(r, 3, 0x8000_8002_0001_0000L); // FFFF0001 + 0001FFFF carries into 7FFF8000 + 00010001
        assertMm(r, 4, 0xFFFF_0000_0000_FFFFL); // 1 > -1, -1 > 1 no, -32768 > 1 no, 32767 > 1
        assertMm(r, 5, 0);
        assertMm(r, 6, 0x7FFE_7FFF_FFFD_0002L); // FFFF0001 - 0001FFFF, 7FFF8000 - 00010001
        GuestRunner q = machine(translated);
        long x = 0xF0F0F0F0FF00FF00L, y = 0x3C3C3C3C0FF00FF0L;
        for (int i = 0; i < 4; i++) {
            mm(q, i, x);
        }
        mm(q, 7, y);
        run(q, "pand mm0, mm7\npandn mm1, mm7\npor mm2, mm7\npxor mm3, mm7\npsubq mm7, mm7");
        assertMm(q, 0, x & y);
        assertMm(q, 1, ~x & y);
        assertMm(q, 2, x | y);
        assertMm(q, 3, x ^ y);
        assertMm(q, 7, 0);
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void saturatingAveragingMinMaxBytesAndWords(boolean translated) {
        GuestRunner r = machine(translated);
        // Bytes (low first) of c: 7F 80 01 FF 00 10 F0 80; of d: 01 FF FF 01 00 20 20 80.
        long c = 0x80F0_1000_FF01_807FL, d = 0x8020_2000_01FF_FF01L;
        for (int i = 0; i < 7; i++) {
            mm(r, i, c);
        }
        put64(r, DATA, d);
        run(r, "paddsb mm0, [0x2000]\npsubusb mm1, [0x2000]\npmaxub mm2, [0x2000]\npsadbw mm3, [0x2000]\n"
                + "pminub mm4, [0x2000]\npavgb mm5, [0x2000]");
        assertMm(r, 0, 0x8010_3000_0000_807FL);
        assertMm(r, 1, 0x00D0_0000_FE00_007EL);
        assertMm(r, 2, 0x80F0_2000_FFFF_FF7FL);
        assertMm(r, 3, 0x3D9); // 7E + 7F + FE + FE + 0 + 10 + D0 + 0
        assertMm(r, 4, 0x8020_1000_0101_8001L);
        assertMm(r, 5, 0x8088_1800_8080_C040L); // (x + y + 1) >> 1
        GuestRunner g = machine(translated);
        mm(g, 0, c);
        mm(g, 1, c);
        mm(g, 2, c);
        put64(g, DATA, d);
        run(g, "pcmpeqb mm0, [0x2000]\npcmpgtb mm1, [0x2000]\npaddusb mm2, [0x2000]");
        assertMm(g, 0, 0xFF00_00FF_0000_0000L);
        assertMm(g, 1, 0x0000_0000_00FF_00FFL); // 127 > 1, 1 > -1
        assertMm(g, 2, 0xFFFF_3000_FFFF_FF80L); // 7F+01 80, 80+FF FF, 01+FF FF, FF+01 FF, 0, 30, F0+20 FF, 80+80 FF
        // Words (low first) 7FFF 8000 0001 FFFF with 0002 0002 FFFF FFFF.
        GuestRunner w = machine(translated);
        long a = 0xFFFF_0001_8000_7FFFL, b = 0xFFFF_FFFF_0002_0002L;
        for (int i = 0; i < 8; i++) {
            mm(w, i, a);
        }
        put64(w, DATA, b);
        run(w, "paddsw mm0, [0x2000]\npsubsw mm1, [0x2000]\npaddusw mm2, [0x2000]\npavgw mm3, [0x2000]\n"
                + "pminsw mm4, [0x2000]\npmaxsw mm5, [0x2000]\npsubusw mm6, [0x2000]\npsubsb mm7, [0x2000]");
        assertMm(w, 0, 0xFFFE_0000_8002_7FFFL);
        assertMm(w, 1, 0x0000_0002_8000_7FFDL);
        assertMm(w, 2, 0xFFFF_FFFF_8002_8001L);
        assertMm(w, 3, 0xFFFF_8000_4001_4001L);
        assertMm(w, 4, 0xFFFF_FFFF_8000_0002L);
        assertMm(w, 5, 0xFFFF_0001_0002_7FFFL);
        assertMm(w, 6, 0x0000_0000_7FFE_7FFDL); // 7FFF-2, 8000-2, 1-FFFF 0, FFFF-FFFF 0
        // Bytes FF 7F 00 80 01 00 FF FF minus 02 00 02 00 FF FF FF FF: -3, 127, -2, -128, 2, 1, 0, 0.
        assertMm(w, 7, 0x0000_0102_80FE_7FFDL);
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void multiplies(boolean translated) {
        GuestRunner r = machine(translated);
        long a = 0xFFFF_0001_8000_7FFFL, b = 0xFFFF_FFFF_0002_0002L;
        for (int i = 0; i < 8; i++) {
            mm(r, i, a);
        }
        put64(r, DATA, b);
        run(r, "pmullw mm0, [0x2000]\npmulhw mm1, [0x2000]\npmulhuw mm2, [0x2000]\npmaddwd mm3, [0x2000]\n"
                + "pmuludq mm4, [0x2000]");
        assertMm(r, 0, 0x0001_FFFF_0000_FFFEL);
        assertMm(r, 1, 0x0000_FFFF_FFFF_0000L);
        assertMm(r, 2, 0xFFFE_0000_0001_0000L);
        assertMm(r, 3, 0x0000_0000_FFFF_FFFEL); // 7FFF*2 + 8000*2 = -2; 1*-1 + -1*-1 = 0
        assertMm(r, 4, 0x0001_0001_FFFE_FFFEL); // 80007FFF * 00020002
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void unpackAndPack(boolean translated) {
        GuestRunner r = machine(translated);
        long lo = 0x0706050403020100L, src = 0x1716151413121110L;
        for (int i = 0; i < 7; i++) {
            mm(r, i, lo);
        }
        mm(r, 7, src);
        put64(r, DATA, src);
        run(r, "punpcklbw mm0, mm7\npunpcklbw mm1, [0x2000]\npunpcklwd mm2, [0x2000]\npunpckldq mm3, mm7\n"
                + "punpckhbw mm4, mm7\npunpckhwd mm5, [0x2000]\npunpckhdq mm6, mm7");
        assertMm(r, 0, 0x1303_1202_1101_1000L);
        assertMm(r, 1, 0x1303_1202_1101_1000L); // the m32 form: the same four bytes
        assertMm(r, 2, 0x1312_0302_1110_0100L);
        assertMm(r, 3, 0x1312_1110_0302_0100L);
        assertMm(r, 4, 0x1707_1606_1505_1404L);
        assertMm(r, 5, 0x1716_0706_1514_0504L);
        assertMm(r, 6, 0x1716_1514_0706_0504L);
        GuestRunner p = machine(translated);
        // Words 0001 7FFF 8000 FFFF (1, 32767, -32768, -1) and 0100 FF80 0080 FF7F (256, -128, 128, -129).
        long w0 = 0xFFFF_8000_7FFF_0001L, w1 = 0xFF7F_0080_FF80_0100L;
        mm(p, 0, w0);
        mm(p, 1, w0);
        mm(p, 7, w1);
        mm(p, 2, 0x8000_0000_7FFF_FFFFL); // doublewords 7FFFFFFF, 80000000
        mm(p, 6, 0xFFFF_8000_0000_7FFFL); // 00007FFF, FFFF8000
        run(p, "packsswb mm0, mm7\npackuswb mm1, mm7\npackssdw mm2, mm6");
        assertMm(p, 0, 0x807F_807F_FF80_7F01L); // 01 7F 80 FF, then 7F 80 7F 80
        assertMm(p, 1, 0x0080_00FF_0000_FF01L); // 01 FF 00 00, then FF 00 80 00
        assertMm(p, 2, 0x8000_7FFF_8000_7FFFL);
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void shiftsByImmediateAndByOperand(boolean translated) {
        GuestRunner r = machine(translated);
        long w = 0x8000_7FFF_00FF_F00FL; // words F00F 00FF 7FFF 8000
        for (int i = 0; i < 7; i++) {
            mm(r, i, w);
        }
        run(r, "psrlw mm0, 4\npsraw mm1, 4\npsllw mm2, 4\npsraw mm3, 16\npsrlw mm4, 16\npsrlq mm5, 4\npslld mm6, 8");
        assertMm(r, 0, 0x0800_07FF_000F_0F00L);
        assertMm(r, 1, 0xF800_07FF_000F_FF00L);
        assertMm(r, 2, 0x0000_FFF0_0FF0_00F0L);
        assertMm(r, 3, 0xFFFF_0000_0000_FFFFL);
        assertMm(r, 4, 0);
        assertMm(r, 5, 0x0800_07FF_F00F_FF00L); // the quadword 80007FFF00FFF00F shifted by one hex digit
        assertMm(r, 6, 0x007F_FF00_FFF0_0F00L);
        GuestRunner q = machine(translated);
        mm(q, 0, 0x8000_0000_0000_0001L);
        mm(q, 1, 0x8000_0000_0000_0001L);
        mm(q, 2, 0x8000_0000_0000_0001L);
        mm(q, 3, 0x8000_0000_0000_0001L);
        mm(q, 7, 33);
        put64(q, DATA, 63);
        put64(q, DATA + 8, 1L << 32);
        run(q, "psrad mm0, mm7\npsllq mm1, [0x2000]\npsrld mm2, [0x2008]\npsrlq mm3, mm7");
        assertMm(q, 0, 0xFFFF_FFFF_0000_0000L); // 33 > 31: each doubleword its sign
        assertMm(q, 1, 0x8000_0000_0000_0000L);
        assertMm(q, 2, 0); // a count of 2^32: the whole quadword counts
        assertMm(q, 3, 0x4000_0000L);
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void shuffleInsertExtractAndMask(boolean translated) {
        GuestRunner r = machine(translated);
        mm(r, 1, 0x4444_3333_2222_1111L);
        mm(r, 2, 0xAAAA_BBBB_CCCC_DDDDL);
        mm(r, 3, 0xAAAA_BBBB_CCCC_DDDDL);
        mm(r, 4, 0x8000_7F80_FF01_00FFL); // bytes FF 00 01 FF 80 7F 00 80
        put64(r, DATA, 0x4444_3333_2222_1111L);
        r.memory.write16(DATA + 8, 0x9876);
        run(r, "pshufw mm0, mm1, 0x1B\npshufw mm5, [0x2000], 0x44\nmov eax, 0x12345678\npinsrw mm2, eax, 6\n"
                + "pinsrw mm3, [0x2008], 0\npextrw ecx, mm2, 7\npmovmskb edx, mm4");
        assertMm(r, 0, 0x1111_2222_3333_4444L);
        assertMm(r, 5, 0x2222_1111_2222_1111L); // words 0 1 0 1
        assertMm(r, 2, 0xAAAA_5678_CCCC_DDDDL); // index 6 & 3 = 2
        assertMm(r, 3, 0xAAAA_BBBB_CCCC_9876L);
        assertEquals(0xAAAA, r.cpu.regs[Cpu.ECX]);
        assertEquals(0b1001_1001, r.cpu.regs[Cpu.EDX]);
    }

    // ---- conversions

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void conversionsRoundByMxcsrAndGiveTheIntegerIndefinite(boolean translated) {
        GuestRunner r = machine(translated);
        mm(r, 1, 0xFFFF_FFFDL | 16777217L << 32); // doublewords -3, 2^24 + 1
        r.cpu.fpu.xmm[0] = 0x1111_1111_1111_1111L; // xmm0, its high quadword kept by CVTPI2PS
        r.cpu.fpu.xmm[1] = 0x2222_2222_2222_2222L;
        r.cpu.fpu.xmm[2] = singles(-2.5f, 3.75f); // xmm1
        r.cpu.fpu.xmm[4] = singles(1e10f, Float.NaN); // xmm2
        r.cpu.fpu.xmm[6] = dbl(-7.5); // xmm3
        r.cpu.fpu.xmm[7] = dbl(1e300);
        run(r, "cvtpi2ps xmm0, mm1\ncvtpi2pd xmm4, mm1\ncvtps2pi mm2, xmm1\ncvttps2pi mm3, xmm1\n"
                + "cvtps2pi mm4, xmm2\ncvtpd2pi mm5, xmm3\ncvttpd2pi mm6, xmm3");
        assertXmm(r, 0, 0x4B80_0000_C040_0000L, 0x2222_2222_2222_2222L); // -3.0f, 2^24 (to nearest even)
        assertXmm(r, 4, dbl(-3), dbl(16777217));
        assertMm(r, 2, 0x0000_0004_FFFF_FFFEL); // -2.5 to -2, 3.75 to 4
        assertMm(r, 3, 0x0000_0003_FFFF_FFFEL); // truncated: -2, 3
        assertMm(r, 4, 0x8000_0000_8000_0000L); // 1e10 and the NaN: the integer indefinite
        assertMm(r, 5, 0x8000_0000_FFFF_FFF8L); // -7.5 to -8; 1e300 the indefinite
        assertMm(r, 6, 0x8000_0000_FFFF_FFF9L);
        assertEquals(0x1F80 | 0x1 | 0x20, r.cpu.fpu.mxcsr, "IE and PE");
        assertEquals(0xFFFF, r.cpu.fpu.sexp[2], "an MMX destination");
        GuestRunner up = machine(translated);
        up.cpu.fpu.mxcsr = 0x1F80 | 0x4000; // round up
        up.cpu.fpu.xmm[2] = singles(-2.5f, 3.25f);
        put64(up, DATA, 16777217L | 0xFFFF_FFFDL << 32);
        put128(up, DATA + 16, dbl(-7.5), dbl(0.5));
        run(up, "cvtpi2ps xmm0, [0x2000]\ncvtps2pi mm0, xmm1\ncvtpd2pi mm1, [0x2010]\ncvtps2pi mm2, [0x2020]");
        assertEquals(0xC040_0000_4B80_0001L, up.cpu.fpu.xmm[0], "2^24 + 1 up to 2^24 + 2");
        assertMm(up, 0, 0x0000_0004_FFFF_FFFEL);
        assertMm(up, 1, 0x0000_0001_FFFF_FFF9L); // -7.5 up to -7, 0.5 up to 1
        assertMm(up, 2, 0);
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void conversionsFaultAsTheSdmSays(boolean translated) {
        // An unmasked invalid operation: #XM, the MMX register and the x87 state unchanged.
        GuestRunner r = machine(translated);
        r.cpu.cr4 |= Cr4.OSXMMEXCPT;
        r.cpu.fpu.mxcsr = 0x1F80 & ~0x80;
        r.cpu.fpu.xmm[2] = singles(1e10f, 1f);
        mm(r, 0, 0x1234);
        fault(r, "fninit\nfld1\ncvtps2pi mm0, xmm1", XM);
        assertMm(r, 0, 0x1234);
        assertEquals(7, r.cpu.fpu.top, "no transition");
        assertEquals(0x1F80 & ~0x80 | 0x1, r.cpu.fpu.mxcsr);
        // CVTPD2PI's m128 must be aligned; CVTPS2PI's m64 need not be.
        GuestRunner a = machine(translated);
        assertEquals(0, SystemInstructionsTest.errorCode(fault(a, "cvtpd2pi mm0, [0x2008]", GP)));
        run(machine(translated), "cvtps2pi mm0, [0x2003]\ncvtpi2ps xmm0, [0x2005]\npaddb mm1, [0x2001]");
    }

    // ---- the masked stores

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void maskedStoresWriteTheSelectedBytesAtDsEdi(boolean translated) {
        GuestRunner r = machine(translated);
        for (int i = 0; i < 32; i++) {
            r.memory.write8(0x2200 + i, 0xEE);
            r.memory.write8(0x100010 + i, 0xEE);
        }
        mm(r, 1, 0x8877_6655_4433_2211L);
        mm(r, 2, 0x807F_FF00_8001_00FFL); // mask bytes FF 00 01 80 00 FF 7F 80: bytes 0, 3, 5, 7
        r.cpu.fpu.xmm[2] = 0x0706050403020100L; // xmm1: the data
        r.cpu.fpu.xmm[3] = 0x0F0E0D0C0B0A0908L;
        r.cpu.fpu.xmm[4] = 0x0000_0000_0000_0080L; // xmm2: the mask, bytes 0 and 15
        r.cpu.fpu.xmm[5] = 0x8000_0000_0000_0000L;
        run(r, "mov edi, 0x2200\nmaskmovq mm1, mm2\nmov edi, 0x2210\nmaskmovdqu xmm1, xmm2\n"
                + "mov ax, 0x40\nmov fs, ax\nmov edi, 0x10\n.byte 0x64\nmaskmovq mm1, mm2");
        assertEquals(0x88EE66EE44EEEE11L, get64(r, 0x2200));
        assertEquals(0xEEEEEEEEEEEEEE00L, get64(r, 0x2210));
        assertEquals(0x0FEEEEEEEEEEEEEEL, get64(r, 0x2218));
        assertEquals(0x88EE66EE44EEEE11L, get64(r, 0x100010), "FS: base 100000H");
        assertEquals(0, r.cpu.fpu.top);
        // FS's limit is FFFFH: 8 bytes at FFFCH are beyond it. With a zero mask, no access at all.
        mm(r, 3, 0x7F7F7F7F7F7F7F7FL);
        run(r, "mov edi, 0xFFFC\n.byte 0x64\nmaskmovq mm1, mm3");
        assertEquals(0, SystemInstructionsTest.errorCode(fault(r, "mov edi, 0xFFFC\n.byte 0x64\nmaskmovq mm1, mm2", GP)));
        // A 16-bit address size: DI, not EDI.
        for (int i = 0; i < 8; i++) {
            r.memory.write8(0x2300 + i, 0xEE);
        }
        run(r, "mov edi, 0x12342300\n.byte 0x67\nmaskmovq mm1, mm2");
        assertEquals(0x88EE66EE44EEEE11L, get64(r, 0x2300));
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void storesAcrossIntoANotPresentPageWriteNothing(boolean translated) {
        GuestRunner r = pagedWithAHole(translated);
        for (int i = 0; i < 8; i++) {
            r.memory.write8(0x20FFC + i, 0x50 + i);
        }
        mm(r, 1, -1);
        mm(r, 2, 0xFF); // only byte 0, in the present page
        fault(r, "fninit\nfld1\nmov edi, 0x20FFC\nmaskmovq mm1, mm2", PF);
        assertEquals(0x21000, r.cpu.cr2);
        assertEquals(2, SystemInstructionsTest.errorCode(r) & 3, "not present, a write");
        assertEquals(0x53525150, r.memory.read32(0x20FFC), "nothing written");
        assertEquals(7, r.cpu.fpu.top, "the faulting instruction left the x87 state alone");
        fault(r, "movq [0x20FFC], mm1", PF);
        assertEquals(0x53525150, r.memory.read32(0x20FFC));
        assertEquals(7, r.cpu.fpu.top);
        run(r, "mov edi, 0x20FFC\nmaskmovq mm1, mm3"); // MM3 zero: no access, no fault
        assertEquals(0, r.cpu.fpu.top);
        GuestRunner x = pagedWithAHole(translated);
        x.cpu.fpu.xmm[2] = -1;
        x.cpu.fpu.xmm[3] = -1;
        x.cpu.fpu.xmm[4] = 0x80;
        fault(x, "mov edi, 0x20FF8\nmaskmovdqu xmm1, xmm2", PF);
        assertEquals(0, x.memory.read32(0x20FF8));
    }
}
