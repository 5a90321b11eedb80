package dev.jvmx.translator.fpu;

import static dev.jvmx.translator.fpu.Float80.BIAS;
import static dev.jvmx.translator.fpu.Float80.EXP_MAX;
import static dev.jvmx.translator.fpu.Float80.INFINITY;
import static dev.jvmx.translator.fpu.Float80.J;
import static dev.jvmx.translator.fpu.Float80.QNAN;
import static dev.jvmx.translator.fpu.Float80.QUIET;
import static dev.jvmx.translator.fpu.Float80.SNAN;
import static dev.jvmx.translator.fpu.Float80.UNSUPPORTED;
import static dev.jvmx.translator.fpu.Float80.ZERO;
import static dev.jvmx.translator.fpu.FpuState.C1;
import static dev.jvmx.translator.fpu.FpuState.IE;
import static dev.jvmx.translator.fpu.FpuState.OE;
import static dev.jvmx.translator.fpu.FpuState.PE;
import static dev.jvmx.translator.fpu.FpuState.RC_CHOP;
import static dev.jvmx.translator.fpu.FpuState.RC_DOWN;
import static dev.jvmx.translator.fpu.FpuState.RC_NEAREST;
import static dev.jvmx.translator.fpu.FpuState.RC_UP;
import static dev.jvmx.translator.fpu.FpuState.UE;

/**
 * Conversions between the extended format and the memory formats (SDM Vol. 1, 4.2, 4.7 and 8.2;
 * Vol. 2 FLD, FST, FILD, FIST, FISTTP, FBLD, FBSTP). Loads of single, double and integers are exact;
 * stores round with the rounding control (never the precision control) to the destination's
 * precision and exponent range.
 */
public final class FpuConvert {
    /** Single and double indefinite, integer indefinite is the most negative integer. */
    public static final int SINGLE_INDEFINITE = 0xFFC00000;
    public static final long DOUBLE_INDEFINITE = 0xFFF8000000000000L;

    private FpuConvert() { }

    // ---- loads: exact, results in s.rm/s.rse

    /** m32fp to extended, exactly; an SNaN stays signalling (the caller decides about IE). */
    public static void fromSingle(FpuState s, int bits) {
        int sign = bits >>> 31 << 15;
        int e = bits >>> 23 & 0xFF;
        long f = bits & 0x7FFFFFL;
        if (e == 0xFF) {
            s.rm = J | f << 40;
            s.rse = sign | EXP_MAX;
        } else if (e == 0) {
            if (f == 0) {
                s.rm = 0;
                s.rse = sign;
            } else {
                int lz = Long.numberOfLeadingZeros(f);
                s.rm = f << lz;
                s.rse = sign | (-149 + 63 - lz + BIAS);
            }
        } else {
            s.rm = J | f << 40;
            s.rse = sign | (e - 127 + BIAS);
        }
    }

    public static boolean singleIsDenormal(int bits) {
        return (bits & 0x7F800000) == 0 && (bits & 0x7FFFFF) != 0;
    }

    public static boolean singleIsSNaN(int bits) {
        return (bits & 0x7F800000) == 0x7F800000 && (bits & 0x7FFFFF) != 0 && (bits & 0x400000) == 0;
    }

    public static void fromDouble(FpuState s, long bits) {
        int sign = (int) (bits >>> 63) << 15;
        int e = (int) (bits >>> 52) & 0x7FF;
        long f = bits & 0xFFFFFFFFFFFFFL;
        if (e == 0x7FF) {
            s.rm = J | f << 11;
            s.rse = sign | EXP_MAX;
        } else if (e == 0) {
            if (f == 0) {
                s.rm = 0;
                s.rse = sign;
            } else {
                int lz = Long.numberOfLeadingZeros(f);
                s.rm = f << lz;
                s.rse = sign | (-1074 + 63 - lz + BIAS);
            }
        } else {
            s.rm = J | f << 11;
            s.rse = sign | (e - 1023 + BIAS);
        }
    }

    public static boolean doubleIsDenormal(long bits) {
        return (bits & 0x7FF0000000000000L) == 0 && (bits & 0xFFFFFFFFFFFFFL) != 0;
    }

