package dev.jvmx.translator.helpers;

import dev.jvmx.translator.cpu.Faults;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.arch.Vector;

/**
 * MUL, IMUL, DIV, IDIV (SDM Vol. 2). Pure static helpers that translated code calls; operands
 * are zero-extended from their size ({@code size} 1, 2 or 4 bytes).
 *
 * <p>Undefined flags, as the reference host (Intel) produces them: after MUL and IMUL, SF is
 * the MSB of the low half of the product (the truncated result for the two- and three-operand
 * forms), PF the parity of its low byte, ZF 0 and AF 0; CF = OF = 1 when the product does not
 * fit in the operand size (MUL: the high half is non-zero; IMUL: the product is not the sign
 * extension of its low half). The flags stay lazy (LazyFlags OP_MUL, OP_IMUL). DIV and IDIV
 * leave all six flags unchanged (the host does too).
 */
public final class MulDivOps {
    private MulDivOps() { }

    private static long signed(int size, int v) {
        return size == 1 ? (byte) v : size == 2 ? (short) v : v;
    }

    private static long unsigned(int size, int v) {
        return size == 4 ? v & 0xFFFFFFFFL : v & (size == 2 ? 0xFFFF : 0xFF);
    }

    /** The full product of MUL: a * b unsigned (at most 64 bits). */
    public static long mul(int size, int a, int b) {
        return unsigned(size, a) * unsigned(size, b);
    }

    /** The full product of IMUL: a * b signed. */
    public static long imul(int size, int a, int b) {
        return signed(size, a) * signed(size, b);
    }

    /**
     * DIV: the dividend is AX (size 1, in {@code lo}), DX:AX or EDX:EAX ({@code hi}:{@code lo}).
     * Returns the quotient in bits 0..31 and the remainder in bits 32..63. Raises #DE when the
     * divisor is 0 or the quotient does not fit in the operand size.
     */
    public static long divu(Cpu cpu, int size, int hi, int lo, int divisor) {
        long d = unsigned(size, divisor);
        if (d == 0) {
            throw Faults.raise(cpu, Vector.DE);
        }
        long n;
        if (size == 1) {
            n = lo & 0xFFFF;
        } else if (size == 2) {
            n = ((hi & 0xFFFFL) << 16) | (lo & 0xFFFF);
        } else {
            n = ((long) hi << 32) | (lo & 0xFFFFFFFFL);
        }
        long q = Long.divideUnsigned(n, d);
        long r = Long.remainderUnsigned(n, d);
        if ((q >>> (size * 8)) != 0) {
            throw Faults.raise(cpu, Vector.DE);
        }
        return (r << 32) | q;
    }

    /**
     * IDIV: as {@link #divu} with signed operands; the quotient is truncated toward zero and the
     * remainder has the sign of the dividend. #DE also when the quotient is out of the signed
     * range (the most negative dividend divided by -1 included).
     */
    public static long divs(Cpu cpu, int size, int hi, int lo, int divisor) {
        long d = signed(size, divisor);
        if (d == 0) {
            throw Faults.raise(cpu, Vector.DE);
        }
        long n;
        if (size == 1) {
            n = (short) lo;
        } else if (size == 2) {
            n = (int) (((hi & 0xFFFF) << 16) | (lo & 0xFFFF));
        } else {
            n = ((long) hi << 32) | (lo & 0xFFFFFFFFL);
        }
        if (n == Long.MIN_VALUE && d == -1) {
            throw Faults.raise(cpu, Vector.DE);
        }
        long q = n / d;
        long r = n % d;
        if (q != signed(size, (int) q)) {
            throw Faults.raise(cpu, Vector.DE);
        }
        return ((r & 0xFFFFFFFFL) << 32) | (q & 0xFFFFFFFFL);
    }
}
