package dev.jvmx.translator.fpu;

import java.math.BigInteger;

import static dev.jvmx.translator.fpu.Float80.BIAS;
import static dev.jvmx.translator.fpu.Float80.DENORMAL;
import static dev.jvmx.translator.fpu.Float80.EXP_MAX;
import static dev.jvmx.translator.fpu.Float80.INFINITY;
import static dev.jvmx.translator.fpu.Float80.J;
import static dev.jvmx.translator.fpu.Float80.PSEUDO_DENORMAL;
import static dev.jvmx.translator.fpu.Float80.QNAN;
import static dev.jvmx.translator.fpu.Float80.QUIET;
import static dev.jvmx.translator.fpu.Float80.SNAN;
import static dev.jvmx.translator.fpu.Float80.UNSUPPORTED;
import static dev.jvmx.translator.fpu.Float80.ZERO;
import static dev.jvmx.translator.fpu.FpuState.C1;
import static dev.jvmx.translator.fpu.FpuState.DE;
import static dev.jvmx.translator.fpu.FpuState.IE;
import static dev.jvmx.translator.fpu.FpuState.OE;
import static dev.jvmx.translator.fpu.FpuState.PE;
import static dev.jvmx.translator.fpu.FpuState.RC_CHOP;
import static dev.jvmx.translator.fpu.FpuState.RC_DOWN;
import static dev.jvmx.translator.fpu.FpuState.RC_NEAREST;
import static dev.jvmx.translator.fpu.FpuState.RC_UP;
import static dev.jvmx.translator.fpu.FpuState.UE;
import static dev.jvmx.translator.fpu.FpuState.ZE;

/**
 * Exact x87 arithmetic on raw 80-bit operands (SDM Vol. 1, 4.7-4.9 and 8.3-8.5; Vol. 2, the
 * instruction pages). Every operation computes the exact result with enough extra bits and rounds
 * it once, under the precision control where the instruction obeys it, and the rounding control.
 *
 * <p>Protocol: an operation leaves its result in {@code s.rm}/{@code s.rse}, ORs the exceptions it
 * detects (and C1 when the result was rounded up) into {@code s.exc}, and returns true when the
 * result is to be written: false when an unmasked invalid-operation, denormal-operand or
 * zero-divide exception suppresses it (Vol. 1, 4.9.2 and 8.5). Unmasked overflow and underflow
 * deliver the result with the exponent adjusted by 24576 (Vol. 1, 8.5.3/8.5.4).
 */
public final class FpuArith {
    /** The x87 detects tininess before rounding (Vol. 1, 4.9.1.5). */
    static final boolean TINY_BEFORE_ROUNDING = true;
    /** The exponent adjustment for unmasked overflow and underflow of extended results. */
    public static final int BIAS_ADJUST = 24576;
    public static final int EMIN = 1 - BIAS, EMAX = BIAS;

    private FpuArith() { }

    // =====================================================================================
    // Rounding

