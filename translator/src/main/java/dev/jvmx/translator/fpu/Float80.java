package dev.jvmx.translator.fpu;

/**
 * The double extended-precision format of the x87 (SDM Vol. 1, 4.2.2 and 8.2.2): a sign, a
 * 15-bit exponent biased by 16383 and a 64-bit significand whose bit 63 is the explicit integer
 * bit J. A value travels as two primitives, never as an object: the significand as a
 * {@code long} and the sign with the exponent as an {@code int} {@code se} (bit 15 the sign,
 * bits 14..0 the biased exponent), in the layout of the format's upper 16 bits.
 */
public final class Float80 {
    public static final int BIAS = 16383;
    public static final int EXP_MAX = 0x7FFF;
    public static final int SIGN = 0x8000;
    public static final long J = 0x8000000000000000L;
    /** Bit 62: the quiet bit of a NaN. */
    public static final long QUIET = 0x4000000000000000L;

    /** Classes of an encoding, as the x87 sees an operand. */
    public static final int ZERO = 0, DENORMAL = 1, NORMAL = 2, INFINITY = 3, SNAN = 4, QNAN = 5, UNSUPPORTED = 6;
    /** Pseudo-denormal (exponent 0, J = 1): accepted as an operand like a denormal (Vol. 1, 8.2.2). */
    public static final int PSEUDO_DENORMAL = 7;

    /** The real indefinite (Vol. 1, Table 4-3): -QNaN with significand C000000000000000. */
    public static final long INDEFINITE_M = 0xC000000000000000L;
    public static final int INDEFINITE_SE = 0xFFFF;

    private Float80() { }

    public static int exp(int se) {
        return se & EXP_MAX;
    }

    public static int sign(int se) {
        return (se >>> 15) & 1;
    }

    /** Classifies an encoding (Vol. 1, Table 8-3): unnormals, pseudo-NaNs and pseudo-infinities are UNSUPPORTED. */
    public static int classify(long m, int se) {
        int e = se & EXP_MAX;
        if (e == 0) {
            if (m == 0) return ZERO;
            return m < 0 ? PSEUDO_DENORMAL : DENORMAL;
        }
        if (m >= 0) return UNSUPPORTED; // J = 0 with a non-zero exponent
        if (e == EXP_MAX) {
            if ((m << 1) == 0) return INFINITY;
            return (m & QUIET) != 0 ? QNAN : SNAN;
        }
        return NORMAL;
    }

    public static boolean isNaN(long m, int se) {
        return (se & EXP_MAX) == EXP_MAX && m < 0 && (m << 1) != 0;
    }

    public static boolean isSNaN(long m, int se) {
        return isNaN(m, se) && (m & QUIET) == 0;
    }

    /** The 2-bit tag the FNSTENV/FNSAVE tag word shows for a non-empty register (Vol. 1, 8.1.7). */
    public static int tag(long m, int se) {
        int e = se & EXP_MAX;
        if (e == 0) return m == 0 ? 1 : 2;  // zero, or special (denormal, pseudo-denormal)
        if (e == EXP_MAX || m >= 0) return 2; // NaN, infinity, unsupported
        return 0;                            // valid
    }

    /** The value as a double, for diagnostics only (rounded to nearest, overflow to infinity). */
    public static double toDouble(long m, int se) {
        int e = se & EXP_MAX;
        double s = (se & SIGN) != 0 ? -1 : 1;
        if (e == EXP_MAX) {
            return (m << 1) == 0 ? s * Double.POSITIVE_INFINITY : Double.NaN;
        }
        double mag = (double) (m >>> 11) * 0x1p-52;
        return s * Math.scalb(mag, Math.max(e, 1) - BIAS);
    }

    public static String toString(long m, int se) {
        return String.format("%04X:%016X", se & 0xFFFF, m);
    }
}
