package dev.jvmx.translator.helpers;

import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.flags.LazyFlags;

/**
 * Results and flags of the shift and rotate family (SDM Vol. 2: SAL/SAR/SHL/SHR, RCL/RCR/ROL/ROR,
 * SHLD, SHRD). Pure static methods called from translated code; C2 inlines them and folds the
 * constant size. Operands are zero-extended from their size ({@code size} 1, 2 or 4 bytes);
 * {@code cnt} is the count already masked to 5 bits and non-zero (a masked count of 0 never
 * reaches these methods: the instruction then changes nothing, not even flags).
 *
 * <p>Flags the SDM leaves undefined, as chosen here: what this project's reference host (an
 * Intel Xeon, checked by running each instruction natively over random operands) produces.
 * <ul>
 * <li>OF for counts above 1: the OF of the first one-bit step, i.e. the SDM's count-1 formula
 * applied to the original operand. SHL/SAL: MSB(a) XOR bit w-2 of a; SHR: MSB(a);
 * SAR: 0; ROL and ROR: OF is left unchanged (measured on the host: OF before the rotate
 * decides, not the operand); RCL: MSB(a) XOR bit w-2 of a; RCR: MSB(a) XOR the old CF;
 * SHLD: MSB(dest) XOR bit w-2 of dest; SHRD: MSB(dest) XOR LSB(src). (Not "the count-1 formula
 * on the final result": the host disagrees with that for SHL, ROL, ROR, RCL, RCR, SHLD, SHRD.)</li>
 * <li>RCL/RCR of 8 or 16 bits whose masked count is a multiple of 9 or 17: nothing changes,
 * not even OF.</li>
 * <li>CF of SHL/SHR with a count at or above the operand width: the last bit shifted out of the
 * operand extended with zeros (so 0 once the count exceeds the width); SAR: the sign bit.</li>
 * <li>AF after SHL/SHR/SAR/SHLD/SHRD with a non-zero count: 0.</li>
 * <li>SHLD/SHRD of 16 bits with a count of 17..31: the operation works on the 48-bit value
 * dest:src:dest, as Intel processors do; see {@link #shld} and {@link #shrd}.</li>
 * </ul>
 * Rotates change only CF and OF; SF, ZF, AF and PF keep their old values. SHL, SHR and SAR leave
 * their flags to {@link LazyFlags} (OP_SHL, OP_SHR, OP_SAR), which applies the same choices.
 */
public final class ShiftOps {
    private ShiftOps() { }

    private static int bits(int size) {
        return size * 8;
    }

    private static int mask(int size) {
        return size == 4 ? -1 : (1 << (size * 8)) - 1;
    }

    private static int msb(int v, int size) {
        return (v >>> (size * 8 - 1)) & 1;
    }

    private static int shiftFlags(int res, int size, int cf, int of) {
        return cf | LazyFlags.szp(res, size) | (of << 11);
    }

    /** MSB XOR the next bit: the OF of a one-bit left shift of {@code a}. */
    private static int firstStepOf(int a, int size) {
        return msb(a ^ (a << 1), size);
    }

    private static int rotateFlags(int old, int cf, int of) {
        return (old & (Eflags.SF | Eflags.ZF | Eflags.AF | Eflags.PF)) | cf | (of << 11);
    }

    // ---- SHL / SAL

    public static int shl(int size, int a, int cnt) {
        return (a << cnt) & mask(size);
    }

    // ---- SHR

    public static int shr(int size, int a, int cnt) {
        return a >>> cnt;
    }

    // ---- SAR

    private static int signed(int size, int a) {
        return size == 1 ? (byte) a : size == 2 ? (short) a : a;
    }

    public static int sar(int size, int a, int cnt) {
        return (signed(size, a) >> cnt) & mask(size);
    }

    // ---- ROL / ROR: the count is taken modulo the width for the result; flags follow the masked count

    public static int rol(int size, int a, int cnt) {
        int w = bits(size);
        int c = cnt & (w - 1);
        if (c == 0) {
            return a;
        }
        return ((a << c) | (a >>> (w - c))) & mask(size);
    }

    /** ROL: CF = the bit rotated into bit 0; OF only for a count of 1 (this host keeps OF for larger counts). */
    public static int rolFlags(int size, int a, int cnt, int res, int old) {
        int of = (cnt & 0x1F) == 1 ? firstStepOf(a, size) : (old >> 11) & 1;
        return rotateFlags(old, res & 1, of);
    }

    public static int ror(int size, int a, int cnt) {
        int w = bits(size);
        int c = cnt & (w - 1);
        if (c == 0) {
            return a;
        }
        return ((a >>> c) | (a << (w - c))) & mask(size);
    }

