package dev.jvmx.translator.fpu;

import java.math.BigInteger;

/**
 * A binary floating-point number {@code mant * 2^exp} with an arbitrary-precision significand,
 * truncated to {@link #PREC} bits after every operation: the working precision of the
 * transcendental instructions (far beyond the 64 bits of the result, so that rounding the
 * result is decided correctly except in the rarest near-halfway cases).
 */
final class BigFloat {
    static final int PREC = 136;
    static final BigFloat ZERO = new BigFloat(BigInteger.ZERO, 0);
    static final BigFloat ONE = new BigFloat(BigInteger.ONE, 0);

    final BigInteger mant;
    final int exp;

    BigFloat(BigInteger mant, int exp) {
        int excess = mant.bitLength() - PREC;
        if (excess > 0) {
            // truncation toward zero of the magnitude
            this.mant = mant.signum() < 0 ? mant.negate().shiftRight(excess).negate() : mant.shiftRight(excess);
            this.exp = exp + excess;
        } else {
            this.mant = mant;
            this.exp = exp;
        }
    }

    static BigFloat of(long v) {
        return new BigFloat(BigInteger.valueOf(v), 0);
    }

    /** The value of an extended operand (finite). */
    static BigFloat ofExtended(long m, int se) {
        int e = se & Float80.EXP_MAX;
        BigInteger b = new BigInteger(1, FpuArith.toBytes(m));
        if ((se & 0x8000) != 0) b = b.negate();
        return new BigFloat(b, (e == 0 ? 1 : e) - Float80.BIAS - 63);
    }

    int signum() {
        return mant.signum();
    }

    BigFloat negate() {
        return new BigFloat(mant.negate(), exp);
    }

    BigFloat abs() {
        return mant.signum() < 0 ? negate() : this;
    }

    /** floor(log2(|x|)): the exponent of the leading bit. */
    int ilogb() {
        return exp + mant.abs().bitLength() - 1;
    }

    BigFloat add(BigFloat o) {
        if (mant.signum() == 0) return o;
        if (o.mant.signum() == 0) return this;
        // Align to the smaller exponent, but not more than PREC + 2 bits below the larger operand's top.
        int top = Math.max(ilogb(), o.ilogb());
        int floor = top - PREC - 4;
        BigFloat a = this.atLeast(floor), b = o.atLeast(floor);
        int e = Math.min(a.exp, b.exp);
        BigInteger sum = a.mant.shiftLeft(a.exp - e).add(b.mant.shiftLeft(b.exp - e));
        return new BigFloat(sum, e);
    }

    /** The same value with an exponent of at least {@code e} (lower bits truncated, a sticky bit kept). */
    private BigFloat atLeast(int e) {
        if (exp >= e) return this;
        BigInteger a = mant.abs();
        BigInteger t = a.shiftRight(e - exp);
        if (t.shiftLeft(e - exp).compareTo(a) != 0) t = t.setBit(0);
        return new BigFloat(mant.signum() < 0 ? t.negate() : t, e);
    }

    BigFloat sub(BigFloat o) {
        return add(o.negate());
    }

    BigFloat mul(BigFloat o) {
        return new BigFloat(mant.multiply(o.mant), exp + o.exp);
    }

    BigFloat mul(long v) {
        return new BigFloat(mant.multiply(BigInteger.valueOf(v)), exp);
    }

    BigFloat div(BigFloat o) {
        int shift = PREC + 2 + o.mant.bitLength() - mant.bitLength();
        if (shift < 0) shift = 0;
        return new BigFloat(mant.shiftLeft(shift).divide(o.mant), exp - shift - o.exp);
    }

    BigFloat div(long v) {
        return div(of(v));
    }

    BigFloat scalb(int n) {
        return new BigFloat(mant, exp + n);
    }

    BigFloat sqrt() {
        int shift = 2 * PREC + 2 - mant.bitLength();
        if (((exp - shift) & 1) != 0) shift++;
        if (shift < 0) shift = 0;
        return new BigFloat(mant.shiftLeft(shift).sqrt(), (exp - shift) / 2);
    }

    int compareTo(BigFloat o) {
        return sub(o).signum();
    }

    /** True when |this| < 2^e. */
    boolean below(int e) {
        return mant.signum() == 0 || ilogb() < e;
    }

    @Override
    public String toString() {
        return mant.toString(16) + "p" + exp;
    }
}
