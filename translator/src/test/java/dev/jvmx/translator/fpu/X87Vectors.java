package dev.jvmx.translator.fpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.jvmx.translator.fpu.FpuImage.put16;
import static dev.jvmx.translator.fpu.FpuImage.put32;
import static dev.jvmx.translator.fpu.FpuImage.put64;

/**
 * Random x87 test vectors: an instruction form, an initial FPU state (an FRSTOR image) with
 * operands drawn from every class of value (zeros, denormals, pseudo-denormals, unnormals,
 * pseudo-NaNs and pseudo-infinities, infinities, SNaNs, QNaNs, the indefinite, huge and tiny
 * exponents, short significands that make exact results and ties), every precision and rounding
 * control, masked and unmasked exceptions, and a memory operand of the form's type.
 */
final class X87Vectors {
    enum Mem { NONE, M16I, M32I, M64I, M32F, M64F, M80F, BCD, CW, ENV14, ENV28, SAVE94, SAVE108, FX512 }

    /** One instruction form. */
    static final class Form {
        final String name;
        final byte[] bytes;
        final Mem mem;
        final boolean transcendental;

        Form(String name, Mem mem, boolean transcendental, int... b) {
            this.name = name;
            this.mem = mem;
            this.transcendental = transcendental;
            this.bytes = new byte[b.length];
            for (int k = 0; k < b.length; k++) this.bytes[k] = (byte) b[k];
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(name).append(" [");
            for (byte x : bytes) sb.append(String.format("%02X ", x & 0xFF));
            return sb.toString().trim() + "]";
        }
    }

    /** One test vector. */
    static final class Vector {
        Form form;
        int eflags;
        final byte[] state = new byte[112];
        final byte[] mem = new byte[512];
    }

    static final String[] ARITH = {"fadd", "fmul", "fcom", "fcomp", "fsub", "fsubr", "fdiv", "fdivr"};
    static final String[] D9 = {"fchs", "fabs", null, null, "ftst", "fxam", null, null,
        "fld1", "fldl2t", "fldl2e", "fldpi", "fldlg2", "fldln2", "fldz", null,
        "f2xm1", "fyl2x", "fptan", "fpatan", "fxtract", "fprem1", "fdecstp", "fincstp",
        "fprem", "fyl2xp1", "fsqrt", "fsincos", "frndint", "fscale", "fsin", "fcos"};

