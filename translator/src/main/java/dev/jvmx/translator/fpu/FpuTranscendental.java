package dev.jvmx.translator.fpu;

import java.math.BigInteger;

import static dev.jvmx.translator.fpu.Float80.EXP_MAX;
import static dev.jvmx.translator.fpu.Float80.INFINITY;
import static dev.jvmx.translator.fpu.Float80.J;
import static dev.jvmx.translator.fpu.Float80.ZERO;
import static dev.jvmx.translator.fpu.FpuState.ZE;

/**
 * FSIN, FCOS, FSINCOS, FPTAN, FPATAN, F2XM1, FYL2X, FYL2XP1 (SDM Vol. 1, 8.3.10; Vol. 2, the
 * instruction pages and their tables of special operands). The value is computed in
 * {@link BigFloat} with far more bits than the result needs and rounded once with the rounding
 * control (the precision control does not apply to these instructions).
 *
 * <p>Arguments of FSIN, FCOS, FSINCOS and FPTAN are reduced exactly modulo the 66-bit
 * approximation of pi the x87 uses (Vol. 1, 8.3.10), so results near multiples of pi follow the
 * hardware rather than the true function. The hardware's own results are within one ulp of the
 * true value but not always correctly rounded: see the host-oracle test for how often and where
 * they differ.
 */
final class FpuTranscendental {
    static final int SIN = 0, COS = 1, SINCOS = 2, TAN = 3;
    static final int YL2X = 0, YL2XP1 = 1, ATAN = 2;
    static final int DONE = 0, SUPPRESSED = 1, OUT_OF_RANGE = 2;
    /** Arguments below 2^TINY_EXP take the x87's small-argument shortcut. */
    static final int TINY_EXP = -68;

    /** pi as the x87 keeps it for argument reduction: 66 bits, pi66 = P66 * 2^-64. */
    static final BigInteger P66 = new BigInteger("3243F6A8885A308D3", 16);
    static final BigFloat PI = computePi();
    static final BigFloat LN2 = atanhSeries(BigFloat.ONE.div(3)).scalb(1);

    private FpuTranscendental() { }

    // =====================================================================================
    // FSIN FCOS FSINCOS FPTAN

