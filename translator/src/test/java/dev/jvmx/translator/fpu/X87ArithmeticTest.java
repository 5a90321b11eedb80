package dev.jvmx.translator.fpu;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.jvmx.translator.fpu.Float80.INDEFINITE_M;
import static dev.jvmx.translator.fpu.Float80.INDEFINITE_SE;
import static dev.jvmx.translator.fpu.Float80.J;
import static dev.jvmx.translator.fpu.FpuState.C0;
import static dev.jvmx.translator.fpu.FpuState.C1;
import static dev.jvmx.translator.fpu.FpuState.C2;
import static dev.jvmx.translator.fpu.FpuState.C3;
import static dev.jvmx.translator.fpu.FpuState.DE;
import static dev.jvmx.translator.fpu.FpuState.ES;
import static dev.jvmx.translator.fpu.FpuState.IE;
import static dev.jvmx.translator.fpu.FpuState.OE;
import static dev.jvmx.translator.fpu.FpuState.PE;
import static dev.jvmx.translator.fpu.FpuState.SF;
import static dev.jvmx.translator.fpu.FpuState.UE;
import static dev.jvmx.translator.fpu.FpuState.ZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The arithmetic and stack rules worked from the SDM (Vol. 1 ch. 4 and 8, Vol. 2 instruction
 * pages) and IEEE 754, independent of the host CPU. With PC = 53 (24) and round to nearest, the
 * x87 result of an operation on doubles (floats) that stays in the double (float) normal range is
 * the IEEE double (float) result, which the JVM computes: a second oracle on every machine.
 */
class X87ArithmeticTest {
    static FpuState fpu(int cw) {
        FpuState s = new FpuState();
        s.init();
        s.loadControlWord(cw);
        return s;
    }

    static FpuState two(int cw, long am, int ase, long bm, int bse) {
        FpuState s = fpu(cw);
        s.push(bm, bse);
        s.push(am, ase);
        return s;
    }

    private static void assertSt(FpuState s, int i, long m, int se) {
        assertEquals(Float80.toString(m, se), Float80.toString(s.m(i), s.se(i)), "ST(" + i + ") in " + s);
    }

    @Test
    void oneThirdInEachPrecision() {
        long one = J, three = 0xC000000000000000L;
        FpuState s = two(0x007F, one, 0x3FFF, three, 0x4000); // PC 24
        X87.arith(s, X87.DIV, 0, 1, false);
        assertSt(s, 0, 0xAAAAAB0000000000L, 0x3FFD);
        assertEquals(PE | C1, s.sw & (0x3F | C1));
        s = two(0x027F, one, 0x3FFF, three, 0x4000); // PC 53
        X87.arith(s, X87.DIV, 0, 1, false);
        assertSt(s, 0, Double.doubleToRawLongBits(1.0 / 3) << 11 | J, 0x3FFD);
        s = two(0x037F, one, 0x3FFF, three, 0x4000); // PC 64
        X87.arith(s, X87.DIV, 0, 1, false);
        assertSt(s, 0, 0xAAAAAAAAAAAAAAABL, 0x3FFD);
        s = two(0x0F7F, one, 0x3FFF, three, 0x4000); // PC 64, chop
        X87.arith(s, X87.DIV, 0, 1, false);
        assertSt(s, 0, 0xAAAAAAAAAAAAAAAAL, 0x3FFD);
        assertEquals(PE, s.sw & (0x3F | C1));
    }