    static List<Form> forms() {
        List<Form> f = new ArrayList<>();
        int[] regs = {1, 0, 2, 7};
        for (int reg = 0; reg < 8; reg++) {
            for (int i : regs) {
                f.add(new Form(ARITH[reg] + " st0,st" + i, Mem.NONE, false, 0xD8, 0xC0 | reg << 3 | i));
            }
            f.add(new Form(ARITH[reg] + " m32fp", Mem.M32F, false, 0xD8, reg << 3 | 6));
            f.add(new Form(ARITH[reg] + " m64fp", Mem.M64F, false, 0xDC, reg << 3 | 6));
            f.add(new Form("fi" + ARITH[reg].substring(1) + " m32int", Mem.M32I, false, 0xDA, reg << 3 | 6));
            f.add(new Form("fi" + ARITH[reg].substring(1) + " m16int", Mem.M16I, false, 0xDE, reg << 3 | 6));
            if (reg != 2 && reg != 3) {
                for (int i : regs) {
                    f.add(new Form("dc/" + reg + " st" + i, Mem.NONE, false, 0xDC, 0xC0 | reg << 3 | i));
                    f.add(new Form("de/" + reg + " st" + i, Mem.NONE, false, 0xDE, 0xC0 | reg << 3 | i));
                }
            }
        }
        f.add(new Form("fcompp", Mem.NONE, false, 0xDE, 0xD9));
        f.add(new Form("fucompp", Mem.NONE, false, 0xDA, 0xE9));
        for (int i : regs) {
            f.add(new Form("fld st" + i, Mem.NONE, false, 0xD9, 0xC0 | i));
            f.add(new Form("fxch st" + i, Mem.NONE, false, 0xD9, 0xC8 | i));
            f.add(new Form("ffree st" + i, Mem.NONE, false, 0xDD, 0xC0 | i));
            f.add(new Form("fst st" + i, Mem.NONE, false, 0xDD, 0xD0 | i));
            f.add(new Form("fstp st" + i, Mem.NONE, false, 0xDD, 0xD8 | i));
            f.add(new Form("fucom st" + i, Mem.NONE, false, 0xDD, 0xE0 | i));
            f.add(new Form("fucomp st" + i, Mem.NONE, false, 0xDD, 0xE8 | i));
            f.add(new Form("fucomi st" + i, Mem.NONE, false, 0xDB, 0xE8 | i));
            f.add(new Form("fcomi st" + i, Mem.NONE, false, 0xDB, 0xF0 | i));
            f.add(new Form("fucomip st" + i, Mem.NONE, false, 0xDF, 0xE8 | i));
            f.add(new Form("fcomip st" + i, Mem.NONE, false, 0xDF, 0xF0 | i));
            // undocumented aliases that Intel CPUs execute (EncodingProbe)
            f.add(new Form("fstp1 st" + i, Mem.NONE, false, 0xD9, 0xD8 | i));
            f.add(new Form("fcom2 st" + i, Mem.NONE, false, 0xDC, 0xD0 | i));
            f.add(new Form("fcomp3 st" + i, Mem.NONE, false, 0xDC, 0xD8 | i));
            f.add(new Form("fxch4 st" + i, Mem.NONE, false, 0xDD, 0xC8 | i));
            f.add(new Form("fcomp5 st" + i, Mem.NONE, false, 0xDE, 0xD0 | i));
            f.add(new Form("ffreep st" + i, Mem.NONE, false, 0xDF, 0xC0 | i));
            f.add(new Form("fxch7 st" + i, Mem.NONE, false, 0xDF, 0xC8 | i));
            f.add(new Form("fstp8 st" + i, Mem.NONE, false, 0xDF, 0xD0 | i));
            f.add(new Form("fstp9 st" + i, Mem.NONE, false, 0xDF, 0xD8 | i));
            for (int cc = 0; cc < 4; cc++) {
                f.add(new Form("fcmov" + cc + " st" + i, Mem.NONE, false, 0xDA, 0xC0 | cc << 3 | i));
                f.add(new Form("fcmovn" + cc + " st" + i, Mem.NONE, false, 0xDB, 0xC0 | cc << 3 | i));
            }
        }
        f.add(new Form("fnop", Mem.NONE, false, 0xD9, 0xD0));
        for (int k = 0; k < 32; k++) {
            if (D9[k] != null) {
                boolean t = D9[k].equals("f2xm1") || D9[k].equals("fyl2x") || D9[k].equals("fptan") || D9[k].equals("fpatan")
                        || D9[k].equals("fyl2xp1") || D9[k].equals("fsincos") || D9[k].equals("fsin") || D9[k].equals("fcos");
                f.add(new Form(D9[k], Mem.NONE, t, 0xD9, 0xE0 + k));
            }
        }
        f.add(new Form("fnclex", Mem.NONE, false, 0xDB, 0xE2));
        f.add(new Form("fninit", Mem.NONE, false, 0xDB, 0xE3));
        f.add(new Form("fneni", Mem.NONE, false, 0xDB, 0xE0));
        f.add(new Form("fndisi", Mem.NONE, false, 0xDB, 0xE1));
        f.add(new Form("fnsetpm", Mem.NONE, false, 0xDB, 0xE4));
        f.add(new Form("fnstsw ax", Mem.NONE, false, 0xDF, 0xE0));
        f.add(new Form("fwait", Mem.NONE, false, 0x9B));
        f.add(new Form("fld m32fp", Mem.M32F, false, 0xD9, 0x06));
        f.add(new Form("fst m32fp", Mem.M32F, false, 0xD9, 0x16));
        f.add(new Form("fstp m32fp", Mem.M32F, false, 0xD9, 0x1E));
        f.add(new Form("fldenv m28", Mem.ENV28, false, 0xD9, 0x26));
        f.add(new Form("fldenv m14", Mem.ENV14, false, 0x66, 0xD9, 0x26));
        f.add(new Form("fldcw", Mem.CW, false, 0xD9, 0x2E));
        f.add(new Form("fnstenv m28", Mem.ENV28, false, 0xD9, 0x36));
        f.add(new Form("fnstenv m14", Mem.ENV14, false, 0x66, 0xD9, 0x36));
        f.add(new Form("fnstcw", Mem.CW, false, 0xD9, 0x3E));
        f.add(new Form("fild m32int", Mem.M32I, false, 0xDB, 0x06));
        f.add(new Form("fisttp m32int", Mem.M32I, false, 0xDB, 0x0E));
        f.add(new Form("fist m32int", Mem.M32I, false, 0xDB, 0x16));
        f.add(new Form("fistp m32int", Mem.M32I, false, 0xDB, 0x1E));
        f.add(new Form("fld m80fp", Mem.M80F, false, 0xDB, 0x2E));
        f.add(new Form("fstp m80fp", Mem.M80F, false, 0xDB, 0x3E));
        f.add(new Form("fld m64fp", Mem.M64F, false, 0xDD, 0x06));
        f.add(new Form("fisttp m64int", Mem.M64I, false, 0xDD, 0x0E));
        f.add(new Form("fst m64fp", Mem.M64F, false, 0xDD, 0x16));
        f.add(new Form("fstp m64fp", Mem.M64F, false, 0xDD, 0x1E));
        f.add(new Form("frstor m108", Mem.SAVE108, false, 0xDD, 0x26));
        f.add(new Form("frstor m94", Mem.SAVE94, false, 0x66, 0xDD, 0x26));
        f.add(new Form("fnsave m108", Mem.SAVE108, false, 0xDD, 0x36));
        f.add(new Form("fnsave m94", Mem.SAVE94, false, 0x66, 0xDD, 0x36));
        f.add(new Form("fnstsw m16", Mem.CW, false, 0xDD, 0x3E));
        f.add(new Form("fild m16int", Mem.M16I, false, 0xDF, 0x06));
        f.add(new Form("fisttp m16int", Mem.M16I, false, 0xDF, 0x0E));
        f.add(new Form("fist m16int", Mem.M16I, false, 0xDF, 0x16));
        f.add(new Form("fistp m16int", Mem.M16I, false, 0xDF, 0x1E));
        f.add(new Form("fbld", Mem.BCD, false, 0xDF, 0x26));
        f.add(new Form("fild m64int", Mem.M64I, false, 0xDF, 0x2E));
        f.add(new Form("fbstp", Mem.BCD, false, 0xDF, 0x36));
        f.add(new Form("fistp m64int", Mem.M64I, false, 0xDF, 0x3E));
        f.add(new Form("fxsave", Mem.FX512, false, 0x0F, 0xAE, 0x06));
        f.add(new Form("fxrstor", Mem.FX512, false, 0x0F, 0xAE, 0x0E));
        return f;
    }

