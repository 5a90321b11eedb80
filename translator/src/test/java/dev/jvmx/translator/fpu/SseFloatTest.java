package dev.jvmx.translator.fpu;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hand-picked cases of {@link SseFloat}, each worked from the SDM (Vol. 1, 4.8-4.9 and 11.5; Vol. 2,
 * the instruction pages; Vol. 3A, Table 6-8): NaN propagation, the default QNaN, signed zeros,
 * overflow and underflow in every rounding mode, flush to zero, MIN/MAX, the CMP predicates,
 * COMIS flags, the conversions, and what an unmasked exception leaves.
 */
class SseFloatTest {
    // MXCSR
    static final int IE = 1, DE = 2, ZE = 4, OE = 8, UE = 0x10, PE = 0x20;
    static final int MASKED = 0x1F80, FZ = 0x8000;
    static final int RN = 0, RD = 1 << 13, RU = 2 << 13, RZ = 3 << 13;
    static final int[] MODES = {RN, RD, RU, RZ};

    static final long ONE = 0x3FF0000000000000L, TWO = 0x4000000000000000L, HALF = 0x3FE0000000000000L;
    static final long MAX = 0x7FEFFFFFFFFFFFFFL, MIN_NORMAL = 0x0010000000000000L, INF = 0x7FF0000000000000L;
    static final long SIGN = 0x8000000000000000L;
    static final long QNAN = 0x7FF8000000000002L, SNAN = 0x7FF0000000000001L, INDEFINITE = 0xFFF8000000000000L;
    static final int F_ONE = 0x3F800000, F_INF = 0x7F800000, F_QNAN = 0x7FC00001, F_SNAN = 0x7F800003;
    static final int F_INDEFINITE = 0xFFC00000;
    static final long GARBAGE = 0x0123456789ABCDEFL;

    static FpuState state(int mxcsr) {
        FpuState s = new FpuState();
        s.mxcsr = mxcsr;
        return s;
    }

    /** XMM0 = (hi, lo), XMM1 = (hi, lo). */
    static FpuState regs(int mxcsr, long d1, long d0, long s1, long s0) {
        FpuState s = state(mxcsr);
        s.xmm[0] = d0;
        s.xmm[1] = d1;
        s.xmm[2] = s0;
        s.xmm[3] = s1;
        return s;
    }

    /** A scalar double op: XMM0.lo op= XMM1.lo; asserts the result, the new flags and that the high lane is kept. */
    static void sd(int op, int mxcsr, long a, long b, long expect, int flags) {
        FpuState s = regs(mxcsr, GARBAGE, a, ~GARBAGE, b);
        assertTrue(SseFloat.arith(s, op, SseFloat.SD, 0, 1), "no fault expected");
        assertEquals(hex(expect), hex(s.xmm[0]), "result");
        assertEquals(GARBAGE, s.xmm[1], "high lane kept");
        assertEquals(mxcsr | flags, s.mxcsr, "mxcsr");
    }

    static void ss(int op, int mxcsr, int a, int b, int expect, int flags) {
        FpuState s = regs(mxcsr, GARBAGE, GARBAGE & 0xFFFFFFFF00000000L | a & 0xFFFFFFFFL, ~GARBAGE, b & 0xFFFFFFFFL);
        assertTrue(SseFloat.arith(s, op, SseFloat.SS, 0, 1), "no fault expected");
        assertEquals(hex(expect), hex((int) s.xmm[0]), "result");
        assertEquals(GARBAGE >>> 32, s.xmm[0] >>> 32, "lane 1 kept");
        assertEquals(GARBAGE, s.xmm[1], "lanes 2, 3 kept");
        assertEquals(mxcsr | flags, s.mxcsr, "mxcsr");
    }

    /** An op that must fault: the destination unchanged, MXCSR with the flags. */
    static void sdFaults(int op, int mxcsr, long a, long b, int flags) {
        FpuState s = regs(mxcsr, GARBAGE, a, ~GARBAGE, b);
        assertFalse(SseFloat.arith(s, op, SseFloat.SD, 0, 1), "fault expected");
        assertEquals(hex(a), hex(s.xmm[0]), "destination unchanged");
        assertEquals(mxcsr | flags, s.mxcsr, "mxcsr");
    }

    static String hex(long v) {
        return String.format("%016X", v);
    }

    static String hex(int v) {
        return String.format("%08X", v);
    }

    static long d(double v) {
        return Double.doubleToRawLongBits(v);
    }

    static int f(float v) {
        return Float.floatToRawIntBits(v);
    }

    // ---- NaNs (Vol. 1, Table 4-7, SSE column)