    /**
     * Trigonometric functions of ST(0) = (m, se). SIN and COS leave the result in s.rm/s.rse;
     * SINCOS the sine in s.xm/s.xse and the cosine in s.rm/s.rse; TAN the tangent in s.xm/s.xse
     * and 1.0 in s.rm/s.rse.
     */
    static int trig(FpuState s, int fn, long m, int se) {
        int c = Float80.classify(m, se);
        boolean two = fn == SINCOS || fn == TAN;
        if (FpuArith.isNaNOrUnsupported(c) || c == INFINITY) {
            boolean ok = c == INFINITY ? FpuArith.invalid(s) : FpuArith.nanResult(s, c, m, se);
            s.xm = s.rm;
            s.xse = s.rse;
            return ok ? DONE : SUPPRESSED;
        }
        if (c == ZERO) {
            switch (fn) {
                case SIN: s.rm = m; s.rse = se; break;
                case COS: s.rm = J; s.rse = Float80.BIAS; break;
                default: s.xm = m; s.xse = se; s.rm = J; s.rse = Float80.BIAS; break;
            }
            return DONE;
        }
        if (FpuArith.isDenormal(c) && !FpuArith.denormalOk(s)) {
            return SUPPRESSED;
        }
        int e = FpuArith.normExp(m, se);
        if (e >= 63) {
            return OUT_OF_RANGE;
        }
        if (e < TINY_EXP) {
            // Measured: below 2^-68 the x87 gives sin = tan = x and cos = 1 with PE and C1 = 0,
            // whatever the rounding control (the correctly rounded result differs in directed modes).
            if (fn == COS) {
                s.exc |= FpuState.PE;
                s.rm = J;
                s.rse = Float80.BIAS;
                return DONE;
            }
            FpuArith.roundToRegister(s, se >>> 15 & 1, e, FpuArith.normSig(m), 0, 64);
            s.exc |= FpuState.PE;
            if (s.rm >= 0 && s.masked(FpuState.UE) && fn != COS) s.exc |= FpuState.UE;
            switch (fn) {
                case SIN: break;
                case COS: s.rm = J; s.rse = Float80.BIAS; break;
                default: s.xm = s.rm; s.xse = s.rse; s.rm = J; s.rse = Float80.BIAS; break;
            }
            return DONE;
        }
        BigFloat x = BigFloat.ofExtended(m, se);
        // Reduction by k * pi66/2 with k the nearest integer, exactly: r = (M*2^(E+65) - k*P66) * 2^-65.
        long k = 0;
        BigFloat r = x;
        if (e >= -1) {
            // |x| = N * 2^(e-63) with N the normalized significand, so |x| * 2^65 = N * 2^(e+2), an integer.
            BigInteger num = FpuArith.normSigBig(m).shiftLeft(e + 2);
            BigInteger q = num.shiftLeft(1).add(P66).divide(P66.shiftLeft(1));
            BigInteger rr = num.subtract(q.multiply(P66));
            if ((se & 0x8000) != 0) {
                rr = rr.negate();
                q = q.negate();
            }
            k = q.longValue();
            r = new BigFloat(rr, -65);
        }
        int quadrant = (int) (k & 3);
        switch (fn) {
            case SIN: roundTo(s, sinOf(r, quadrant), true); return DONE;
            case COS: roundTo(s, sinOf(r, quadrant + 1), true); return DONE;
            case SINCOS: {
                roundTo(s, sinOf(r, quadrant), true);
                s.xm = s.rm;
                s.xse = s.rse;
                s.exc &= ~FpuState.C1; // C1 tells the rounding of the cosine, the new ST(0)
                roundTo(s, sinOf(r, quadrant + 1), true);
                return DONE;
            }
            default: {
                BigFloat sn = sinOf(r, quadrant), cs = sinOf(r, quadrant + 1);
                roundTo(s, sn.div(cs), true);
                s.xm = s.rm;
                s.xse = s.rse;
                s.rm = J;
                s.rse = Float80.BIAS;
                return DONE;
            }
        }
    }

    /** sin(r + q * pi/2). */
    private static BigFloat sinOf(BigFloat r, int q) {
        switch (q & 3) {
            case 0: return sin(r);
            case 1: return cos(r);
            case 2: return sin(r).negate();
            default: return cos(r).negate();
        }
    }

    // =====================================================================================
    // F2XM1

    static boolean f2xm1(FpuState s, long m, int se) {
        int c = Float80.classify(m, se);
        if (FpuArith.isNaNOrUnsupported(c)) {
            return FpuArith.nanResult(s, c, m, se);
        }
        if (c == ZERO) {
            s.rm = m;
            s.rse = se;
            return true;
        }
        if (c == INFINITY) {
            if ((se & 0x8000) != 0) {
                s.rm = J;
                s.rse = 0x8000 | Float80.BIAS; // -1
            } else {
                s.rm = m;
                s.rse = se;
            }
            return true;
        }
        if (FpuArith.isDenormal(c) && !FpuArith.denormalOk(s)) {
            return false;
        }
        if (FpuArith.normExp(m, se) >= 0 && !(m == J && (se & EXP_MAX) == Float80.BIAS)) {
            // |x| > 1 is outside the domain; measured: ST(0) is left as it is, with PE.
            s.rm = m;
            s.rse = se;
            s.exc |= FpuState.PE;
            return true;
        }
        BigFloat x = BigFloat.ofExtended(m, se);
        if (m == J && (se & EXP_MAX) == Float80.BIAS) {
            // x = +-1: 1 or -0.5 exactly; measured: with PE all the same
            roundTo(s, (se & 0x8000) != 0 ? BigFloat.ONE.scalb(-1).negate() : BigFloat.ONE, false);
            s.exc |= FpuState.PE;
            return true;
        }
        roundTo(s, expm1(x.mul(LN2)), true);
        return true;
    }

