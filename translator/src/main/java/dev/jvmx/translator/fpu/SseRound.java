package dev.jvmx.translator.fpu;

import java.math.BigInteger;

/**
 * The exact path of {@link SseFloat}: one element of an SSE/SSE2 floating-point operation for
 * every case the fast path leaves (any rounding mode, denormal operands and results, NaNs,
 * infinities, overflow, underflow, flush-to-zero). Results are computed exactly as a
 * {@link BigInteger} significand times a power of two (with a sticky bit for a quotient or root
 * that does not end) and rounded once by {@link #round}, the routine shared by every operation and
 * both formats (SDM Vol. 1, 4.8.4 and 4.9.1).
 *
 * <p>An element's result is returned as its bits (a single in the low 32 bits); the exceptions it
 * raised are OR-ed into {@link FpuState#exc}, which the caller clears before the first element.
 */
final class SseRound {
    // MXCSR (Vol. 1, 10.2.3): flags, the mask of flag f is f << MASK_SHIFT, rounding control, flush to zero.
    static final int IE = 0x1, DE = 0x2, ZE = 0x4, OE = 0x8, UE = 0x10, PE = 0x20;
    static final int MASK_SHIFT = 7;
    static final int RC_SHIFT = 13, RC_MASK = 3 << RC_SHIFT;
    static final int RC_NEAREST = 0, RC_DOWN = 1, RC_UP = 2, RC_ZERO = 3;
    static final int FZ = 0x8000;

    /** The operations of {@link #arith} (as {@link SseFloat#ADD}...). */
    static final int ADD = 0, SUB = 1, MUL = 2, DIV = 3, MIN = 4, MAX = 5, SQRT = 6;

    /** An IEEE 754 binary format: single or double (Vol. 1, 4.2.2). */
    static final class Format {
        final int precision, bias, emin, emax;
        /** The exponent of the least significant bit of a denormal: emin - (precision - 1). */
        final int lsbMin;
        final long sign, exponent, fraction, hidden, quiet, infinity, maxFinite, indefinite;

        Format(int width, int precision) {
            this.precision = precision;
            int expBits = width - precision;
            bias = (1 << (expBits - 1)) - 1;
            emin = 1 - bias;
            emax = bias;
            lsbMin = emin - (precision - 1);
            sign = 1L << (width - 1);
            hidden = 1L << (precision - 1);
            fraction = hidden - 1;
            exponent = (sign - 1) & ~fraction;
            quiet = hidden >>> 1;
            infinity = exponent;
            maxFinite = infinity - 1;
            // the default QNaN ("real indefinite", Vol. 1, 4.8.3.7): sign set, quiet bit set
            indefinite = sign | infinity | quiet;
        }

        boolean negative(long x) {
            return (x & sign) != 0;
        }

        long magnitude(long x) {
            return x & ~sign;
        }

        boolean isNaN(long x) {
            return magnitude(x) > infinity;
        }

        boolean isSNaN(long x) {
            return isNaN(x) && (x & quiet) == 0;
        }

        boolean isInf(long x) {
            return magnitude(x) == infinity;
        }

        boolean isZero(long x) {
            return magnitude(x) == 0;
        }

        boolean isDenormal(long x) {
            return (x & exponent) == 0 && (x & fraction) != 0;
        }

        /** The integer significand of a finite value (the hidden bit made explicit for a normal one). */
        long significand(long x) {
            return (x & exponent) == 0 ? x & fraction : x & fraction | hidden;
        }

        /** The exponent of a finite value's least significant bit: x = significand * 2^lsbExponent. */
        int lsbExponent(long x) {
            int field = (int) ((x & exponent) >>> (precision - 1));
            return Math.max(field, 1) - bias - (precision - 1);
        }

        long zero(boolean negative) {
            return negative ? sign : 0;
        }

        long infinity(boolean negative) {
            return negative ? sign | infinity : infinity;
        }

        /**
         * The sort key of a value that is not a NaN: keys compare as the values do (both zeros are 0;
         * denormals are values, DAZ being unsupported).
         */
        long key(long x) {
            return negative(x) ? -magnitude(x) : magnitude(x);
        }
    }

    static final Format SINGLE = new Format(32, 24), DOUBLE = new Format(64, 53);

    private SseRound() { }

    static boolean masked(int mxcsr, int flag) {
        return (mxcsr & flag << MASK_SHIFT) != 0;
    }

    static int rc(int mxcsr) {
        return (mxcsr & RC_MASK) >>> RC_SHIFT;
    }

    // ---- the rounding core