    @Test
    void nanPropagation() {
        // an SNaN is quietened and raises IE; of two NaNs the first source (the destination) wins
        sd(SseFloat.ADD, MASKED, SNAN, QNAN, SNAN | 1L << 51, IE);
        sd(SseFloat.ADD, MASKED, QNAN, SNAN, QNAN, IE);
        sd(SseFloat.MUL, MASKED, ONE, SNAN | SIGN, SNAN | SIGN | 1L << 51, IE);
        sd(SseFloat.SUB, MASKED, QNAN | SIGN, ONE, QNAN | SIGN, 0);
        sd(SseFloat.DIV, MASKED, ONE, QNAN, QNAN, 0);
        // a QNaN outranks a division by zero (Vol. 3A, Table 6-8)
        sd(SseFloat.DIV, MASKED, QNAN, 0, QNAN, 0);
        ss(SseFloat.ADD, MASKED, F_SNAN, F_ONE, F_SNAN | 0x400000, IE);
        ss(SseFloat.SQRT, MASKED, F_ONE, F_SNAN, F_SNAN | 0x400000, IE);
        sd(SseFloat.SQRT, MASKED, ONE, QNAN | SIGN, QNAN | SIGN, 0);
    }

    @Test
    void invalidOperationsGiveTheDefaultQNaN() {
        sd(SseFloat.SUB, MASKED, INF, INF, INDEFINITE, IE);
        sd(SseFloat.ADD, MASKED, INF | SIGN, INF, INDEFINITE, IE);
        sd(SseFloat.ADD, MASKED, INF, INF, INF, 0);
        sd(SseFloat.MUL, MASKED, 0, INF | SIGN, INDEFINITE, IE);
        sd(SseFloat.DIV, MASKED, 0, SIGN, INDEFINITE, IE);
        sd(SseFloat.DIV, MASKED, INF, INF | SIGN, INDEFINITE, IE);
        sd(SseFloat.SQRT, MASKED, ONE, ONE | SIGN, INDEFINITE, IE);
        // sqrt of a negative denormal is invalid, not a denormal operand
        sd(SseFloat.SQRT, MASKED, ONE, SIGN | 1, INDEFINITE, IE);
        sd(SseFloat.SQRT, MASKED, ONE, SIGN, SIGN, 0);
        ss(SseFloat.MUL, MASKED, F_INF, 0, F_INDEFINITE, IE);
        ss(SseFloat.DIV, MASKED, 0, 0, F_INDEFINITE, IE);
    }

    @Test
    void divisionByZeroOutranksADenormalDividend() {
        sd(SseFloat.DIV, MASKED, ONE | SIGN, 0, INF | SIGN, ZE);
        sd(SseFloat.DIV, MASKED, 1, SIGN, INF | SIGN, ZE);
        sd(SseFloat.DIV, MASKED, INF, 0, INF, 0);
        sd(SseFloat.DIV, MASKED, 1, ONE, 1, DE);
        sdFaults(SseFloat.DIV, MASKED & ~(ZE << 7), ONE, 0, ZE);
    }

    // ---- zeros, rounding

    @Test
    void signedZerosInEachRoundingMode() {
        for (int rc : MODES) {
            long zero = rc == RD ? SIGN : 0;
            sd(SseFloat.ADD, MASKED | rc, ONE, ONE | SIGN, zero, 0);
            sd(SseFloat.SUB, MASKED | rc, TWO, TWO, zero, 0);
            sd(SseFloat.ADD, MASKED | rc, 0, SIGN, zero, 0);
            sd(SseFloat.ADD, MASKED | rc, SIGN, SIGN, SIGN, 0);
            sd(SseFloat.SUB, MASKED | rc, SIGN, 0, SIGN, 0);
            sd(SseFloat.MUL, MASKED | rc, SIGN, ONE, SIGN, 0);
            ss(SseFloat.ADD, MASKED | rc, F_ONE, F_ONE | 0x80000000, rc == RD ? 0x80000000 : 0, 0);
        }
    }

    @Test
    void roundingOfAnInexactResult() {
        // 1 + 2^-53 lies halfway between 1 and 1 + 2^-52
        long tieUp = d(1 + 0x1p-52);
        sd(SseFloat.ADD, MASKED | RN, ONE, d(0x1p-53), ONE, PE);
        sd(SseFloat.ADD, MASKED | RU, ONE, d(0x1p-53), tieUp, PE);
        sd(SseFloat.ADD, MASKED | RD, ONE, d(0x1p-53), ONE, PE);
        sd(SseFloat.ADD, MASKED | RN, tieUp, d(0x1p-53), d(1 + 0x1p-51), PE);
        sd(SseFloat.SUB, MASKED | RD, SIGN | ONE, d(0x1p-60), SIGN | tieUp, PE);
        sd(SseFloat.SUB, MASKED | RZ, SIGN | ONE, d(0x1p-60), SIGN | ONE, PE);
        // 1/3 in single: 0x3EAAAAAB to nearest, 0x3EAAAAAA toward zero
        ss(SseFloat.DIV, MASKED | RN, F_ONE, f(3f), 0x3EAAAAAB, PE);
        ss(SseFloat.DIV, MASKED | RZ, F_ONE, f(3f), 0x3EAAAAAA, PE);
        ss(SseFloat.SQRT, MASKED | RU, 0, f(2f), 0x3FB504F4, PE);
        ss(SseFloat.SQRT, MASKED | RD, 0, f(2f), 0x3FB504F3, PE);
        sd(SseFloat.SQRT, MASKED, 0, d(0.25), HALF, 0);
    }

