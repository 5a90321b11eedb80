package dev.jvmx.translator.fpu;

import static dev.jvmx.translator.fpu.SseRound.DE;
import static dev.jvmx.translator.fpu.SseRound.DOUBLE;
import static dev.jvmx.translator.fpu.SseRound.IE;
import static dev.jvmx.translator.fpu.SseRound.MASK_SHIFT;
import static dev.jvmx.translator.fpu.SseRound.PE;
import static dev.jvmx.translator.fpu.SseRound.RC_MASK;
import static dev.jvmx.translator.fpu.SseRound.RC_ZERO;
import static dev.jvmx.translator.fpu.SseRound.SINGLE;
import static dev.jvmx.translator.fpu.SseRound.ZE;

/**
 * The SSE/SSE2 floating-point instructions on XMM registers (SDM Vol. 1, 4.8-4.9 and 11.5; Vol. 2,
 * each instruction's page), exact to the bit, on {@link FpuState#xmm} and {@link FpuState#mxcsr}:
 * register r is {@code xmm[2r]} (bits 63:0) and {@code xmm[2r + 1]} (bits 127:64); r may be
 * {@link FpuState#XMM_OPERAND}, a memory operand already read (a 32- or 64-bit one in its low
 * bits). Singles are the four 32-bit lanes, doubles the two 64-bit lanes. Every operation reads all
 * of its inputs before it writes its destination, so the destination may be the source.
 *
 * <p>Exceptions (Vol. 1, 11.5.2 and 11.5.4; Vol. 3A, 6.15 "Interrupt 19", Table 6-8 for the
 * priority): each element's pre-computation exceptions are found first, in the order of Table
 * 6-8 (IE for an SNaN, or for any NaN where the instruction says so; a QNaN operand, which ends
 * the checks; IE for another invalid operation or ZE; DE for a denormal operand), a higher one
 * hiding the lower ones. If one of any element is unmasked, nothing is computed: the
 * pre-computation flags of all elements are set and the operation reports the fault. Otherwise
 * every element is computed, the flags of all elements' exceptions (now with OE, UE, PE) are set,
 * and if one is unmasked the destination is left unchanged and the fault reported. (The host
 * oracle test confirms each of these rules on the CPU.) A fault is a
 * {@code false} (or the documented error value) return; the caller raises #XM (or #UD when
 * CR4.OSXMMEXCPT is 0). MXCSR.DAZ is not supported (MXCSR_MASK FFBFH), so denormal operands are
 * always used as they are.
 *
 * <p>Speed: arith, compare and convert run a fast path for the common case, round to nearest with
 * operands that are normal (doubles: of magnitude 2^-400 to 2^401) or zero: Java's own float and
 * double arithmetic (IEEE round to nearest even, exact for that case), with the precision
 * exception found from the exact error (TwoSum, or the residual of {@link Math#fma}). For singles,
 * the operation is done in double and rounded to float, which is correctly rounded for + - * /
 * and sqrt because 53 >= 2 * 24 + 2. Every other case goes to {@link SseRound}, the exact path. The
 * fast path does not allocate. Each element's exceptions are gathered in {@link FpuState#exc}.
 */
public final class SseFloat {
    // The operations of arith.
    public static final int ADD = 0, SUB = 1, MUL = 2, DIV = 3, MIN = 4, MAX = 5, SQRT = 6;
    // Forms: packed single, scalar single, packed double, scalar double.
    public static final int PS = 0, SS = 1, PD = 2, SD = 3;
    // The operations of convert.
    public static final int CVTPS2PD = 0, CVTPD2PS = 1, CVTSS2SD = 2, CVTSD2SS = 3, CVTDQ2PS = 4, CVTPS2DQ = 5,
            CVTTPS2DQ = 6, CVTDQ2PD = 7, CVTPD2DQ = 8, CVTTPD2DQ = 9;
    // The operations of approx.
    public static final int RCP = 0, RSQRT = 1;
    // The conversions to an MMX register, of toPackedInts.
    public static final int CVTPS2PI = 0, CVTTPS2PI = 1, CVTPD2PI = 2, CVTTPD2PI = 3;

    // CMPPS predicates (imm8 & 7).
    static final int EQ = 0, LT = 1, LE = 2, UNORD = 3, NEQ = 4, NLT = 5, NLE = 6, ORD = 7;
    // EFLAGS bits that COMISS/UCOMISS set.
    static final int ZF = 0x40, PF = 0x4, CF = 0x1;

    /** The pre-computation exceptions (Vol. 1, 4.9; a conversion's invalid result is one too). */
    private static final int PRE = IE | DE | ZE;
    private static final long LOW32 = 0xFFFFFFFFL, HIGH32 = 0xFFFFFFFF00000000L;
    /** Bit 32 of toInt's result: an unmasked exception. */
    private static final long TO_INT_FAULT = 1L << 32;