    /** ROR: CF = the bit rotated into the MSB; OF only for a count of 1 (this host keeps OF for larger counts). */
    public static int rorFlags(int size, int a, int cnt, int res, int old) {
        int of = (cnt & 0x1F) == 1 ? msb(a, size) ^ (a & 1) : (old >> 11) & 1;
        return rotateFlags(old, msb(res, size), of);
    }

    // ---- RCL / RCR: rotate through CF, a (width+1)-bit rotation; 8/16-bit counts are taken mod 9/17

    private static int rcCount(int size, int cnt) {
        return size == 1 ? cnt % 9 : size == 2 ? cnt % 17 : cnt;
    }

    /** The (width+1)-bit value CF:a after RCL by {@code cnt}; bit width is the new CF. */
    private static long rclWide(int size, int a, int cnt, int cf) {
        int w1 = bits(size) + 1;
        int c = rcCount(size, cnt);
        long x = ((long) cf << (w1 - 1)) | (a & 0xFFFFFFFFL);
        if (c == 0) {
            return x;
        }
        long m = (1L << w1) - 1;
        return ((x << c) | (x >>> (w1 - c))) & m;
    }

    private static long rcrWide(int size, int a, int cnt, int cf) {
        int w1 = bits(size) + 1;
        int c = rcCount(size, cnt);
        long x = ((long) cf << (w1 - 1)) | (a & 0xFFFFFFFFL);
        if (c == 0) {
            return x;
        }
        long m = (1L << w1) - 1;
        return ((x >>> c) | (x << (w1 - c))) & m;
    }

    public static int rcl(int size, int a, int cnt, int cf) {
        return (int) rclWide(size, a, cnt, cf) & mask(size);
    }

    public static int rclFlags(int size, int a, int cnt, int cf, int res, int old) {
        if (rcCount(size, cnt) == 0) {
            return old;
        }
        int ncf = (int) (rclWide(size, a, cnt, cf) >>> bits(size)) & 1;
        return rotateFlags(old, ncf, firstStepOf(a, size));
    }

    public static int rcr(int size, int a, int cnt, int cf) {
        return (int) rcrWide(size, a, cnt, cf) & mask(size);
    }

    public static int rcrFlags(int size, int a, int cnt, int cf, int res, int old) {
        if (rcCount(size, cnt) == 0) {
            return old;
        }
        int ncf = (int) (rcrWide(size, a, cnt, cf) >>> bits(size)) & 1;
        return rotateFlags(old, ncf, msb(a, size) ^ cf);
    }

    // ---- SHLD / SHRD (size 2 or 4)

    /**
     * SHLD dest, src, cnt: dest:src shifted left, the high half kept. For 16 bits with a count
     * above 16 the source is dest:src:dest (48 bits).
     */
    private static long shldWide(int size, int a, int b, int cnt) {
        if (size == 4) {
            long x = ((a & 0xFFFFFFFFL) << 32) | (b & 0xFFFFFFFFL);
            return x << cnt; // bits 32..63 the result, bit 64 lost: CF taken separately
        }
        long x = ((long) (a & 0xFFFF) << 32) | ((long) (b & 0xFFFF) << 16) | (a & 0xFFFF);
        return x << cnt;
    }

    public static int shld(int size, int a, int b, int cnt) {
        long v = shldWide(size, a, b, cnt);
        return size == 4 ? (int) (v >>> 32) : (int) (v >>> 32) & 0xFFFF;
    }

    public static int shldFlags(int size, int a, int b, int cnt, int res) {
        int cf;
        if (size == 4) {
            cf = (a >>> (32 - cnt)) & 1;
        } else {
            long x = ((long) (a & 0xFFFF) << 32) | ((long) (b & 0xFFFF) << 16) | (a & 0xFFFF);
            cf = (int) (x >>> (48 - cnt)) & 1;
        }
        return shiftFlags(res, size, cf, firstStepOf(a, size));
    }

    /**
     * SHRD dest, src, cnt: src:dest shifted right, the low half kept. For 16 bits with a count
     * above 16 the source is dest:src:dest (48 bits, dest lowest).
     */
    private static long shrdSource(int size, int a, int b) {
        if (size == 4) {
            return ((b & 0xFFFFFFFFL) << 32) | (a & 0xFFFFFFFFL);
        }
        return ((long) (a & 0xFFFF) << 32) | ((long) (b & 0xFFFF) << 16) | (a & 0xFFFF);
    }

    public static int shrd(int size, int a, int b, int cnt) {
        return (int) (shrdSource(size, a, b) >>> cnt) & mask(size);
    }

    public static int shrdFlags(int size, int a, int b, int cnt, int res) {
        int cf = (int) (shrdSource(size, a, b) >>> (cnt - 1)) & 1;
        return shiftFlags(res, size, cf, msb(a, size) ^ (b & 1));
    }
}