    /**
     * FBLD of nibbles above 9 is undefined (Vol. 2, FBLD); Intel CPUs weight them like digits, as
     * the library does, so they are generated unless -Dx87.invalidBcd=false.
     */
    static final boolean INVALID_BCD = Boolean.parseBoolean(System.getProperty("x87.invalidBcd", "true"));

    final Random r;

    X87Vectors(long seed) {
        this.r = new Random(seed);
    }

    // ---- values

    long m;
    int se;

    /** A random extended value into m/se. */
    void ext() {
        int sign = r.nextBoolean() ? 0x8000 : 0;
        long rnd = r.nextLong();
        switch (r.nextInt(24)) {
            case 0: m = 0; se = 0; break;
            case 1: m = (rnd >>> 1) >>> r.nextInt(63); if (m == 0) m = 1; se = 0; break;
            case 2: m = rnd | Float80.J; se = 0; break;                                  // pseudo-denormal
            case 3: m = rnd & ~Float80.J; se = 1 + r.nextInt(0x7FFE); break;             // unnormal
            case 4: m = Float80.J; se = 0x7FFF; break;
            case 5: m = Float80.J | (rnd & 0x3FFFFFFFFFFFFFFFL); if (m == Float80.J) m |= 1; se = 0x7FFF; break; // SNaN
            case 6: m = Float80.J | Float80.QUIET | rnd; se = 0x7FFF; break;
            case 7: m = Float80.INDEFINITE_M; se = 0x7FFF; break;
            case 8: m = rnd & ~Float80.J; se = 0x7FFF; break;                            // pseudo-NaN/infinity
            case 9: m = rnd | Float80.J; se = 0x7FFE - r.nextInt(80); break;
            case 10: m = rnd | Float80.J; se = 1 + r.nextInt(80); break;
            case 11: case 12: case 13:
                m = (rnd | Float80.J) & (-1L << (64 - 1 - r.nextInt(64))); se = Float80.BIAS + r.nextInt(140) - 70; break;
            case 14: m = Float80.J | (r.nextBoolean() ? 0 : -1L >>> (1 + r.nextInt(63))); se = Float80.BIAS + r.nextInt(200) - 100; break;
            case 15: m = rnd | Float80.J; se = r.nextInt(0x7FFF); if (se == 0) se = 1; break;
            case 16: m = (rnd | Float80.J) & ~0x7FFL; se = Float80.BIAS + r.nextInt(2100) - 1050; break; // double-like
            case 17: m = (rnd | Float80.J) & ~0xFFFFFFFFFFL; se = Float80.BIAS + r.nextInt(300) - 150; break; // single-like
            case 18: m = Float80.J; se = Float80.BIAS + r.nextInt(200) - 100; break;
            default: m = rnd | Float80.J; se = Float80.BIAS + r.nextInt(140) - 70; break;
        }
        se |= sign;
    }