    /*
     * The fast path's operand window for doubles: biased exponents 1023 - 400 to 1023 + 400
     * (magnitudes 2^-400 to 2^401). Sums and differences then stay normal (a nonzero one is at
     * least 2^-452), products and quotients between 2^-802 and 2^802, and the residuals that find
     * PE (x*y - r, x - q*y, y - r*r: at most 53 significant bits, multiples of 2^-904 or more)
     * cannot underflow, so Math.fma gives them exactly.
     */
    private static final int DOUBLE_FAST_LOW = 1023 - 400, DOUBLE_FAST_SPAN = 801;
    private static final int DOUBLE_EXPONENT_SHIFT = 52, DOUBLE_EXPONENT_FIELD = 0x7FF;
    private static final int SINGLE_EXPONENT_SHIFT = 23, SINGLE_EXPONENT_FIELD = 0xFF;

    /** RCP/RSQRT keep 12 fraction bits: the low 11 of a single's 23 are zero. */
    private static final int APPROX_DROPPED_BITS = 11;
    private static final float SINGLE_MIN_NORMAL = Float.MIN_NORMAL;

    private SseFloat() { }

    // ---- the exception rule shared by every operation

    /**
     * Sets the flags that an operation's elements raised and says whether its result may be
     * written (Vol. 1, 11.5.2): an unmasked pre-computation exception sets only the
     * pre-computation flags; an unmasked exception of any kind keeps the result from being written.
     */
    private static boolean raise(FpuState s, int flags) {
        if (flags == 0) {
            return true;
        }
        int mxcsr = s.mxcsr;
        int unmasked = flags & ~(mxcsr >>> MASK_SHIFT);
        if ((unmasked & PRE) != 0) {
            s.mxcsr = mxcsr | flags & PRE;
            return false;
        }
        s.mxcsr = mxcsr | flags;
        return unmasked == 0;
    }

    // ---- arithmetic

    /**
     * ADDPS..SQRTSD: d op= src (SQRT: d = sqrt(src)). False when an unmasked exception was found:
     * the flags are set in s.mxcsr, the destination is unchanged, the caller raises #XM.
     */
    public static boolean arith(FpuState s, int op, int form, int d, int src) {
        long[] x = s.xmm;
        int mxcsr = s.mxcsr;
        long a0 = x[2 * d], a1 = x[2 * d + 1], b0 = x[2 * src], b1 = x[2 * src + 1];
        long r0, r1;
        s.exc = 0;
        switch (form) {
            case PS:
                r0 = single(s, op, a0, b0, mxcsr) | single(s, op, a0 >>> 32, b0 >>> 32, mxcsr) << 32;
                r1 = single(s, op, a1, b1, mxcsr) | single(s, op, a1 >>> 32, b1 >>> 32, mxcsr) << 32;
                break;
            case SS:
                r0 = a0 & HIGH32 | single(s, op, a0, b0, mxcsr);
                r1 = a1;
                break;
            case PD:
                r0 = dbl(s, op, a0, b0, mxcsr);
                r1 = dbl(s, op, a1, b1, mxcsr);
                break;
            default:
                r0 = dbl(s, op, a0, b0, mxcsr);
                r1 = a1;
                break;
        }
        if (!raise(s, s.exc)) {
            return false;
        }
        x[2 * d] = r0;
        x[2 * d + 1] = r1;
        return true;
    }

    /** A single operand the fast path takes: normal or zero. */
    private static boolean plainSingle(int v) {
        int e = v >>> SINGLE_EXPONENT_SHIFT & SINGLE_EXPONENT_FIELD;
        return e != 0 && e != SINGLE_EXPONENT_FIELD || (v & Integer.MAX_VALUE) == 0;
    }

    /** A double operand the fast path takes: zero, or normal inside the window. */
    private static boolean plainDouble(long v) {
        int e = (int) (v >>> DOUBLE_EXPONENT_SHIFT) & DOUBLE_EXPONENT_FIELD;
        return e - DOUBLE_FAST_LOW >= 0 && e - DOUBLE_FAST_LOW < DOUBLE_FAST_SPAN || (v & Long.MAX_VALUE) == 0;
    }

