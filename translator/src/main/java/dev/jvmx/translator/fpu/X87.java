package dev.jvmx.translator.fpu;

import static dev.jvmx.translator.fpu.Float80.INDEFINITE_M;
import static dev.jvmx.translator.fpu.Float80.INDEFINITE_SE;
import static dev.jvmx.translator.fpu.FpuState.C0;
import static dev.jvmx.translator.fpu.FpuState.C1;
import static dev.jvmx.translator.fpu.FpuState.C2;
import static dev.jvmx.translator.fpu.FpuState.C3;
import static dev.jvmx.translator.fpu.FpuState.IE;
import static dev.jvmx.translator.fpu.FpuState.SF;

/**
 * The x87 instructions on an {@link FpuState}, one method per instruction form, memory operands
 * passed as values (loads) or returned in {@code s.rm}/{@code s.rse} (stores). Written from the
 * SDM Vol. 2 pages of each instruction and Vol. 1 chapter 8. These methods do not look at CR0,
 * pending exceptions or the last-instruction pointers: {@code helpers.FpuOps} does that around them.
 *
 * <p>Common rules: a register operand that is empty is a stack underflow (IE and SF, C1 = 0);
 * masked, the destination receives the real indefinite; unmasked, nothing is written and TOP is
 * unchanged. A push onto a non-empty ST(7) is a stack overflow (IE, SF, C1 = 1); masked, TOP is
 * decremented and ST(0) is the real indefinite; unmasked, nothing changes. An unmasked exception
 * sets ES and B: it is reported by the next waiting instruction.
 */
public final class X87 {
    /** Arithmetic operations, numbered as ModRM.reg of D8 (and of DC/DE memory forms). */
    public static final int ADD = 0, MUL = 1, SUB = 4, SUBR = 5, DIV = 6, DIVR = 7;

    private X87() { }

    /**
     * The operation of a register form: D8 uses ModRM.reg as is; DC and DE (ST(i) as destination)
     * swap SUB/SUBR and DIV/DIVR (DC E0+i is FSUBR ST(i),ST(0), DC E8+i is FSUB ST(i),ST(0)).
     */
    public static int registerFormOp(int opcode, int reg) {
        if (opcode != 0xD8 && reg >= 4) {
            return reg ^ 1;
        }
        return reg;
    }

    // =====================================================================================
    // helpers

    /** Stack underflow on an operand; {@code dst} receives the indefinite when IE is masked (-1: none). */
    static void stackUnderflow(FpuState s, int dst, boolean pop) {
        s.sw &= ~C1;
        s.signal(IE | SF);
        if (s.masked(IE)) {
            if (dst >= 0) {
                s.set(dst, INDEFINITE_M, INDEFINITE_SE);
            }
            if (pop) {
                s.pop();
            }
        }
    }

    /** Checks that ST(7) is free for a push; false after a stack overflow that suppresses the push. */
    static boolean pushCheck(FpuState s) {
        if (s.isEmpty(7)) {
            return true;
        }
        s.sw |= C1;
        s.signal(IE | SF);
        if (s.masked(IE)) {
            s.push(INDEFINITE_M, INDEFINITE_SE);
        }
        return false;
    }

    /** Stack overflow of an instruction that replaces ST(0) and pushes: masked, both are the indefinite. */
    static void overflowBoth(FpuState s) {
        s.sw |= C1;
        s.signal(IE | SF);
        if (s.masked(IE)) {
            s.set(0, INDEFINITE_M, INDEFINITE_SE);
            s.push(INDEFINITE_M, INDEFINITE_SE);
        }
    }

    /** Begins an operation: clears the scratch exceptions. */
    static void begin(FpuState s) {
        s.exc = 0;
    }

    /** Ends an operation with a register result: C1 from rounding, flags, write, pop. */
    static void result(FpuState s, int dst, boolean ok, boolean pop) {
        s.sw = (s.sw & ~C1) | (s.exc & C1);
        s.signal(s.exc);
        if (ok) {
            s.set(dst, s.rm, s.rse);
            if (pop) {
                s.pop();
            }
        }
    }