    @Test
    void overflowInEachRoundingMode() {
        // Vol. 1, 4.9.1.4, Table 4-10: nearest gives infinity, toward zero the largest finite
        long[][] expect = {{INF, INF | SIGN}, {MAX, INF | SIGN}, {INF, MAX | SIGN}, {MAX, MAX | SIGN}};
        for (int i = 0; i < 4; i++) {
            sd(SseFloat.MUL, MASKED | MODES[i], MAX, TWO, expect[i][0], OE | PE);
            sd(SseFloat.MUL, MASKED | MODES[i], MAX | SIGN, TWO, expect[i][1], OE | PE);
        }
        // MAX + half an ulp rounds to infinity to nearest (even) though the sum is below 2^1024
        sd(SseFloat.ADD, MASKED | RN, MAX, d(0x1p970), INF, OE | PE);
        sd(SseFloat.ADD, MASKED | RZ, MAX, d(0x1p970), MAX, PE);
        ss(SseFloat.MUL, MASKED | RU, 0x7F7FFFFF, f(2f), F_INF, OE | PE);
        ss(SseFloat.MUL, MASKED | RZ, 0x7F7FFFFF, f(2f), 0x7F7FFFFF, OE | PE);
        // unmasked: no result; PE only when the result rounded with an unbounded exponent is inexact
        sdFaults(SseFloat.MUL, MASKED & ~(OE << 7), MAX, d(1.5), OE | PE);
        sdFaults(SseFloat.MUL, MASKED & ~(OE << 7), d(0x1p1023), TWO, OE);
    }

    @Test
    void underflowMaskedUnmaskedAndFlushToZero() {
        long half = d(0.5);
        // 2^-1022 * 0.5 = 2^-1023: tiny and exact; masked it is a denormal with no flag
        sd(SseFloat.MUL, MASKED, MIN_NORMAL, half, 0x0008000000000000L, 0);
        // flush to zero (FZ with UM masked): a zero of the result's sign, UE and PE, exact or not
        sd(SseFloat.MUL, MASKED | FZ, MIN_NORMAL | SIGN, half, SIGN, UE | PE);
        // unmasked: UE for any tiny result, FZ then has no effect
        sdFaults(SseFloat.MUL, MASKED & ~(UE << 7) | FZ, MIN_NORMAL, half, UE);
        // (1 + 2^-52) * 2^-1023: exact with 53 bits, not as a denormal (a tie, to even)
        long a = MIN_NORMAL + 1;
        sd(SseFloat.MUL, MASKED, a, half, 0x0008000000000000L, UE | PE);
        sd(SseFloat.MUL, MASKED | RU, a, half, 0x0008000000000001L, UE | PE);
        sdFaults(SseFloat.MUL, MASKED & ~(UE << 7), a, half, UE);
        sdFaults(SseFloat.MUL, MASKED & ~(UE << 7), a, d(0.75), UE | PE);
        // tininess after rounding: 2^-1022 * (1 - 2^-104) rounds (to nearest) to 2^-1022, not tiny
        long below = d(1 - 0x1p-52);
        sd(SseFloat.MUL, MASKED, below, a, MIN_NORMAL, PE);
        sd(SseFloat.MUL, MASKED | FZ, below, a, MIN_NORMAL, PE);
        // toward zero it stays below 2^-1022: tiny
        sd(SseFloat.MUL, MASKED | RZ, below, a, 0x000FFFFFFFFFFFFFL, UE | PE);
        // the smallest denormal, halved: to nearest (even) 0, up to the smallest denormal
        sd(SseFloat.MUL, MASKED, 1, half, 0, UE | PE | DE);
        sd(SseFloat.MUL, MASKED | RU, 1, half, 1, UE | PE | DE);
        // a difference of denormals is exact; with FZ even that is flushed
        sd(SseFloat.SUB, MASKED, 3, 1, 2, DE);
        sd(SseFloat.SUB, MASKED | FZ, 3, 1, 0, DE | UE | PE);
        ss(SseFloat.MUL, MASKED, 0x00800000, f(0.5f), 0x00400000, 0);
        ss(SseFloat.MUL, MASKED | FZ, 0x00800000, f(0.5f), 0, UE | PE);
    }

    // ---- MIN, MAX