    /**
     * Rounds {@code (hi + lo / 2^64) * 2^(exp - 63)} (hi normalized, bit 0 of lo a sticky bit) to
     * {@code p} significand bits and the exponent range [emin, emax], with the rounding control of
     * {@code s}. Leaves the significand in {@code s.rm} (bit 63 clear for a denormal or zero result)
     * and the unbiased exponent in {@code s.rexp} (emax + 1 for infinity). {@code um}/{@code om}:
     * underflow/overflow masked; when unmasked, the exponent is adjusted by {@code adjust}.
     */
    static void round(FpuState s, int sign, int exp, long hi, long lo, int p, int emin, int emax,
                      boolean um, boolean om, int adjust) {
        int rc = s.rc();
        long mask = p == 64 ? 0 : -1L >>> p;
        if (exp < emin) {
            boolean tiny = TINY_BEFORE_ROUNDING || !(exp == emin - 1 && carries(hi, lo, mask, rc, sign));
            if (!um && exp + adjust < emin) {
                // Beyond even the adjusted range (FSCALE): a zero, whatever the rounding control.
                s.exc |= UE | PE;
                s.rm = 0;
                s.rexp = emin;
                return;
            }
            if (!um) {
                if (tiny) {
                    s.exc |= UE;
                    exp += adjust;
                }
            } else {
                int n = emin - exp;
                if (n >= 128) {
                    lo = (hi | lo) != 0 ? 1 : 0;
                    hi = 0;
                } else if (n >= 64) {
                    long sticky = (lo != 0 || (n > 64 && (hi << (128 - n)) != 0)) ? 1 : 0;
                    lo = (hi >>> (n - 64)) | sticky;
                    hi = 0;
                } else {
                    long sticky = (lo << (64 - n)) != 0 ? 1 : 0;
                    lo = (hi << (64 - n)) | (lo >>> n) | sticky;
                    hi >>>= n;
                }
                boolean inexact = inexact(hi, lo, mask);
                if (increment(hi, lo, mask, rc, sign)) {
                    hi = (hi & ~mask) + mask + 1; // at most reaches bit 63: the smallest normal
                    s.exc |= C1;
                } else {
                    hi &= ~mask;
                }
                if (inexact) {
                    s.exc |= PE | (tiny ? UE : 0);
                }
                s.rm = hi;
                s.rexp = emin;
                return;
            }
        }
        boolean inexact = inexact(hi, lo, mask);
        boolean up = increment(hi, lo, mask, rc, sign);
        if (up) {
            long t = (hi & ~mask) + mask + 1;
            if (t == 0) {
                hi = J;
                exp++;
            } else {
                hi = t;
            }
        } else {
            hi &= ~mask;
        }
        if (exp > emax) {
            if (!om && exp - adjust > emax) {
                // Beyond even the adjusted range (FSCALE): infinity, whatever the rounding control.
                s.exc |= OE | PE | C1;
                s.rm = J;
                s.rexp = emax + 1;
                return;
            }
            if (!om) {
                s.exc |= OE;
                exp -= adjust;
            } else {
                s.exc |= OE | PE;
                boolean toInfinity = rc == RC_NEAREST || (rc == RC_UP && sign == 0) || (rc == RC_DOWN && sign != 0);
                if (toInfinity) {
                    s.exc |= C1;
                    s.rm = J;
                    s.rexp = emax + 1;
                } else {
                    s.rm = ~mask;
                    s.rexp = emax;
                }
                return;
            }
        }
        if (inexact) {
            s.exc |= PE | (up ? C1 : 0);
        }
        s.rm = hi;
        s.rexp = exp;
    }

    private static boolean inexact(long hi, long lo, long mask) {
        return (hi & mask) != 0 || lo != 0;
    }

    /** Whether rounding increments the kept bits. */
    private static boolean increment(long hi, long lo, long mask, int rc, int sign) {
        switch (rc) {
            case RC_NEAREST: {
                if (mask == 0) {
                    return lo < 0 && ((lo << 1) != 0 || (hi & 1) != 0);
                }
                long half = (mask >>> 1) + 1;
                long rem = hi & mask;
                if (rem != half) return rem > half;
                return lo != 0 || (hi & (mask + 1)) != 0;
            }
            case RC_UP: return sign == 0 && inexact(hi, lo, mask);
            case RC_DOWN: return sign != 0 && inexact(hi, lo, mask);
            default: return false;
        }
    }

    /** Whether rounding a significand whose kept bits are all ones carries out (used for tininess after rounding). */
    private static boolean carries(long hi, long lo, long mask, int rc, int sign) {
        return (hi | mask) == -1L && increment(hi, lo, mask, rc, sign);
    }

    /** Rounds to a register under PC and RC, with the extended exponent range, and packs into s.rm/s.rse. */
    static void roundToRegister(FpuState s, int sign, int exp, long hi, long lo, int p) {
        round(s, sign, exp, hi, lo, p, EMIN, EMAX, s.masked(UE), s.masked(OE), BIAS_ADJUST);
        packExtended(s, sign);
    }

    /** Packs s.rm/s.rexp (from {@link #round}) into s.rse as an extended value. */
    static void packExtended(FpuState s, int sign) {
        int e;
        if (s.rexp > EMAX) {
            e = s.rexp == EMAX + 1 && s.rm == J ? EXP_MAX : s.rexp + BIAS; // infinity
        } else {
            e = s.rm < 0 ? s.rexp + BIAS : 0;
        }
        s.rse = (sign << 15) | (e & EXP_MAX);
    }