    /** PC 53 / round to nearest on doubles is IEEE double arithmetic (the JVM's). */
    @Test
    void precision53NearestIsJavaDouble() {
        Random r = new Random(53);
        for (int k = 0; k < 50000; k++) {
            double a = randomDouble(r), b = randomDouble(r);
            int op = new int[] {X87.ADD, X87.SUB, X87.MUL, X87.DIV}[k & 3];
            double want = op == X87.ADD ? a + b : op == X87.SUB ? a - b : op == X87.MUL ? a * b : a / b;
            if (!Double.isFinite(want) || Math.abs(want) < Double.MIN_NORMAL) continue;
            FpuState s = fpu(0x027F);
            FpuConvert.fromDouble(s, Double.doubleToRawLongBits(b));
            s.push(s.rm, s.rse);
            FpuConvert.fromDouble(s, Double.doubleToRawLongBits(a));
            s.push(s.rm, s.rse);
            X87.arith(s, op, 0, 1, false);
            s.exc = 0;
            assertTrue(FpuConvert.toDouble(s, s.m(0), s.se(0)));
            assertEquals(0, s.exc & PE, "a PC 53 result converts to double exactly");
            assertEquals(Double.doubleToRawLongBits(want), s.rm, a + " op" + op + " " + b);
        }
        for (int k = 0; k < 20000; k++) {
            double a = Math.abs(randomDouble(r));
            FpuState s = fpu(0x027F);
            FpuConvert.fromDouble(s, Double.doubleToRawLongBits(a));
            s.push(s.rm, s.rse);
            X87.fsqrt(s);
            s.exc = 0;
            FpuConvert.toDouble(s, s.m(0), s.se(0));
            assertEquals(Double.doubleToRawLongBits(Math.sqrt(a)), s.rm, "sqrt " + a);
        }
    }

    /** PC 24 / nearest on floats is IEEE single arithmetic. */
    @Test
    void precision24NearestIsJavaFloat() {
        Random r = new Random(24);
        for (int k = 0; k < 50000; k++) {
            float a = Float.intBitsToFloat(r.nextInt()), b = Float.intBitsToFloat(r.nextInt());
            int op = new int[] {X87.ADD, X87.SUB, X87.MUL, X87.DIV}[k & 3];
            float want = op == X87.ADD ? a + b : op == X87.SUB ? a - b : op == X87.MUL ? a * b : a / b;
            if (!Float.isFinite(want) || Math.abs(want) < Float.MIN_NORMAL || !Float.isFinite(a) || !Float.isFinite(b)) continue;
            FpuState s = fpu(0x007F);
            FpuConvert.fromSingle(s, Float.floatToRawIntBits(a));
            s.push(s.rm, s.rse);
            X87.arithM32(s, op, Float.floatToRawIntBits(b));
            s.exc = 0;
            FpuConvert.toSingle(s, s.m(0), s.se(0));
            assertEquals(0, s.exc & PE);
            assertEquals(Float.floatToRawIntBits(want), (int) s.rm, a + " op" + op + " " + b);
        }
    }

    static double randomDouble(Random r) {
        double d = (r.nextDouble() * 2 - 1) * Math.scalb(1.0, r.nextInt(200) - 100);
        return r.nextInt(4) == 0 ? Math.rint(d * 1024) / 1024 : d;
    }

    @Test
    void underflowRules() {
        // min normal * 0.5: exact tiny result, masked: a denormal without UE or PE
        FpuState s = two(0x037F, J, 0x0001, J, 0x3FFE);
        X87.arith(s, X87.MUL, 0, 1, false);
        assertSt(s, 0, 0x4000000000000000L, 0);
        assertEquals(0, s.sw & 0x3F);
        // the same, UE unmasked: UE with the exponent biased by +24576 (Vol. 1, 4.9.1.5 / 8.5.4)
        s = two(0x037F & ~UE, J, 0x0001, J, 0x3FFE);
        X87.arith(s, X87.MUL, 0, 1, false);
        assertSt(s, 0, J, 0x6000);
        assertEquals(UE | ES, s.sw & (0x3F | ES));
        // inexact tiny result, masked: UE and PE
        s = two(0x037F, J | 1, 0x0001, J, 0x3FFE);
        X87.arith(s, X87.MUL, 0, 1, false);
        assertSt(s, 0, 0x4000000000000000L, 0); // ties to even
        assertEquals(UE | PE, s.sw & 0x3F);
    }