    /** One single element (the low 32 bits of a and b): the result in the low 32 bits. */
    private static long single(FpuState s, int op, long a, long b, int mxcsr) {
        int ia = (int) a, ib = (int) b;
        // SQRT reads only the source
        if ((mxcsr & RC_MASK) == 0 && (op == SQRT || plainSingle(ia)) && plainSingle(ib)) {
            double x = Float.intBitsToFloat(ia), y = Float.intBitsToFloat(ib);
            double exact;
            boolean inexact;
            float r;
            switch (op) {
                case ADD: case SUB: {
                    if (op == SUB) {
                        y = -y;
                    }
                    double sum = x + y;
                    r = (float) sum;
                    exact = sum;
                    inexact = sumInexact(x, y, sum) || r != sum;
                    break;
                }
                case MUL:
                    // a product of two singles is exact in double
                    exact = x * y;
                    r = (float) exact;
                    inexact = r != exact;
                    break;
                case DIV:
                    if (y == 0) {
                        return SseRound.arith(s, SINGLE, op, a & LOW32, b & LOW32, mxcsr);
                    }
                    exact = x / y;
                    r = (float) exact;
                    inexact = singleQuotientInexact(x, y, r);
                    break;
                case SQRT:
                    if (y < 0) {
                        return SseRound.arith(s, SINGLE, op, a & LOW32, b & LOW32, mxcsr);
                    }
                    exact = Math.sqrt(y);
                    r = (float) exact;
                    inexact = singleRootInexact(y, r);
                    break;
                case MIN:
                    return (x < y ? a : b) & LOW32;
                default:
                    return (x > y ? a : b) & LOW32;
            }
            if (plainSingleResult(r, exact)) {
                if (inexact) {
                    s.exc |= PE;
                }
                return Float.floatToRawIntBits(r) & LOW32;
            }
        }
        return SseRound.arith(s, SINGLE, op, a & LOW32, b & LOW32, mxcsr);
    }

    /** One double element. */
    private static long dbl(FpuState s, int op, long a, long b, int mxcsr) {
        if ((mxcsr & RC_MASK) == 0 && (op == SQRT || plainDouble(a)) && plainDouble(b)) {
            double x = Double.longBitsToDouble(a), y = Double.longBitsToDouble(b);
            double r;
            boolean inexact;
            switch (op) {
                case ADD: case SUB: {
                    if (op == SUB) {
                        y = -y;
                    }
                    r = x + y;
                    inexact = sumInexact(x, y, r);
                    break;
                }
                case MUL:
                    r = x * y;
                    inexact = productInexact(x, y, r);
                    break;
                case DIV:
                    if (y == 0) {
                        return SseRound.arith(s, DOUBLE, op, a, b, mxcsr);
                    }
                    r = x / y;
                    inexact = quotientInexact(x, y, r);
                    break;
                case SQRT:
                    if (y < 0) {
                        return SseRound.arith(s, DOUBLE, op, a, b, mxcsr);
                    }
                    r = Math.sqrt(y);
                    inexact = rootInexact(y, r);
                    break;
                case MIN:
                    return x < y ? a : b;
                default:
                    return x > y ? a : b;
            }
            if (inexact) {
                s.exc |= PE;
            }
            return Double.doubleToRawLongBits(r);
        }
        return SseRound.arith(s, DOUBLE, op, a, b, mxcsr);
    }

    /*
     * Whether the fast path's result r is inexact: its exact error is nonzero. For a sum, TwoSum
     * (Knuth) gives the error; for a product, quotient or root, the residual through Math.fma is
     * exact inside the operand window. A single's product is exact in double, its quotient's and
     * root's residuals are products of two singles, exact in double too.
     */
    private static boolean sumInexact(double x, double y, double r) {
        double z = r - x;
        return (x - (r - z)) + (y - z) != 0;
    }

    private static boolean productInexact(double x, double y, double r) {
        return Math.fma(x, y, -r) != 0;
    }

    private static boolean quotientInexact(double x, double y, double r) {
        return Math.fma(-r, y, x) != 0;
    }

    private static boolean rootInexact(double y, double r) {
        return Math.fma(-r, r, y) != 0;
    }

    private static boolean singleQuotientInexact(double x, double y, float r) {
        return r * y != x;
    }

    private static boolean singleRootInexact(double y, float r) {
        return (double) r * r != y;
    }

    /** A single result the fast path may keep: above 2^-126 (never tiny after rounding) and finite, or an exact zero. */
    private static boolean plainSingleResult(float r, double exact) {
        int e = Float.floatToRawIntBits(r) >>> SINGLE_EXPONENT_SHIFT & SINGLE_EXPONENT_FIELD;
        return e >= 2 && e != SINGLE_EXPONENT_FIELD || exact == 0;
    }

    // ---- scalar arithmetic's fast paths, one entry per operation

    /*
     * ADDSD ... SQRTSS by value, for generated code (helpers.SseOps): the fast path of arith's
     * scalar forms, one small method per operation so that C2 inlines it where it is called. Each
     * takes the destination's and the source's low lane and returns the result's, or NOT_FAST
     * (NOT_FAST_SINGLE) when the case is not the fast path's; then scalar does the operation in
     * full. The fast path also needs PE masked, so that the inexact flag is all it can raise; once
     * PE is set (it is sticky) it need not find out whether its result is exact, the common case,
     * and then it costs the host's one operation and its checks.
     */