    // =====================================================================================
    // Operands

    /** The unbiased exponent of a finite non-zero operand once its significand is normalized. */
    static int normExp(long m, int se) {
        int e = se & EXP_MAX;
        return (e == 0 ? 1 : e) - BIAS - Long.numberOfLeadingZeros(m);
    }

    static long normSig(long m) {
        return m << Long.numberOfLeadingZeros(m);
    }

    static boolean isDenormal(int c) {
        return c == DENORMAL || c == PSEUDO_DENORMAL;
    }

    /** The result is the real indefinite with IE; delivered only when IE is masked. */
    static boolean invalid(FpuState s) {
        s.exc |= IE;
        s.rm = Float80.INDEFINITE_M;
        s.rse = Float80.INDEFINITE_SE;
        return s.masked(IE);
    }

    /**
     * NaN and unsupported operands of a two-operand operation (Vol. 1, 4.8.3.5 and Table 4-7):
     * an unsupported encoding gives the real indefinite; an SNaN raises IE; the result is the
     * quieted NaN, the one with the larger significand when both are NaNs.
     */
    static boolean nanResult(FpuState s, int ca, long am, int ase, int cb, long bm, int bse) {
        if (ca == UNSUPPORTED || cb == UNSUPPORTED) {
            return invalid(s);
        }
        boolean aNaN = ca == SNAN || ca == QNAN, bNaN = cb == SNAN || cb == QNAN;
        long m;
        int se;
        if (aNaN && bNaN && ca != cb) {
            // an SNaN and a QNaN: the QNaN (Vol. 1, Table 4-7)
            m = ca == QNAN ? am : bm;
            se = ca == QNAN ? ase : bse;
        } else if (aNaN && bNaN) {
            int c = Long.compareUnsigned(am | QUIET, bm | QUIET);
            if (c > 0 || (c == 0 && sameSignPreferA(ase, bse))) {
                m = am;
                se = ase;
            } else {
                m = bm;
                se = bse;
            }
        } else if (aNaN) {
            m = am;
            se = ase;
        } else {
            m = bm;
            se = bse;
        }
        s.rm = m | QUIET;
        s.rse = se;
        if (ca == SNAN || cb == SNAN) {
            s.exc |= IE;
            return s.masked(IE);
        }
        return true;
    }

    /** Of two NaNs with equal significands the x87 returns the positive one (or the first if alike). */
    private static boolean sameSignPreferA(int ase, int bse) {
        return (ase & 0x8000) == 0 || (bse & 0x8000) != 0;
    }

    /** A single NaN or unsupported operand: the quieted NaN, or the real indefinite. */
    static boolean nanResult(FpuState s, int c, long m, int se) {
        if (c == UNSUPPORTED) {
            return invalid(s);
        }
        s.rm = m | QUIET;
        s.rse = se;
        if (c == SNAN) {
            s.exc |= IE;
            return s.masked(IE);
        }
        return true;
    }

    static boolean isNaNOrUnsupported(int c) {
        return c >= SNAN && c != PSEUDO_DENORMAL;
    }

    /** DE for a denormal operand; false when unmasked (the operation is then not carried out). */
    static boolean denormalOk(FpuState s) {
        s.exc |= DE;
        return s.masked(DE);
    }

    // =====================================================================================
    // FADD/FSUB