    @Test
    void minMaxReturnTheSecondOperandForNaNsAndZeros() {
        sd(SseFloat.MIN, MASKED, 0, SIGN, SIGN, 0);
        sd(SseFloat.MIN, MASKED, SIGN, 0, 0, 0);
        sd(SseFloat.MAX, MASKED, SIGN, 0, 0, 0);
        sd(SseFloat.MAX, MASKED, 0, SIGN, SIGN, 0);
        sd(SseFloat.MAX, MASKED, QNAN, ONE, ONE, IE);
        sd(SseFloat.MIN, MASKED, ONE, QNAN, QNAN, IE);
        // the SNaN is returned as it is, not quietened
        sd(SseFloat.MIN, MASKED, ONE, SNAN, SNAN, IE);
        sd(SseFloat.MAX, MASKED, SNAN, QNAN, QNAN, IE);
        sd(SseFloat.MIN, MASKED, ONE, TWO, ONE, 0);
        sd(SseFloat.MAX, MASKED, ONE, TWO, TWO, 0);
        sd(SseFloat.MAX, MASKED, INF | SIGN, 1, 1, DE);
        sd(SseFloat.MIN, MASKED, 1, 2, 1, DE);
        ss(SseFloat.MIN, MASKED, F_QNAN, 0x80000000, 0x80000000, IE);
        FpuState s = regs(MASKED & ~(IE << 7), 0, ONE, 0, QNAN);
        assertFalse(SseFloat.arith(s, SseFloat.MIN, SseFloat.SD, 0, 1));
        assertEquals(ONE, s.xmm[0]);
    }

    // ---- comparisons

    @Test
    void comparePredicates() {
        // predicate: (1 < 2, 1 vs QNaN, 1 vs SNaN) -> result, and whether a QNaN raises IE
        boolean[] less = {false, true, true, false, true, false, false, true};
        boolean[] unordered = {false, false, false, true, true, true, true, false};
        boolean[] signaling = {false, true, true, false, false, true, true, false};
        for (int p = 0; p < 8; p++) {
            FpuState s = regs(MASKED, GARBAGE, ONE, 0, TWO);
            assertTrue(SseFloat.compare(s, SseFloat.SD, 0, 1, p));
            assertEquals(less[p] ? -1L : 0, s.xmm[0], "1 ? 2, predicate " + p);
            assertEquals(GARBAGE, s.xmm[1]);
            assertEquals(MASKED, s.mxcsr);

            s = regs(MASKED, 0, ONE, 0, QNAN);
            assertTrue(SseFloat.compare(s, SseFloat.SD, 0, 1, p));
            assertEquals(unordered[p] ? -1L : 0, s.xmm[0], "1 ? QNaN, predicate " + p);
            assertEquals(MASKED | (signaling[p] ? IE : 0), s.mxcsr, "IE for a QNaN, predicate " + p);

            s = regs(MASKED, 0, SNAN, 0, ONE);
            assertTrue(SseFloat.compare(s, SseFloat.SD, 0, 1, p));
            assertEquals(MASKED | IE, s.mxcsr, "IE for an SNaN, predicate " + p);
        }
        // +0 = -0; a denormal compares as its value and sets DE
        FpuState s = regs(MASKED, 0, 0, 0, SIGN);
        assertTrue(SseFloat.compare(s, SseFloat.SD, 0, 1, 0));
        assertEquals(-1L, s.xmm[0]);
        s = regs(MASKED, 0, 1, 0, 2);
        assertTrue(SseFloat.compare(s, SseFloat.SD, 0, 1, 1));
        assertEquals(-1L, s.xmm[0]);
        assertEquals(MASKED | DE, s.mxcsr);
        // packed singles, lane by lane: (1, QNaN, 3, -0) < (2, 1, 3, +0)
        s = regs(MASKED, 0x80000000L << 32 | f(3f), (long) F_QNAN << 32 | F_ONE, (long) 0 << 32 | f(3f), (long) F_ONE << 32 | f(2f));
        assertTrue(SseFloat.compare(s, SseFloat.PS, 0, 1, 2));
        assertEquals(0xFFFFFFFFL, s.xmm[0]);
        assertEquals(0xFFFFFFFF_FFFFFFFFL, s.xmm[1]);
        assertEquals(MASKED | IE, s.mxcsr);
        // unmasked IE: no write
        s = regs(MASKED & ~(IE << 7), 0, ONE, 0, QNAN);
        assertFalse(SseFloat.compare(s, SseFloat.SD, 0, 1, 1));
        assertEquals(ONE, s.xmm[0]);
        assertEquals(MASKED & ~(IE << 7) | IE, s.mxcsr);
    }