    /** Ends a store: C1 from rounding, flags; the caller writes memory when this returns true. */
    static boolean stored(FpuState s, boolean ok, boolean pop) {
        s.sw = (s.sw & ~C1) | (s.exc & C1);
        s.signal(s.exc);
        if (ok && pop) {
            s.pop();
        }
        return ok;
    }

    // =====================================================================================
    // FADD FSUB FSUBR FMUL FDIV FDIVR

    /** ST(dst) ← ST(dst) op ST(src), then pop if {@code pop} (SUBR/DIVR: ST(src) op ST(dst)). */
    public static void arith(FpuState s, int op, int dst, int src, boolean pop) {
        if (s.isEmpty(dst) || s.isEmpty(src)) {
            stackUnderflow(s, dst, pop);
            return;
        }
        begin(s);
        boolean ok = compute(s, op, s.m(dst), s.se(dst), s.m(src), s.se(src), false);
        result(s, dst, ok, pop);
    }

    /** ST(0) ← ST(0) op value, for a memory operand already widened exactly ({@code memDenormal}: it was a denormal). */
    public static void arithValue(FpuState s, int op, long m, int se, boolean memDenormal) {
        if (s.isEmpty(0)) {
            stackUnderflow(s, 0, false);
            return;
        }
        begin(s);
        boolean ok = compute(s, op, s.m(0), s.se(0), m, se, memDenormal);
        result(s, 0, ok, false);
    }

    /** D8 /op m32fp. */
    public static void arithM32(FpuState s, int op, int bits) {
        FpuConvert.fromSingle(s, bits);
        arithValue(s, op, s.rm, s.rse, FpuConvert.singleIsDenormal(bits));
    }

    /** DC /op m64fp. */
    public static void arithM64(FpuState s, int op, long bits) {
        FpuConvert.fromDouble(s, bits);
        arithValue(s, op, s.rm, s.rse, FpuConvert.doubleIsDenormal(bits));
    }

    /** DA /op m32int, DE /op m16int (the integer sign-extended by the caller). */
    public static void arithInt(FpuState s, int op, int v) {
        FpuConvert.fromInteger(s, v);
        arithValue(s, op, s.rm, s.rse, false);
    }

    static boolean compute(FpuState s, int op, long am, int ase, long bm, int bse, boolean memDenormal) {
        switch (op) {
            case ADD: return FpuArith.add(s, am, ase, bm, bse, 0, memDenormal);
            case SUB: return FpuArith.add(s, am, ase, bm, bse, 0x8000, memDenormal);
            case SUBR: return FpuArith.add(s, bm, bse, am, ase, 0x8000, memDenormal);
            case MUL: return FpuArith.mul(s, am, ase, bm, bse, memDenormal);
            case DIV: return FpuArith.div(s, am, ase, bm, bse, memDenormal);
            case DIVR: return FpuArith.div(s, bm, bse, am, ase, memDenormal);
            default: throw new IllegalArgumentException("x87 op " + op);
        }
    }

    // =====================================================================================
    // Comparisons

    private static final int[] CC_OF = {C0, C3, 0, C0 | C2 | C3}; // LESS, EQUAL, GREATER, UNORDERED

    /** FCOM/FCOMP/FCOMPP/FUCOM/FUCOMP/FUCOMPP ST(i): C3 C2 C0 from ST(0) ? ST(i); pops 0..2 times. */
    public static void fcom(FpuState s, int i, boolean unordered, int pops) {
        if (s.isEmpty(0) || s.isEmpty(i)) {
            compareUnderflow(s, pops);
            return;
        }
        begin(s);
        int r = FpuArith.compare(s, s.m(0), s.se(0), s.m(i), s.se(i), unordered, false);
        compareResult(s, r, pops);
    }

    /** FCOM/FCOMP with a widened memory operand (m32fp, m64fp, m16int, m32int). */
    public static void fcomValue(FpuState s, long m, int se, boolean memDenormal, int pops) {
        if (s.isEmpty(0)) {
            compareUnderflow(s, pops);
            return;
        }
        begin(s);
        int r = FpuArith.compare(s, s.m(0), s.se(0), m, se, false, memDenormal);
        compareResult(s, r, pops);
    }

    public static void fcomM32(FpuState s, int bits, int pops) {
        FpuConvert.fromSingle(s, bits);
        fcomValue(s, s.rm, s.rse, FpuConvert.singleIsDenormal(bits), pops);
    }