    // =====================================================================================
    // FYL2X FYL2XP1 FPATAN: x = ST(0), y = ST(1); the result goes to ST(1)

    static boolean binary(FpuState s, int fn, long xm, int xse, long ym, int yse) {
        int cx = Float80.classify(xm, xse), cy = Float80.classify(ym, yse);
        if (FpuArith.isNaNOrUnsupported(cx) || FpuArith.isNaNOrUnsupported(cy)) {
            return FpuArith.nanResult(s, cx, xm, xse, cy, ym, yse);
        }
        switch (fn) {
            case YL2X: return yl2x(s, cx, xm, xse, cy, ym, yse);
            case YL2XP1: return yl2xp1(s, cx, xm, xse, cy, ym, yse);
            default: return atan2(s, cx, xm, xse, cy, ym, yse);
        }
    }

    private static boolean yl2x(FpuState s, int cx, long xm, int xse, int cy, long ym, int yse) {
        int sx = xse >>> 15 & 1, sy = yse >>> 15 & 1;
        if (sx != 0 && cx != ZERO) {
            return FpuArith.invalid(s); // log of a negative number
        }
        if (cx == ZERO) {
            if (cy == ZERO) return FpuArith.invalid(s);
            if (cy != INFINITY) {
                s.exc |= ZE; // like a division by zero: no DE for a denormal y
                signedInfinity(s, sy ^ 1);
                return s.masked(ZE);
            }
            signedInfinity(s, sy ^ 1);
            return true;
        }
        if ((FpuArith.isDenormal(cx) || FpuArith.isDenormal(cy)) && !FpuArith.denormalOk(s)) {
            return false;
        }
        boolean one = xm == J && (xse & EXP_MAX) == Float80.BIAS;
        if (cx == INFINITY) {
            if (cy == ZERO) return FpuArith.invalid(s);
            signedInfinity(s, sy);
            return true;
        }
        if (one) { // log2(1) = +0
            if (cy == INFINITY) return FpuArith.invalid(s);
            signedZero(s, sy);
            return true;
        }
        boolean below1 = FpuArith.normExp(xm, xse) < 0;
        if (cy == INFINITY) {
            signedInfinity(s, sy ^ (below1 ? 1 : 0));
            return true;
        }
        if (cy == ZERO) {
            signedZero(s, sy ^ (below1 ? 1 : 0));
            return true;
        }
        BigFloat y = BigFloat.ofExtended(ym, yse);
        int ex = FpuArith.normExp(xm, xse);
        long nx = FpuArith.normSig(xm);
        if (nx == J) {
            // A power of two: log2 is the integer exponent. Measured: the x87 reports PE and rounds as
            // if its logarithm were a little smaller in magnitude than the exact integer.
            BigFloat p = y.mul(ex);
            roundTo(s, p.sub(p.scalb(-(BigFloat.PREC - 10))), true);
            return true;
        }
        BigFloat lg = ln(BigFloat.ofExtended(xm, xse)).div(LN2);
        roundTo(s, y.mul(lg), true);
        return true;
    }

    private static boolean yl2xp1(FpuState s, int cx, long xm, int xse, int cy, long ym, int yse) {
        int sx = xse >>> 15 & 1, sy = yse >>> 15 & 1;
        // x <= -1 (log of zero or of a negative number) is invalid before any DE
        if (sx != 0 && (cx == INFINITY || (cx == Float80.NORMAL && FpuArith.normExp(xm, xse) >= 0))) {
            return FpuArith.invalid(s);
        }
        if ((FpuArith.isDenormal(cx) || FpuArith.isDenormal(cy)) && !FpuArith.denormalOk(s)) {
            return false;
        }
        if (cx == INFINITY) {
            if (cy == ZERO) return FpuArith.invalid(s);
            signedInfinity(s, sy);
            return true;
        }
        if (cx == ZERO) {
            if (cy == INFINITY) return FpuArith.invalid(s);
            signedZero(s, sx ^ sy);
            return true;
        }
        BigFloat x = BigFloat.ofExtended(xm, xse);
        if (x.compareTo(BigFloat.ONE.negate()) <= 0) {
            return FpuArith.invalid(s);
        }
        if (cy == INFINITY) {
            signedInfinity(s, sy ^ sx);
            return true;
        }
        if (cy == ZERO) {
            signedZero(s, sy ^ sx);
            return true;
        }
        BigFloat lg = ln1p(x).div(LN2);
        roundTo(s, BigFloat.ofExtended(ym, yse).mul(lg), true);
        return true;
    }