    @Test
    void comisFlags() {
        int zf = 0x40, pf = 4, cf = 1;
        assertEquals(0, comis(MASKED, true, true, TWO, ONE, MASKED));
        assertEquals(cf, comis(MASKED, true, true, ONE, TWO, MASKED));
        assertEquals(zf, comis(MASKED, true, true, 0, SIGN, MASKED));
        assertEquals(zf | pf | cf, comis(MASKED, true, false, ONE, QNAN, MASKED));
        assertEquals(zf | pf | cf, comis(MASKED, true, true, ONE, QNAN, MASKED | IE));
        assertEquals(zf | pf | cf, comis(MASKED, true, false, SNAN, ONE, MASKED | IE));
        assertEquals(cf, comis(MASKED, true, false, 1, 2, MASKED | DE));
        assertEquals(-1, comis(MASKED & ~(IE << 7), true, true, QNAN, ONE, MASKED & ~(IE << 7) | IE));
        assertEquals(zf | pf | cf, comis(MASKED & ~(IE << 7), true, false, QNAN, ONE, MASKED & ~(IE << 7)));
        // singles: only the low 32 bits count
        FpuState s = regs(MASKED, 0, 0xDEADBEEF00000000L | F_ONE, 0, 0x1234567800000000L | F_ONE);
        assertEquals(zf, SseFloat.comis(s, false, true, s.xmm[0], s.xmm[2]));
    }

    static int comis(int mxcsr, boolean dbl, boolean signaling, long a, long b, int mxcsrAfter) {
        FpuState s = regs(mxcsr, 0, a, 0, b);
        int r = SseFloat.comis(s, dbl, signaling, s.xmm[0], s.xmm[2]);
        assertEquals(mxcsrAfter, s.mxcsr, "mxcsr");
        return r;
    }

    // ---- conversions

    @Test
    void conversionsToIntegers() {
        // Vol. 2 CVTSD2SI: by RC; NaN, infinity and out of range give 80000000H with IE
        int[][] twoAndAHalf = {{2, -2}, {2, -3}, {3, -2}, {2, -2}};
        for (int i = 0; i < 4; i++) {
            assertEquals(twoAndAHalf[i][0], toInt(MASKED | MODES[i], true, false, d(2.5), PE));
            assertEquals(twoAndAHalf[i][1], toInt(MASKED | MODES[i], true, false, d(-2.5), PE));
            assertEquals(-2, toInt(MASKED | MODES[i], true, true, d(-2.99), PE));
        }
        assertEquals(Integer.MIN_VALUE, toInt(MASKED, true, false, QNAN, IE));
        assertEquals(Integer.MIN_VALUE, toInt(MASKED, true, true, INF | SIGN, IE));
        assertEquals(Integer.MIN_VALUE, toInt(MASKED, true, false, d(2147483647.5), IE));
        assertEquals(Integer.MAX_VALUE, toInt(MASKED, true, true, d(2147483647.9), PE));
        assertEquals(Integer.MIN_VALUE, toInt(MASKED, true, false, d(-2147483648.4), PE));
        assertEquals(Integer.MIN_VALUE, toInt(MASKED, true, true, d(-2147483649.0), IE));
        // no DE for these conversions
        assertEquals(0, toInt(MASKED, true, false, 1, PE));
        assertEquals(1, toInt(MASKED | RU, true, false, 1, PE));
        assertEquals(Integer.MIN_VALUE, toInt(MASKED, false, false, f(2147483648f), IE));
        assertEquals(-7, toInt(MASKED, false, true, f(-7.75f), PE));
        // unmasked: bit 32, MXCSR flag set
        FpuState s = regs(MASKED & ~(PE << 7), 0, 0, 0, d(0.5));
        assertEquals(1L << 32, SseFloat.toInt(s, true, false, s.xmm[2]) & 1L << 32);
        assertEquals(MASKED & ~(PE << 7) | PE, s.mxcsr);
    }

    static int toInt(int mxcsr, boolean dbl, boolean truncate, long v, int flags) {
        FpuState s = regs(mxcsr, 0, 0, GARBAGE, v);
        long r = SseFloat.toInt(s, dbl, truncate, s.xmm[2]);
        assertEquals(0, r >>> 32, "no fault");
        assertEquals(mxcsr | flags, s.mxcsr, "mxcsr");
        return (int) r;
    }