    public static void fcomM64(FpuState s, long bits, int pops) {
        FpuConvert.fromDouble(s, bits);
        fcomValue(s, s.rm, s.rse, FpuConvert.doubleIsDenormal(bits), pops);
    }

    /** FICOM/FICOMP m16int/m32int. */
    public static void ficom(FpuState s, int v, int pops) {
        FpuConvert.fromInteger(s, v);
        fcomValue(s, s.rm, s.rse, false, pops);
    }

    /** FTST: ST(0) compared with +0.0. */
    public static void ftst(FpuState s) {
        fcomValue(s, 0, 0, false, 0);
    }

    private static void compareUnderflow(FpuState s, int pops) {
        s.sw &= ~C1;
        s.signal(IE | SF);
        s.sw |= C0 | C2 | C3;
        if (s.masked(IE)) {
            for (int k = 0; k < pops; k++) {
                s.pop();
            }
        }
    }

    private static void compareResult(FpuState s, int r, int pops) {
        s.sw &= ~C1;
        s.signal(s.exc);
        if (r < 0) {
            return;
        }
        s.sw = (s.sw & ~(C0 | C2 | C3)) | CC_OF[r];
        if ((s.exc & ~s.cw & FpuState.EXCEPTIONS) != 0) {
            return; // an unmasked exception: no pop
        }
        for (int k = 0; k < pops; k++) {
            s.pop();
        }
    }

    /** EFLAGS bits (CF = 1, PF = 4, ZF = 0x40) of FCOMI for each relation. */
    private static final int[] EFLAGS_OF = {1, 0x40, 0, 0x45};

    /**
     * FCOMI/FCOMIP/FUCOMI/FUCOMIP ST(0), ST(i): returns the new ZF/PF/CF (other arithmetic flags
     * cleared), or -1 when EFLAGS stay unchanged (unmasked IE or DE).
     */
    public static int fcomi(FpuState s, int i, boolean unordered, boolean pop) {
        if (s.isEmpty(0) || s.isEmpty(i)) {
            s.sw &= ~C1;
            s.signal(IE | SF);
            if (s.masked(IE)) {
                if (pop) s.pop();
            }
            return EFLAGS_OF[FpuArith.UNORDERED];
        }
        begin(s);
        int r = FpuArith.compare(s, s.m(0), s.se(0), s.m(i), s.se(i), unordered, false);
        s.signal(s.exc);
        if (pop && (s.exc & ~s.cw & FpuState.EXCEPTIONS) == 0) {
            s.pop();
        }
        return EFLAGS_OF[r];
    }

    /** FXAM: C1 = sign, C3 C2 C0 = class; also for an empty register. */
    public static void fxam(FpuState s) {
        long m = s.m(0);
        int se = s.se(0);
        int cc;
        if (s.isEmpty(0)) {
            cc = C3 | C0;
        } else {
            switch (Float80.classify(m, se)) {
                case Float80.ZERO: cc = C3; break;
                case Float80.DENORMAL:
                case Float80.PSEUDO_DENORMAL: cc = C3 | C2; break;
                case Float80.NORMAL: cc = C2; break;
                case Float80.INFINITY: cc = C2 | C0; break;
                case Float80.SNAN:
                case Float80.QNAN: cc = C0; break;
                default: cc = 0; break;
            }
        }
        if ((se & 0x8000) != 0) {
            cc |= C1;
        }
        s.sw = (s.sw & ~FpuState.CC) | cc;
    }

    // =====================================================================================
    // Loads

    /** FLD ST(i). */
    public static void fld(FpuState s, int i) {
        if (s.isEmpty(i)) {
            // An empty source is a stack underflow (C1 = 0) even when ST(7) is full too.
            s.sw &= ~C1;
            s.signal(IE | SF);
            if (s.masked(IE)) s.push(INDEFINITE_M, INDEFINITE_SE);
            return;
        }
        long m = s.m(i);
        int se = s.se(i);
        if (!pushCheck(s)) return;
        s.sw &= ~C1;
        s.push(m, se);
    }

