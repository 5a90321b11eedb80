package dev.jvmx.translator.fpu;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The allocation-free FSQRT against a BigInteger square root, every precision and rounding control. */
class SqrtFastPathTest {
    /** The reference: 66+ root bits from BigInteger.sqrt and a sticky bit, then the same rounding. */
    static void reference(FpuState s, long m, int se) {
        long hi = FpuArith.normSig(m);
        int e2 = FpuArith.normExp(m, se) - 63;
        int t = (e2 & 1) == 0 ? 66 : 67;
        BigInteger n = new BigInteger(1, FpuArith.toBytes(hi)).shiftLeft(t);
        BigInteger r = n.sqrt();
        boolean sticky = !r.multiply(r).equals(n);
        int len = r.bitLength();
        long rhi = r.shiftRight(len - 64).longValue();
        long rlo = r.longValue() << (128 - len) | (sticky ? 1 : 0);
        FpuArith.roundToRegister(s, 0, (e2 - t) / 2 + len - 1, rhi, rlo, s.precision());
    }

    @Test
    void matchesTheBigIntegerRoot() {
        Random r = new Random(7);
        for (int k = 0; k < 50000; k++) {
            long m = r.nextLong() | Float80.J;
            if (k % 5 == 0) m = Float80.J | (r.nextLong() >>> (1 + r.nextInt(63)));
            if (k % 7 == 0) m = -1L << r.nextInt(64);
            int se = 1 + r.nextInt(0x7FFE);
            int cw = 0x003F | 0x40 | new int[] {0, 2, 3}[r.nextInt(3)] << 8 | r.nextInt(4) << 10;
            FpuState a = new FpuState(), b = new FpuState();
            a.loadControlWord(cw);
            b.loadControlWord(cw);
            a.exc = b.exc = 0;
            FpuArith.sqrt(a, m, se);
            reference(b, m, se);
            assertEquals(Float80.toString(b.rm, b.rse), Float80.toString(a.rm, a.rse), Float80.toString(m, se) + " cw " + cw);
            assertEquals(b.exc, a.exc, Float80.toString(m, se));
        }
    }

    @Test
    void perfectSquaresAreExact() {
        for (long v = 1; v < 5000; v++) {
            FpuState s = new FpuState();
            s.init();
            FpuConvert.fromInteger(s, v * v);
            long m = s.rm;
            int se = s.rse;
            s.exc = 0;
            FpuArith.sqrt(s, m, se);
            FpuState t = new FpuState();
            FpuConvert.fromInteger(t, v);
            assertEquals(Float80.toString(t.rm, t.rse), Float80.toString(s.rm, s.rse));
            assertEquals(0, s.exc);
        }
    }
}
