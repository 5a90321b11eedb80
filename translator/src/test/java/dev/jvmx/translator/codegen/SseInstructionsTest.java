package dev.jvmx.translator.codegen;

import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.arch.Cr4;
import dev.jvmx.translator.arch.CpuFeatures;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.exec.StopReason;
import dev.jvmx.translator.testing.Asm;
import dev.jvmx.translator.testing.GuestRunner;
import dev.jvmx.translator.helpers.SystemOps;
import dev.jvmx.translator.mem.PhysicalMemory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.jvmx.translator.codegen.SystemInstructionsTest.MARK;
import static dev.jvmx.translator.codegen.SystemInstructionsTest.protectedMode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The SSE/SSE2 instructions in both execution tiers: the enablement rules (SDM Vol. 3A 13.1 and
 * each instruction's exception table: #UD without the CPUID feature, with CR0.EM or without
 * CR4.OSFXSR, then #NM with CR0.TS), #GP(0) for a misaligned 16-byte operand of the aligned forms,
 * a store across a page boundary whose second page faults writing nothing, FXSAVE/FXRSTOR of the
 * XMM registers, MXCSR, and each instruction group on values worked by hand from the SDM's
 * "Operation" sections. (The host fuzzer, {@code cpu-test --fuzz N --sse}, compares them with the
 * host CPU on random values.)
 */
class SseInstructionsTest {
    static final int DATA = 0x2000, OUT = 0x2100;
    static final int UD = 6, NM = 7, GP = 13, PF = 14, XM = 19;

    @BeforeAll
    static void needAssembler() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed");
    }

    /** Protected mode at CPL 0 with exception stubs, SSE and SSE2 on, CR4.OSFXSR set. */
    static GuestRunner machine(boolean translated) {
        GuestRunner r = protectedMode(0);
        r.useTier(translated ? 2 : 1);
        r.cpu.features = CpuFeatures.ALL;
        r.cpu.cr4 |= Cr4.OSFXSR;
        return r;
    }

    /** Runs {@code asm} to its final {@code cli; hlt} (again, after an earlier run of the same machine) and checks no exception was taken. */
    static GuestRunner run(GuestRunner r, String asm) {
        again(r);
        StopReason s = r.run(Asm.assemble32(asm + "\ncli\nhlt"));
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertEquals(0xFF, r.memory.read8(MARK), "an exception was taken");
        return r;
    }

    /** Runs {@code asm} and checks it stopped in the stub of {@code vector}. */
    static GuestRunner fault(GuestRunner r, String asm, int vector) {
        again(r);
        StopReason s = r.run(Asm.assemble32(asm + "\ncli\nhlt"));
        assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
        assertEquals(vector, r.memory.read8(MARK), "exception vector");
        return r;
    }

    /** A machine that halted runs again from the top, with a fresh exception mark and its stack pointer back. */
    private static void again(GuestRunner r) {
        r.cpu.halted = false;
        r.memory.write8(MARK, 0xFF);
        r.cpu.regs[Cpu.ESP] = GuestRunner.STACK_TOP;
    }

    static void put128(GuestRunner r, int at, long lo, long hi) {
        r.memory.write32(at, (int) lo);
        r.memory.write32(at + 4, (int) (lo >>> 32));
        r.memory.write32(at + 8, (int) hi);
        r.memory.write32(at + 12, (int) (hi >>> 32));
    }

    static long get64(GuestRunner r, int at) {
        return (r.memory.read32(at) & 0xFFFFFFFFL) | (long) r.memory.read32(at + 4) << 32;
    }

    static void assertXmm(GuestRunner r, int reg, long lo, long hi) {
        assertEquals(String.format("%016x%016x", hi, lo),
                String.format("%016x%016x", r.cpu.fpu.xmm[2 * reg + 1], r.cpu.fpu.xmm[2 * reg]), "xmm" + reg);
    }

    // ---- enablement

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void undefinedWithoutTheCpuidFeature(boolean translated) {
        GuestRunner r = machine(translated);
        r.cpu.features = CpuFeatures.SSE; // SSE without SSE2
        run(r, "movaps xmm0, xmm1");
        fault(r, "movdqa xmm0, xmm1", UD);
        // In one block: the SSE instruction's gate does not stand for the SSE2 one's.
        fault(r, "movaps xmm0, xmm1\naddsd xmm0, xmm1", UD);
        GuestRunner none = machine(translated);
        none.cpu.features = 0;
        fault(none, "movaps xmm0, xmm1", UD);
        fault(none, "ldmxcsr [0x2000]", UD);
        fault(none, "movnti [0x2000], eax", UD);
        fault(none, "clflush [0x2000]", UD);
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void undefinedWithEmOrWithoutOsfxsrThenDeviceNotAvailableWithTs(boolean translated) {
        GuestRunner em = machine(translated);
        em.cpu.cr0 |= Cr0.EM | Cr0.TS;
        fault(em, "pxor xmm0, xmm0", UD); // #UD comes before #NM
        GuestRunner noFxsr = machine(translated);
        noFxsr.cpu.cr4 &= ~Cr4.OSFXSR;
        fault(noFxsr, "movups xmm0, [0x2000]", UD);
        fault(noFxsr, "stmxcsr [0x2000]", UD);
        GuestRunner ts = machine(translated);
        ts.cpu.cr0 |= Cr0.TS;
        fault(ts, "movd xmm0, eax", NM);
        fault(ts, "ldmxcsr [0x2000]", NM);
        // MOVNTI and CLFLUSH use no SSE state: neither CR0.EM nor CR0.TS nor CR4.OSFXSR stops them.
        run(em, "mov eax, 0x12345678\nmovnti [0x2000], eax\nclflush [0x2000]");
        assertEquals(0x12345678, em.memory.read32(DATA));
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void alignedFormsFaultOnMisalignedOperands(boolean translated) {
        for (String insn : new String[] {"movaps xmm0, [0x2008]", "movapd [0x2008], xmm0", "movdqa xmm1, [0x2004]",
                "movntdq [0x2001], xmm0", "paddb xmm0, [0x2008]", "pshufd xmm0, [0x2008], 0", "por xmm0, [0x2008]",
                "addps xmm0, [0x2008]", "sqrtpd xmm0, [0x2004]", "cmpps xmm0, [0x2008], 1", "cvtpd2ps xmm0, [0x2008]",
                "cvtdq2ps xmm0, [0x2004]"}) {
            GuestRunner r = fault(machine(translated), insn, GP);
            assertEquals(0, SystemInstructionsTest.errorCode(r), insn + ": #GP(0)");
        }
        // The unaligned moves, and the 4- and 8-byte operands, may sit anywhere.
        run(machine(translated), "movups xmm0, [0x2001]\nmovdqu [0x2003], xmm0\nmovupd xmm1, [0x2005]\n"
                + "movss xmm2, [0x2001]\nmovsd [0x2003], xmm2\nmovlps xmm3, [0x2005]\nmovq xmm4, [0x2007]\n"
                + "addss xmm5, [0x2001]\nmulsd xmm5, [0x2003]\ncomisd xmm6, [0x2005]\ncvtps2pd xmm7, [0x2009]\n"
                + "cvttss2si eax, [0x2003]");
    }

    /** 32-bit paging, 4 KiB pages, identity-mapped below 4 MiB except the page at 0x21000, not present. */
    static GuestRunner pagedWithAHole(boolean translated) {
        GuestRunner r = machine(translated);
        int pd = 0x10000, pt = 0x11000;
        r.memory.write32(pd, pt | 3);
        for (int p = 0; p < 1024; p++) {
            r.memory.write32(pt + 4 * p, p == 0x21 ? 0 : p << 12 | 3);
        }
        r.cpu.cr3 = pd;
        r.cpu.cr0 |= Cr0.PG;
        return r;
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void aStoreAcrossIntoANotPresentPageWritesNothing(boolean translated) {
        GuestRunner r = pagedWithAHole(translated);
        for (int i = 0; i < 8; i++) {
            r.memory.write8(0x20FF8 + i, 0x50 + i);
        }
        r.cpu.fpu.xmm[0] = -1;
        r.cpu.fpu.xmm[1] = -1;
        fault(r, "movups [0x20FF8], xmm0", PF);
        assertEquals(0x21000, r.cpu.cr2, "the second page's address");
        assertEquals(2, SystemInstructionsTest.errorCode(r) & 3, "#PF: not present, a write");
        for (int i = 0; i < 8; i++) {
            assertEquals(0x50 + i, r.memory.read8(0x20FF8 + i), "byte " + i + " of the first page untouched");
        }
        GuestRunner q = pagedWithAHole(translated);
        fault(q, "movsd [0x20FFC], xmm0", PF);
        assertEquals(0, q.memory.read32(0x20FFC), "nothing written by the 8-byte store either");
        // A load across two present pages.
        GuestRunner l = pagedWithAHole(translated);
        put128(l, 0x1FFF8, 0x0807060504030201L, 0x100F0E0D0C0B0A09L);
        run(l, "movdqu xmm5, [0x1FFF8]");
        assertXmm(l, 5, 0x0807060504030201L, 0x100F0E0D0C0B0A09L);
        // 8-byte loads across two present pages, and into a not-present one: the register kept.
        put128(l, 0x1FFFC, Double.doubleToRawLongBits(1.5), 0);
        l.cpu.fpu.xmm[12] = Double.doubleToRawLongBits(2.0);
        run(l, "movsd xmm4, [0x1FFFC]\naddsd xmm6, [0x1FFFC]");
        assertXmm(l, 4, Double.doubleToRawLongBits(1.5), 0);
        assertEquals(Double.doubleToRawLongBits(3.5), l.cpu.fpu.xmm[12], "addsd xmm6, m64 across pages");
        GuestRunner h = pagedWithAHole(translated);
        h.cpu.fpu.xmm[2] = 0x1122334455667788L;
        h.cpu.fpu.xmm[4] = Double.doubleToRawLongBits(2.0);
        fault(h, "movsd xmm1, [0x20FFC]", PF);
        assertEquals(0x21000, h.cpu.cr2, "the load's second page");
        assertEquals(0x1122334455667788L, h.cpu.fpu.xmm[2], "movsd: xmm1 unchanged");
        fault(h, "mulsd xmm2, [0x20FFC]", PF);
        assertEquals(Double.doubleToRawLongBits(2.0), h.cpu.fpu.xmm[4], "mulsd: xmm2 unchanged");
    }

    /**
     * Translated code keeps XMM registers in locals: what earlier instructions of a block wrote is
     * in the Cpu when a later one faults, across an exit in the block, around instructions whose
     * helpers work on the FPU state, and through a loop.
     */
    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void registersWrittenInABlockMeetFaultsExitsHelpersAndLoops(boolean translated) {
        GuestRunner r = pagedWithAHole(translated);
        put128(r, DATA, dbl(1.5), dbl(-4));
        r.cpu.fpu.xmm[4] = dbl(2);
        fault(r, "movsd xmm3, [0x2000]\naddsd xmm3, xmm3\nmovaps xmm5, xmm3\nmulsd xmm2, [0x20FFC]", PF);
        assertEquals(dbl(3), r.cpu.fpu.xmm[6], "xmm3 from the instructions before the fault");
        assertXmm(r, 5, dbl(3), 0);
        assertEquals(dbl(2), r.cpu.fpu.xmm[4], "xmm2 unchanged by the faulting mulsd");

        GuestRunner x = machine(translated);
        put128(x, DATA, dbl(1.5), dbl(-4));
        run(x, "movapd xmm1, [0x2000]\nxor eax, eax\ncpuid\naddsd xmm1, xmm1\nshufpd xmm1, xmm1, 1\n"
                + "movsd [0x2010], xmm1\npxor xmm7, xmm7\nmovhpd [0x2018], xmm1");
        assertXmm(x, 1, dbl(-4), dbl(3));
        assertEquals(dbl(-4), get64(x, DATA + 0x10), "movsd stores the low lane after shufpd's helper");
        assertEquals(dbl(3), get64(x, DATA + 0x18), "movhpd stores the high lane");
        assertXmm(x, 7, 0, 0);

        GuestRunner l = machine(translated);
        l.cpu.fpu.xmm[2] = dbl(0.5);
        run(l, "mov ecx, 200000\npxor xmm0, xmm0\npxor xmm3, xmm3\n1:\naddsd xmm0, xmm1\ncvtsi2sd xmm2, ecx\n"
                + "addsd xmm3, xmm2\ndec ecx\njnz 1b");
        assertEquals(dbl(100000), l.cpu.fpu.xmm[0], "200000 times 0.5");
        assertEquals(dbl(200000.0 * 200001 / 2), l.cpu.fpu.xmm[6], "the sum of 1 .. 200000 through CVTSI2SD's helper");
    }

    // ---- state: FXSAVE/FXRSTOR, MXCSR

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void fxsaveAndFxrstorCarryTheXmmRegisters(boolean translated) {
        GuestRunner r = machine(translated);
        for (int i = 0; i < 16; i++) {
            r.cpu.fpu.xmm[i] = 0x1111111111111111L * (i + 1);
        }
        run(r, "fxsave [0x3000]");
        for (int i = 0; i < 16; i++) {
            assertEquals(0x1111111111111111L * (i + 1), get64(r, 0x3000 + 160 + 8 * i), "image quadword " + i);
        }
        // Change the image's XMM3 and restore.
        put128(r, 0x3000 + 160 + 48, 0xCAFEL, 0xBEEFL);
        java.util.Arrays.fill(r.cpu.fpu.xmm, 0);
        run(r, "fxrstor [0x3000]");
        assertXmm(r, 3, 0xCAFEL, 0xBEEFL);
        assertXmm(r, 7, 0x1111111111111111L * 15, 0x1111111111111111L * 16);
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void ldmxcsrAndStmxcsr(boolean translated) {
        GuestRunner r = machine(translated);
        r.memory.write32(DATA, 0x7F80 | 0x3F); // all flags, all masks, round toward zero
        run(r, "ldmxcsr [0x2000]\nstmxcsr [0x2004]");
        assertEquals(0x7FBF, r.cpu.fpu.mxcsr);
        assertEquals(0x7FBF, r.memory.read32(DATA + 4));
        GuestRunner bad = machine(translated);
        bad.memory.write32(DATA, 0x10000); // a reserved bit
        assertEquals(0, SystemInstructionsTest.errorCode(fault(bad, "ldmxcsr [0x2000]", GP)));
        assertEquals(0x1F80, bad.cpu.fpu.mxcsr, "unchanged");
        GuestRunner daz = machine(translated);
        daz.memory.write32(DATA, 0x1FC0); // DAZ, which jvmx's MXCSR_MASK does not have
        fault(daz, "ldmxcsr [0x2000]", GP);
    }

    // ---- data movement

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void scalarAndHalfMovesKeepOrZeroWhatTheSdmSays(boolean translated) {
        GuestRunner r = machine(translated);
        long a = 0x1111111122222222L, b = 0x3333333344444444L;
        for (int i = 0; i < 8; i++) {
            r.cpu.fpu.xmm[2 * i] = a;
            r.cpu.fpu.xmm[2 * i + 1] = b;
        }
        put128(r, DATA, 0x8877665544332211L, 0xFFEEDDCCBBAA9988L);
        r.cpu.fpu.xmm[2] = 0x5555555566666666L; // xmm1's low quadword
        run(r, "movss xmm0, xmm1\n" // bits 31:0 only
                + "movss xmm2, [0x2000]\n" // zero-extended
                + "movsd xmm3, [0x2000]\n" // zero-extended
                + "movlps xmm4, [0x2008]\n" // low quadword, high kept
                + "movhpd xmm5, [0x2000]\n" // high quadword, low kept
                + "movhlps xmm6, xmm1\n" // xmm6[63:0] = xmm1[127:64]
                + "movlhps xmm7, xmm1\n" // xmm7[127:64] = xmm1[63:0]
                + "movq [0x2010], xmm1\nmovhps [0x2018], xmm1\nmovss [0x2020], xmm1\nmovd [0x2024], xmm1");
        assertXmm(r, 0, 0x1111111166666666L, b);
        assertXmm(r, 2, 0x44332211L, 0);
        assertXmm(r, 3, 0x8877665544332211L, 0);
        assertXmm(r, 4, 0xFFEEDDCCBBAA9988L, b);
        assertXmm(r, 5, a, 0x8877665544332211L);
        assertXmm(r, 6, b, b);
        assertXmm(r, 7, a, 0x5555555566666666L);
        assertEquals(0x5555555566666666L, get64(r, 0x2010));
        assertEquals(b, get64(r, 0x2018));
        assertEquals(0x66666666, r.memory.read32(0x2020));
        assertEquals(0x66666666, r.memory.read32(0x2024));
        GuestRunner q = machine(translated);
        q.cpu.fpu.xmm[0] = -1;
        q.cpu.fpu.xmm[1] = -1;
        q.cpu.fpu.xmm[2] = 0x0123456789ABCDEFL;
        q.cpu.fpu.xmm[3] = -1;
        run(q, "mov eax, 0x80000001\nmovd xmm4, eax\nmovq xmm5, xmm1\nmovd ecx, xmm1\n"
                + "movdqa xmm6, xmm0\nmovmskps edx, xmm1\nmovmskpd ebx, xmm6\npmovmskb esi, xmm1");
        assertXmm(q, 4, 0x80000001L, 0);
        assertXmm(q, 5, 0x0123456789ABCDEFL, 0);
        assertEquals(0x89ABCDEF, q.cpu.regs[Cpu.ECX]);
        assertXmm(q, 6, -1, -1);
        assertEquals(0b1101, q.cpu.regs[Cpu.EDX], "sign bits of 89ABCDEF, 01234567, FFFFFFFF, FFFFFFFF");
        assertEquals(0b11, q.cpu.regs[Cpu.EBX]);
        assertEquals(0xFF00 | 0b00001111, q.cpu.regs[Cpu.ESI], "bytes EF CD AB 89 67 45 23 01, then eight FF");
    }

    // ---- logical and packed integer operations

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void logicalOperations(boolean translated) {
        GuestRunner r = machine(translated);
        long x = 0xF0F0F0F0FF00FF00L, y = 0x3C3C3C3C0FF00FF0L;
        for (int i = 0; i < 8; i++) {
            r.cpu.fpu.xmm[2 * i] = x;
            r.cpu.fpu.xmm[2 * i + 1] = ~x;
        }
        put128(r, DATA, y, y);
        run(r, "andps xmm0, [0x2000]\nandnpd xmm1, [0x2000]\norps xmm2, [0x2000]\nxorpd xmm3, [0x2000]\n"
                + "pand xmm4, [0x2000]\npandn xmm5, [0x2000]\npor xmm6, [0x2000]\npxor xmm7, xmm7");
        assertXmm(r, 0, x & y, ~x & y);
        assertXmm(r, 1, ~x & y, x & y);
        assertXmm(r, 2, x | y, ~x | y);
        assertXmm(r, 3, x ^ y, ~x ^ y);
        assertXmm(r, 4, x & y, ~x & y);
        assertXmm(r, 5, ~x & y, x & y);
        assertXmm(r, 6, x | y, ~x | y);
        assertXmm(r, 7, 0, 0);
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void packedAddSubtractAndCompare(boolean translated) {
        GuestRunner r = machine(translated);
        long a = 0x7FFF_8000_FFFF_0001L, b = 0x0001_0001_0001_FFFFL;
        for (int i = 0; i < 8; i++) {
            r.cpu.fpu.xmm[2 * i] = a;
            r.cpu.fpu.xmm[2 * i + 1] = -1;
        }
        r.cpu.fpu.xmm[2 * 7] = b;
        r.cpu.fpu.xmm[2 * 7 + 1] = 1;
        run(r, "paddw xmm0, xmm7\npsubw xmm1, xmm7\npaddb xmm2, xmm7\npaddq xmm3, xmm7\npcmpgtw xmm4, xmm7\n"
                + "pcmpeqw xmm5, xmm7\npsubd xmm6, xmm7");
        // Words of a: 0001 FFFF 8000 7FFF; of b: FFFF 0001 0001 0001 (low first); each lane wraps.
        assertXmm(r, 0, 0x8000_8001_0000_0000L, 0xFFFF_FFFF_FFFF_0000L);
        assertXmm(r, 1, 0x7FFE_7FFF_FFFE_0002L, 0xFFFFFFFFFFFFFFFEL);
        // Bytes of a: 01 00 FF FF 00 80 FF 7F; of b: FF FF 01 00 01 00 01 00.
        assertXmm(r, 2, 0x7F00_8001_FF00_FF00L, 0xFFFFFFFFFFFFFF00L);
        assertXmm(r, 3, a + b, 0);
        // Signed words: 1 > -1, -1 > 1 no, -32768 > 1 no, 32767 > 1.
        assertXmm(r, 4, 0xFFFF_0000_0000_FFFFL, 0);
        assertXmm(r, 5, 0, 0);
        // Doublewords: FFFF0001 - 0001FFFF = FFFD0002; 7FFF8000 - 00010001 = 7FFE7FFF.
        assertXmm(r, 6, 0x7FFE_7FFF_FFFD_0002L, 0xFFFFFFFFFFFFFFFEL);
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void unpackPackAndShuffle(boolean translated) {
        GuestRunner r = machine(translated);
        long lo = 0x0706050403020100L, hi = 0x0F0E0D0C0B0A0908L;
        long slo = 0x1716151413121110L, shi = 0x1F1E1D1C1B1A1918L;
        for (int i = 0; i < 7; i++) {
            r.cpu.fpu.xmm[2 * i] = lo;
            r.cpu.fpu.xmm[2 * i + 1] = hi;
        }
        r.cpu.fpu.xmm[14] = slo;
        r.cpu.fpu.xmm[15] = shi;
        run(r, "punpcklbw xmm0, xmm7\npunpckhwd xmm1, xmm7\npunpckldq xmm2, xmm7\npunpckhqdq xmm3, xmm7\n"
                + "pshufd xmm4, xmm7, 0x1B\npshuflw xmm5, xmm7, 0x1B\npshufhw xmm6, xmm7, 0x1B");
        assertXmm(r, 0, 0x1303120211011000L, 0x1707160615051404L);
        assertXmm(r, 1, 0x1B1A0B0A19180908L, 0x1F1E0F0E1D1C0D0CL);
        assertXmm(r, 2, 0x1312111003020100L, 0x1716151407060504L);
        assertXmm(r, 3, hi, shi);
        assertXmm(r, 4, 0x1B1A19181F1E1D1CL, 0x1312111017161514L);
        assertXmm(r, 5, 0x1110131215141716L, shi);
        assertXmm(r, 6, slo, 0x19181B1A1D1C1F1EL);
        GuestRunner p = machine(translated);
        // Words 0001 7FFF 8000 FFFF 0100 FF80 0080 FF7F (1, 32767, -32768, -1, 256, -128, 128, -129).
        long wlo = 0xFFFF_8000_7FFF_0001L, whi = 0xFF7F_0080_FF80_0100L;
        p.cpu.fpu.xmm[0] = wlo;
        p.cpu.fpu.xmm[1] = whi;
        p.cpu.fpu.xmm[2] = wlo;
        p.cpu.fpu.xmm[3] = whi;
        p.cpu.fpu.xmm[4] = 0x8000_0000_7FFF_FFFFL; // doublewords 7FFFFFFF, 80000000
        p.cpu.fpu.xmm[5] = 0xFFFF_8000_0000_7FFFL; // 00007FFF, FFFF8000
        run(p, "movdqa xmm3, xmm0\npacksswb xmm0, xmm3\npackuswb xmm1, xmm1\npackssdw xmm2, xmm2");
        // Signed saturation: 01 7F 80 FF 7F 80 7F 80; unsigned: 01 FF 00 00 FF 00 80 00.
        assertXmm(p, 0, 0x807F_807F_FF80_7F01L, 0x807F_807F_FF80_7F01L);
        assertXmm(p, 1, 0x0080_00FF_0000_FF01L, 0x0080_00FF_0000_FF01L);
        assertXmm(p, 2, 0x8000_7FFF_8000_7FFFL, 0x8000_7FFF_8000_7FFFL);
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void shiftsByImmediateAndByRegister(boolean translated) {
        GuestRunner r = machine(translated);
        long w = 0x8000_7FFF_00FF_F00FL; // words F00F 00FF 7FFF 8000
        for (int i = 0; i < 5; i++) {
            r.cpu.fpu.xmm[2 * i] = w;
            r.cpu.fpu.xmm[2 * i + 1] = w;
        }
        for (int i = 5; i < 7; i++) {
            r.cpu.fpu.xmm[2 * i] = 0x0706050403020100L;
            r.cpu.fpu.xmm[2 * i + 1] = 0x0F0E0D0C0B0A0908L;
        }
        run(r, "psrlw xmm0, 4\npsraw xmm1, 4\npsllw xmm2, 4\npsraw xmm3, 16\npsrlw xmm4, 16\n"
                + "psrldq xmm5, 3\npslldq xmm6, 9");
        assertXmm(r, 0, 0x0800_07FF_000F_0F00L, 0x0800_07FF_000F_0F00L);
        assertXmm(r, 1, 0xF800_07FF_000F_FF00L, 0xF800_07FF_000F_FF00L);
        assertXmm(r, 2, 0x0000_FFF0_0FF0_00F0L, 0x0000_FFF0_0FF0_00F0L);
        assertXmm(r, 3, 0xFFFF_0000_0000_FFFFL, 0xFFFF_0000_0000_FFFFL);
        assertXmm(r, 4, 0, 0);
        assertXmm(r, 5, 0x0A09_0807_0605_0403L, 0x0000_000F_0E0D_0C0BL);
        assertXmm(r, 6, 0, 0x0605_0403_0201_0000L);
        GuestRunner q = machine(translated);
        q.cpu.fpu.xmm[0] = 0x8000_0000_0000_0001L;
        q.cpu.fpu.xmm[1] = -1;
        q.cpu.fpu.xmm[2] = 0x8000_0000_0000_0001L;
        q.cpu.fpu.xmm[3] = -1;
        q.cpu.fpu.xmm[4] = 0x8000_0000_0000_0001L;
        q.cpu.fpu.xmm[5] = -1;
        q.cpu.fpu.xmm[6] = 0x8000_0000_0000_0001L;
        put128(q, DATA, 63, 0xFFFF); // the count is the whole low quadword: 63; the high one is ignored
        run(q, "mov eax, 33\nmovd xmm7, eax\npsrad xmm0, xmm7\npsllq xmm1, [0x2000]\n"
                + "mov eax, 0x100000000 >> 32\nmovd xmm6, eax\npsllq xmm6, 32\npsrlq xmm2, xmm6");
        // 33 >= 32: every doubleword takes its sign.
        assertXmm(q, 0, 0xFFFF_FFFF_0000_0000L, -1);
        assertXmm(q, 1, 0x8000_0000_0000_0000L, 0x8000_0000_0000_0000L);
        // A count of 2^32 (in the quadword, not its low doubleword) clears everything.
        assertXmm(q, 2, 0, 0);
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void saturatingAveragingMinMaxAndMultiplying(boolean translated) {
        GuestRunner r = machine(translated);
        // Words (low first) 7FFF 8000 0001 FFFF with 0002 0002 FFFF FFFF; bytes 7F 80 01 FF 00 10 F0 80
        // with 01 FF FF 01 00 20 20 80. Each expected value is the SDM's Operation worked lane by lane.
        long a = 0xFFFF_0001_8000_7FFFL, b = 0xFFFF_FFFF_0002_0002L;
        long c = 0x80F0_1000_FF01_807FL, d = 0x8020_2000_01FF_FF01L;
        for (int i = 0; i < 8; i++) {
            r.cpu.fpu.xmm[2 * i] = i < 4 ? a : c;
            r.cpu.fpu.xmm[2 * i + 1] = i < 4 ? a : c;
        }
        put128(r, DATA, b, b);
        put128(r, DATA + 16, d, d);
        String words = "paddsw xmm0, [0x2000]\npsubsw xmm1, [0x2000]\npaddusw xmm2, [0x2000]\npavgw xmm3, [0x2000]\n";
        String bytes = "paddsb xmm4, [0x2010]\npsubusb xmm5, [0x2010]\npmaxub xmm6, [0x2010]\npsadbw xmm7, [0x2010]\n";
        run(r, words + bytes);
        assertXmm(r, 0, 0xFFFE_0000_8002_7FFFL, 0xFFFE_0000_8002_7FFFL);
        assertXmm(r, 1, 0x0000_0002_8000_7FFDL, 0x0000_0002_8000_7FFDL);
        assertXmm(r, 2, 0xFFFF_FFFF_8002_8001L, 0xFFFF_FFFF_8002_8001L);
        assertXmm(r, 3, 0xFFFF_8000_4001_4001L, 0xFFFF_8000_4001_4001L);
        assertXmm(r, 4, 0x8010_3000_0000_807FL, 0x8010_3000_0000_807FL);
        assertXmm(r, 5, 0x00D0_0000_FE00_007EL, 0x00D0_0000_FE00_007EL);
        assertXmm(r, 6, 0x80F0_2000_FFFF_FF7FL, 0x80F0_2000_FFFF_FF7FL);
        assertXmm(r, 7, 0x3D9, 0x3D9);
        GuestRunner m = machine(translated);
        for (int i = 0; i < 8; i++) {
            m.cpu.fpu.xmm[2 * i] = a;
            m.cpu.fpu.xmm[2 * i + 1] = a;
        }
        put128(m, DATA, b, b);
        run(m, "pminsw xmm0, [0x2000]\npmaxsw xmm1, [0x2000]\npmullw xmm2, [0x2000]\npmulhw xmm3, [0x2000]\n"
                + "pmulhuw xmm4, [0x2000]\npmaddwd xmm5, [0x2000]\npmuludq xmm6, [0x2000]");
        assertXmm(m, 0, 0xFFFF_FFFF_8000_0002L, 0xFFFF_FFFF_8000_0002L);
        assertXmm(m, 1, 0xFFFF_0001_0002_7FFFL, 0xFFFF_0001_0002_7FFFL);
        assertXmm(m, 2, 0x0001_FFFF_0000_FFFEL, 0x0001_FFFF_0000_FFFEL);
        assertXmm(m, 3, 0x0000_FFFF_FFFF_0000L, 0x0000_FFFF_FFFF_0000L);
        assertXmm(m, 4, 0xFFFE_0000_0001_0000L, 0xFFFE_0000_0001_0000L);
        assertXmm(m, 5, 0x0000_0000_FFFF_FFFEL, 0x0000_0000_FFFF_FFFEL); // 7FFF*2 + 8000*2 = -2; 1*-1 + -1*-1 = 0
        assertXmm(m, 6, 0x0001_0001_FFFE_FFFEL, 0x0001_0001_FFFE_FFFEL); // 80007FFF * 00020002
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void floatingPointShufflesAndWordInsertExtract(boolean translated) {
        GuestRunner r = machine(translated);
        long a0 = 0x1111_1111_0000_0000L, a1 = 0x3333_3333_2222_2222L; // doublewords A0..A3 = 0, 1111.., 2222.., 3333..
        long b0 = 0x5555_5555_4444_4444L, b1 = 0x7777_7777_6666_6666L;
        for (int i = 0; i < 4; i++) {
            r.cpu.fpu.xmm[2 * i] = a0;
            r.cpu.fpu.xmm[2 * i + 1] = a1;
        }
        r.cpu.fpu.xmm[14] = b0;
        r.cpu.fpu.xmm[15] = b1;
        run(r, "shufps xmm0, xmm7, 0x1B\nshufpd xmm1, xmm7, 1\nunpcklps xmm2, xmm7\nunpckhpd xmm3, xmm7\n"
                + "mov eax, 0x12345678\npinsrw xmm7, eax, 5\npextrw ecx, xmm7, 6\npextrw edx, xmm7, 13");
        assertXmm(r, 0, 0x2222_2222_3333_3333L, 0x4444_4444_5555_5555L); // A3 A2 B1 B0
        assertXmm(r, 1, a1, b0);
        assertXmm(r, 2, 0x4444_4444_0000_0000L, 0x5555_5555_1111_1111L); // A0 B0 A1 B1
        assertXmm(r, 3, a1, b1);
        assertXmm(r, 7, b0, 0x7777_7777_5678_6666L);
        assertEquals(0x7777, r.cpu.regs[Cpu.ECX]);
        assertEquals(0x5678, r.cpu.regs[Cpu.EDX], "index 13 & 7 = 5");
    }

    @Test
    void cpuidReportsTheModelsFeatures() {
        Cpu cpu = new Cpu(new PhysicalMemory(1 << 20, 0));
        cpu.regs[Cpu.EAX] = 1;
        SystemOps.cpuid(cpu);
        assertEquals(0, cpu.regs[Cpu.EDX] & CpuFeatures.ALL, "a bare Cpu: no optional feature (the machine gives it its model's)");
        cpu.features = CpuFeatures.ALL;
        cpu.regs[Cpu.EAX] = 1;
        SystemOps.cpuid(cpu);
        assertEquals(CpuFeatures.ALL, cpu.regs[Cpu.EDX] & CpuFeatures.ALL);
        assertEquals(1 << 24, cpu.regs[Cpu.EDX] & (1 << 24), "FXSR stays");
        assertEquals(8, cpu.regs[Cpu.EBX] >> 8 & 0xFF, "CLFLUSH line size: 8 units of 8 bytes");
    }

    // ---- floating point (semantics in fpu.SseFloat; the host fuzzer and SseHostOracleTest compare them with the host)

    static final int ONE_F = 0x3F800000, TWO_F = 0x40000000, THREE_F = 0x40400000;
    static final long ONE_D = 0x3FF0000000000000L, TWO_D = 0x4000000000000000L, THREE_D = 0x4008000000000000L;

    static long singles(float lo, float hi) {
        return Float.floatToRawIntBits(lo) & 0xFFFFFFFFL | (long) Float.floatToRawIntBits(hi) << 32;
    }

    static long dbl(double v) {
        return Double.doubleToRawLongBits(v);
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void arithmeticOnPackedAndScalarOperands(boolean translated) {
        GuestRunner r = machine(translated);
        long p0 = singles(1.5f, -2f), p1 = singles(9f, 0.25f);
        for (int i = 0; i < 4; i++) {
            r.cpu.fpu.xmm[2 * i] = p0;
            r.cpu.fpu.xmm[2 * i + 1] = p1;
        }
        for (int i = 4; i < 8; i++) {
            r.cpu.fpu.xmm[2 * i] = dbl(10);
            r.cpu.fpu.xmm[2 * i + 1] = dbl(-3);
        }
        put128(r, DATA, singles(2f, 4f), singles(3f, 0.5f));
        put128(r, DATA + 16, dbl(4), dbl(0.5));
        r.memory.write32(DATA + 0x21, Float.floatToRawIntBits(100f)); // unaligned scalar operands
        put128(r, DATA + 0x25, dbl(2.5), 0);
        run(r, "addps xmm0, [0x2000]\nmulps xmm1, [0x2000]\nsqrtps xmm2, [0x2000]\nsubss xmm3, [0x2021]\n"
                + "divpd xmm4, [0x2010]\nmaxsd xmm5, [0x2025]\nminpd xmm6, [0x2010]\nsqrtsd xmm7, [0x2010]");
        assertXmm(r, 0, singles(3.5f, 2f), singles(12f, 0.75f));
        assertXmm(r, 1, singles(3f, -8f), singles(27f, 0.125f));
        assertXmm(r, 2, singles((float) Math.sqrt(2), 2f), singles((float) Math.sqrt(3), (float) Math.sqrt(0.5)));
        assertXmm(r, 3, singles(-98.5f, -2f), p1); // scalar: the other lanes kept
        assertXmm(r, 4, dbl(2.5), dbl(-6));
        assertXmm(r, 5, dbl(10), dbl(-3));
        assertXmm(r, 6, dbl(4), dbl(-3));
        assertXmm(r, 7, dbl(2), dbl(-3));
        assertEquals(0x1F80 | 0x20, r.cpu.fpu.mxcsr, "PE from the inexact square roots");
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void roundingControlAndFlushToZero(boolean translated) {
        GuestRunner r = machine(translated);
        r.cpu.fpu.xmm[0] = ONE_F; // xmm0
        r.cpu.fpu.xmm[4] = ONE_F; // xmm2
        r.cpu.fpu.xmm[8] = 0x00800000; // xmm4: the smallest normal single
        r.memory.write32(DATA, THREE_F);
        r.memory.write32(DATA + 4, 0x3F000000 | 0x7FFFFF >> 1); // just under 0.75
        r.memory.write32(DATA + 8, 0x1F80 | 0x6000); // round toward zero
        r.memory.write32(DATA + 12, 0x1F80 | 0x8000); // flush to zero
        run(r, "divss xmm0, [0x2000]\nldmxcsr [0x2008]\ndivss xmm2, [0x2000]\n"
                + "ldmxcsr [0x200C]\nmulss xmm4, [0x2004]");
        assertEquals(0x3EAAAAAB, (int) r.cpu.fpu.xmm[0], "1/3 to nearest");
        assertEquals(0x3EAAAAAA, (int) r.cpu.fpu.xmm[4], "1/3 toward zero");
        assertEquals(0, (int) r.cpu.fpu.xmm[8], "a tiny product flushed to +0");
        assertEquals(0x9F80 | 0x30, r.cpu.fpu.mxcsr, "UE and PE with FZ");
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void anUnmaskedExceptionIsXmWithOsxmmexcptElseUdAndWritesNothing(boolean translated) {
        for (boolean osxmmexcpt : new boolean[] {true, false}) {
            GuestRunner r = machine(translated);
            if (osxmmexcpt) {
                r.cpu.cr4 |= Cr4.OSXMMEXCPT;
            }
            r.cpu.fpu.xmm[0] = singles(1f, 2f);
            r.cpu.fpu.xmm[1] = singles(3f, 4f);
            r.cpu.fpu.mxcsr = 0x1F80 & ~0x200; // divide-by-zero unmasked
            put128(r, DATA, singles(1f, 0f), singles(1f, 1f));
            fault(r, "divps xmm0, [0x2000]", osxmmexcpt ? XM : UD);
            assertXmm(r, 0, singles(1f, 2f), singles(3f, 4f));
            assertEquals(0x1F80 & ~0x200 | 0x4, r.cpu.fpu.mxcsr, "ZE set");
        }
        // Masked: the infinity, and ZE.
        GuestRunner m = machine(translated);
        m.cpu.fpu.xmm[0] = singles(1f, -2f);
        put128(m, DATA, singles(0f, 0f), 0);
        run(m, "divss xmm0, [0x2000]");
        assertEquals(0x7F800000, (int) m.cpu.fpu.xmm[0]);
        assertEquals(0x1F80 | 0x4, m.cpu.fpu.mxcsr);
        // A CVTTSS2SI that overflows with IE unmasked leaves its register.
        GuestRunner c = machine(translated);
        c.cpu.cr4 |= Cr4.OSXMMEXCPT;
        c.cpu.fpu.mxcsr = 0x1F80 & ~0x80;
        c.cpu.fpu.xmm[2] = 0x4F800000; // 2^32
        fault(c, "mov eax, 0x1234\ncvttss2si eax, xmm1", XM);
        assertEquals(0x1234, c.cpu.regs[Cpu.EAX]);
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void comparesIntoLanesAndIntoEflags(boolean translated) {
        GuestRunner r = machine(translated);
        long nan = 0x7FC00000L;
        r.cpu.fpu.xmm[0] = singles(1f, 2f);
        r.cpu.fpu.xmm[1] = nan | (long) ONE_F << 32;
        r.cpu.fpu.xmm[4] = r.cpu.fpu.xmm[0]; // xmm2 = xmm0
        r.cpu.fpu.xmm[5] = r.cpu.fpu.xmm[1];
        r.cpu.fpu.xmm[14] = singles(1f, 3f);
        r.cpu.fpu.xmm[15] = singles(1f, 1f);
        r.memory.write32(DATA, TWO_F);
        r.memory.write32(DATA + 4, 0x3F000000);
        r.memory.write32(DATA + 8, (int) nan);
        // Lanes (1, 2, NaN, 1) against (1, 3, 1, 1).
        run(r, "cmpps xmm0, xmm7, 1\ncmpps xmm2, xmm7, 4\n"
                + "comiss xmm7, xmm7\npushfd\npop eax\n"
                + "movss xmm4, [0x2000]\nucomiss xmm4, xmm7\npushfd\npop ebx\n"
                + "movss xmm5, [0x2004]\ncomiss xmm5, xmm7\npushfd\npop ecx\n"
                + "movss xmm6, [0x2008]\nucomiss xmm6, xmm7\npushfd\npop edx");
        assertXmm(r, 0, 0xFFFFFFFF00000000L, 0); // LT: 1<1 no, 2<3 yes, NaN no, 1<1 no
        assertXmm(r, 2, 0xFFFFFFFF00000000L, 0xFFFFFFFFL); // NEQ: unordered is not equal
        int zpc = 0x40 | 0x4 | 0x1, osa = 0x800 | 0x80 | 0x10;
        assertEquals(0x40, r.cpu.regs[Cpu.EAX] & (zpc | osa), "equal: ZF");
        assertEquals(0, r.cpu.regs[Cpu.EBX] & (zpc | osa), "greater: none");
        assertEquals(0x1, r.cpu.regs[Cpu.ECX] & (zpc | osa), "less: CF");
        assertEquals(zpc, r.cpu.regs[Cpu.EDX] & (zpc | osa), "unordered: ZF PF CF");
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void conversions(boolean translated) {
        GuestRunner r = machine(translated);
        r.cpu.fpu.xmm[0] = singles(-2.5f, 3.75f); // xmm0: -2.5, 3.75, 1e10, NaN
        r.cpu.fpu.xmm[1] = singles(1e10f, Float.NaN);
        r.cpu.fpu.xmm[2] = dbl(-7.5); // xmm1: -7.5, 1e300
        r.cpu.fpu.xmm[3] = dbl(1e300);
        r.memory.write32(DATA, 16777217); // 2^24 + 1: inexact as a single
        r.memory.write32(DATA + 4, -3);
        run(r, "cvtss2si eax, xmm0\ncvttss2si ebx, xmm0\ncvtsd2si ecx, xmm1\ncvttsd2si edx, xmm1\n"
                + "cvtsi2ss xmm4, dword ptr [0x2000]\ncvtsi2sd xmm5, dword ptr [0x2004]\ncvtps2pd xmm6, xmm0\n"
                + "cvtpd2ps xmm7, xmm1\ncvttps2dq xmm3, xmm0");
        assertEquals(-2, r.cpu.regs[Cpu.EAX], "-2.5 to nearest even");
        assertEquals(-2, r.cpu.regs[Cpu.EBX], "-2.5 truncated");
        assertEquals(-8, r.cpu.regs[Cpu.ECX], "-7.5 to nearest even");
        assertEquals(-7, r.cpu.regs[Cpu.EDX]);
        assertEquals(0x4B800000, (int) r.cpu.fpu.xmm[8], "2^24 + 1 rounds to 2^24");
        assertXmm(r, 5, dbl(-3), 0);
        assertXmm(r, 6, dbl(-2.5), dbl(3.75));
        assertXmm(r, 7, singles(-7.5f, Float.POSITIVE_INFINITY), 0); // 1e300 overflows; the high half zeroed
        assertXmm(r, 3, 0x00000003_FFFFFFFEL, 0x80000000_80000000L); // 1e10 and the NaN: the integer indefinite
        assertEquals(0x1F80 | 0x1 | 0x8 | 0x20, r.cpu.fpu.mxcsr, "IE, OE, PE");
    }

    @ParameterizedTest(name = "translated={0}")
    @ValueSource(booleans = {false, true})
    void osxmmexcptIsReservedWithoutSse(boolean translated) {
        String set = "mov eax, cr4\nor eax, 0x400\nmov cr4, eax";
        GuestRunner r = run(machine(translated), set);
        assertEquals(Cr4.OSXMMEXCPT, r.cpu.cr4 & Cr4.OSXMMEXCPT);
        GuestRunner none = machine(translated);
        none.cpu.features = 0;
        fault(none, set, GP);
    }
}
