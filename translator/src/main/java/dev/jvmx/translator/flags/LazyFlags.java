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
    public static final int OP_ADD = 1;   // + size index (0: 8, 1: 16, 2: 32)
    public static final int OP_SUB = 4;
    public static final int OP_LOGIC = 7;
    public static final int OP_INC = 10;
    public static final int OP_DEC = 13;
    public static final int OP_SHL = 16;
    public static final int OP_SHR = 19;
    public static final int OP_SAR = 22;
    public static final int OP_MUL = 25;
    public static final int OP_IMUL = 28;

    private LazyFlags() { }

    /** The op constant for family base {@code family} and operand size in bytes. */
    public static int op(int family, int size) {
        return family + (size == 1 ? 0 : size == 2 ? 1 : 2);
    }

    /** Operand size in bytes of a lazy op (not OP_FLAGS). */
    public static int sizeOf(int op) {
        int s = (op - 1) % 3;
        return s == 0 ? 1 : s == 1 ? 2 : 4;
    }

    public static int signShift(int op) {
        int s = (op - 1) % 3;
        return s == 0 ? 7 : s == 1 ? 15 : 31;
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
            case OP_MUL: case OP_MUL + 1: case OP_MUL + 2:
            case OP_IMUL: case OP_IMUL + 1: case OP_IMUL + 2:
                return mulOverflow(op, res, a);
            default:
                return 0; // logic
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
            case OP_SHL: case OP_SHL + 1: case OP_SHL + 2:
            case OP_SHR: case OP_SHR + 1: case OP_SHR + 2:
            case OP_SAR: case OP_SAR + 1: case OP_SAR + 2:
            case OP_MUL: case OP_MUL + 1: case OP_MUL + 2:
            case OP_IMUL: case OP_IMUL + 1: case OP_IMUL + 2:
                return 0;
            default:
                return ((a ^ b ^ res) >> 4) & 1;
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
            case OP_SHL: case OP_SHL + 1: case OP_SHL + 2:
                return ((a ^ (a << 1)) >>> signShift(op)) & 1; // the first one-bit step's OF
            case OP_SHR: case OP_SHR + 1: case OP_SHR + 2:
                return (a >>> signShift(op)) & 1;
            case OP_MUL: case OP_MUL + 1: case OP_MUL + 2:
            case OP_IMUL: case OP_IMUL + 1: case OP_IMUL + 2:
                return mulOverflow(op, res, a);
            default:
                return 0; // logic, SAR
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