    private static boolean atan2(FpuState s, int cx, long xm, int xse, int cy, long ym, int yse) {
        int sx = xse >>> 15 & 1, sy = yse >>> 15 & 1;
        if ((FpuArith.isDenormal(cx) || FpuArith.isDenormal(cy)) && !FpuArith.denormalOk(s)) {
            return false;
        }
        BigFloat r;
        boolean inexact = true;
        if (cy == ZERO) {
            if (sx == 0) {
                signedZero(s, sy);
                return true;
            }
            r = PI;
        } else if (cy == INFINITY) {
            if (cx == INFINITY) {
                r = sx == 0 ? PI.scalb(-2) : PI.mul(3).scalb(-2);
            } else {
                r = PI.scalb(-1);
            }
        } else if (cx == ZERO) {
            r = PI.scalb(-1);
        } else if (cx == INFINITY) {
            if (sx == 0) {
                signedZero(s, sy);
                return true;
            }
            r = PI;
        } else {
            BigFloat y = BigFloat.ofExtended(ym, yse & 0x7FFF), x = BigFloat.ofExtended(xm, xse & 0x7FFF);
            // atan2 of magnitudes: atan(y/x), then mirrored for a negative x
            BigFloat a = y.compareTo(x) <= 0 ? atan(y.div(x)) : PI.scalb(-1).sub(atan(x.div(y)));
            r = sx == 0 ? a : PI.sub(a);
        }
        roundTo(s, sy != 0 ? r.negate() : r, inexact);
        return true;
    }

    private static void signedInfinity(FpuState s, int sign) {
        s.rm = J;
        s.rse = sign << 15 | EXP_MAX;
    }

    private static void signedZero(FpuState s, int sign) {
        s.rm = 0;
        s.rse = sign << 15;
    }

    // =====================================================================================
    // Rounding a BigFloat to the register format

    /** Rounds v (non-zero) with RC to 64 bits into s.rm/s.rse; {@code inexact}: v stands for a value with more bits. */
    static void roundTo(FpuState s, BigFloat v, boolean inexact) {
        int sign = v.signum() < 0 ? 1 : 0;
        BigInteger a = v.mant.abs();
        int len = a.bitLength();
        int e = v.exp + len - 1;
        BigInteger top = len >= 128 ? a.shiftRight(len - 128) : a.shiftLeft(128 - len);
        boolean rest = len > 128 && a.getLowestSetBit() < len - 128;
        long hi = top.shiftRight(64).longValue();
        long lo = top.longValue() | (rest || inexact ? 1 : 0);
        FpuArith.roundToRegister(s, sign, e, hi, lo, 64);
    }

    // =====================================================================================
    // Series

    private static boolean negligible(BigFloat term, BigFloat sum) {
        return term.signum() == 0 || (sum.signum() != 0 && term.ilogb() < sum.ilogb() - BigFloat.PREC - 4);
    }

    static BigFloat sin(BigFloat r) {
        BigFloat r2 = r.mul(r);
        BigFloat term = r, sum = r;
        for (int k = 1; k < 400; k++) {
            term = term.mul(r2).div((2L * k) * (2L * k + 1)).negate();
            sum = sum.add(term); // even a negligible term: its sign decides a rounding direction
            if (negligible(term, sum)) break;
        }
        return sum;
    }