    /** The double fast paths' answer for a case they do not take: a NaN, which they never return. */
    public static final long NOT_FAST = 0x7FF4_0000_0000_0BADL;
    /** The single fast paths' answer for a case they do not take: a NaN. */
    public static final int NOT_FAST_SINGLE = 0x7FA0_0BAD;

    /** The MXCSR on which the scalar fast paths run: round to nearest, PE masked. */
    private static boolean scalarFast(int mxcsr) {
        return (mxcsr & (RC_MASK | PE << MASK_SHIFT)) == PE << MASK_SHIFT;
    }

    /** Whether PE is still clear in MXCSR: only then need a fast path find out if its result is exact. */
    private static boolean peClear(FpuState s) {
        return (s.mxcsr & PE) == 0;
    }

    private static void setPe(FpuState s) {
        s.mxcsr |= PE;
    }

    /**
     * ADDSD ... SQRTSS in full, the destination's quadword {@code a} and the source's {@code b} by
     * value: the result in {@code xmm[2 * XMM_SCRATCH]}, or false when an unmasked exception
     * stopped it (its flags set in MXCSR; the caller raises #XM). The same as arith's SD and SS forms.
     */
    public static boolean scalar(FpuState s, int op, boolean dbl, long a, long b) {
        long[] x = s.xmm;
        x[2 * FpuState.XMM_SCRATCH] = a;
        x[2 * FpuState.XMM_OPERAND] = b;
        return arith(s, op, dbl ? SD : SS, FpuState.XMM_SCRATCH, FpuState.XMM_OPERAND);
    }

    /*
     * The double fast paths take operands that are normal or zero (no DE), of any magnitude, and
     * keep a result that is normal (not tiny, not overflowed: no UE, no OE; see normalDouble) or an
     * exact zero. When
     * PE is still clear they must also find out whether the result is exact: a sum's error by
     * TwoSum is exact at any magnitude, a product's, quotient's or root's residual through
     * Math.fma only inside the operand window (plainDouble); outside it they decline.
     */

    /**
     * A double result the fast path may keep: finite and above 2^-1021. A result in the lowest
     * normal binade may still be tiny after rounding (tininess is judged on the result rounded as
     * if the exponent were unbounded), so it goes the exact way, as a single's does.
     */
    private static boolean normalDouble(double r) {
        int e = (int) (Double.doubleToRawLongBits(r) >>> DOUBLE_EXPONENT_SHIFT) & DOUBLE_EXPONENT_FIELD;
        return e >= 2 && e != DOUBLE_EXPONENT_FIELD;
    }

    public static long addsd(FpuState s, long a, long b) {
        if (scalarFast(s.mxcsr) && ordinaryDouble(a) && ordinaryDouble(b)) {
            double x = Double.longBitsToDouble(a), y = Double.longBitsToDouble(b), r = x + y;
            // a zero sum of such operands is exact
            if (normalDouble(r) || r == 0) {
                if (peClear(s) && sumInexact(x, y, r)) {
                    setPe(s);
                }
                return Double.doubleToRawLongBits(r);
            }
        }
        return NOT_FAST;
    }

    /** x - y is x + (-y) (IEEE 754, 5.4.1); the fast path takes no NaN, whose sign would matter. */
    public static long subsd(FpuState s, long a, long b) {
        return addsd(s, a, b ^ Long.MIN_VALUE);
    }

    public static long mulsd(FpuState s, long a, long b) {
        if (scalarFast(s.mxcsr) && ordinaryDouble(a) && ordinaryDouble(b)) {
            double x = Double.longBitsToDouble(a), y = Double.longBitsToDouble(b), r = x * y;
            if (normalDouble(r) || x == 0 || y == 0) {
                if (peClear(s)) {
                    if (!plainDouble(a) || !plainDouble(b)) {
                        return NOT_FAST;
                    }
                    if (productInexact(x, y, r)) {
                        setPe(s);
                    }
                }
                return Double.doubleToRawLongBits(r);
            }
        }
        return NOT_FAST;
    }

    public static long divsd(FpuState s, long a, long b) {
        if (scalarFast(s.mxcsr) && ordinaryDouble(a) && ordinaryDouble(b) && (b & Long.MAX_VALUE) != 0) {
            double x = Double.longBitsToDouble(a), y = Double.longBitsToDouble(b), r = x / y;
            if (normalDouble(r) || x == 0) {
                if (peClear(s)) {
                    if (!plainDouble(a) || !plainDouble(b)) {
                        return NOT_FAST;
                    }
                    if (quotientInexact(x, y, r)) {
                        setPe(s);
                    }
                }
                return Double.doubleToRawLongBits(r);
            }
        }
        return NOT_FAST;
    }