    /** A second operand near the first (cancellation, equal exponents, ties). */
    void near(long m0, int se0) {
        int e = se0 & 0x7FFF;
        if (e == 0 || e == 0x7FFF || m0 >= 0) {
            ext();
            return;
        }
        int d = r.nextInt(4) == 0 ? r.nextInt(140) - 70 : r.nextInt(5) - 2;
        int ne = Math.max(1, Math.min(0x7FFE, e + d));
        m = m0 ^ (r.nextBoolean() ? (1L << r.nextInt(64)) >>> 1 : r.nextLong() & (-1L >>> (1 + r.nextInt(63))));
        m |= Float80.J;
        se = ne | (r.nextBoolean() ? 0x8000 : 0);
    }

    int single() {
        switch (r.nextInt(12)) {
            case 0: return r.nextBoolean() ? 0 : 0x80000000;
            case 1: return (r.nextInt() & 0x807FFFFF) | (r.nextInt() & 0x7FFFFF) >>> r.nextInt(23) ;      // denormal
            case 2: return (r.nextInt() & 0x80000000) | 0x7F800000;
            case 3: return (r.nextInt() & 0x80000000) | 0x7F800000 | (1 + r.nextInt(0x3FFFFF));           // SNaN
            case 4: return (r.nextInt() & 0x80000000) | 0x7FC00000 | (r.nextInt() & 0x3FFFFF);
            case 5: return (r.nextInt() & 0x80000000) | (r.nextInt(3) << 23) | (r.nextInt() & 0x7FFFFF);
            case 6: return (r.nextInt() & 0x80000000) | ((252 + r.nextInt(3)) << 23) | (r.nextInt() & 0x7FFFFF);
            default: return (r.nextInt() & 0x80000000) | ((127 + r.nextInt(60) - 30) << 23) | (r.nextInt() & 0x7FFFFF & (-1 << r.nextInt(23)));
        }
    }

    long dbl() {
        long s = r.nextBoolean() ? Long.MIN_VALUE : 0;
        long f = r.nextLong() & 0xFFFFFFFFFFFFFL;
        switch (r.nextInt(12)) {
            case 0: return s;
            case 1: return s | (f >>> r.nextInt(52));
            case 2: return s | 0x7FF0000000000000L;
            case 3: return s | 0x7FF0000000000000L | ((f & 0x7FFFFFFFFFFFFL) == 0 ? 1 : f & 0x7FFFFFFFFFFFFL);
            case 4: return s | 0x7FF8000000000000L | f;
            case 5: return s | ((long) r.nextInt(3) << 52) | f;
            case 6: return s | ((long) (2044 + r.nextInt(3)) << 52) | f;
            default: return s | ((long) (1023 + r.nextInt(200) - 100) << 52) | (f & (-1L << r.nextInt(52)));
        }
    }

    long integer(int width) {
        long v;
        switch (r.nextInt(6)) {
            case 0: v = 1L << (width - 1); break;
            case 1: v = r.nextInt(5) - 2; break;
            case 2: v = (1L << (width - 1)) - 1 - r.nextInt(2); break;
            default: v = r.nextLong() >> r.nextInt(width); break;
        }
        return width == 64 ? v : v << (64 - width) >> (64 - width);
    }

    // ---- states