    static BigFloat cos(BigFloat r) {
        BigFloat r2 = r.mul(r);
        BigFloat term = BigFloat.ONE, sum = BigFloat.ONE;
        for (int k = 1; k < 400; k++) {
            term = term.mul(r2).div((2L * k - 1) * (2L * k)).negate();
            sum = sum.add(term);
            if (negligible(term, sum)) break;
        }
        return sum;
    }

    /** atan(x) for any x. */
    static BigFloat atan(BigFloat x) {
        if (x.signum() < 0) return atan(x.negate()).negate();
        if (x.signum() == 0) return x;
        if (x.compareTo(BigFloat.ONE) > 0) return PI.scalb(-1).sub(atan(BigFloat.ONE.div(x)));
        int halvings = 0;
        while (!x.below(-5)) {
            x = x.div(BigFloat.ONE.add(BigFloat.ONE.add(x.mul(x)).sqrt()));
            halvings++;
        }
        BigFloat x2 = x.mul(x);
        BigFloat pow = x, sum = x;
        for (int k = 1; k < 400; k++) {
            pow = pow.mul(x2).negate();
            BigFloat term = pow.div(2L * k + 1);
            sum = sum.add(term);
            if (negligible(term, sum)) break;
        }
        return sum.scalb(halvings);
    }

    /** 2 * atanh(z) / 2 = atanh(z) for |z| < 1 (series). */
    static BigFloat atanhSeries(BigFloat z) {
        BigFloat z2 = z.mul(z);
        BigFloat pow = z, sum = z;
        for (int k = 1; k < 2000; k++) {
            pow = pow.mul(z2);
            BigFloat term = pow.div(2L * k + 1);
            sum = sum.add(term);
            if (negligible(term, sum)) break;
        }
        return sum;
    }

    /** ln(x) for x > 0. */
    static BigFloat ln(BigFloat x) {
        int k = x.ilogb();
        BigFloat m = x.scalb(-k); // [1, 2)
        if (m.compareTo(BigFloat.of(3).scalb(-1)) > 0) {
            m = m.scalb(-1);
            k++;
        }
        BigFloat z = m.sub(BigFloat.ONE).div(m.add(BigFloat.ONE));
        BigFloat lm = z.signum() == 0 ? BigFloat.ZERO : atanhSeries(z).scalb(1);
        return lm.add(LN2.mul(k));
    }

    /** ln(1 + x) for x > -1, accurate for tiny x. */
    static BigFloat ln1p(BigFloat x) {
        if (x.below(-2)) {
            return atanhSeries(x.div(BigFloat.of(2).add(x))).scalb(1);
        }
        return ln(BigFloat.ONE.add(x));
    }

    /** e^t - 1, accurate for tiny t. */
    static BigFloat expm1(BigFloat t) {
        if (!t.below(0)) {
            // |t| >= 1: e^t via squaring of e^(t/2^n)
            int n = t.ilogb() + 2;
            BigFloat e = expm1(t.scalb(-n)).add(BigFloat.ONE);
            for (int i = 0; i < n; i++) e = e.mul(e);
            return e.sub(BigFloat.ONE);
        }
        BigFloat term = t, sum = t;
        for (int k = 2; k < 400; k++) {
            term = term.mul(t).div(k);
            sum = sum.add(term);
            if (negligible(term, sum)) break;
        }
        return sum;
    }

    /** pi = 16 atan(1/5) - 4 atan(1/239) (Machin). */
    private static BigFloat computePi() {
        return series(5).mul(16).sub(series(239).mul(4));
    }

    private static BigFloat series(long n) {
        BigFloat x = BigFloat.ONE.div(n), x2 = x.mul(x);
        BigFloat pow = x, sum = x;
        for (int k = 1; k < 2000; k++) {
            pow = pow.mul(x2).negate();
            BigFloat term = pow.div(2L * k + 1);
            sum = sum.add(term);
            if (negligible(term, sum)) break;
        }
        return sum;
    }
}