    /** SQRTSD reads only its source; the root of a normal double is normal. */
    public static long sqrtsd(FpuState s, long b) {
        if (scalarFast(s.mxcsr) && ordinaryDouble(b) && b >= 0) {
            double y = Double.longBitsToDouble(b), r = Math.sqrt(y);
            if (peClear(s)) {
                if (!plainDouble(b)) {
                    return NOT_FAST;
                }
                if (rootInexact(y, r)) {
                    setPe(s);
                }
            }
            return Double.doubleToRawLongBits(r);
        }
        return NOT_FAST;
    }

    public static int addss(FpuState s, int a, int b) {
        if (scalarFast(s.mxcsr) && plainSingle(a) && plainSingle(b)) {
            double x = Float.intBitsToFloat(a), y = Float.intBitsToFloat(b), sum = x + y;
            float r = (float) sum;
            if (plainSingleResult(r, sum)) {
                if (peClear(s) && (sumInexact(x, y, sum) || r != sum)) {
                    setPe(s);
                }
                return Float.floatToRawIntBits(r);
            }
        }
        return NOT_FAST_SINGLE;
    }

    public static int subss(FpuState s, int a, int b) {
        return addss(s, a, b ^ Integer.MIN_VALUE);
    }

    public static int mulss(FpuState s, int a, int b) {
        if (scalarFast(s.mxcsr) && plainSingle(a) && plainSingle(b)) {
            double product = (double) Float.intBitsToFloat(a) * Float.intBitsToFloat(b);
            float r = (float) product;
            if (plainSingleResult(r, product)) {
                if (peClear(s) && r != product) {
                    setPe(s);
                }
                return Float.floatToRawIntBits(r);
            }
        }
        return NOT_FAST_SINGLE;
    }

    public static int divss(FpuState s, int a, int b) {
        if (scalarFast(s.mxcsr) && plainSingle(a) && plainSingle(b) && (b & Integer.MAX_VALUE) != 0) {
            double x = Float.intBitsToFloat(a), y = Float.intBitsToFloat(b), quotient = x / y;
            float r = (float) quotient;
            if (plainSingleResult(r, quotient)) {
                if (peClear(s) && singleQuotientInexact(x, y, r)) {
                    setPe(s);
                }
                return Float.floatToRawIntBits(r);
            }
        }
        return NOT_FAST_SINGLE;
    }

    public static int sqrtss(FpuState s, int b) {
        if (scalarFast(s.mxcsr) && plainSingle(b) && b >= 0) {
            double y = Float.intBitsToFloat(b), root = Math.sqrt(y);
            float r = (float) root;
            if (plainSingleResult(r, root)) {
                if (peClear(s) && singleRootInexact(y, r)) {
                    setPe(s);
                }
                return Float.floatToRawIntBits(r);
            }
        }
        return NOT_FAST_SINGLE;
    }

    // ---- comparisons

    /** CMPPS/CMPSS/CMPPD/CMPSD with predicate imm8 & 7 (EQ LT LE UNORD NEQ NLT NLE ORD): lanes all ones or zero. */
    public static boolean compare(FpuState s, int form, int d, int src, int predicate) {
        long[] x = s.xmm;
        long a0 = x[2 * d], a1 = x[2 * d + 1], b0 = x[2 * src], b1 = x[2 * src + 1];
        int p = predicate & 7;
        long r0, r1;
        s.exc = 0;
        switch (form) {
            case PS:
                r0 = cmpSingle(s, a0, b0, p) | cmpSingle(s, a0 >>> 32, b0 >>> 32, p) << 32;
                r1 = cmpSingle(s, a1, b1, p) | cmpSingle(s, a1 >>> 32, b1 >>> 32, p) << 32;
                break;
            case SS:
                r0 = a0 & HIGH32 | cmpSingle(s, a0, b0, p);
                r1 = a1;
                break;
            case PD:
                r0 = cmpDouble(s, a0, b0, p);
                r1 = cmpDouble(s, a1, b1, p);
                break;
            default:
                r0 = cmpDouble(s, a0, b0, p);
                r1 = a1;
                break;
        }
        if (!raise(s, s.exc)) {
            return false;
        }
        x[2 * d] = r0;
        x[2 * d + 1] = r1;
        return true;
    }

    private static long cmpSingle(FpuState s, long a, long b, int p) {
        int ia = (int) a, ib = (int) b;
        if (plainSingle(ia) && plainSingle(ib)) {
            float x = Float.intBitsToFloat(ia), y = Float.intBitsToFloat(ib);
            return predicate(p, false, x == y, x < y) ? LOW32 : 0;
        }
        return compareExact(s, SINGLE, a & LOW32, b & LOW32, p) ? LOW32 : 0;
    }

    /** A double that is normal or zero: no NaN, no denormal (compare's fast path). */
    private static boolean ordinaryDouble(long v) {
        int e = (int) (v >>> DOUBLE_EXPONENT_SHIFT) & DOUBLE_EXPONENT_FIELD;
        return e != 0 && e != DOUBLE_EXPONENT_FIELD || (v & Long.MAX_VALUE) == 0;
    }