    public static boolean doubleIsSNaN(long bits) {
        return (bits & 0x7FF0000000000000L) == 0x7FF0000000000000L && (bits & 0xFFFFFFFFFFFFFL) != 0
                && (bits & 0x8000000000000L) == 0;
    }

    /** A signed 64-bit integer to extended (exact; FILD, and the integer operands of FIADD...). */
    public static void fromInteger(FpuState s, long v) {
        if (v == 0) {
            s.rm = 0;
            s.rse = 0;
            return;
        }
        int sign = v < 0 ? 0x8000 : 0;
        long mag = v < 0 ? -v : v; // Long.MIN_VALUE stays 2^63 as unsigned
        int lz = Long.numberOfLeadingZeros(mag);
        s.rm = mag << lz;
        s.rse = sign | (63 - lz + BIAS);
    }

    /**
     * FBLD: 18 packed BCD digits and a sign byte, 10 bytes little-endian as {@code lo} (bytes 0-7)
     * and {@code hi} (bytes 8-9). Exact. Nibbles above 9 are undefined; they are weighted like
     * digits here.
     */
    public static void fromBcd(FpuState s, long lo, int hi) {
        long v = 0;
        for (int i = 17; i >= 0; i--) {
            int nib = i >= 16 ? (hi >>> (4 * (i - 16))) & 0xF : (int) (lo >>> (4 * i)) & 0xF;
            v = v * 10 + nib;
        }
        int sign = (hi & 0x8000) != 0 ? 0x8000 : 0;
        fromInteger(s, v);
        s.rse |= sign;
    }

    // ---- stores

    /**
     * Extended to m32fp (FST/FSTP m32fp): the bits in s.rm's low 32 bits. Returns false when an
     * unmasked exception means nothing is stored (Vol. 1, 4.9.1.4 and 4.9.1.5: an unmasked
     * overflow or underflow on a store to memory leaves the destination unchanged).
     */
    public static boolean toSingle(FpuState s, long m, int se) {
        return toBinary(s, m, se, 24, 8);
    }

    public static boolean toDouble(FpuState s, long m, int se) {
        return toBinary(s, m, se, 53, 11);
    }

    private static boolean toBinary(FpuState s, long m, int se, int p, int ebits) {
        int c = Float80.classify(m, se);
        int fbits = p - 1;
        int bias = (1 << (ebits - 1)) - 1;
        long signBit = (long) (se >>> 15 & 1) << (fbits + ebits);
        long expAll = ((1L << ebits) - 1) << fbits;
        switch (c) {
            case UNSUPPORTED:
                s.exc |= IE;
                s.rm = p == 24 ? SINGLE_INDEFINITE & 0xFFFFFFFFL : DOUBLE_INDEFINITE;
                return s.masked(IE);
            case SNAN:
            case QNAN: {
                s.rm = signBit | expAll | ((m | QUIET) << 1 >>> (64 - fbits));
                if (c == SNAN) {
                    s.exc |= IE;
                    return s.masked(IE);
                }
                return true;
            }
            case INFINITY:
                s.rm = signBit | expAll;
                return true;
            case ZERO:
                s.rm = signBit;
                return true;
            default:
                break;
        }
        int sign = se >>> 15 & 1;
        int emin = 1 - bias, emax = bias;
        int before = s.exc;
        FpuArith.round(s, sign, FpuArith.normExp(m, se), FpuArith.normSig(m), 0, p, emin, emax,
                s.masked(UE), s.masked(OE), 0);
        int raised = s.exc & ~before;
        if ((raised & UE) != 0 && !s.masked(UE) || (raised & OE) != 0 && !s.masked(OE)) {
            s.exc &= ~(PE | C1) | before; // nothing stored: no rounding to report
            return false;
        }
        long frac = (s.rm << 1) >>> (64 - fbits);
        long e;
        if (s.rexp > emax) {
            e = (1L << ebits) - 1;
            frac = 0;
        } else {
            e = s.rm < 0 ? s.rexp + bias : 0;
        }
        s.rm = signBit | e << fbits | frac;
        return true;
    }