    @Test
    void conversionsBetweenFormats() {
        // CVTSD2SS: an SNaN keeps its sign and top fraction bits, quietened
        FpuState s = regs(MASKED, GARBAGE, GARBAGE, 0, 0xFFF4000000000000L);
        assertTrue(SseFloat.convert(s, SseFloat.CVTSD2SS, 0, 1));
        assertEquals(0xFFE00000L, s.xmm[0] & 0xFFFFFFFFL);
        assertEquals(GARBAGE >>> 32, s.xmm[0] >>> 32);
        assertEquals(GARBAGE, s.xmm[1]);
        assertEquals(MASKED | IE, s.mxcsr);
        // CVTSS2SD: exact; a denormal sets DE; an SNaN's fraction moves up, quietened
        s = regs(MASKED, GARBAGE, GARBAGE, 0, 1);
        assertTrue(SseFloat.convert(s, SseFloat.CVTSS2SD, 0, 1));
        assertEquals(d(0x1p-149), s.xmm[0]);
        assertEquals(GARBAGE, s.xmm[1]);
        assertEquals(MASKED | DE, s.mxcsr);
        s = regs(MASKED, 0, 0, 0, 0xFF800001L);
        assertTrue(SseFloat.convert(s, SseFloat.CVTSS2SD, 0, 1));
        assertEquals(0xFFF8000020000000L, s.xmm[0]);
        // CVTPD2PS: rounded by RC, OE and UE as for arithmetic, upper half zeroed
        s = regs(MASKED | RZ, GARBAGE, GARBAGE, d(1e300), d(1.0 / 3));
        assertTrue(SseFloat.convert(s, SseFloat.CVTPD2PS, 0, 1));
        assertEquals(0x7F7FFFFFL << 32 | 0x3EAAAAAAL, s.xmm[0]);
        assertEquals(0, s.xmm[1]);
        assertEquals(MASKED | RZ | OE | PE, s.mxcsr);
        s = regs(MASKED | FZ, 0, 0, 0, d(0x1p-130));
        assertTrue(SseFloat.convert(s, SseFloat.CVTSD2SS, 0, 1));
        assertEquals(0, s.xmm[0]);
        assertEquals(MASKED | FZ | UE | PE, s.mxcsr);
        s = regs(MASKED, 0, 0, 0, d(0x1p-130));
        assertTrue(SseFloat.convert(s, SseFloat.CVTSD2SS, 0, 1));
        assertEquals(0x00080000L, s.xmm[0]);
        assertEquals(MASKED, s.mxcsr);
        // CVTPS2PD and CVTDQ2PD read the low 64 bits only
        s = regs(MASKED, GARBAGE, GARBAGE, GARBAGE, (long) f(-2f) << 32 | f(0.5f));
        assertTrue(SseFloat.convert(s, SseFloat.CVTPS2PD, 0, 1));
        assertEquals(d(0.5), s.xmm[0]);
        assertEquals(d(-2), s.xmm[1]);
        s = regs(MASKED, GARBAGE, GARBAGE, GARBAGE, 0x80000000_00000007L);
        assertTrue(SseFloat.convert(s, SseFloat.CVTDQ2PD, 0, 1));
        assertEquals(d(7), s.xmm[0]);
        assertEquals(d(-2147483648.0), s.xmm[1]);
        // CVTPD2DQ and CVTTPD2DQ: upper half zeroed; the integer indefinite for NaN
        s = regs(MASKED, GARBAGE, GARBAGE, QNAN, d(-1.5));
        assertTrue(SseFloat.convert(s, SseFloat.CVTPD2DQ, 0, 1));
        assertEquals(0x80000000_FFFFFFFEL, s.xmm[0]);
        assertEquals(0, s.xmm[1]);
        assertEquals(MASKED | IE | PE, s.mxcsr);
        s = regs(MASKED, GARBAGE, GARBAGE, d(2.9), d(-1.5));
        assertTrue(SseFloat.convert(s, SseFloat.CVTTPD2DQ, 0, 1));
        assertEquals(0x00000002_FFFFFFFFL, s.xmm[0]);
        // CVTDQ2PS rounds by RC; CVTPS2DQ / CVTTPS2DQ
        s = regs(MASKED | RU, 0, 0, 3L << 32 | 0xFFFFFFFFL, 16777217L << 32 | 1);
        assertTrue(SseFloat.convert(s, SseFloat.CVTDQ2PS, 0, 1));
        assertEquals((long) f(16777218f) << 32 | f(1f), s.xmm[0]);
        assertEquals((long) f(3f) << 32 | f(-1f) & 0xFFFFFFFFL, s.xmm[1]);
        assertEquals(MASKED | RU | PE, s.mxcsr);
        s = regs(MASKED, 0, 0, (long) F_INF << 32 | f(-0.5f) & 0xFFFFFFFFL, (long) f(1.5f) << 32 | f(2.5f));
        assertTrue(SseFloat.convert(s, SseFloat.CVTPS2DQ, 0, 1));
        assertEquals(2L << 32 | 2, s.xmm[0]);
        assertEquals(0x80000000_00000000L, s.xmm[1]);
        assertEquals(MASKED | IE | PE, s.mxcsr);
    }