    private static long cmpDouble(FpuState s, long a, long b, int p) {
        if (ordinaryDouble(a) && ordinaryDouble(b)) {
            double x = Double.longBitsToDouble(a), y = Double.longBitsToDouble(b);
            return predicate(p, false, x == y, x < y) ? -1L : 0;
        }
        return compareExact(s, DOUBLE, a, b, p) ? -1L : 0;
    }

    private static boolean predicate(int p, boolean unordered, boolean equal, boolean less) {
        switch (p) {
            case EQ: return !unordered && equal;
            case LT: return !unordered && less;
            case LE: return !unordered && (less || equal);
            case UNORD: return unordered;
            case NEQ: return unordered || !equal;
            case NLT: return unordered || !less;
            case NLE: return unordered || !(less || equal);
            default: return !unordered;
        }
    }

    /**
     * One element of CMPPS...: a NaN makes the operands unordered; an SNaN is invalid, and so is any
     * NaN for the signalling predicates LT, LE, NLT, NLE (Vol. 2 CMPPS, Table 3-1). A denormal
     * operand of an ordered comparison sets DE.
     */
    private static boolean compareExact(FpuState s, SseRound.Format f, long a, long b, int p) {
        boolean unordered = f.isNaN(a) || f.isNaN(b);
        if (unordered) {
            boolean signaling = p == LT || p == LE || p == NLT || p == NLE;
            if (signaling || f.isSNaN(a) || f.isSNaN(b)) {
                s.exc |= IE;
            }
            return predicate(p, true, false, false);
        }
        if (f.isDenormal(a) || f.isDenormal(b)) {
            s.exc |= DE;
        }
        long ka = f.key(a), kb = f.key(b);
        return predicate(p, false, ka == kb, ka < kb);
    }

    /**
     * COMISS/UCOMISS (dbl false), COMISD/UCOMISD (dbl true): the EFLAGS bits ZF (40H) | PF (4) | CF (1)
     * to set (OF, SF, AF are cleared by the caller), or -1 on an unmasked exception (flags in MXCSR
     * set, EFLAGS untouched). signaling = COMIS* (IE for QNaN too), false = UCOMIS* (IE for SNaN only).
     * The operands by value, a single in the low 32 bits; two normal or zero doubles compare on the host.
     */
    public static int comis(FpuState s, boolean dbl, boolean signaling, long a, long b) {
        if (dbl && ordinaryDouble(a) && ordinaryDouble(b)) {
            double x = Double.longBitsToDouble(a), y = Double.longBitsToDouble(b);
            return x > y ? 0 : x < y ? CF : ZF;
        }
        SseRound.Format f = dbl ? DOUBLE : SINGLE;
        if (!dbl) {
            a &= LOW32;
            b &= LOW32;
        }
        int flags = 0;
        int result;
        if (f.isNaN(a) || f.isNaN(b)) {
            if (signaling || f.isSNaN(a) || f.isSNaN(b)) {
                flags = IE;
            }
            result = ZF | PF | CF;
        } else {
            if (f.isDenormal(a) || f.isDenormal(b)) {
                flags = DE;
            }
            long ka = f.key(a), kb = f.key(b);
            result = ka > kb ? 0 : ka < kb ? CF : ZF;
        }
        return raise(s, flags) ? result : -1;
    }

    // ---- conversions

    /**
     * The conversions between XMM registers (op above). CVTPD2PS, CVTPD2DQ and CVTTPD2DQ zero the
     * destination's bits 127:64; CVTSS2SD/CVTSD2SS change only the low lane; CVTPS2PD and CVTDQ2PD
     * read only the source's low 64 bits.
     */
    public static boolean convert(FpuState s, int op, int d, int src) {
        long[] x = s.xmm;
        int mxcsr = s.mxcsr;
        long a0 = x[2 * d], a1 = x[2 * d + 1], b0 = x[2 * src], b1 = x[2 * src + 1];
        int rc = SseRound.rc(mxcsr);
        long r0, r1;
        s.exc = 0;
        switch (op) {
            case CVTPS2PD:
                r0 = SseRound.singleToDouble(s, b0 & LOW32);
                r1 = SseRound.singleToDouble(s, b0 >>> 32);
                break;
            case CVTPD2PS:
                r0 = toSingle(s, b0, mxcsr) | toSingle(s, b1, mxcsr) << 32;
                r1 = 0;
                break;
            case CVTSS2SD:
                r0 = SseRound.singleToDouble(s, b0 & LOW32);
                r1 = a1;
                break;
            case CVTSD2SS:
                r0 = a0 & HIGH32 | toSingle(s, b0, mxcsr);
                r1 = a1;
                break;
            case CVTDQ2PS:
                r0 = intsToSingles(s, b0, mxcsr);
                r1 = intsToSingles(s, b1, mxcsr);
                break;
            case CVTPS2DQ: case CVTTPS2DQ: {
                int mode = op == CVTTPS2DQ ? RC_ZERO : rc;
                r0 = singlesToInts(s, b0, mode);
                r1 = singlesToInts(s, b1, mode);
                break;
            }
            case CVTDQ2PD:
                r0 = Double.doubleToRawLongBits((int) b0);
                r1 = Double.doubleToRawLongBits((int) (b0 >>> 32));
                break;
            case CVTPD2DQ: case CVTTPD2DQ: {
                int mode = op == CVTTPD2DQ ? RC_ZERO : rc;
                r0 = doublesToInts(s, b0, b1, mode);
                r1 = 0;
                break;
            }
            default:
                throw new IllegalArgumentException("convert op " + op);
        }
        if (!raise(s, s.exc)) {
            return false;
        }
        x[2 * d] = r0;
        x[2 * d + 1] = r1;
        return true;
    }

