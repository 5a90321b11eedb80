package dev.jvmx.translator.flags;

import dev.jvmx.translator.arch.Eflags;


/**
 * Lazy status flags (DESIGN.md rule 2). A flag-setting instruction records what it did as
 * (op, res, a, b); a flag is computed only where it is read. Operands and results are kept
 * masked to the operation size, so the sign bit of size s is bit 8*s-1.
 *
 * <p>The same formulas serve ADD and ADC (the full-adder carry vector works with a carry
 * in) and SUB, SBB, CMP and NEG (the borrow vector), so one op per family and size is
 * enough. INC and DEC keep the previous CF in b. SHL/SAL, SHR and SAR by a non-zero count keep
 * the unshifted operand in a and the count (1..31) in b: a shift's flags are then computed only
 * where read, as an addition's are (the formulas, and the choices for the flags the SDM leaves
 * undefined, are those of {@code helpers.ShiftOps}). MUL and IMUL keep the low half of the
 * product in res and its high half in a (arithmetic shift, so that IMUL's sign extension
 * shows); CF = OF says whether the product fits, ZF and AF are 0 ({@code helpers.MulDivOps}
 * has the choices). OP_FLAGS means res holds the six status
 * flags already computed, in their EFLAGS positions: used by every instruction whose flag
 * rule is not one of these families.
 *
 * <p>All methods are small and static so that C2 inlines them into translated code and
 * folds them when op is a constant there.
 */
public final class LazyFlags {
    public static final int OP_FLAGS = 0;
    // Family bases are multiples of 4 and the size index (0: 8, 1: 16, 2: 32 bits) is added:
    // sizeOf and signShift are then a mask and a shift. Translated code evaluates flags with an
    // op it cannot know at translation time (an INC at a loop head reads CF, whichever
    // instruction left it): with bases 3 apart, every such evaluation divided by 3.
    public static final int OP_ADD = 4;
    public static final int OP_SUB = 8;
    public static final int OP_LOGIC = 12;
    public static final int OP_INC = 16;
    public static final int OP_DEC = 20;
    public static final int OP_SHL = 24;
    public static final int OP_SHR = 28;
    public static final int OP_SAR = 32;
    public static final int OP_MUL = 36;
    public static final int OP_IMUL = 40;

    private LazyFlags() { }

    /** The op constant for family base {@code family} and operand size in bytes. */
    public static int op(int family, int size) {
        return family + (size == 1 ? 0 : size == 2 ? 1 : 2);
    }

    /** Operand size in bytes of a lazy op (not OP_FLAGS). */
    public static int sizeOf(int op) {
        return 1 << (op & 3);
    }

    public static int signShift(int op) {
        return (8 << (op & 3)) - 1;
    }

    public static int cf(int op, int res, int a, int b) {
        switch (op) {
            case OP_FLAGS:
                return res & 1;
            case OP_ADD: case OP_ADD + 1: case OP_ADD + 2:
                return (((a & b) | ((a | b) & ~res)) >>> signShift(op)) & 1;
            case OP_SUB: case OP_SUB + 1: case OP_SUB + 2:
                return (((~a & b) | (~(a ^ b) & res)) >>> signShift(op)) & 1;
            case OP_INC: case OP_INC + 1: case OP_INC + 2:
            case OP_DEC: case OP_DEC + 1: case OP_DEC + 2:
                return b & 1;
            default:
                return op >= OP_SHL ? shiftOrMulCf(op, res, a, b) : 0; // 0: logic
        }
    }

    /*
     * The shift and multiply families are out of line, in cf and of: these switches are inlined
     * into translated code wherever the producer is not known at translation time (an INC at a
     * loop head reads CF), and C2 stops inlining a callee whose own compiled code has grown past
     * InlineSmallCode. With the shift cases inline, the suite's crc32 and memops ran 40% and 75%
     * slower.
     */
    private static int shiftOrMulCf(int op, int res, int a, int b) {
        switch (op) {
            case OP_SHL: case OP_SHL + 1: case OP_SHL + 2: {
                // The last bit shifted out; 0 once the count passes the width (8 and 16 bits).
                int w = signShift(op) + 1;
                return b <= w ? (a >>> (w - b)) & 1 : 0;
            }
            case OP_SHR: case OP_SHR + 1: case OP_SHR + 2:
                return (a >>> (b - 1)) & 1;
            case OP_SAR: case OP_SAR + 1: case OP_SAR + 2: {
                int up = 31 - signShift(op);
                return ((a << up >> up) >> (b - 1)) & 1;
            }
            default:
                return mulOverflow(op, res, a);
        }
    }

    public static int zf(int op, int res) {
        return op == OP_FLAGS ? (res >> 6) & 1 : op >= OP_MUL ? 0 : res == 0 ? 1 : 0;
    }