    @Test
    void fromInt() {
        FpuState s = regs(MASKED, GARBAGE, GARBAGE, 0, 0);
        assertTrue(SseFloat.fromInt(s, false, 0, 16777217));
        assertEquals(f(16777216f), (int) s.xmm[0]);
        assertEquals(GARBAGE >>> 32, s.xmm[0] >>> 32);
        assertEquals(MASKED | PE, s.mxcsr);
        s = regs(MASKED | RU, 0, 0, 0, 0);
        assertTrue(SseFloat.fromInt(s, false, 0, -16777217));
        assertEquals(f(-16777216f), (int) s.xmm[0]);
        s = regs(MASKED | RD, 0, 0, 0, 0);
        assertTrue(SseFloat.fromInt(s, false, 0, Integer.MAX_VALUE));
        assertEquals(f(2147483520f), (int) s.xmm[0]);
        s = regs(MASKED & ~(PE << 7), 0, 7, 0, 0);
        assertFalse(SseFloat.fromInt(s, false, 0, Integer.MAX_VALUE));
        assertEquals(7, s.xmm[0]);
        assertEquals(MASKED & ~(PE << 7) | PE, s.mxcsr);
        s = regs(MASKED & ~(PE << 7), GARBAGE, GARBAGE, 0, 0);
        assertTrue(SseFloat.fromInt(s, true, 0, Integer.MIN_VALUE));
        assertEquals(d(-2147483648.0), s.xmm[0]);
        assertEquals(GARBAGE, s.xmm[1]);
    }

    // ---- packed operations and unmasked exceptions (Vol. 1, 11.5.2)

    @Test
    void packedExceptions() {
        int noIM = MASKED & ~(IE << 7);
        // an unmasked pre-computation exception in one lane: nothing computed, every lane's
        // pre-computation flags set, no post-computation flags
        FpuState s = regs(noIM, ONE, SNAN, 1, ONE);
        assertFalse(SseFloat.arith(s, SseFloat.ADD, SseFloat.PD, 0, 1));
        assertEquals(noIM | IE | DE, s.mxcsr);
        assertEquals(SNAN, s.xmm[0]);
        assertEquals(ONE, s.xmm[1]);
        s = regs(noIM, ONE, SNAN, d(0x1p-60), ONE);
        assertFalse(SseFloat.arith(s, SseFloat.ADD, SseFloat.PD, 0, 1));
        assertEquals(noIM | IE, s.mxcsr);
        // masked pre-computation, unmasked post-computation: all flags, no write
        int noPM = MASKED & ~(PE << 7);
        s = regs(noPM, ONE, SNAN, d(0x1p-60), ONE);
        assertFalse(SseFloat.arith(s, SseFloat.ADD, SseFloat.PD, 0, 1));
        assertEquals(noPM | IE | PE, s.mxcsr);
        assertEquals(SNAN, s.xmm[0]);
        // all masked: every lane computed, all flags
        s = regs(MASKED, ONE, SNAN, d(0x1p-60), ONE);
        assertTrue(SseFloat.arith(s, SseFloat.ADD, SseFloat.PD, 0, 1));
        assertEquals(SNAN | 1L << 51, s.xmm[0]);
        assertEquals(ONE, s.xmm[1]);
        assertEquals(MASKED | IE | PE, s.mxcsr);
        // flags already set and unmasked do not fault by themselves
        s = regs(noIM | IE, 0, ONE, 0, ONE);
        assertTrue(SseFloat.arith(s, SseFloat.ADD, SseFloat.SD, 0, 1));
        assertEquals(TWO, s.xmm[0]);
        // a conversion's invalid result is a pre-computation exception too
        s = regs(noIM, 0, 0, d(1.5), QNAN);
        assertFalse(SseFloat.convert(s, SseFloat.CVTPD2DQ, 0, 1));
        assertEquals(noIM | IE, s.mxcsr);
    }

    @Test
    void packedSinglesLaneByLaneAndAliasing() {
        FpuState s = regs(MASKED, (long) f(4f) << 32 | f(3f), (long) f(2f) << 32 | f(1f), 0, 0);
        assertTrue(SseFloat.arith(s, SseFloat.MUL, SseFloat.PS, 0, 0));
        assertEquals((long) f(4f) << 32 | f(1f), s.xmm[0]);
        assertEquals((long) f(16f) << 32 | f(9f), s.xmm[1]);
        // the source as the memory operand pseudo-register
        s = state(MASKED);
        s.xmm[0] = d(10);
        s.xmm[1] = d(20);
        s.xmm[2 * FpuState.XMM_OPERAND] = d(4);
        s.xmm[2 * FpuState.XMM_OPERAND + 1] = d(0.5);
        assertTrue(SseFloat.arith(s, SseFloat.DIV, SseFloat.PD, 0, FpuState.XMM_OPERAND));
        assertEquals(d(2.5), s.xmm[0]);
        assertEquals(d(40), s.xmm[1]);
        assertEquals(MASKED, s.mxcsr);
    }

    // ---- approximations