    /** FLD m80fp: no conversion, no exception but stack overflow. */
    public static void fldM80(FpuState s, long m, int se) {
        if (!pushCheck(s)) return;
        s.sw &= ~C1;
        s.push(m, se & 0xFFFF);
    }

    /** FLD m32fp: exact; SNaN raises IE (quieted), a denormal raises DE. */
    public static void fldM32(FpuState s, int bits) {
        if (!pushCheck(s)) return;
        FpuConvert.fromSingle(s, bits);
        pushConverted(s, FpuConvert.singleIsSNaN(bits), FpuConvert.singleIsDenormal(bits));
    }

    public static void fldM64(FpuState s, long bits) {
        if (!pushCheck(s)) return;
        FpuConvert.fromDouble(s, bits);
        pushConverted(s, FpuConvert.doubleIsSNaN(bits), FpuConvert.doubleIsDenormal(bits));
    }

    private static void pushConverted(FpuState s, boolean snan, boolean denormal) {
        s.sw &= ~C1;
        int exc = snan ? IE : denormal ? FpuState.DE : 0;
        s.signal(exc);
        if ((exc & IE & ~s.cw) != 0) {
            return; // an unmasked denormal operand still loads
        }
        s.push(snan ? s.rm | Float80.QUIET : s.rm, s.rse);
    }

    /** FILD m16int/m32int/m64int (sign-extended by the caller). */
    public static void fild(FpuState s, long v) {
        if (!pushCheck(s)) return;
        FpuConvert.fromInteger(s, v);
        s.sw &= ~C1;
        s.push(s.rm, s.rse);
    }

    /** FBLD m80dec: bytes 0-7 in {@code lo}, bytes 8-9 in {@code hi}. */
    public static void fbld(FpuState s, long lo, int hi) {
        if (!pushCheck(s)) return;
        FpuConvert.fromBcd(s, lo, hi);
        s.sw &= ~C1;
        s.push(s.rm, s.rse);
    }

    /** Constants for {@link #fldConst}. */
    public static final int ONE = 0, L2T = 1, L2E = 2, PI = 3, LG2 = 4, LN2 = 5, Z = 6;
    /** Significands truncated to 64 bits, and whether the rest rounds to nearest upward. */
    private static final long[] CONST_M = {0x8000000000000000L, 0xD49A784BCD1B8AFEL, 0xB8AA3B295C17F0BBL,
        0xC90FDAA22168C234L, 0x9A209A84FBCFF798L, 0xB17217F7D1CF79ABL, 0};
    private static final int[] CONST_SE = {0x3FFF, 0x4000, 0x3FFF, 0x4000, 0x3FFD, 0x3FFE, 0};
    private static final boolean[] CONST_NEAREST_UP = {false, false, true, true, true, true, false};

    /**
     * FLD1/FLDL2T/FLDL2E/FLDPI/FLDLG2/FLDLN2/FLDZ. The irrational constants are held with more
     * than 64 bits and rounded with RC (Vol. 1, 8.3.8): nearest gives the correctly rounded value,
     * up increments the truncated significand, down and chop truncate. No precision exception.
     */
    public static void fldConst(FpuState s, int which) {
        if (!pushCheck(s)) return;
        long m = CONST_M[which];
        if (which != ONE && which != Z) {
            int rc = s.rc();
            if (rc == FpuState.RC_UP || (rc == FpuState.RC_NEAREST && CONST_NEAREST_UP[which])) {
                m++;
            }
        }
        s.sw &= ~C1;
        s.push(m, CONST_SE[which]);
    }

    // =====================================================================================
    // Stores

    /** FST/FSTP ST(i): copies ST(0) unchanged (no conversion, no exception but underflow). */
    public static void fst(FpuState s, int i, boolean pop) {
        if (s.isEmpty(0)) {
            stackUnderflow(s, i, pop);
            return;
        }
        s.sw &= ~C1;
        s.set(i, s.m(0), s.se(0));
        if (pop) s.pop();
    }

    /**
     * FST/FSTP m32fp: the bits in s.rm when this returns true (then the caller stores them). A
     * stack underflow with IE masked stores the single indefinite.
     */
    public static boolean fstM32(FpuState s, boolean pop) {
        if (s.isEmpty(0)) {
            return storeUnderflow(s, FpuConvert.SINGLE_INDEFINITE & 0xFFFFFFFFL, 0, pop);
        }
        begin(s);
        return stored(s, FpuConvert.toSingle(s, s.m(0), s.se(0)), pop);
    }