    /** CF = OF of MUL (the high half is not 0) and IMUL (it is not the low half's sign extension). */
    private static int mulOverflow(int op, int res, int hi) {
        int fits = op >= OP_IMUL ? (res << (31 - signShift(op))) >> 31 : 0;
        return hi != fits ? 1 : 0;
    }

    public static int sf(int op, int res) {
        return op == OP_FLAGS ? (res >> 7) & 1 : (res >>> signShift(op)) & 1;
    }

    public static int pf(int op, int res) {
        if (op == OP_FLAGS) {
            return (res >> 2) & 1;
        }
        return (~Integer.bitCount(res & 0xFF)) & 1;
    }

    public static int af(int op, int res, int a, int b) {
        switch (op) {
            case OP_FLAGS:
                return (res >> 4) & 1;
            case OP_INC: case OP_INC + 1: case OP_INC + 2:
            case OP_DEC: case OP_DEC + 1: case OP_DEC + 2:
                return ((a ^ 1 ^ res) >> 4) & 1;
            case OP_LOGIC: case OP_LOGIC + 1: case OP_LOGIC + 2:
                return 0;
            default:
                return op >= OP_SHL ? 0 : ((a ^ b ^ res) >> 4) & 1; // 0: shifts, MUL, IMUL
        }
    }

    public static int of(int op, int res, int a, int b) {
        switch (op) {
            case OP_FLAGS:
                return (res >> 11) & 1;
            case OP_ADD: case OP_ADD + 1: case OP_ADD + 2:
                return (((a ^ res) & (b ^ res)) >>> signShift(op)) & 1;
            case OP_SUB: case OP_SUB + 1: case OP_SUB + 2:
                return (((a ^ b) & (a ^ res)) >>> signShift(op)) & 1;
            case OP_INC: case OP_INC + 1: case OP_INC + 2:
                return res == 1 << signShift(op) ? 1 : 0;
            case OP_DEC: case OP_DEC + 1: case OP_DEC + 2:
                return res == (1 << signShift(op)) - 1 ? 1 : 0;
            default:
                return op >= OP_SHL ? shiftOrMulOf(op, res, a) : 0; // 0: logic
        }
    }

    private static int shiftOrMulOf(int op, int res, int a) {
        switch (op) {
            case OP_SHL: case OP_SHL + 1: case OP_SHL + 2:
                return ((a ^ (a << 1)) >>> signShift(op)) & 1; // the first one-bit step's OF
            case OP_SHR: case OP_SHR + 1: case OP_SHR + 2:
                return (a >>> signShift(op)) & 1;
            case OP_SAR: case OP_SAR + 1: case OP_SAR + 2:
                return 0;
            default:
                return mulOverflow(op, res, a);
        }
    }

    /** The six status flags in their EFLAGS positions. */
    public static int compute(int op, int res, int a, int b) {
        if (op == OP_FLAGS) {
            return res & Eflags.ARITH;
        }
        return cf(op, res, a, b)
                | pf(op, res) << 2
                | af(op, res, a, b) << 4
                | zf(op, res) << 6
                | sf(op, res) << 7
                | of(op, res, a, b) << 11;
    }

    /** Condition code tttn (SDM Vol. 2, Appendix B.1.4.7) evaluated on lazy state. */
    public static boolean cond(int cc, int op, int res, int a, int b) {
        boolean r;
        switch (cc >> 1) {
            case 0: r = of(op, res, a, b) != 0; break;
            case 1: r = cf(op, res, a, b) != 0; break;
            case 2: r = zf(op, res) != 0; break;
            case 3: r = (cf(op, res, a, b) | zf(op, res)) != 0; break;
            case 4: r = sf(op, res) != 0; break;
            case 5: r = pf(op, res) != 0; break;
            case 6: r = sf(op, res) != of(op, res, a, b); break;
            default: r = zf(op, res) != 0 || sf(op, res) != of(op, res, a, b); break;
        }
        return r ^ ((cc & 1) != 0);
    }

    /** Evaluates a condition on a materialised EFLAGS value. */
    public static boolean condFromEflags(int cc, int fl) {
        return cond(cc, OP_FLAGS, fl, 0, 0);
    }

    /** PF for a result byte: set when the low byte has an even number of one bits. */
    public static int parity(int res) {
        return (~Integer.bitCount(res & 0xFF)) & 1;
    }

    /** ZF, SF and PF of a result of the given size, in EFLAGS positions. */
    public static int szp(int res, int size) {
        int m = size == 4 ? -1 : (1 << (size * 8)) - 1;
        int v = res & m;
        return (v == 0 ? Eflags.ZF : 0) | (((v >>> (size * 8 - 1)) & 1) << 7) | (parity(v) << 2);
    }
}