    /** a + b; {@code negB} (0 or 0x8000) flips b's sign after NaN selection (FSUB/FSUBR). */
    public static boolean add(FpuState s, long am, int ase, long bm, int bse, int negB, boolean bDenormal) {
        int ca = Float80.classify(am, ase), cb = Float80.classify(bm, bse);
        if (isNaNOrUnsupported(ca) || isNaNOrUnsupported(cb)) {
            return nanResult(s, ca, am, ase, cb, bm, bse);
        }
        bse ^= negB;
        if ((isDenormal(ca) || isDenormal(cb) || bDenormal) && !denormalOk(s)) {
            return false;
        }
        int sa = ase >>> 15 & 1, sb = bse >>> 15 & 1;
        if (ca == INFINITY || cb == INFINITY) {
            if (ca == INFINITY && cb == INFINITY && sa != sb) {
                return invalid(s);
            }
            s.rm = J;
            s.rse = (ca == INFINITY ? ase : bse) | EXP_MAX;
            return true;
        }
        if (ca == ZERO && cb == ZERO) {
            s.rm = 0;
            s.rse = sa == sb ? sa << 15 : (s.rc() == RC_DOWN ? 0x8000 : 0);
            return true;
        }
        if (cb == ZERO) {
            roundToRegister(s, sa, normExp(am, ase), normSig(am), 0, s.precision());
            return true;
        }
        if (ca == ZERO) {
            roundToRegister(s, sb, normExp(bm, bse), normSig(bm), 0, s.precision());
            return true;
        }
        int ea = normExp(am, ase), eb = normExp(bm, bse);
        long ah = normSig(am), bh = normSig(bm);
        if (eb > ea || (eb == ea && Long.compareUnsigned(bh, ah) > 0)) {
            int t = ea; ea = eb; eb = t;
            long u = ah; ah = bh; bh = u;
            int v = sa; sa = sb; sb = v;
        }
        // b's significand shifted right by d into (bh:bl) with a sticky bit.
        int d = ea - eb;
        long bl;
        if (d == 0) {
            bl = 0;
        } else if (d < 64) {
            bl = bh << (64 - d);
            bh >>>= d;
        } else if (d < 128) {
            bl = (bh >>> (d - 64)) | (d > 64 && (bh << (128 - d)) != 0 ? 1 : 0);
            bh = 0;
        } else {
            bl = 1;
            bh = 0;
        }
        long hi, lo;
        int exp = ea;
        if (sa == sb) {
            lo = bl;
            hi = ah + bh;
            if (Long.compareUnsigned(hi, ah) < 0) { // carry out of bit 63
                lo = (hi << 63) | (lo >>> 1) | (lo & 1);
                hi = (hi >>> 1) | J;
                exp++;
            }
        } else {
            lo = -bl;
            hi = ah - bh - (bl != 0 ? 1 : 0);
            if (hi == 0 && lo == 0) {
                s.rm = 0;
                s.rse = s.rc() == RC_DOWN ? 0x8000 : 0;
                return true;
            }
            int lz = hi != 0 ? Long.numberOfLeadingZeros(hi) : 64 + Long.numberOfLeadingZeros(lo);
            if (lz >= 64) {
                hi = lo << (lz - 64);
                lo = 0;
            } else if (lz > 0) {
                hi = (hi << lz) | (lo >>> (64 - lz));
                lo <<= lz;
            }
            exp -= lz;
        }
        roundToRegister(s, sa, exp, hi, lo, s.precision());
        return true;
    }

    // =====================================================================================
    // FMUL

    public static boolean mul(FpuState s, long am, int ase, long bm, int bse, boolean bDenormal) {
        int ca = Float80.classify(am, ase), cb = Float80.classify(bm, bse);
        if (isNaNOrUnsupported(ca) || isNaNOrUnsupported(cb)) {
            return nanResult(s, ca, am, ase, cb, bm, bse);
        }
        int sign = (ase ^ bse) >>> 15 & 1;
        if (ca == INFINITY || cb == INFINITY) {
            if (ca == ZERO || cb == ZERO) {
                return invalid(s);
            }
            if ((isDenormal(ca) || isDenormal(cb) || bDenormal) && !denormalOk(s)) {
                return false;
            }
            s.rm = J;
            s.rse = sign << 15 | EXP_MAX;
            return true;
        }
        if ((isDenormal(ca) || isDenormal(cb) || bDenormal) && !denormalOk(s)) {
            return false;
        }
        if (ca == ZERO || cb == ZERO) {
            s.rm = 0;
            s.rse = sign << 15;
            return true;
        }
        long ah = normSig(am), bh = normSig(bm);
        int exp = normExp(am, ase) + normExp(bm, bse);
        long lo = ah * bh;
        long hi = unsignedMultiplyHigh(ah, bh);
        if (hi < 0) {
            exp++;
        } else {
            hi = (hi << 1) | (lo >>> 63);
            lo <<= 1;
        }
        roundToRegister(s, sign, exp, hi, lo, s.precision());
        return true;
    }

    static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    // =====================================================================================
    // FDIV