    public static boolean fstM64(FpuState s, boolean pop) {
        if (s.isEmpty(0)) {
            return storeUnderflow(s, FpuConvert.DOUBLE_INDEFINITE, 0, pop);
        }
        begin(s);
        return stored(s, FpuConvert.toDouble(s, s.m(0), s.se(0)), pop);
    }

    /** FSTP m80fp: ST(0) as is in s.rm/s.rse. */
    public static boolean fstpM80(FpuState s) {
        if (s.isEmpty(0)) {
            return storeUnderflow(s, INDEFINITE_M, INDEFINITE_SE, true);
        }
        s.sw &= ~C1;
        s.rm = s.m(0);
        s.rse = s.se(0);
        s.pop();
        return true;
    }

    /** FIST/FISTP (RC) and FISTTP (chop) to a {@code width}-bit integer in s.rm. */
    public static boolean fist(FpuState s, int width, boolean pop, boolean chop) {
        if (s.isEmpty(0)) {
            return storeUnderflow(s, 1L << (width - 1), 0, pop);
        }
        begin(s);
        return stored(s, FpuConvert.toInteger(s, s.m(0), s.se(0), width, chop), pop);
    }

    /** FBSTP m80dec: bytes 0-7 in s.rm, 8-9 in s.rse. */
    public static boolean fbstp(FpuState s) {
        if (s.isEmpty(0)) {
            return storeUnderflow(s, 0xC000000000000000L, 0xFFFF, true);
        }
        begin(s);
        return stored(s, FpuConvert.toBcd(s, s.m(0), s.se(0)), true);
    }

    private static boolean storeUnderflow(FpuState s, long m, int se, boolean pop) {
        s.sw &= ~C1;
        s.signal(IE | SF);
        if (!s.masked(IE)) {
            return false;
        }
        s.rm = m;
        s.rse = se;
        if (pop) s.pop();
        return true;
    }

    // =====================================================================================
    // Register file and control

    /** FXCH ST(i). */
    public static void fxch(FpuState s, int i) {
        if (s.isEmpty(0) || s.isEmpty(i)) {
            s.sw &= ~C1;
            s.signal(IE | SF);
            if (!s.masked(IE)) return;
            if (s.isEmpty(0)) s.set(0, INDEFINITE_M, INDEFINITE_SE);
            if (s.isEmpty(i)) s.set(i, INDEFINITE_M, INDEFINITE_SE);
        }
        long m = s.m(0);
        int se = s.se(0);
        s.set(0, s.m(i), s.se(i));
        s.set(i, m, se);
        s.sw &= ~C1;
    }

    /** FCMOVcc ST(0), ST(i): the caller evaluates the condition from EFLAGS. */
    public static void fcmov(FpuState s, int i, boolean condition) {
        if (s.isEmpty(0) || s.isEmpty(i)) {
            stackUnderflow(s, 0, false);
            return;
        }
        if (condition) {
            s.set(0, s.m(i), s.se(i));
        }
    }

    /** FFREE ST(i): tags the register empty; nothing else changes. */
    public static void ffree(FpuState s, int i) {
        s.empty |= 1 << s.phys(i);
        s.sw &= ~C1;
    }

    /**
     * FSTP1 ST(i) (D9 D8+i, undocumented, executed by Intel CPUs). Measured: unlike FSTP it
     * raises no stack underflow: an empty ST(0) leaves ST(i) as it was, and ST(0) is popped.
     */
    public static void fstp1(FpuState s, int i) {
        if (!s.isEmpty(0)) {
            s.set(i, s.m(0), s.se(0));
        }
        s.sw &= ~C1;
        s.pop();
    }

    /** FFREEP ST(i) (DF C0+i, undocumented but executed by Intel CPUs): FFREE, then pop. */
    public static void ffreep(FpuState s, int i) {
        ffree(s, i);
        s.pop();
    }

    public static void fincstp(FpuState s) {
        s.top = (s.top + 1) & 7;
        s.sw &= ~C1;
    }