    /**
     * Rounds the exact value {@code (-1)^neg * mag * 2^exp} (mag > 0; with {@code sticky}, the value
     * lies strictly between that and the next multiple of 2^exp, and mag has at least precision + 2
     * bits) to the format, by MXCSR's RC, FZ and underflow and overflow masks; OE, UE and PE into
     * s.exc.
     *
     * <p>Overflow and tininess are judged on the result rounded to the format's precision with the
     * exponent unbounded, as x86 does: tininess after rounding (Vol. 1, 4.9.1.4 and 4.9.1.5). A
     * masked overflow gives infinity or the largest finite by RC and sign, with OE and PE. A tiny
     * result with UM = 1 is denormalized (UE only if that is inexact), or, with FZ = 1, flushed to a
     * zero of its sign with UE and PE. With OM = 0 or UM = 0 the flag is set (PE as well when the
     * unbounded rounding was inexact) and the returned value is to be discarded.
     */
    static long round(FpuState s, Format f, boolean neg, BigInteger mag, int exp, boolean sticky, int mxcsr) {
        if (sticky) {
            // a half unit below every rounding position stands for "a little more than mag"
            mag = mag.shiftLeft(1).setBit(0);
            exp -= 1;
        }
        int rc = rc(mxcsr);
        int n = mag.bitLength();
        int drop = n - f.precision;
        BigInteger m = drop <= 0 ? mag.shiftLeft(-drop) : shiftRound(mag, drop, neg, rc);
        boolean inexact = drop > 0 && mag.getLowestSetBit() < drop;
        // the unbiased exponent of the leading bit of the result rounded with the exponent unbounded
        int e = exp + n - 1;
        if (m.bitLength() > f.precision) {
            e++;
        }
        long signBit = neg ? f.sign : 0;
        if (e > f.emax) {
            if (masked(mxcsr, OE)) {
                s.exc |= OE | PE;
            } else {
                s.exc |= OE | (inexact ? PE : 0);
            }
            boolean toInfinity = rc == RC_NEAREST || rc == RC_UP && !neg || rc == RC_DOWN && neg;
            return signBit | (toInfinity ? f.infinity : f.maxFinite);
        }
        if (e < f.emin) {
            if (!masked(mxcsr, UE)) {
                s.exc |= UE | (inexact ? PE : 0);
                return signBit;
            }
            if ((mxcsr & FZ) != 0) {
                s.exc |= UE | PE;
                return signBit;
            }
            // denormalize: round at the denormals' least significant bit
            int dropTiny = f.lsbMin - exp;
            BigInteger t = dropTiny <= 0 ? mag.shiftLeft(-dropTiny) : shiftRound(mag, dropTiny, neg, rc);
            if (dropTiny > 0 && mag.getLowestSetBit() < dropTiny) {
                s.exc |= UE | PE;
            }
            // a denormal that rounded up to 2^emin encodes as the smallest normal by itself
            return signBit | t.longValue();
        }
        if (inexact) {
            s.exc |= PE;
        }
        long sig = m.shiftRight(m.bitLength() - f.precision).longValue();
        return signBit | (long) (e + f.bias) << (f.precision - 1) | sig & f.fraction;
    }

    /** mag >> drop (drop >= 1) rounded by rc, for a value of sign neg. */
    private static BigInteger shiftRound(BigInteger mag, int drop, boolean neg, int rc) {
        BigInteger q = mag.shiftRight(drop);
        int low = mag.getLowestSetBit();
        if (low >= drop) {
            return q;
        }
        boolean up;
        switch (rc) {
            case RC_NEAREST:
                boolean half = mag.testBit(drop - 1);
                boolean below = low < drop - 1;
                up = half && (below || q.testBit(0));
                break;
            case RC_DOWN:
                up = neg;
                break;
            case RC_UP:
                up = !neg;
                break;
            default:
                up = false;
                break;
        }
        return up ? q.add(BigInteger.ONE) : q;
    }

    /** A nonzero integer (its magnitude) rounded to the format: CVTSI2SS, CVTDQ2PS. */
    static long fromInteger(FpuState s, Format f, long value, int mxcsr) {
        if (value == 0) {
            return 0;
        }
        return round(s, f, value < 0, BigInteger.valueOf(Math.abs(value)), 0, false, mxcsr);
    }

    // ---- one element of each operation, every case

    /** The invalid operation without a NaN operand: IE and the default QNaN. */
    static long invalid(FpuState s, Format f) {
        s.exc |= IE;
        return f.indefinite;
    }