    @Test
    void overflowRules() {
        long max = -1L;
        FpuState s = two(0x037F & ~OE, max, 0x7FFE, J, 0x4000);
        X87.arith(s, X87.MUL, 0, 1, false);
        assertSt(s, 0, max, 0x7FFF - 0x6000);
        assertEquals(OE | ES, s.sw & (0x3F | ES));
        s = two(0x0F7F, max, 0x7FFE, J, 0x4000); // chop: the largest finite
        X87.arith(s, X87.MUL, 0, 1, false);
        assertSt(s, 0, max, 0x7FFE);
        assertEquals(OE | PE, s.sw & (0x3F | C1));
        s = two(0x037F, max, 0x7FFE, J, 0x4000); // nearest: infinity, rounded up
        X87.arith(s, X87.MUL, 0, 1, false);
        assertSt(s, 0, J, 0x7FFF);
        assertEquals(OE | PE | C1, s.sw & (0x3F | C1));
        s = two(0x007F, max, 0x7FFE, J, 0x4000); // PC 24, chop... nearest: infinity; chop gives 24 ones
        s.loadControlWord(0x0C7F);
        X87.arith(s, X87.MUL, 0, 1, false);
        assertSt(s, 0, 0xFFFFFF0000000000L, 0x7FFE);
    }

    @Test
    void signedZerosAndSpecialOperands() {
        FpuState s = two(0x037F, J, 0x3FFF, J, 0x3FFF);
        X87.arith(s, X87.SUB, 0, 1, false);
        assertSt(s, 0, 0, 0);
        s = two(0x077F, J, 0x3FFF, J, 0x3FFF); // round down: x - x = -0
        X87.arith(s, X87.SUB, 0, 1, false);
        assertSt(s, 0, 0, 0x8000);
        s = two(0x037F, J, 0x7FFF, J, 0x7FFF); // inf - inf: invalid, indefinite
        X87.arith(s, X87.SUB, 0, 1, false);
        assertSt(s, 0, INDEFINITE_M, INDEFINITE_SE);
        assertEquals(IE, s.sw & 0x3F);
        s = two(0x037E, J, 0x7FFF, J, 0x7FFF); // unmasked IE: nothing written
        X87.arith(s, X87.SUB, 0, 1, false);
        assertSt(s, 0, J, 0x7FFF);
        assertEquals(IE | ES, s.sw & (0x3F | ES));
        s = two(0x037F, J, 0x3FFF, 0, 0x8000); // 1 / -0: ZE, -inf
        X87.arith(s, X87.DIV, 0, 1, false);
        assertSt(s, 0, J, 0xFFFF);
        assertEquals(ZE, s.sw & 0x3F);
        s = fpu(0x037F);
        s.push(0, 0x8000);
        X87.fsqrt(s);
        assertSt(s, 0, 0, 0x8000); // sqrt(-0) = -0
        s = fpu(0x037F);
        s.push(J, 0xBFFF);
        X87.fsqrt(s);
        assertSt(s, 0, INDEFINITE_M, INDEFINITE_SE);
        s = two(0x037F, 1, 0, J, 0x3FFF); // denormal operand: DE
        X87.arith(s, X87.ADD, 0, 1, false);
        assertEquals(DE | PE, s.sw & 0x3F);
        s = two(0x037D, 1, 0, J, 0x3FFF); // DE unmasked: not carried out
        X87.arith(s, X87.ADD, 0, 1, false);
        assertSt(s, 0, 1, 0);
        assertEquals(DE | ES, s.sw & (0x3F | ES));
        s = two(0x037F, 0x4000000000000000L, 0x4000, J, 0x3FFF); // unnormal: unsupported
        X87.arith(s, X87.ADD, 0, 1, false);
        assertSt(s, 0, INDEFINITE_M, INDEFINITE_SE);
        assertEquals(IE, s.sw & 0x3F);
    }