    public static void fdecstp(FpuState s) {
        s.top = (s.top - 1) & 7;
        s.sw &= ~C1;
    }

    /** FABS and FCHS: sign only, no exception but stack underflow. */
    public static void fabs(FpuState s) {
        if (s.isEmpty(0)) {
            stackUnderflow(s, 0, false);
            return;
        }
        s.sw &= ~C1;
        s.set(0, s.m(0), s.se(0) & 0x7FFF);
    }

    public static void fchs(FpuState s) {
        if (s.isEmpty(0)) {
            stackUnderflow(s, 0, false);
            return;
        }
        s.sw &= ~C1;
        s.set(0, s.m(0), s.se(0) ^ 0x8000);
    }

    /** FSQRT. */
    public static void fsqrt(FpuState s) {
        if (s.isEmpty(0)) {
            stackUnderflow(s, 0, false);
            return;
        }
        begin(s);
        result(s, 0, FpuArith.sqrt(s, s.m(0), s.se(0)), false);
    }

    /** FRNDINT. */
    public static void frndint(FpuState s) {
        if (s.isEmpty(0)) {
            stackUnderflow(s, 0, false);
            return;
        }
        begin(s);
        result(s, 0, FpuArith.roundToIntegral(s, s.m(0), s.se(0)), false);
    }

    /** FSCALE: ST(0) ← ST(0) * 2^trunc(ST(1)). */
    public static void fscale(FpuState s) {
        if (s.isEmpty(0) || s.isEmpty(1)) {
            stackUnderflow(s, 0, false);
            return;
        }
        begin(s);
        result(s, 0, FpuArith.scale(s, s.m(0), s.se(0), s.m(1), s.se(1)), false);
    }

    /** FXTRACT: ST(0) ← exponent, then push the significand. */
    public static void fxtract(FpuState s) {
        if (s.isEmpty(0)) {
            stackUnderflow(s, 0, false);
            if (s.masked(IE)) s.push(INDEFINITE_M, INDEFINITE_SE);
            return;
        }
        if (!s.isEmpty(7)) {
            overflowBoth(s);
            return;
        }
        begin(s);
        boolean ok = FpuArith.extract(s, s.m(0), s.se(0));
        s.sw = (s.sw & ~C1);
        s.signal(s.exc);
        if (ok) {
            s.set(0, s.xm, s.xse);
            s.push(s.rm, s.rse);
        }
    }

    /** FPREM ({@code ieee} false) and FPREM1: partial remainder, C2 = incomplete, C0 C3 C1 = Q2 Q1 Q0. */
    public static void fprem(FpuState s, boolean ieee) {
        if (s.isEmpty(0) || s.isEmpty(1)) {
            stackUnderflow(s, 0, false);
            s.sw &= ~C2;
            return;
        }
        begin(s);
        int q = FpuArith.remainder(s, s.m(0), s.se(0), s.m(1), s.se(1), ieee);
        s.signal(s.exc);
        if (q == Integer.MIN_VALUE || q == FpuArith.NO_QUOTIENT) {
            s.sw &= ~(C1 | C2); // a NaN or invalid result: C0 and C3 are left alone
            if (q != Integer.MIN_VALUE) s.set(0, s.rm, s.rse);
            return;
        }
        s.set(0, s.rm, s.rse);
        int cc;
        if (q < 0) {
            cc = C2; // incomplete
        } else {
            cc = ((q & 4) != 0 ? C0 : 0) | ((q & 2) != 0 ? C3 : 0) | ((q & 1) != 0 ? C1 : 0);
        }
        s.sw = (s.sw & ~FpuState.CC) | cc;
    }

    /** FNINIT. */
    public static void fninit(FpuState s) {
        s.init();
    }

    /** FNCLEX. */
    public static void fnclex(FpuState s) {
        s.clearExceptions();
    }

    /** FLDCW: a flag that the new word unmasks becomes pending. */
    public static void fldcw(FpuState s, int v) {
        s.loadControlWord(v);
    }

    /** FNOP. */
    public static void fnop(FpuState s) {
    }