    /**
     * ADD, SUB, MUL, DIV, MIN, MAX (a op b) and SQRT (of b) on one element (Vol. 2, each
     * instruction). The exceptions in the order of Vol. 3A, Table 6-8: an SNaN operand (IE); a QNaN
     * operand (no exception, the NaN is the result); another invalid operation (IE) or a division
     * by zero (ZE); a denormal operand (DE); then overflow, underflow and precision from the
     * rounding. A higher one found, the lower pre-computation ones are not looked for.
     */
    static long arith(FpuState s, Format f, int op, long a, long b, int mxcsr) {
        if (op == MIN || op == MAX) {
            return minMax(s, f, op == MIN, a, b);
        }
        if (op == SQRT) {
            return sqrt(s, f, b, mxcsr);
        }
        boolean nanA = f.isNaN(a), nanB = f.isNaN(b);
        if (nanA || nanB) {
            // Vol. 1, Table 4-7: an SNaN is invalid; of two NaNs the first source's, quietened
            if (f.isSNaN(a) || f.isSNaN(b)) {
                s.exc |= IE;
            }
            return (nanA ? a : b) | f.quiet;
        }
        boolean negA = f.negative(a), negB = f.negative(b) ^ op == SUB;
        boolean infA = f.isInf(a), infB = f.isInf(b), zeroA = f.isZero(a), zeroB = f.isZero(b);
        switch (op) {
            case ADD: case SUB:
                if (infA && infB && negA != negB) {
                    return invalid(s, f);
                }
                break;
            case MUL:
                if (infA && zeroB || zeroA && infB) {
                    return invalid(s, f);
                }
                break;
            default:
                if (infA && infB || zeroA && zeroB) {
                    return invalid(s, f);
                }
                break;
        }
        boolean neg = negA ^ negB;
        if (op == DIV && zeroB && !infA) {
            // division by zero outranks a denormal dividend (Vol. 3A, Table 6-8)
            s.exc |= ZE;
            return f.infinity(neg);
        }
        if (f.isDenormal(a) || f.isDenormal(b)) {
            s.exc |= DE;
        }
        switch (op) {
            case ADD: case SUB:
                return add(s, f, a, negA, b, negB, mxcsr);
            case MUL:
                if (infA || infB) {
                    return f.infinity(neg);
                }
                if (zeroA || zeroB) {
                    return f.zero(neg);
                }
                return round(s, f, neg, BigInteger.valueOf(f.significand(a)).multiply(BigInteger.valueOf(f.significand(b))),
                        f.lsbExponent(a) + f.lsbExponent(b), false, mxcsr);
            default:
                if (infA) {
                    return f.infinity(neg);
                }
                if (infB) {
                    return f.zero(neg);
                }
                if (zeroA) {
                    return f.zero(neg);
                }
                return divide(s, f, neg, a, b, mxcsr);
        }
    }

    /** a + b with b's sign given (negB: SUB flips it); neither is a NaN and not inf - inf. */
    private static long add(FpuState s, Format f, long a, boolean negA, long b, boolean negB, int mxcsr) {
        if (f.isInf(a)) {
            return f.infinity(negA);
        }
        if (f.isInf(b)) {
            return f.infinity(negB);
        }
        boolean downward = rc(mxcsr) == RC_DOWN;
        if (f.isZero(a) && f.isZero(b)) {
            // IEEE 754 6.3: zeros of one sign keep it; of opposite signs +0, -0 when rounding down
            return f.zero(negA == negB ? negA : downward);
        }
        int ea = f.lsbExponent(a), eb = f.lsbExponent(b), e = Math.min(ea, eb);
        BigInteger x = BigInteger.valueOf(f.significand(a)).shiftLeft(ea - e);
        BigInteger y = BigInteger.valueOf(f.significand(b)).shiftLeft(eb - e);
        BigInteger sum = (negA ? x.negate() : x).add(negB ? y.negate() : y);
        if (sum.signum() == 0) {
            // an exact zero sum of nonzero operands is +0, or -0 when rounding down
            return f.zero(downward);
        }
        return round(s, f, sum.signum() < 0, sum.abs(), e, false, mxcsr);
    }

    /** a / b for finite nonzero a and b: a quotient of precision + 3 bits at least, sticky when it does not end. */
    private static long divide(FpuState s, Format f, boolean neg, long a, long b, int mxcsr) {
        BigInteger x = BigInteger.valueOf(f.significand(a)), y = BigInteger.valueOf(f.significand(b));
        int k = f.precision + 3 + y.bitLength() - x.bitLength();
        BigInteger[] qr = x.shiftLeft(k).divideAndRemainder(y);
        return round(s, f, neg, qr[0], f.lsbExponent(a) - f.lsbExponent(b) - k, qr[1].signum() != 0, mxcsr);
    }