    private static long int32(FpuState s, SseRound.Format f, long v, int rc) {
        return SseRound.toInt32(s, f, v, rc) & LOW32;
    }

    /** The two singles of quadword {@code q} as two doublewords (CVT(T)PS2DQ per quadword, CVT(T)PS2PI). */
    private static long singlesToInts(FpuState s, long q, int rc) {
        return int32(s, SINGLE, q & LOW32, rc) | int32(s, SINGLE, q >>> 32, rc) << 32;
    }

    /** Two doubles as two doublewords in one quadword (CVT(T)PD2DQ, CVT(T)PD2PI). */
    private static long doublesToInts(FpuState s, long lo, long hi, int rc) {
        return int32(s, DOUBLE, lo, rc) | int32(s, DOUBLE, hi, rc) << 32;
    }

    /** The two doublewords of quadword {@code q} as two singles (CVTDQ2PS per quadword, CVTPI2PS). */
    private static long intsToSingles(FpuState s, long q, int mxcsr) {
        return intToSingle(s, (int) q, mxcsr) | intToSingle(s, (int) (q >>> 32), mxcsr) << 32;
    }

    /** A double rounded to single: fast for round to nearest well inside the single range (2^-125 to 2^127). */
    private static long toSingle(FpuState s, long v, int mxcsr) {
        int e = (int) (v >>> DOUBLE_EXPONENT_SHIFT) & DOUBLE_EXPONENT_FIELD;
        if ((mxcsr & RC_MASK) == 0 && e >= 1023 - 125 && e < 1023 + 127) {
            double x = Double.longBitsToDouble(v);
            float r = (float) x;
            if (r != x) {
                s.exc |= PE;
            }
            return Float.floatToRawIntBits(r) & LOW32;
        }
        return SseRound.doubleToSingle(s, v, mxcsr) & LOW32;
    }

    private static long intToSingle(FpuState s, int v, int mxcsr) {
        if ((mxcsr & RC_MASK) == 0) {
            float r = (float) v;
            if ((long) r != v) {
                s.exc |= PE;
            }
            return Float.floatToRawIntBits(r) & LOW32;
        }
        return SseRound.fromInteger(s, SINGLE, v, mxcsr) & LOW32;
    }

    /**
     * CVTPI2PS (dbl false) xmm, mm/m64: the two doublewords of {@code ints} to singles in the low
     * quadword, the high quadword kept (PE only); CVTPI2PD (dbl true): to doubles in both lanes,
     * always exact. False when an unmasked exception stopped it (the destination unchanged).
     */
    public static boolean fromPackedInts(FpuState s, boolean dbl, int d, long ints) {
        long[] x = s.xmm;
        if (dbl) {
            x[2 * d] = Double.doubleToRawLongBits((int) ints);
            x[2 * d + 1] = Double.doubleToRawLongBits((int) (ints >>> 32));
            return true;
        }
        int mxcsr = s.mxcsr;
        s.exc = 0;
        long r = intsToSingles(s, ints, mxcsr);
        if (!raise(s, s.exc)) {
            return false;
        }
        x[2 * d] = r;
        return true;
    }

    /**
     * CVTPS2PI, CVTTPS2PI mm, xmm/m64 (the two singles of the source's low quadword) and CVTPD2PI,
     * CVTTPD2PI mm, xmm/m128 (its two doubles), op above: the two doublewords, rounded by MXCSR.RC
     * or truncated, the integer indefinite 80000000H for a NaN or a value out of range (IE), written
     * to MMX register {@code mm} ({@link FpuState#setMmx}). False when an unmasked exception stopped
     * it: the flags are set, the register is unchanged.
     */
    public static boolean toPackedInts(FpuState s, int op, int mm, int src) {
        long b0 = s.xmm[2 * src], b1 = s.xmm[2 * src + 1];
        int mode = op == CVTTPS2PI || op == CVTTPD2PI ? RC_ZERO : SseRound.rc(s.mxcsr);
        s.exc = 0;
        long r = op == CVTPS2PI || op == CVTTPS2PI ? singlesToInts(s, b0, mode) : doublesToInts(s, b0, b1, mode);
        if (!raise(s, s.exc)) {
            return false;
        }
        s.setMmx(mm, r);
        return true;
    }