    @Test
    void nanPropagation() {
        long q1 = 0xC000000000000001L, q2 = 0xC000000000000002L, sn = 0xA000000000000000L;
        FpuState s = two(0x037F, q1, 0x7FFF, q2, 0xFFFF); // two QNaNs: the larger significand
        X87.arith(s, X87.ADD, 0, 1, false);
        assertSt(s, 0, q2, 0xFFFF);
        assertEquals(0, s.sw & 0x3F);
        s = two(0x037F, sn, 0x7FFF, q1, 0x7FFF); // SNaN and QNaN: the QNaN, and IE
        X87.arith(s, X87.MUL, 0, 1, false);
        assertSt(s, 0, q1, 0x7FFF);
        assertEquals(IE, s.sw & 0x3F);
        s = two(0x037F, sn, 0x7FFF, J, 0x3FFF); // SNaN: quieted
        X87.arith(s, X87.SUB, 0, 1, false);
        assertSt(s, 0, sn | Float80.QUIET, 0x7FFF);
        s = two(0x037F, J, 0x3FFF, q1, 0xFFFF); // FSUB keeps a NaN's sign
        X87.arith(s, X87.SUB, 0, 1, false);
        assertSt(s, 0, q1, 0xFFFF);
    }

    @Test
    void stackFaults() {
        FpuState s = fpu(0x037F);
        for (int k = 0; k < 8; k++) X87.fldConst(s, X87.ONE);
        X87.fldConst(s, X87.Z); // overflow, masked: TOP moves, ST(0) = indefinite
        assertSt(s, 0, INDEFINITE_M, INDEFINITE_SE);
        assertEquals(IE | SF | C1, s.sw & (0x7F | C1));
        assertEquals(7, s.top);
        s = fpu(0x037E);
        for (int k = 0; k < 8; k++) X87.fldConst(s, X87.ONE);
        X87.fldConst(s, X87.Z); // unmasked: nothing moves
        assertEquals(0, s.top);
        assertSt(s, 0, J, 0x3FFF);
        assertEquals(IE | SF | C1 | ES, s.sw & (0xFF | C1));
        s = fpu(0x037F);
        X87.fldConst(s, X87.ONE);
        X87.arith(s, X87.ADD, 0, 1, false); // ST(1) empty: underflow, C1 = 0
        assertSt(s, 0, INDEFINITE_M, INDEFINITE_SE);
        assertEquals(IE | SF, s.sw & (0x7F | C1));
        s = fpu(0x037F);
        X87.fxam(s);
        assertEquals(C3 | C0, s.sw & FpuState.CC, "FXAM of an empty register");
        s.push(J, 0xFFFF);
        X87.fxam(s);
        assertEquals(C2 | C0 | C1, s.sw & FpuState.CC, "-infinity");
        s.push(1, 0);
        X87.fxam(s);
        assertEquals(C3 | C2, s.sw & FpuState.CC, "denormal");
    }

    @Test
    void constantsFollowRoundingControl() {
        long[][] want = { // FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2 for nearest, down, up, chop
            {0xD49A784BCD1B8AFEL, 0xD49A784BCD1B8AFEL, 0xD49A784BCD1B8AFFL, 0xD49A784BCD1B8AFEL},
            {0xB8AA3B295C17F0BCL, 0xB8AA3B295C17F0BBL, 0xB8AA3B295C17F0BCL, 0xB8AA3B295C17F0BBL},
            {0xC90FDAA22168C235L, 0xC90FDAA22168C234L, 0xC90FDAA22168C235L, 0xC90FDAA22168C234L},
            {0x9A209A84FBCFF799L, 0x9A209A84FBCFF798L, 0x9A209A84FBCFF799L, 0x9A209A84FBCFF798L},
            {0xB17217F7D1CF79ACL, 0xB17217F7D1CF79ABL, 0xB17217F7D1CF79ACL, 0xB17217F7D1CF79ABL}};
        int[] se = {0x4000, 0x3FFF, 0x4000, 0x3FFD, 0x3FFE};
        for (int c = 0; c < 5; c++) {
            for (int rc = 0; rc < 4; rc++) {
                FpuState s = fpu(0x037F | rc << 10);
                X87.fldConst(s, X87.L2T + c);
                assertSt(s, 0, want[c][rc], se[c]);
                assertEquals(0, s.sw & 0x3F, "no precision exception");
            }
        }
    }