    /**
     * Rounds to an integer of {@code width} bits (16, 32, 64) with the rounding control, or
     * truncating ({@code chop}: FISTTP). The integer goes to s.rm. Out of range, NaN, infinity and
     * unsupported raise IE: masked, the integer indefinite (the most negative value) is stored.
     */
    public static boolean toInteger(FpuState s, long m, int se, int width, boolean chop) {
        int c = Float80.classify(m, se);
        long indefinite = 1L << (width - 1);
        if (c == UNSUPPORTED || c == SNAN || c == QNAN || c == INFINITY) {
            return integerInvalid(s, indefinite);
        }
        if (c == ZERO) {
            s.rm = 0;
            return true;
        }
        int sign = se >>> 15 & 1;
        int before = s.exc;
        long mag = roundToInteger(s, sign, FpuArith.normExp(m, se), FpuArith.normSig(m), chop ? RC_CHOP : s.rc());
        boolean carry = s.rexp != 0; // magnitude 2^64
        long limit = sign != 0 ? indefinite : indefinite - 1; // unsigned magnitude limit
        if (carry || Long.compareUnsigned(mag, limit) > 0) {
            s.exc = before;
            return integerInvalid(s, indefinite);
        }
        s.rm = sign != 0 ? -mag : mag;
        if (width < 64) {
            s.rm &= (1L << width) - 1;
        }
        return true;
    }

    private static boolean integerInvalid(FpuState s, long indefinite) {
        s.exc |= IE;
        s.rm = indefinite;
        return s.masked(IE);
    }

    /**
     * The magnitude of {@code hi * 2^(exp-63)} rounded to an integer with {@code rc}; sets PE (and
     * C1 when rounded up) if inexact. s.rexp is set to 1 when the magnitude reached 2^64.
     */
    static long roundToInteger(FpuState s, int sign, int exp, long hi, int rc) {
        s.rexp = 0;
        long ip;
        long frac;   // the fraction bits left-aligned
        boolean fracSticky;
        if (exp >= 63) {
            if (exp > 63) {
                s.rexp = 1;
            }
            return hi;
        } else if (exp >= 0) {
            ip = hi >>> (63 - exp);
            frac = hi << (exp + 1);
            fracSticky = false;
        } else {
            ip = 0;
            if (exp == -1) {
                frac = hi;
                fracSticky = false;
            } else {
                frac = 0;
                fracSticky = true; // below one half
            }
        }
        boolean inexact = frac != 0 || fracSticky;
        if (!inexact) {
            return ip;
        }
        boolean up;
        switch (rc) {
            case RC_NEAREST:
                up = frac < 0 && ((frac << 1) != 0 || (ip & 1) != 0);
                break;
            case RC_UP: up = sign == 0; break;
            case RC_DOWN: up = sign != 0; break;
            default: up = false; break;
        }
        s.exc |= PE;
        if (up) {
            s.exc |= C1;
            ip++;
            if (ip == 0) {
                s.rexp = 1;
            }
        }
        return ip;
    }

    /**
     * FBSTP: rounds with RC to an integer and stores 18 BCD digits and the sign; |value| above
     * 10^18 - 1, NaN, infinity or unsupported raise IE (masked: the BCD indefinite). Bytes 0-7 in
     * s.rm, bytes 8-9 in s.rse.
     */
    public static boolean toBcd(FpuState s, long m, int se) {
        int c = Float80.classify(m, se);
        int signByte = (se & 0x8000) != 0 ? 0x80 : 0;
        if (c == UNSUPPORTED || c == SNAN || c == QNAN || c == INFINITY) {
            return bcdInvalid(s);
        }
        long mag = 0;
        if (c != ZERO) {
            int before = s.exc;
            mag = roundToInteger(s, se >>> 15 & 1, FpuArith.normExp(m, se), FpuArith.normSig(m), s.rc());
            if (s.rexp != 0 || Long.compareUnsigned(mag, 999_999_999_999_999_999L) > 0) {
                s.exc = before;
                return bcdInvalid(s);
            }
        }
        long lo = 0;
        int hi = 0;
        for (int i = 0; i < 18; i++) {
            long d = mag % 10;
            mag /= 10;
            if (i < 16) {
                lo |= d << (4 * i);
            } else {
                hi |= (int) d << (4 * (i - 16));
            }
        }
        s.rm = lo;
        s.rse = hi | signByte << 8;
        return true;
    }

    private static boolean bcdInvalid(FpuState s) {
        s.exc |= IE;
        s.rm = 0xC000000000000000L;
        s.rse = 0xFFFF;
        return s.masked(IE);
    }
}
