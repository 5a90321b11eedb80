package dev.jvmx.translator.fpu;

import org.junit.jupiter.api.Test;

import static dev.jvmx.translator.fpu.Float80.J;
import static dev.jvmx.translator.fpu.FpuState.C1;
import static dev.jvmx.translator.fpu.FpuState.IE;
import static dev.jvmx.translator.fpu.FpuState.OE;
import static dev.jvmx.translator.fpu.FpuState.PE;
import static dev.jvmx.translator.fpu.FpuState.UE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conversions between the extended format and the memory formats, with every rounding control
 * (SDM Vol. 1, 4.8.4 and 4.9; Vol. 2 FST, FIST, FISTTP, FBSTP, FBLD). Expected values are worked
 * by hand from the IEEE 754 definitions.
 */
class FpuConvertTest {
    static FpuState state(int rc) {
        FpuState s = new FpuState();
        s.init();
        s.loadControlWord(FpuState.CW_INIT | rc << 10);
        s.exc = 0;
        return s;
    }

    @Test
    void loadsAreExact() {
        FpuState s = state(0);
        FpuConvert.fromSingle(s, 0x3F800000);
        assertEquals(J, s.rm);
        assertEquals(0x3FFF, s.rse);
        FpuConvert.fromSingle(s, 1); // 2^-149, the smallest single denormal, normalized
        assertEquals(J, s.rm);
        assertEquals(0x3FFF - 149, s.rse);
        FpuConvert.fromSingle(s, 0xFF800001); // -SNaN stays signalling, payload moved up
        assertEquals(J | 1L << 40, s.rm);
        assertEquals(0xFFFF, s.rse);
        FpuConvert.fromDouble(s, 1L); // 2^-1074
        assertEquals(J, s.rm);
        assertEquals(0x3FFF - 1074, s.rse);
        FpuConvert.fromDouble(s, Double.doubleToRawLongBits(-0.75));
        assertEquals(0xC000000000000000L, s.rm);
        assertEquals(0xBFFE, s.rse);
        FpuConvert.fromInteger(s, Long.MIN_VALUE);
        assertEquals(J, s.rm);
        assertEquals(0xC03E, s.rse);
        FpuConvert.fromInteger(s, -1);
        assertEquals(J, s.rm);
        assertEquals(0xBFFF, s.rse);
        FpuConvert.fromBcd(s, 0x1234, 0x8000);
        assertEquals(0x9A40000000000000L, s.rm); // 1234 = 0x4D2 = 1.0011010010b * 2^10
        assertEquals(0x8000 | 0x3FFF + 10, s.rse);
    }

    /** 1 + 2^-24 is half way between two singles: every rounding control. */
    @Test
    void singleStoreRoundsWithRc() {
        long m = J | 1L << 39;
        int[][] expect = {{0x3F800000, PE}, {0x3F800000, PE}, {0x3F800001, PE | C1}, {0x3F800000, PE}};
        for (int rc = 0; rc < 4; rc++) {
            FpuState s = state(rc);
            assertTrue(FpuConvert.toSingle(s, m, 0x3FFF));
            assertEquals(expect[rc][0], (int) s.rm, "rc " + rc);
            assertEquals(expect[rc][1], s.exc, "rc " + rc);
        }
        FpuState s = state(FpuState.RC_DOWN);
        assertTrue(FpuConvert.toSingle(s, m, 0xBFFF));
        assertEquals(0xBF800001, (int) s.rm);
        assertEquals(PE | C1, s.exc);
        // 1 + 3 * 2^-25 is above half way: nearest rounds up
        s = state(0);
        FpuConvert.toSingle(s, J | 3L << 38, 0x3FFF);
        assertEquals(0x3F800001, (int) s.rm);
    }

    @Test
    void singleOverflowAndUnderflow() {
        FpuState s = state(FpuState.RC_NEAREST);
        assertTrue(FpuConvert.toSingle(s, J, 0x3FFF + 128));
        assertEquals(0x7F800000, (int) s.rm);
        assertEquals(OE | PE | C1, s.exc);
        s = state(FpuState.RC_CHOP);
        assertTrue(FpuConvert.toSingle(s, J, 0x3FFF + 128));
        assertEquals(0x7F7FFFFF, (int) s.rm);
        assertEquals(OE | PE, s.exc);
        s = state(FpuState.RC_UP);
        assertTrue(FpuConvert.toSingle(s, J, 0xBFFF + 128));
        assertEquals(0xFF7FFFFF, (int) s.rm, "-2^128 rounded up is -max");
        // unmasked overflow on a store: nothing stored (Vol. 1, 4.9.1.4)
        s = state(0);
        s.loadControlWord(0x037F & ~OE);
        s.exc = 0;
        assertFalse(FpuConvert.toSingle(s, J, 0x3FFF + 128));
        assertEquals(OE, s.exc & OE);
        // 1.5 * 2^-149: tiny and inexact, ties to even (2 units)
        s = state(0);
        assertTrue(FpuConvert.toSingle(s, 0xC000000000000000L, 0x3FFF - 149));
        assertEquals(2, (int) s.rm);
        assertEquals(UE | PE | C1, s.exc);
        // exactly 2^-149: a tiny exact result raises no underflow when masked
        s = state(0);
        assertTrue(FpuConvert.toSingle(s, J, 0x3FFF - 149));
        assertEquals(1, (int) s.rm);
        assertEquals(0, s.exc);
        // NaNs: the significand's top bits, quieted; an SNaN raises IE
        s = state(0);
        assertTrue(FpuConvert.toDouble(s, J | 1L << 11, 0x7FFF));
        assertEquals(0x7FF8000000000001L, s.rm);
        assertEquals(IE, s.exc);
        s = state(0);
        assertTrue(FpuConvert.toDouble(s, 0x4000000000000000L, 0x7FFF)); // pseudo-NaN: unsupported
        assertEquals(FpuConvert.DOUBLE_INDEFINITE, s.rm);
    }