    @Test
    void partialRemainder() {
        FpuState s = two(0x037F, 0xE000000000000000L, 0x4001, J, 0x4000); // 7 rem 2
        X87.fprem(s, false);
        assertSt(s, 0, J, 0x3FFF);                        // 1, quotient 3
        assertEquals(C3 | C1, s.sw & FpuState.CC);
        s = two(0x037F, 0xE000000000000000L, 0x4001, J, 0x4000); // FPREM1: 7/2 = 3.5 -> 4, remainder -1
        X87.fprem(s, true);
        assertSt(s, 0, J, 0xBFFF);
        assertEquals(C0, s.sw & FpuState.CC);
        s = two(0x037F, J, 0x3FFF + 100, 0xC000000000000000L, 0x4000); // 2^100 rem 3: exponent gap 99
        X87.fprem(s, false);
        assertEquals(C2, s.sw & C2, "incomplete reduction");
        for (int k = 0; k < 10 && (s.sw & C2) != 0; k++) X87.fprem(s, false);
        assertEquals(0, s.sw & C2);
        assertSt(s, 0, J, 0x3FFF); // 2^100 = 1 (mod 3)
    }

    @Test
    void comparisons() {
        FpuState s = two(0x037F, J, 0x3FFF, J, 0x4000); // 1 ? 2
        assertEquals(1, X87.fcomi(s, 1, false, false)); // CF
        X87.fcom(s, 1, false, 0);
        assertEquals(C0, s.sw & (C0 | C2 | C3));
        s = two(0x037F, 0xC000000000000000L, 0x7FFF, J, 0x4000);
        assertEquals(0x45, X87.fcomi(s, 1, true, false)); // FUCOMI with a QNaN: unordered, no IE
        assertEquals(0, s.sw & IE);
        X87.fcom(s, 1, false, 0);                        // FCOM: IE
        assertEquals(C0 | C2 | C3, s.sw & (C0 | C2 | C3));
        assertEquals(IE, s.sw & IE);
        s = two(0x037F, 0, 0x8000, 0, 0);                // -0 = +0
        X87.fcom(s, 1, false, 2);
        assertEquals(C3, s.sw & (C0 | C2 | C3));
        assertTrue(s.isEmpty(0) && s.isEmpty(1), "FCOMPP popped twice");
    }

    @Test
    void fldcwMakesASetFlagPending() {
        FpuState s = fpu(0x037F);
        s.signal(PE);
        assertFalse(s.pending());
        X87.fldcw(s, 0x035F); // unmask PE
        assertTrue(s.pending());
        assertEquals(ES | FpuState.B, s.sw & (ES | FpuState.B));
        X87.fnclex(s);
        assertFalse(s.pending());
    }

    @Test
    void roundToIntegerScaleExtract() {
        FpuState s = fpu(0x037F);
        s.push(0xA000000000000000L, 0x4000); // 2.5
        X87.frndint(s);
        assertSt(s, 0, J, 0x4000);           // 2, ties to even
        assertEquals(PE, s.sw & 0x3F);
        s = two(0x037F, 0xC000000000000000L, 0x3FFF, 0xE000000000000000L, 0x4001); // 1.5 * 2^7
        X87.fscale(s);
        assertSt(s, 0, 0xC000000000000000L, 0x3FFF + 7);
        s = fpu(0x037F);
        s.push(0xC000000000000000L, 0xC002); // -12 = -1.5 * 2^3
        X87.fxtract(s);
        assertSt(s, 0, 0xC000000000000000L, 0xBFFF);
        assertSt(s, 1, 0xC000000000000000L, 0x4000); // 3
        s = fpu(0x037F);
        s.push(0, 0x8000);
        X87.fxtract(s);                      // -0: ZE, exponent -inf
        assertSt(s, 1, J, 0xFFFF);
        assertSt(s, 0, 0, 0x8000);
        assertEquals(ZE, s.sw & 0x3F);
    }
}