    /** A random FRSTOR image (32-bit protected format) into b at off; {@code pendingOk}: may hold a pending exception. */
    void state(byte[] b, int off, boolean pendingOk) {
        int pc = new int[] {0, 2, 3, 3}[r.nextInt(4)];
        int rc = r.nextInt(4);
        int masks = r.nextInt(3) == 0 ? r.nextInt(64) : 0x3F;
        int cw = masks | 0x40 | pc << 8 | rc << 10 | (r.nextInt(8) == 0 ? 0x1000 : 0);
        int flags = r.nextInt(3) == 0 ? r.nextInt(128) : 0;
        int cc = r.nextInt(16);
        int sw = flags | (cc & 7) << 8 | (cc >> 3) << 14 | r.nextInt(8) << 11;
        if (!pendingOk) {
            sw &= ~(~masks & 0x3F); // no unmasked flag set: nothing pending
        }
        if ((sw & ~cw & 0x3F) != 0) sw |= 0x8080;
        // tags: mostly operands valid
        int tw = 0;
        int top = sw >> 11 & 7;
        for (int p = 0; p < 8; p++) {
            int st = (p - top) & 7;
            boolean emptyReg = st < 3 ? r.nextInt(12) == 0 : r.nextInt(3) == 0;
            tw |= (emptyReg ? 3 : 0) << (2 * p);
        }
        put32(b, off, 0xFFFF0000 | cw);
        put32(b, off + 4, 0xFFFF0000 | sw);
        put32(b, off + 8, 0xFFFF0000 | tw);
        for (int k = 12; k < 28; k++) b[off + k] = 0;
        long m0 = 0;
        int se0 = 0;
        for (int i = 0; i < 8; i++) {
            if (i == 1 && r.nextInt(3) == 0) near(m0, se0); else ext();
            if (i == 0) { m0 = m; se0 = se; }
            put64(b, off + 28 + 10 * i, m);
            put16(b, off + 36 + 10 * i, se);
        }
    }

    Vector next(List<Form> forms) {
        Vector v = new Vector();
        v.form = forms.get(r.nextInt(forms.size()));
        v.eflags = 0x202 | (r.nextInt() & 0x8D5);
        boolean trapTest = r.nextInt(20) == 0;
        state(v.state, 0, trapTest);
        long rnd = r.nextLong();
        byte[] mem = v.mem;
        for (int k = 0; k < mem.length; k++) mem[k] = (byte) (r.nextInt(4) == 0 ? r.nextInt() : 0);
        switch (v.form.mem) {
            case M16I: put16(mem, 0, (int) integer(16)); break;
            case M32I: put32(mem, 0, (int) integer(32)); break;
            case M64I: put64(mem, 0, integer(64)); break;
            case M32F: put32(mem, 0, single()); break;
            case M64F: put64(mem, 0, dbl()); break;
            case M80F: ext(); put64(mem, 0, m); put16(mem, 8, se); break;
            case BCD: {
                long lo = 0;
                int hi = 0;
                int digits = r.nextInt(19);
                for (int k = 0; k < digits; k++) {
                    int d = r.nextInt(10);
                    if (k < 16) lo |= (long) d << (4 * k); else hi |= d << (4 * (k - 16));
                }
                if (INVALID_BCD && r.nextInt(4) == 0) lo |= (long) (10 + r.nextInt(6)) << (4 * r.nextInt(16)); // a nibble above 9
                put64(mem, 0, lo);
                put16(mem, 8, hi | (r.nextBoolean() ? 0x8000 : 0) | (r.nextInt(8) == 0 ? r.nextInt(0x80) << 8 : 0));
                break;
            }
            case CW: put16(mem, 0, (int) rnd); break;
            case ENV28: case SAVE108: {
                state(mem, 0, true);
                break;
            }
            case ENV14: case SAVE94: {
                byte[] t = new byte[112];
                state(t, 0, true);
                put16(mem, 0, FpuImage.get16(t, 0));
                put16(mem, 2, FpuImage.get16(t, 4));
                put16(mem, 4, FpuImage.get16(t, 8));
                for (int k = 6; k < 14; k++) mem[k] = 0;
                System.arraycopy(t, 28, mem, 14, 80);
                break;
            }
            case FX512: {
                byte[] t = new byte[112];
                state(t, 0, true);
                put16(mem, 0, FpuImage.get16(t, 0));
                put16(mem, 2, FpuImage.get16(t, 4));
                mem[4] = (byte) r.nextInt(256);
                mem[5] = 0;
                for (int k = 6; k < 24; k++) mem[k] = 0;
                put32(mem, 24, r.nextInt(50) == 0 ? r.nextInt() : 0x1F80 | (r.nextInt() & 0x7F & ~0x40));
                put32(mem, 28, 0);
                for (int i = 0; i < 8; i++) {
                    System.arraycopy(t, 28 + 10 * i, mem, 32 + 16 * i, 10);
                    for (int k = 10; k < 16; k++) mem[32 + 16 * i + k] = 0;
                }
                break;
            }
            default: break;
        }
        return v;
    }
}