    @Test
    void doubleStoreMatchesJavaForNearest() {
        java.util.Random r = new java.util.Random(1);
        for (int k = 0; k < 20000; k++) {
            double d = Double.longBitsToDouble(r.nextLong());
            if (Double.isNaN(d)) continue;
            // x = d * (1 + tiny) with 64 bits: converting back with RN must give the double nearest
            FpuState s = state(0);
            FpuConvert.fromDouble(s, Double.doubleToRawLongBits(d));
            long m = s.rm;
            int se = s.rse;
            s.exc = 0;
            assertTrue(FpuConvert.toDouble(s, m, se));
            assertEquals(Double.doubleToRawLongBits(d), s.rm);
            assertEquals(0, s.exc, "exact round trip");
        }
    }

    @Test
    void integerStoresRoundWithRc() {
        long two5 = 0xA000000000000000L; // 2.5 = 1.01b * 2
        int[] expect = {2, 2, 3, 2};
        for (int rc = 0; rc < 4; rc++) {
            FpuState s = state(rc);
            assertTrue(FpuConvert.toInteger(s, two5, 0x4000, 16, false));
            assertEquals(expect[rc], s.rm, "rc " + rc);
            assertEquals(PE | (rc == FpuState.RC_UP ? C1 : 0), s.exc);
        }
        FpuState s = state(FpuState.RC_DOWN);
        FpuConvert.toInteger(s, two5, 0xC000, 32, false);
        assertEquals(-3 & 0xFFFFFFFFL, s.rm);
        s = state(FpuState.RC_NEAREST);
        assertTrue(FpuConvert.toInteger(s, 0xAD70A3D70A3D70A4L, 0xC000, 32, true)); // FISTTP -2.71
        assertEquals(-2 & 0xFFFFFFFFL, s.rm);
        assertEquals(PE, s.exc);
        s = state(0);
        assertTrue(FpuConvert.toInteger(s, J, 0x3FFF + 15, 16, false)); // 32768: out of range
        assertEquals(0x8000, s.rm);
        assertEquals(IE, s.exc);
        s = state(0);
        assertTrue(FpuConvert.toInteger(s, J, 0xBFFF + 15, 16, false)); // -32768 fits
        assertEquals(0x8000, s.rm);
        assertEquals(0, s.exc);
        s = state(0);
        assertTrue(FpuConvert.toInteger(s, J, 0xBFFF + 63, 64, false));
        assertEquals(Long.MIN_VALUE, s.rm);
        assertEquals(0, s.exc);
        s = state(FpuState.RC_UP);
        assertTrue(FpuConvert.toInteger(s, -1L, 0x3FFF + 62, 64, false)); // 2^63 - 0.5 rounds up to 2^63: out of range
        assertEquals(Long.MIN_VALUE, s.rm);
        assertEquals(IE, s.exc);
    }

    @Test
    void packedBcd() {
        FpuState s = state(0);
        assertTrue(FpuConvert.toBcd(s, 0x9A40000000000000L, 0x3FFF + 10)); // 1234
        assertEquals(0x1234, s.rm);
        assertEquals(0, s.rse);
        s = state(0);
        assertTrue(FpuConvert.toBcd(s, 0, 0x8000));
        assertEquals(0, s.rm);
        assertEquals(0x8000, s.rse, "-0 keeps its sign byte");
        s = state(0);
        FpuConvert.fromInteger(s, 999_999_999_999_999_999L);
        long m = s.rm;
        int se = s.rse;
        s.exc = 0;
        assertTrue(FpuConvert.toBcd(s, m, se));
        assertEquals(0x9999999999999999L, s.rm);
        assertEquals(0x99, s.rse);
        s = state(0);
        FpuConvert.fromInteger(s, 1_000_000_000_000_000_000L);
        m = s.rm;
        se = s.rse;
        s.exc = 0;
        assertTrue(FpuConvert.toBcd(s, m, se));
        assertEquals(IE, s.exc);
        assertEquals(0xC000000000000000L, s.rm, "packed BCD indefinite");
        assertEquals(0xFFFF, s.rse);
    }
}