    /** a / b. */
    public static boolean div(FpuState s, long am, int ase, long bm, int bse, boolean bDenormal) {
        int ca = Float80.classify(am, ase), cb = Float80.classify(bm, bse);
        if (isNaNOrUnsupported(ca) || isNaNOrUnsupported(cb)) {
            return nanResult(s, ca, am, ase, cb, bm, bse);
        }
        int sign = (ase ^ bse) >>> 15 & 1;
        if ((ca == INFINITY && cb == INFINITY) || (ca == ZERO && cb == ZERO)) {
            return invalid(s);
        }
        if (cb == ZERO && ca != INFINITY) {
            // A finite dividend over zero: ZE, and no DE even for a denormal dividend.
            s.exc |= ZE;
            s.rm = J;
            s.rse = sign << 15 | EXP_MAX;
            return s.masked(ZE);
        }
        if ((isDenormal(ca) || isDenormal(cb) || bDenormal) && !denormalOk(s)) {
            return false;
        }
        if (ca == INFINITY || cb == ZERO) {
            s.rm = J;
            s.rse = sign << 15 | EXP_MAX;
            return true;
        }
        if (ca == ZERO || cb == INFINITY) {
            s.rm = 0;
            s.rse = sign << 15;
            return true;
        }
        long ah = normSig(am), bh = normSig(bm);
        int exp = normExp(am, ase) - normExp(bm, bse);
        long n1, n0;
        if (Long.compareUnsigned(ah, bh) >= 0) {
            n1 = ah >>> 1;
            n0 = ah << 63;
        } else {
            n1 = ah;
            n0 = 0;
            exp--;
        }
        long q1 = divlu(s, n1, n0, bh);
        long q0 = divlu(s, s.rem, 0, bh);
        long lo = q0 | (s.rem != 0 ? 1 : 0);
        roundToRegister(s, sign, exp, q1, lo, s.precision());
        return true;
    }