    /**
     * The condition of FCMOVcc: {@code cc} is ModRM.reg of DA/DB C0-DF (0 B, 1 E, 2 BE, 3 U),
     * {@code negate} for DB (NB, NE, NBE, NU); {@code eflags} the architectural EFLAGS.
     */
    public static boolean fcmovCondition(int cc, boolean negate, int eflags) {
        boolean c;
        switch (cc) {
            case 0: c = (eflags & 1) != 0; break;
            case 1: c = (eflags & 0x40) != 0; break;
            case 2: c = (eflags & 0x41) != 0; break;
            default: c = (eflags & 4) != 0; break;
        }
        return c != negate;
    }

    // =====================================================================================
    // Transcendentals (FpuTranscendental computes; these apply the stack rules)

    /** FSIN, FCOS: C2 = 1 and ST(0) unchanged when |ST(0)| >= 2^63. */
    public static void fsin(FpuState s) {
        unaryTrig(s, FpuTranscendental.SIN);
    }

    public static void fcos(FpuState s) {
        unaryTrig(s, FpuTranscendental.COS);
    }

    private static void unaryTrig(FpuState s, int fn) {
        if (s.isEmpty(0)) {
            stackUnderflow(s, 0, false);
            s.sw &= ~C2;
            return;
        }
        begin(s);
        int r = FpuTranscendental.trig(s, fn, s.m(0), s.se(0));
        s.sw &= ~(C1 | C2);
        if (r == FpuTranscendental.OUT_OF_RANGE) {
            s.sw |= C2;
            return;
        }
        s.sw |= s.exc & C1;
        s.signal(s.exc);
        if (r == FpuTranscendental.DONE) {
            s.set(0, s.rm, s.rse);
        }
    }

    /** FSINCOS: ST(0) ← sine, then push the cosine. */
    public static void fsincos(FpuState s) {
        pushingTrig(s, FpuTranscendental.SINCOS);
    }

    /** FPTAN: ST(0) ← tangent, then push 1.0. */
    public static void fptan(FpuState s) {
        pushingTrig(s, FpuTranscendental.TAN);
    }

    private static void pushingTrig(FpuState s, int fn) {
        if (s.isEmpty(0)) {
            stackUnderflow(s, 0, false);
            if (s.masked(IE)) s.push(INDEFINITE_M, INDEFINITE_SE);
            s.sw &= ~C2;
            return;
        }
        if (!s.isEmpty(7)) {
            overflowBoth(s);
            s.sw &= ~C2;
            return;
        }
        begin(s);
        int r = FpuTranscendental.trig(s, fn, s.m(0), s.se(0));
        s.sw &= ~(C1 | C2);
        if (r == FpuTranscendental.OUT_OF_RANGE) {
            s.sw |= C2;
            return;
        }
        s.sw |= s.exc & C1;
        s.signal(s.exc);
        if (r == FpuTranscendental.DONE) {
            s.set(0, s.xm, s.xse);
            s.push(s.rm, s.rse);
        }
    }

    /** F2XM1: ST(0) ← 2^ST(0) - 1. */
    public static void f2xm1(FpuState s) {
        if (s.isEmpty(0)) {
            stackUnderflow(s, 0, false);
            return;
        }
        begin(s);
        result(s, 0, FpuTranscendental.f2xm1(s, s.m(0), s.se(0)), false);
    }

    /** FYL2X: ST(1) ← ST(1) * log2(ST(0)), pop. */
    public static void fyl2x(FpuState s) {
        binaryPop(s, FpuTranscendental.YL2X);
    }

    /** FYL2XP1: ST(1) ← ST(1) * log2(ST(0) + 1), pop. */
    public static void fyl2xp1(FpuState s) {
        binaryPop(s, FpuTranscendental.YL2XP1);
    }

    /** FPATAN: ST(1) ← arctan(ST(1) / ST(0)), pop. */
    public static void fpatan(FpuState s) {
        binaryPop(s, FpuTranscendental.ATAN);
    }

    private static void binaryPop(FpuState s, int fn) {
        if (s.isEmpty(0) || s.isEmpty(1)) {
            stackUnderflow(s, 1, true);
            return;
        }
        begin(s);
        boolean ok = FpuTranscendental.binary(s, fn, s.m(0), s.se(0), s.m(1), s.se(1));
        result(s, 1, ok, true);
    }
}