    /** SQRT of b: of a negative nonzero value (-infinity, -denormal too) invalid; sqrt(-0) = -0. */
    static long sqrt(FpuState s, Format f, long b, int mxcsr) {
        if (f.isNaN(b)) {
            if (f.isSNaN(b)) {
                s.exc |= IE;
            }
            return b | f.quiet;
        }
        if (f.isZero(b)) {
            return b;
        }
        if (f.negative(b)) {
            return invalid(s, f);
        }
        if (f.isDenormal(b)) {
            s.exc |= DE;
        }
        if (f.isInf(b)) {
            return b;
        }
        BigInteger m = BigInteger.valueOf(f.significand(b));
        int e = f.lsbExponent(b);
        // an even exponent, and a radicand of 2 * (precision + 3) bits at least
        int k = Math.max(0, 2 * (f.precision + 3) - m.bitLength() + 1);
        if ((e - k & 1) != 0) {
            k++;
        }
        BigInteger r = m.shiftLeft(k);
        BigInteger root = r.sqrt();
        boolean sticky = !root.multiply(root).equals(r);
        return round(s, f, false, root, (e - k) / 2, sticky, mxcsr);
    }

    /**
     * MIN/MAX (Vol. 2 MINPS, MAXPS): a NaN operand (quiet or signalling) is invalid and gives the
     * second operand as it is; so do two zeros of any signs, and equal values. Denormals set DE.
     */
    static long minMax(FpuState s, Format f, boolean min, long a, long b) {
        if (f.isNaN(a) || f.isNaN(b)) {
            s.exc |= IE;
            return b;
        }
        if (f.isDenormal(a) || f.isDenormal(b)) {
            s.exc |= DE;
        }
        long ka = f.key(a), kb = f.key(b);
        return (min ? ka < kb : ka > kb) ? a : b;
    }

    /** CVTSD2SS, CVTPD2PS: a double rounded to single (a NaN keeps its sign and top fraction bits). */
    static long doubleToSingle(FpuState s, long x, int mxcsr) {
        Format d = DOUBLE;
        long sign = x >>> 63 << 31;
        if (d.isNaN(x)) {
            if (d.isSNaN(x)) {
                s.exc |= IE;
            }
            return sign | SINGLE.infinity | SINGLE.quiet | (x & d.fraction) >>> (d.precision - SINGLE.precision);
        }
        if (d.isInf(x)) {
            return sign | SINGLE.infinity;
        }
        if (d.isZero(x)) {
            return sign;
        }
        if (d.isDenormal(x)) {
            s.exc |= DE;
        }
        return round(s, SINGLE, d.negative(x), BigInteger.valueOf(d.significand(x)), d.lsbExponent(x), false, mxcsr);
    }

    /** CVTSS2SD, CVTPS2PD: exact; an SNaN is invalid and quietened, a denormal sets DE. */
    static long singleToDouble(FpuState s, long x) {
        Format f = SINGLE;
        if (f.isNaN(x)) {
            if (f.isSNaN(x)) {
                s.exc |= IE;
            }
            return (x & f.sign) << 32 | DOUBLE.infinity | DOUBLE.quiet | (x & f.fraction) << (DOUBLE.precision - f.precision);
        }
        if (f.isDenormal(x)) {
            s.exc |= DE;
        }
        return Double.doubleToRawLongBits(Float.intBitsToFloat((int) x));
    }

    /**
     * CVTSS2SI, CVTSD2SI and the packed forms (Vol. 2 CVTPS2DQ): the value rounded by rc to a signed
     * 32-bit integer; a NaN, an infinity or a result out of range is invalid and gives the integer
     * indefinite 80000000H; PE when inexact. No DE (the instructions' exception lists).
     */
    static int toInt32(FpuState s, Format f, long x, int rc) {
        if (f.isNaN(x)) {
            s.exc |= IE;
            return Integer.MIN_VALUE;
        }
        double v = f == SINGLE ? Float.intBitsToFloat((int) x) : Double.longBitsToDouble(x);
        double r;
        switch (rc) {
            case RC_NEAREST: r = Math.rint(v); break;
            case RC_DOWN: r = Math.floor(v); break;
            case RC_UP: r = Math.ceil(v); break;
            default: r = v < 0 ? Math.ceil(v) : Math.floor(v); break;
        }
        if (!(r >= Integer.MIN_VALUE && r <= Integer.MAX_VALUE)) {
            s.exc |= IE;
            return Integer.MIN_VALUE;
        }
        if (r != v) {
            s.exc |= PE;
        }
        return (int) r;
    }
}