    /**
     * (u1:u0) / v for a normalized v (bit 63 set) and u1 < v: the 64-bit quotient; the remainder
     * goes to s.rem (Hacker's Delight, divlu, with 32-bit digits).
     */
    static long divlu(FpuState s, long u1, long u0, long v) {
        final long b = 1L << 32;
        long vn1 = v >>> 32, vn0 = v & 0xFFFFFFFFL;
        long un1 = u0 >>> 32, un0 = u0 & 0xFFFFFFFFL;
        long q1 = Long.divideUnsigned(u1, vn1);
        long rhat = u1 - q1 * vn1;
        while (Long.compareUnsigned(q1, b) >= 0 || Long.compareUnsigned(q1 * vn0, (rhat << 32) | un1) > 0) {
            q1--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, b) >= 0) break;
        }
        long un21 = (u1 << 32) + un1 - q1 * v;
        long q0 = Long.divideUnsigned(un21, vn1);
        rhat = un21 - q0 * vn1;
        while (Long.compareUnsigned(q0, b) >= 0 || Long.compareUnsigned(q0 * vn0, (rhat << 32) | un0) > 0) {
            q0--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, b) >= 0) break;
        }
        s.rem = (un21 << 32) + un0 - q0 * v;
        return (q1 << 32) + q0;
    }

    // =====================================================================================
    // FSQRT

    public static boolean sqrt(FpuState s, long am, int ase) {
        int ca = Float80.classify(am, ase);
        if (isNaNOrUnsupported(ca)) {
            return nanResult(s, ca, am, ase);
        }
        int sign = ase >>> 15 & 1;
        if (ca == ZERO) {
            s.rm = 0;
            s.rse = ase & 0x8000;
            return true;
        }
        if (sign != 0) {
            return invalid(s);
        }
        if (isDenormal(ca) && !denormalOk(s)) {
            return false;
        }
        if (ca == INFINITY) {
            s.rm = J;
            s.rse = EXP_MAX;
            return true;
        }
        long hi = normSig(am);
        int e2 = normExp(am, ase) - 63; // value = hi * 2^e2
        // N = hi * 2^64 (e2 even) or hi * 2^63 (e2 odd): a 128-bit radicand whose root has 64 bits.
        long nh, nl;
        int k;
        if ((e2 & 1) == 0) {
            nh = hi;
            nl = 0;
            k = (e2 - 64) / 2;
        } else {
            nh = hi >>> 1;
            nl = hi << 63;
            k = (e2 - 63) >> 1;
        }
        long r = isqrt128(s, nh, nl);
        // s.rem holds N - r^2 (it fits: it is at most 2r): above half an ulp iff it exceeds r.
        long lo = s.rem == 0 && s.rexp == 0 ? 0 : (s.rexp != 0 || Long.compareUnsigned(s.rem, r) > 0 ? J | 1 : 1);
        roundToRegister(s, 0, k + 63, r, lo, s.precision());
        return true;
    }

    /**
     * floor(sqrt(nh:nl)) for a radicand of at least 2^126, so that the root has bit 63 set: a
     * double estimate, one Newton step with a 128/64 division, then an exact correction. The
     * remainder N - r^2 is left in s.rem with its bit 64 in s.rexp.
     */
    static long isqrt128(FpuState s, long nh, long nl) {
        double d = Math.sqrt(unsignedToDouble(nh) * 0x1p64 + unsignedToDouble(nl));
        long r = d >= 0x1p64 ? -1L : d >= 0x1p63 ? (long) (d - 0x1p63) + Long.MIN_VALUE : (long) d;
        if (r >= 0) {
            r = Long.MIN_VALUE; // the root is at least 2^63
        }
        if (Long.compareUnsigned(nh, r) < 0) {
            long q = divlu(s, nh, nl, r);
            r = (r >>> 1) + (q >>> 1) + (r & q & 1);
            if (r >= 0) r = Long.MIN_VALUE;
        }
        // Correct to the exact floor: r^2 <= N < (r + 1)^2.
        while (greaterSquare(r, nh, nl)) {
            r--;
        }
        while (r != -1L && !greaterSquare(r + 1, nh, nl)) {
            r++;
        }
        long sl = r * r, sh = unsignedMultiplyHigh(r, r);
        long remLo = nl - sl;
        long remHi = nh - sh - (Long.compareUnsigned(nl, sl) < 0 ? 1 : 0);
        s.rem = remLo;
        s.rexp = (int) remHi;
        return r;
    }

    /** r^2 > (nh:nl), unsigned. */
    private static boolean greaterSquare(long r, long nh, long nl) {
        long sh = unsignedMultiplyHigh(r, r);
        int c = Long.compareUnsigned(sh, nh);
        return c > 0 || (c == 0 && Long.compareUnsigned(r * r, nl) > 0);
    }

    private static double unsignedToDouble(long v) {
        double d = (double) (v >>> 1) * 2.0;
        return d + (v & 1);
    }

    static BigInteger normSigBig(long m) {
        return new BigInteger(1, toBytes(normSig(m)));
    }

    static byte[] toBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (56 - 8 * i));
        }
        return b;
    }

    // =====================================================================================
    // Comparison

    public static final int LESS = 0, EQUAL = 1, GREATER = 2, UNORDERED = 3;

    /**
     * Compares a with b (FCOM/FUCOM/FCOMI/FUCOMI/FTST/FICOM). {@code quiet}: only SNaNs raise IE
     * (FUCOM*); otherwise any NaN does. Unsupported encodings always raise IE. Returns the relation
     * (unordered after IE); the caller decides about popping.
     */
    public static int compare(FpuState s, long am, int ase, long bm, int bse, boolean quiet, boolean bDenormal) {
        int ca = Float80.classify(am, ase), cb = Float80.classify(bm, bse);
        if (isNaNOrUnsupported(ca) || isNaNOrUnsupported(cb)) {
            boolean ie = !quiet || ca == UNSUPPORTED || cb == UNSUPPORTED || ca == SNAN || cb == SNAN;
            if (ie) {
                s.exc |= IE; // the condition codes say unordered even when IE is unmasked
            }
            return UNORDERED;
        }
        if (isDenormal(ca) || isDenormal(cb) || bDenormal) {
            s.exc |= DE; // the condition codes are set even when DE is unmasked
        }
        return order(ca, am, ase, cb, bm, bse);
    }

    /** The order of two ordered (non-NaN, supported) values. */
    static int order(int ca, long am, int ase, int cb, long bm, int bse) {
        int sa = ase >>> 15 & 1, sb = bse >>> 15 & 1;
        if (ca == ZERO && cb == ZERO) return EQUAL;
        if (ca == ZERO) return sb != 0 ? GREATER : LESS;
        if (cb == ZERO) return sa != 0 ? LESS : GREATER;
        if (sa != sb) return sa != 0 ? LESS : GREATER;
        int mag;
        if (ca == INFINITY || cb == INFINITY) {
            mag = ca == cb ? 0 : ca == INFINITY ? 1 : -1;
        } else {
            int ea = normExp(am, ase), eb = normExp(bm, bse);
            mag = ea != eb ? Integer.compare(ea, eb) : Long.compareUnsigned(normSig(am), normSig(bm));
        }
        if (mag == 0) return EQUAL;
        return (mag > 0) == (sa == 0) ? GREATER : LESS;
    }

    // =====================================================================================
    // FRNDINT

    public static boolean roundToIntegral(FpuState s, long am, int ase) {
        int ca = Float80.classify(am, ase);
        if (isNaNOrUnsupported(ca)) {
            return nanResult(s, ca, am, ase);
        }
        if (isDenormal(ca) && !denormalOk(s)) {
            return false;
        }
        if (ca == ZERO || ca == INFINITY) {
            s.rm = am;
            s.rse = ase;
            return true;
        }
        int exp = normExp(am, ase);
        int sign = ase >>> 15 & 1;
        if (exp >= 63) {
            s.rm = am;
            s.rse = ase;
            return true;
        }
        long mag = FpuConvert.roundToInteger(s, sign, exp, normSig(am), s.rc());
        if (s.rexp != 0) { // 2^64 cannot happen below exponent 63
            throw new IllegalStateException();
        }
        if (mag == 0) {
            s.rm = 0;
            s.rse = sign << 15;
        } else {
            int lz = Long.numberOfLeadingZeros(mag);
            s.rm = mag << lz;
            s.rse = sign << 15 | (63 - lz + BIAS);
        }
        return true;
    }

    // =====================================================================================
    // FSCALE

    public static boolean scale(FpuState s, long am, int ase, long bm, int bse) {
        int ca = Float80.classify(am, ase), cb = Float80.classify(bm, bse);
        if (isNaNOrUnsupported(ca) || isNaNOrUnsupported(cb)) {
            return nanResult(s, ca, am, ase, cb, bm, bse);
        }
        int sa = ase >>> 15 & 1, sb = bse >>> 15 & 1;
        if (cb == INFINITY) {
            if (sb != 0) { // scale by -infinity
                if (ca == INFINITY) return invalid(s);
                if ((isDenormal(ca)) && !denormalOk(s)) return false;
                s.rm = 0;
                s.rse = sa << 15;
                return true;
            }
            if (ca == ZERO) return invalid(s);
            if ((isDenormal(ca)) && !denormalOk(s)) return false;
            s.rm = J;
            s.rse = sa << 15 | EXP_MAX;
            return true;
        }
        if ((isDenormal(ca) || isDenormal(cb)) && !denormalOk(s)) {
            return false;
        }
        if (ca == ZERO || ca == INFINITY) {
            s.rm = am;
            s.rse = ase;
            return true;
        }
        if (cb == ZERO) {
            // Measured: scaling by zero gives ST(0) back untouched (a pseudo-denormal gets exponent 1).
            s.rm = am;
            s.rse = ca == PSEUDO_DENORMAL ? ase | 1 : ase;
            return true;
        }
        int n;
        if (cb == ZERO) {
            n = 0;
        } else {
            int eb = normExp(bm, bse);
            if (eb < 0) {
                n = 0;
            } else if (eb >= 30) {
                n = sb != 0 ? -(1 << 30) : (1 << 30);
            } else {
                n = (int) (normSig(bm) >>> (63 - eb));
                if (sb != 0) n = -n;
            }
        }
        roundToRegister(s, sa, normExp(am, ase) + n, normSig(am), 0, 64);
        return true;
    }

    // =====================================================================================
    // FXTRACT

    /** Exponent to s.xm/s.xse, significand to s.rm/s.rse. */
    public static boolean extract(FpuState s, long am, int ase) {
        int ca = Float80.classify(am, ase);
        if (isNaNOrUnsupported(ca)) {
            boolean ok = nanResult(s, ca, am, ase);
            s.xm = s.rm;
            s.xse = s.rse;
            return ok;
        }
        if (ca == ZERO) {
            s.exc |= ZE;
            s.xm = J;
            s.xse = 0x8000 | EXP_MAX;
            s.rm = 0;
            s.rse = ase;
            return s.masked(ZE);
        }
        if (isDenormal(ca) && !denormalOk(s)) {
            return false;
        }
        if (ca == INFINITY) {
            s.xm = J;
            s.xse = EXP_MAX;
            s.rm = am;
            s.rse = ase;
            return true;
        }
        int exp = normExp(am, ase);
        s.rm = normSig(am);
        s.rse = (ase & 0x8000) | BIAS;
        if (exp == 0) {
            s.xm = 0;
            s.xse = 0;
        } else {
            long mag = Math.abs((long) exp);
            int lz = Long.numberOfLeadingZeros(mag);
            s.xm = mag << lz;
            s.xse = (exp < 0 ? 0x8000 : 0) | (63 - lz + BIAS);
        }
        return true;
    }

    // =====================================================================================
    // FPREM / FPREM1

    /**
     * Partial remainder of a by b into s.rm/s.rse. Returns the low three quotient bits when the
     * reduction is complete, -1 when it is partial (C2 = 1), Integer.MIN_VALUE when an unmasked
     * exception suppresses the result.
     */
    public static int remainder(FpuState s, long am, int ase, long bm, int bse, boolean ieee) {
        int ca = Float80.classify(am, ase), cb = Float80.classify(bm, bse);
        if (isNaNOrUnsupported(ca) || isNaNOrUnsupported(cb)) {
            return nanResult(s, ca, am, ase, cb, bm, bse) ? NO_QUOTIENT : Integer.MIN_VALUE;
        }
        if (ca == INFINITY || cb == ZERO) {
            return invalid(s) ? NO_QUOTIENT : Integer.MIN_VALUE;
        }
        if ((isDenormal(ca) || isDenormal(cb)) && !denormalOk(s)) {
            return Integer.MIN_VALUE;
        }
        if (ca == ZERO || cb == INFINITY) {
            s.rm = am; // unchanged, a denormal too; a pseudo-denormal gets its exponent 1
            s.rse = ca == PSEUDO_DENORMAL ? ase | 1 : ase;
            return 0;
        }
        int ea = normExp(am, ase), eb = normExp(bm, bse);
        long ha = normSig(am), hb = normSig(bm);
        int sign = ase >>> 15 & 1;
        int d = ea - eb;
        BigInteger a = new BigInteger(1, toBytes(ha)), b = new BigInteger(1, toBytes(hb));
        int unitExp; // remainder = r * 2^(unitExp - 63)
        int result;
        BigInteger r;
        if (d < 64) {
            if (d >= 0) {
                a = a.shiftLeft(d);
                unitExp = eb;
            } else {
                b = b.shiftLeft(-d);
                unitExp = ea;
            }
            BigInteger[] qr = a.divideAndRemainder(b);
            BigInteger q = qr[0];
            r = qr[1];
            if (ieee) {
                int c = r.shiftLeft(1).compareTo(b);
                if (c > 0 || (c == 0 && q.testBit(0))) {
                    r = b.subtract(r);
                    sign ^= 1;
                    q = q.add(BigInteger.ONE);
                }
            }
            result = q.intValue() & 7;
        } else {
            int n = partialBits(d);
            a = a.shiftLeft(n);
            r = a.mod(b);
            unitExp = ea - n;
            result = -1;
        }
        if (r.signum() == 0) {
            s.rm = 0;
            s.rse = (ase & 0x8000) ^ ((sign ^ (ase >>> 15 & 1)) << 15);
            return result;
        }
        int len = r.bitLength();
        long hi = r.shiftLeft(64 - len).longValue();
        roundToRegister(s, sign, unitExp + len - 64, hi, 0, 64);
        return result;
    }

    /** remainder(): a NaN or indefinite result with no quotient. */
    public static final int NO_QUOTIENT = -2;

    /** The number of quotient bits a partial FPREM/FPREM1 step develops (N of the SDM's pseudo-code). */
    static int partialBits(int d) {
        return 32 + ((d - 32) & 31);
    }
}