    /** CVTSI2SS (dbl false) / CVTSI2SD (dbl true) xmm, r/m32: the low lane only. */
    public static boolean fromInt(FpuState s, boolean dbl, int d, int value) {
        long[] x = s.xmm;
        if (dbl) {
            // every int is a double
            x[2 * d] = Double.doubleToRawLongBits(value);
            return true;
        }
        s.exc = 0;
        long r = intToSingle(s, value, s.mxcsr);
        if (!raise(s, s.exc)) {
            return false;
        }
        x[2 * d] = x[2 * d] & HIGH32 | r;
        return true;
    }

    /**
     * CVTSS2SI, CVTTSS2SI, CVTSD2SI, CVTTSD2SI r32, xmm/m of the source's value v (a single in its
     * low 32 bits): the integer in bits 31:0; bit 32 set when an unmasked exception was found (then
     * the caller writes nothing and raises #XM).
     */
    public static long toInt(FpuState s, boolean dbl, boolean truncate, long v) {
        int rc = truncate ? RC_ZERO : SseRound.rc(s.mxcsr);
        s.exc = 0;
        int r = dbl ? SseRound.toInt32(s, DOUBLE, v, rc) : SseRound.toInt32(s, SINGLE, v & LOW32, rc);
        if (!raise(s, s.exc)) {
            return TO_INT_FAULT;
        }
        return r & LOW32;
    }

    // ---- approximations

    /**
     * RCPPS/RCPSS (op RCP), RSQRTPS/RSQRTSS (op RSQRT), form PS or SS: approximations, no
     * exception, MXCSR unchanged (Vol. 2 RCPPS, RSQRTPS).
     *
     * <p>The SDM bounds the relative error by 1.5 * 2^-12 and leaves the bits to the implementation
     * (Intel's and AMD's differ). jvmx's definition: 1/x (1/sqrt(x)) computed in double, each step
     * correctly rounded, then rounded to nearest even at 12 fraction bits (the low 11 of the 23 are
     * zero); its relative error is at most 2^-13 plus a few double ulps. Special cases as the SDM
     * gives them: a zero or a denormal (taken as a zero of its sign) gives an infinity of its sign;
     * RCP(±inf) = ±0; RSQRT(+inf) = +0; RSQRT of a negative nonzero value (-inf too) is the default
     * QNaN; a NaN is quietened; a tiny RCP result (|x| a little over 2^126) is flushed to a zero of
     * its sign.
     */
    public static void approx(FpuState s, int op, int form, int d, int src) {
        long[] x = s.xmm;
        long a0 = x[2 * d], a1 = x[2 * d + 1], b0 = x[2 * src], b1 = x[2 * src + 1];
        boolean rsqrt = op == RSQRT;
        if (form == SS) {
            x[2 * d] = a0 & HIGH32 | approx(rsqrt, (int) b0);
            return;
        }
        x[2 * d] = approx(rsqrt, (int) b0) | approx(rsqrt, (int) (b0 >>> 32)) << 32;
        x[2 * d + 1] = approx(rsqrt, (int) b1) | approx(rsqrt, (int) (b1 >>> 32)) << 32;
    }

    private static long approx(boolean rsqrt, int v) {
        SseRound.Format f = SINGLE;
        long bits = v & LOW32;
        boolean neg = v < 0;
        if (f.isNaN(bits)) {
            return bits | f.quiet;
        }
        if ((bits & f.exponent) == 0) {
            // zero or denormal (taken as zero): infinity of its sign
            return f.infinity(neg);
        }
        if (rsqrt && neg) {
            return f.indefinite;
        }
        if (f.isInf(bits)) {
            return f.zero(neg);
        }
        double x = Float.intBitsToFloat(v);
        double exact = rsqrt ? 1 / Math.sqrt(x) : 1 / x;
        // round to nearest even at the single's bit 11 (the value is well inside the double range)
        long dbits = Double.doubleToRawLongBits(exact);
        int drop = DOUBLE.precision - SINGLE.precision + APPROX_DROPPED_BITS;
        long half = 1L << (drop - 1);
        long rounded = dbits + half - 1 + (dbits >>> drop & 1) & -(1L << drop);
        float r = (float) Double.longBitsToDouble(rounded);
        if (Math.abs(r) < SINGLE_MIN_NORMAL) {
            return f.zero(neg);
        }
        return Float.floatToRawIntBits(r) & LOW32;
    }
}