    @Test
    void reciprocalApproximations() {
        FpuState s = regs(MASKED | RZ, 0, (long) F_INF << 32, (long) 0x80000001 << 32 | 0x80000000L, (long) F_INF << 32 | 0);
        SseFloat.approx(s, SseFloat.RCP, SseFloat.PS, 0, 1);
        assertEquals((long) 0xFF800000 << 32 | 0xFF800000L, s.xmm[1], "-denormal, -0 -> -inf");
        assertEquals((long) 0 << 32 | F_INF, s.xmm[0], "+inf -> +0, +0 -> +inf");
        assertEquals(MASKED | RZ, s.mxcsr);
        s = regs(MASKED, 0, 0, (long) F_SNAN << 32 | 0xFF800000L, (long) f(-1f) << 32 | F_INF);
        SseFloat.approx(s, SseFloat.RSQRT, SseFloat.PS, 0, 1);
        assertEquals((long) F_INDEFINITE << 32 | 0, s.xmm[0], "+inf -> +0, -1 -> indefinite");
        assertEquals((long) (F_SNAN | 0x400000) << 32 | F_INDEFINITE & 0xFFFFFFFFL, s.xmm[1], "-inf -> indefinite, SNaN quietened");
        // a tiny reciprocal is flushed (|x| >= 1.00000000000110000000001B * 2^126)
        s = regs(MASKED, 0, 0, 0, 0xFF000000L);
        SseFloat.approx(s, SseFloat.RCP, SseFloat.SS, 0, 1);
        assertEquals(0x80000000L, s.xmm[0]);
        // within 1.5 * 2^-12 of the true value
        Random r = new Random(12);
        for (int i = 0; i < 20000; i++) {
            float x = Float.intBitsToFloat(r.nextInt() & 0x7EFFFFFF | 0x00800000);
            s = regs(MASKED, GARBAGE, GARBAGE, 0, Float.floatToRawIntBits(x) & 0xFFFFFFFFL);
            SseFloat.approx(s, i % 2 == 0 ? SseFloat.RCP : SseFloat.RSQRT, SseFloat.SS, 0, 1);
            double exact = i % 2 == 0 ? 1 / (double) x : 1 / Math.sqrt(x);
            float got = Float.intBitsToFloat((int) s.xmm[0]);
            if (i % 2 == 0 && Math.abs(x) > 0x1p126f) continue;
            assertTrue(Math.abs(got - exact) <= 1.5 * 0x1p-12 * Math.abs(exact), x + " -> " + got);
            assertEquals(GARBAGE >>> 32, s.xmm[0] >>> 32);
        }
    }

    // ---- the fast path against the exact path

    /**
     * Random operands the fast path takes (round to nearest; normal or zero operands) and the same
     * ones through {@link SseRound}, which the host oracle test checks against the CPU: results
     * and flags must agree.
     */
    @Test
    void fastPathAgreesWithTheExactPath() {
        Random r = new Random(7);
        for (int i = 0; i < 200000; i++) {
            int op = r.nextInt(7);
            boolean dbl = r.nextBoolean();
            long a, b;
            if (dbl) {
                a = (long) (1023 - 420 + r.nextInt(840)) << 52 | r.nextLong() >>> 12 & -(1L << r.nextInt(50)) | (long) r.nextInt(2) << 63;
                b = r.nextInt(4) == 0 ? a ^ r.nextInt(8) : (long) (1023 - 420 + r.nextInt(840)) << 52 | r.nextLong() >>> 12 | (long) r.nextInt(2) << 63;
            } else {
                a = (long) (1 + r.nextInt(254)) << 23 | r.nextInt(1 << 23) & -(1 << r.nextInt(22)) | (long) r.nextInt(2) << 31;
                b = r.nextInt(4) == 0 ? a ^ r.nextInt(8) : (long) (1 + r.nextInt(254)) << 23 | r.nextInt(1 << 23) | (long) r.nextInt(2) << 31;
            }
            if (r.nextInt(20) == 0) b &= dbl ? 1L << 63 : 1L << 31;
            int mxcsr = MASKED | (r.nextBoolean() ? FZ : 0);
            FpuState s = regs(mxcsr, 0, a, 0, b);
            boolean ok = SseFloat.arith(s, op, dbl ? SseFloat.SD : SseFloat.SS, 0, 1);
            FpuState e = state(mxcsr);
            long expect = SseRound.arith(e, dbl ? SseRound.DOUBLE : SseRound.SINGLE, op, a, b, mxcsr);
            String what = op + (dbl ? " sd " : " ss ") + Long.toHexString(a) + " " + Long.toHexString(b);
            assertTrue(ok, what);
            assertEquals(expect, dbl ? s.xmm[0] : s.xmm[0] & 0xFFFFFFFFL, what);
            assertEquals(mxcsr | e.exc, s.mxcsr, what);
        }
    }
}
