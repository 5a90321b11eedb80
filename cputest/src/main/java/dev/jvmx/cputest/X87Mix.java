package dev.jvmx.cputest;

import dev.jvmx.translator.decode.Mnemonic;
import dev.jvmx.translator.fpu.Float80;

import java.util.SplittableRandom;

import static dev.jvmx.translator.fpu.FpuImage.put16;
import static dev.jvmx.translator.fpu.FpuImage.put32;
import static dev.jvmx.translator.fpu.FpuImage.put64;

/**
 * The x87 part of the host fuzzer's mix (issue 13, {@code cpu-test --fuzz N --x87}): the initial
 * FPU state of a case (an FRSTOR image) and random x87 instructions of every kind, mixed by
 * {@link FuzzGenerator} with its integer instructions. Operands are biased to the hard cases:
 * zeros of both signs, denormals, pseudo-denormals and unnormals (from FRSTOR and 80-bit loads,
 * the only ways to make them), SNaNs, QNaNs, the indefinite, pseudo-NaNs, infinities, huge and
 * tiny exponents, significands that are ties or one off a tie for each precision and for integer
 * conversion, integer limits, invalid BCD digits. Control words carry every precision control
 * (24, 53, 64 bits) and rounding control.
 *
 * <p>Every exception stays masked (the FRSTOR image's, every FLDCW's, FNINIT's control word), so
 * the native program never takes #MF (SIGFPE); unmasked exceptions and #MF are checked by the
 * translator's HostOracleTest and GeneratedCodeTest. Not in the mix: FISTTP (SSE3, which jvmx's
 * CPUID does not report: #UD in jvmx), FNSTENV/FLDENV/FNSAVE/FRSTOR/FXSAVE/FXRSTOR inside a
 * sequence (their images hold the instruction and data pointers, which differ between the host
 * program and jvmx; HostOracleTest compares them), the reserved precision control 01b.
 *
 * <p>FYL2XP1 is defined only for |ST(0)| &lt; 1 - sqrt(2)/2 (SDM Vol. 2, FYL2XP1): it always gets a
 * freshly loaded operand in that range (or a zero, denormal, pseudo-denormal or NaN), which the
 * sequence writes into the buffer itself just before. The instructions whose results the
 * host does not round correctly in every case (FSIN FCOS FSINCOS FPTAN FPATAN F2XM1 FYL2X
 * FYL2XP1) are marked in {@link FuzzGenerator.Case#inexact}; see {@link HostFuzzer}.
 */
final class X87Mix {
    /** Bytes of an FNSAVE/FRSTOR image, 32-bit protected-mode format (SDM Vol. 1, Figure 8-10). */
    static final int IMAGE = 108;

    private static final String[] ARITH = {"fadd", "fmul", "fsub", "fsubr", "fdiv", "fdivr"};
    private static final String[] FCMOV = {"fcmovb", "fcmove", "fcmovbe", "fcmovu", "fcmovnb", "fcmovne", "fcmovnbe", "fcmovnu"};
    private static final String[] CONSTANTS = {"fld1", "fldl2t", "fldl2e", "fldpi", "fldlg2", "fldln2", "fldz"};
    private static final String[] TRANSCENDENTAL = {"fsin", "fcos", "fsincos", "fptan", "fpatan", "f2xm1", "fyl2x", "fyl2xp1"};
    private static final String[] EXACT_UNARY = {"fchs", "fabs", "fsqrt", "frndint", "fxtract", "fscale", "fprem", "fprem1"};
    /** 1 - sqrt(2)/2, the bound of FYL2XP1's operand. */
    private static final double YL2XP1_BOUND = 0.29289321881345247;

    private final FuzzGenerator g;
    private final SplittableRandom rnd;
    /** A guess at how many registers from ST(0) up hold values, to keep pushes and pops balanced. */
    private int full;

    // the value drawn last: significand and sign/exponent
    private long m;
    private int se;

    X87Mix(FuzzGenerator g, SplittableRandom rnd) {
        this.g = g;
        this.rnd = rnd;
    }

    // ---- the initial state

    /** The FNINIT state as an FRSTOR image (cases without x87). */
    static byte[] initImage() {
        byte[] b = new byte[IMAGE];
        put32(b, 0, 0xFFFF037F);
        put32(b, 4, 0xFFFF0000);
        put32(b, 8, 0xFFFFFFFF);
        return b;
    }

    /** A random FRSTOR image: masked exceptions, any precision and rounding, sticky flags, TOP, tags, pointers, registers. */
    byte[] state() {
        byte[] b = new byte[IMAGE];
        int sw = (rnd.nextInt(3) == 0 ? rnd.nextInt(0x80) & 0x7F : 0) | (rnd.nextInt(16) & 7) << 8 | rnd.nextInt(2) << 14
                | rnd.nextInt(8) << 11;
        sw &= ~0x80; // ES and B stay clear: all exceptions masked, nothing pending
        int top = sw >> 11 & 7;
        int tw = 0;
        // Mostly a stack as programs keep it (ST(0)..ST(k-1) in use, the rest empty), sometimes any registers empty.
        boolean scattered = rnd.nextInt(8) == 0;
        int depth = rnd.nextInt(4) == 0 ? rnd.nextInt(9) : 2 + rnd.nextInt(5);
        full = 0;
        boolean run = true;
        for (int i = 0; i < 8; i++) {
            boolean empty = scattered ? rnd.nextInt(3) == 0 : i >= depth;
            if (empty) {
                run = false;
            } else if (run) {
                full++;
            }
            tw |= (empty ? 3 : rnd.nextInt(3)) << (2 * ((top + i) & 7)); // the processor recomputes non-empty tags
        }
        put32(b, 0, 0xFFFF0000 | controlWord());
        put32(b, 4, 0xFFFF0000 | sw);
        put32(b, 8, 0xFFFF0000 | tw);
        put32(b, 12, rnd.nextInt());                                      // FIP
        put32(b, 16, (rnd.nextInt() & 0x7FF) << 16 | rnd.nextInt(0x10000)); // FOP, FCS
        put32(b, 20, rnd.nextInt());                                      // FDP
        put32(b, 24, 0xFFFF0000 | rnd.nextInt(0x10000));                   // FDS
        long m0 = 0;
        int se0 = 0;
        for (int i = 0; i < 8; i++) {
            if (i > 0 && rnd.nextInt(3) == 0) {
                near(m0, se0);
            } else {
                extended();
            }
            if (i == 0) {
                m0 = m;
                se0 = se;
            }
            put64(b, 28 + 10 * i, m);
            put16(b, 36 + 10 * i, se);
        }
        return b;
    }

    /** All exceptions masked; precision 24, 53 or 64 bits; any rounding; the reserved bits and IC random. */
    private int controlWord() {
        int pc = new int[] {0, 2, 3, 3}[rnd.nextInt(4)];
        return 0x3F | pc << 8 | rnd.nextInt(4) << 10 | (rnd.nextInt() & (0x40 | 0x80 | 0x1000 | 0xE000));
    }

    // ---- values

    /** A random extended-precision encoding into m/se, every class. */
    private void extended() {
        int sign = rnd.nextBoolean() ? Float80.SIGN : 0;
        long r = rnd.nextLong();
        switch (rnd.nextInt(28)) {
            case 0: m = 0; se = 0; break;
            case 1: m = (r >>> 1) >>> rnd.nextInt(63); se = 0; if (m == 0) m = 1; break;       // denormal
            case 2: m = r | Float80.J; se = 0; break;                                          // pseudo-denormal
            case 3: m = r & ~Float80.J; se = 1 + rnd.nextInt(0x7FFE); break;                   // unnormal
            case 4: m = Float80.J; se = Float80.EXP_MAX; break;                                // infinity
            case 5: m = Float80.J | (r & 0x3FFFFFFFFFFFFFFFL); if (m == Float80.J) m |= 1; se = Float80.EXP_MAX; break; // SNaN
            case 6: m = Float80.J | Float80.QUIET | r; se = Float80.EXP_MAX; break;            // QNaN
            case 7: m = Float80.INDEFINITE_M; se = Float80.EXP_MAX; break;
            case 8: m = r & ~Float80.J; se = Float80.EXP_MAX; break;                           // pseudo-NaN, pseudo-infinity
            case 9: m = r | Float80.J; se = 0x7FFE - rnd.nextInt(80); break;                   // huge
            case 10: m = r | Float80.J; se = 1 + rnd.nextInt(80); break;                       // tiny
            case 11: case 12:
                m = (r | Float80.J) & (-1L << (63 - rnd.nextInt(64))); se = Float80.BIAS + rnd.nextInt(140) - 70; break; // short
            case 13: m = Float80.J | (rnd.nextBoolean() ? 0 : -1L >>> (1 + rnd.nextInt(63))); se = Float80.BIAS + rnd.nextInt(200) - 100; break;
            case 14: m = r | Float80.J; se = 1 + rnd.nextInt(0x7FFE); break;                   // any exponent
            case 15: m = (r | Float80.J) & ~0x7FFL; se = Float80.BIAS + rnd.nextInt(2100) - 1050; break; // a double
            case 16: m = (r | Float80.J) & ~0xFFFFFFFFFFL; se = Float80.BIAS + rnd.nextInt(300) - 150; break; // a single
            case 17: m = Float80.J; se = Float80.BIAS + rnd.nextInt(200) - 100; break;         // a power of two
            case 18: tie(40); se = Float80.BIAS + rnd.nextInt(300) - 150; break;               // 24-bit rounding boundary
            case 19: tie(11); se = Float80.BIAS + rnd.nextInt(2100) - 1050; break;             // 53-bit rounding boundary
            case 20: {                                                                         // integer rounding boundary
                int k = rnd.nextInt(64);
                tie(63 - k);
                se = Float80.BIAS + k;
                break;
            }
            case 21: {                                                                         // integer limits
                int[] bits = {15, 31, 63, 59}; // FIST's limits, and FBSTP's (10^18 is about 2^59.8)
                int k = bits[rnd.nextInt(bits.length)];
                m = Float80.J | (rnd.nextBoolean() ? (r & 0xFF) << rnd.nextInt(50) : -1L >>> (1 + rnd.nextInt(63)));
                se = Float80.BIAS + k - rnd.nextInt(2);
                break;
            }
            case 22: m = r | Float80.J; se = Float80.BIAS - 16382 + rnd.nextInt(130) - 64; if (se <= 0) se = 1; break; // near the denormal range of an extended
            case 23: m = (r | Float80.J) & ~0x7FFL; se = Float80.BIAS - 1022 + rnd.nextInt(120) - 60; break; // near a double's denormals
            case 24: m = (r | Float80.J) & ~0xFFFFFFFFFFL; se = Float80.BIAS - 126 + rnd.nextInt(60) - 30; break; // near a single's denormals
            default: m = r | Float80.J; se = Float80.BIAS + rnd.nextInt(140) - 70; break;
        }
        se |= sign;
    }

    /** A significand whose low {@code low} bits (those a rounding drops) are a tie, or one off it either way. */
    private void tie(int low) {
        long r = rnd.nextLong() | Float80.J;
        if (low <= 0) {
            m = r;
            return;
        }
        long keep = low >= 64 ? 0 : r & (-1L << low);
        long half = 1L << (low - 1);
        switch (rnd.nextInt(4)) {
            case 0: m = keep | half; break;
            case 1: m = keep | half | 1; break;
            case 2: m = keep | (half - 1); break;
            default: m = keep | (rnd.nextLong() & ((half << 1) - 1)); break;
        }
        m |= Float80.J;
    }

    /** An operand near (m0, se0): cancellation, equal exponents, ties. */
    private void near(long m0, int se0) {
        int e = se0 & Float80.EXP_MAX;
        if (e == 0 || e == Float80.EXP_MAX || m0 >= 0) {
            extended();
            return;
        }
        int d = rnd.nextInt(4) == 0 ? rnd.nextInt(140) - 70 : rnd.nextInt(5) - 2;
        m = (m0 ^ (rnd.nextBoolean() ? (1L << rnd.nextInt(64)) >>> 1 : rnd.nextLong() & (-1L >>> (1 + rnd.nextInt(63))))) | Float80.J;
        se = Math.max(1, Math.min(0x7FFE, e + d)) | (rnd.nextBoolean() ? Float80.SIGN : 0);
    }

    private int single() {
        int s = rnd.nextBoolean() ? 0x80000000 : 0;
        int f = rnd.nextInt() & 0x7FFFFF;
        switch (rnd.nextInt(12)) {
            case 0: return s;
            case 1: return s | (f >>> rnd.nextInt(23) | 1);                       // denormal
            case 2: return s | 0x7F800000;                                       // infinity
            case 3: return s | 0x7F800000 | (1 + rnd.nextInt(0x3FFFFF));          // SNaN
            case 4: return s | 0x7FC00000 | (f & 0x3FFFFF);                      // QNaN
            case 5: return s | (1 + rnd.nextInt(2)) << 23 | f;                   // smallest normals
            case 6: return s | (252 + rnd.nextInt(3)) << 23 | f;                 // largest
            default: return s | (127 + rnd.nextInt(60) - 30) << 23 | (f & (-1 << rnd.nextInt(23)));
        }
    }

    private long dbl() {
        long s = rnd.nextBoolean() ? Long.MIN_VALUE : 0;
        long f = rnd.nextLong() & 0xFFFFFFFFFFFFFL;
        switch (rnd.nextInt(12)) {
            case 0: return s;
            case 1: return s | (f >>> rnd.nextInt(52) | 1);
            case 2: return s | 0x7FF0000000000000L;
            case 3: return s | 0x7FF0000000000000L | ((f & 0x7FFFFFFFFFFFFL) == 0 ? 1 : f & 0x7FFFFFFFFFFFFL);
            case 4: return s | 0x7FF8000000000000L | f;
            case 5: return s | (long) (1 + rnd.nextInt(2)) << 52 | f;
            case 6: return s | (long) (2044 + rnd.nextInt(3)) << 52 | f;
            default: return s | (long) (1023 + rnd.nextInt(200) - 100) << 52 | (f & (-1L << rnd.nextInt(52)));
        }
    }

    private long integer(int width) {
        long v;
        switch (rnd.nextInt(6)) {
            case 0: v = 1L << (width - 1); break;
            case 1: v = rnd.nextInt(5) - 2; break;
            case 2: v = (1L << (width - 1)) - 1 - rnd.nextInt(2); break;
            default: v = rnd.nextLong() >> rnd.nextInt(width); break;
        }
        return v << (64 - width) >> (64 - width);
    }

    // ---- operands in the buffer

    /** A memory operand of {@code size} bytes in the data part of the buffer: its AT&T text and offset. */
    private int offset(int size) {
        return rnd.nextInt(FuzzGenerator.DATA - size + 1);
    }

    private static String at(int off) {
        return off + "(%ebp)";
    }

    /** Writes a value of memory type {@code type} into the initial buffer at {@code off} (3 in 4 times; else the buffer's bytes are the operand). */
    private void operand(char type, int off) {
        if (rnd.nextInt(4) == 0) {
            return;
        }
        byte[] b = g.c.mem;
        switch (type) {
            case 's': put32(b, off, single()); break;
            case 'l': put64(b, off, dbl()); break;
            case 't': extended(); put64(b, off, m); put16(b, off + 8, se); break;
            case 'w': put16(b, off, (int) integer(16)); break;
            case 'i': put32(b, off, (int) integer(32)); break;
            case 'q': put64(b, off, integer(64)); break;
            default: bcd(b, off); break;
        }
    }

    /** Packed BCD: up to 18 digits, sometimes a nibble above 9 (Intel weights those like digits), junk in the unused byte's bits. */
    private void bcd(byte[] b, int off) {
        long lo = 0;
        int hi = 0;
        int digits = rnd.nextInt(19);
        for (int k = 0; k < digits; k++) {
            int d = rnd.nextInt(10);
            if (k < 16) {
                lo |= (long) d << (4 * k);
            } else {
                hi |= d << (4 * (k - 16));
            }
        }
        if (rnd.nextInt(4) == 0) {
            lo |= (long) (10 + rnd.nextInt(6)) << (4 * rnd.nextInt(16));
        }
        put64(b, off, lo);
        put16(b, off + 8, hi | (rnd.nextBoolean() ? 0x8000 : 0) | (rnd.nextInt(8) == 0 ? rnd.nextInt(0x80) << 8 : 0));
    }

    /** ST(i), mostly one that holds a value. */
    private String st() {
        int i = rnd.nextInt(6) == 0 ? rnd.nextInt(8) : rnd.nextInt(Math.max(2, full));
        return i == 0 ? "%st" : "%st(" + i + ")";
    }

    private void push() {
        full = Math.min(8, full + 1);
    }

    private void pop(int n) {
        full = Math.max(0, full - n);
    }

    // ---- the instructions

    /** One x87 item: an instruction, or a few that belong together. */
    void item() {
        int k = rnd.nextInt(20);
        // Keep the stack from filling up or running dry for long (stack faults still happen, less often).
        if (full >= 7 && (k < 4 || k == 17 || k == 18) && rnd.nextInt(4) != 0) {
            k = 4;
        } else if (full <= 1 && k >= 4 && rnd.nextInt(4) != 0) {
            k = rnd.nextInt(3);
        }
        switch (k) {
            case 0: case 1: load(); break;
            case 2: constant(); break;
            case 3: loadRegister(); break;
            case 4: case 5: store(); break;
            case 6: case 7: arithmeticMemory(); break;
            case 8: case 9: arithmeticRegister(); break;
            case 10: compare(); break;
            case 11: compareToFlags(); break;
            case 12: condMove(); break;
            case 13: stackOps(); break;
            case 14: control(); break;
            case 15: exactUnary(); break;
            case 16: partialRemainderLoop(); break;
            default: transcendental(); break;
        }
    }

    private void load() {
        char[] types = {'s', 'l', 't', 'w', 'i', 'q', 'b'};
        char t = types[rnd.nextInt(types.length)];
        int size = t == 's' || t == 'i' ? 4 : t == 'l' || t == 'q' ? 8 : t == 'w' ? 2 : 10;
        int off = offset(size);
        operand(t, off);
        String op;
        switch (t) {
            case 's': op = "flds"; break;
            case 'l': op = "fldl"; break;
            case 't': op = "fldt"; break;
            case 'w': op = "filds"; break;
            case 'i': op = "fildl"; break;
            case 'q': op = "fildll"; break;
            default: op = "fbld"; break;
        }
        g.plain(op + " " + at(off));
        push();
    }

    private void constant() {
        g.plain(CONSTANTS[rnd.nextInt(CONSTANTS.length)]);
        push();
    }

    private void loadRegister() {
        g.plain("fld " + st());
        push();
    }

    private void store() {
        switch (rnd.nextInt(14)) {
            case 0: g.plain("fsts " + at(offset(4))); break;
            case 1: g.plain("fstl " + at(offset(8))); break;
            case 2: g.plain("fstps " + at(offset(4))); pop(1); break;
            case 3: g.plain("fstpl " + at(offset(8))); pop(1); break;
            case 4: g.plain("fstpt " + at(offset(10))); pop(1); break;
            case 5: g.plain("fists " + at(offset(2))); break;
            case 6: g.plain("fistl " + at(offset(4))); break;
            case 7: g.plain("fistps " + at(offset(2))); pop(1); break;
            case 8: g.plain("fistpl " + at(offset(4))); pop(1); break;
            case 9: g.plain("fistpll " + at(offset(8))); pop(1); break;
            case 10: g.plain("fbstp " + at(offset(10))); pop(1); break;
            case 11: g.plain("fst " + st()); break;
            default: g.plain("fstp " + st()); pop(1); break;
        }
    }

    private void arithmeticMemory() {
        String op = ARITH[rnd.nextInt(ARITH.length)];
        switch (rnd.nextInt(4)) {
            case 0: { int o = offset(4); operand('s', o); g.plain(op + "s " + at(o)); break; }
            case 1: { int o = offset(8); operand('l', o); g.plain(op + "l " + at(o)); break; }
            case 2: { int o = offset(2); operand('w', o); g.plain("fi" + op.substring(1) + "s " + at(o)); break; }
            default: { int o = offset(4); operand('i', o); g.plain("fi" + op.substring(1) + "l " + at(o)); break; }
        }
    }

    private void arithmeticRegister() {
        String op = ARITH[rnd.nextInt(ARITH.length)];
        switch (rnd.nextInt(4)) {
            case 0: g.plain(op + " " + st() + ", %st"); break;
            case 1: g.plain(op + " %st, " + st()); break;
            case 2: g.plain(op + "p %st, " + st()); pop(1); break;
            default: g.plain(op + "p"); pop(1); break;
        }
    }

    private void compare() {
        switch (rnd.nextInt(13)) {
            case 0: { int o = offset(4); operand('s', o); g.plain("fcoms " + at(o)); break; }
            case 1: { int o = offset(8); operand('l', o); g.plain("fcompl " + at(o)); pop(1); break; }
            case 2: { int o = offset(2); operand('w', o); g.plain("ficoms " + at(o)); break; }
            case 3: { int o = offset(4); operand('i', o); g.plain("ficompl " + at(o)); pop(1); break; }
            case 4: g.plain("fcom " + st()); break;
            case 5: g.plain("fcomp " + st()); pop(1); break;
            case 6: g.plain("fcompp"); pop(2); break;
            case 7: g.plain("fucom " + st()); break;
            case 8: g.plain("fucomp " + st()); pop(1); break;
            case 9: g.plain("fucompp"); pop(2); break;
            case 10: g.plain("ftst"); break;
            default: g.plain("fxam"); break;
        }
        if (rnd.nextInt(3) == 0) {
            statusToFlags();
        }
    }

    /** FNSTSW AX, and often SAHF, the pre-P6 way to branch on a comparison. */
    private void statusToFlags() {
        g.plain(rnd.nextBoolean() ? "fnstsw %ax" : "fstsw %ax");
        if (rnd.nextBoolean() && !g.leavesOut(LongModeGap.LAHF_SAHF)) {
            g.emit("sahf", Mnemonic.SAHF, 0, -1);
        }
    }

    private void compareToFlags() {
        String[] ops = {"fcomi", "fcomip", "fucomi", "fucomip"};
        Mnemonic[] ms = {Mnemonic.FCOMI, Mnemonic.FCOMIP, Mnemonic.FUCOMI, Mnemonic.FUCOMIP};
        int k = rnd.nextInt(4);
        g.emit(ops[k] + " " + st() + ", %st", ms[k], 0, -1);
        if (k == 1 || k == 3) {
            pop(1);
        }
    }

    private void condMove() {
        g.defineFlags();
        g.plain(FCMOV[rnd.nextInt(FCMOV.length)] + " " + st() + ", %st");
    }

    private void stackOps() {
        switch (rnd.nextInt(7)) {
            case 0: case 1: g.plain("fxch " + st()); break;
            case 2: g.plain("ffree " + st()); break;
            case 3: g.plain("ffreep " + st()); pop(1); break;
            case 4: g.plain("fincstp"); pop(1); break;
            case 5: g.plain("fdecstp"); push(); break;
            default: alias(); break;
        }
    }

    /**
     * The undocumented encodings Intel CPUs execute as documented instructions (the translator's
     * EncodingProbe lists them), and the 8087/80287 control instructions the 80387 and later
     * execute as FNOP; GNU as has no mnemonics for most, so they are written as bytes.
     */
    private void alias() {
        int i = rnd.nextInt(Math.max(2, full));
        int[][] forms = {{0xD9, 0xD8}, {0xDC, 0xD0}, {0xDC, 0xD8}, {0xDD, 0xC8}, {0xDE, 0xD0}, {0xDF, 0xC8}, {0xDF, 0xD0}, {0xDF, 0xD8}};
        int k = rnd.nextInt(forms.length + 1);
        if (k == forms.length) {
            int[] nops = {0xE0, 0xE1, 0xE4}; // FENI, FDISI, FSETPM
            g.plain(String.format(".byte 0xdb, 0x%02x", nops[rnd.nextInt(nops.length)]));
            return;
        }
        g.plain(String.format(".byte 0x%02x, 0x%02x", forms[k][0], forms[k][1] + i));
        if (k == 0 || k == 2 || k == 4 || k >= 6) {
            pop(1); // FSTP1, FCOMP3, FCOMP5, FSTP8, FSTP9
        }
    }

    private void control() {
        switch (rnd.nextInt(11)) {
            case 0: case 1: case 2: {
                int o = offset(2);
                g.plain("movw $" + controlWord() + ", " + at(o));
                g.plain("fldcw " + at(o));
                break;
            }
            case 3: g.plain((rnd.nextBoolean() ? "fnstcw " : "fstcw ") + at(offset(2))); break;
            case 4: g.plain("fnstsw " + at(offset(2))); break;
            case 5: statusToFlags(); break;
            case 6: g.plain(rnd.nextBoolean() ? "fnclex" : "fclex"); break;
            case 7: g.plain("fwait"); break;
            case 8: g.plain("fnop"); break;
            case 9: g.plain(rnd.nextBoolean() ? "fninit" : "finit"); full = 0; break;
            default: g.plain("fnstsw %ax"); break;
        }
    }

    private void exactUnary() {
        String op = EXACT_UNARY[rnd.nextInt(EXACT_UNARY.length)];
        g.plain(op);
        if (op.equals("fxtract")) {
            push();
        }
    }

    /** FPREM or FPREM1 until C2 says the reduction is complete (SAHF puts C2 in PF), as libraries reduce arguments. */
    private void partialRemainderLoop() {
        if (g.lacks(LongModeGap.LAHF_SAHF)) {
            return;
        }
        g.plain("2:");
        g.plain(rnd.nextBoolean() ? "fprem" : "fprem1");
        g.plain("fnstsw %ax");
        g.emit("sahf", Mnemonic.SAHF, 0, -1);
        g.plain("jp 2b");
    }

    private void transcendental() {
        String op = TRANSCENDENTAL[rnd.nextInt(TRANSCENDENTAL.length)];
        if (op.equals("fyl2xp1")) {
            // Written by the sequence itself: an operand put in the initial buffer could be overwritten before it is loaded.
            int o = offset(10);
            yl2xp1Operand();
            g.plain("movl $" + (int) m + ", " + at(o));
            g.plain("movl $" + (int) (m >>> 32) + ", " + at(o + 4));
            g.plain("movw $" + se + ", " + at(o + 8));
            g.plain("fldt " + at(o));
            push();
        } else if (rnd.nextInt(3) == 0) {
            int o = offset(10);
            argument(op);
            put64(g.c.mem, o, m);
            put16(g.c.mem, o + 8, se);
            g.plain("fldt " + at(o));
            push();
        }
        g.inexact(op);
        switch (op) {
            case "fsincos": case "fptan": push(); break;
            case "fpatan": case "fyl2x": case "fyl2xp1": pop(1); break;
            default: break;
        }
    }

    /** An argument in the range where a function's result is interesting. */
    private void argument(String op) {
        int sign = rnd.nextBoolean() ? Float80.SIGN : 0;
        switch (op) {
            case "f2xm1": // -1..1
                m = rnd.nextLong() | Float80.J;
                se = rnd.nextInt(8) == 0 ? Float80.BIAS : Float80.BIAS - 1 - rnd.nextInt(rnd.nextBoolean() ? 4 : 70);
                if ((se & 0x7FFF) == Float80.BIAS) {
                    m = Float80.J;
                }
                break;
            case "fsin": case "fcos": case "fsincos": case "fptan": {
                // near a multiple of pi/4, or anywhere below 2^63, or tiny
                int kind = rnd.nextInt(3);
                if (kind == 0) {
                    double x = Math.PI / 4 * (1 + rnd.nextInt(64));
                    long bits = Double.doubleToRawLongBits(x);
                    m = (Float80.J | (bits & 0xFFFFFFFFFFFFFL) << 11) ^ (rnd.nextLong() & 0xFFFFFL);
                    se = (int) (bits >>> 52) - 1023 + Float80.BIAS;
                } else if (kind == 1) {
                    m = rnd.nextLong() | Float80.J;
                    se = Float80.BIAS - 2 + rnd.nextInt(66);
                } else {
                    m = rnd.nextLong() | Float80.J;
                    se = Float80.BIAS - 80 + rnd.nextInt(78);
                }
                break;
            }
            default:
                extended();
                return;
        }
        se |= sign;
    }

    /** FYL2XP1's operand: |x| below 1 - sqrt(2)/2, or a zero or NaN (defined too). */
    private void yl2xp1Operand() {
        int kind = rnd.nextInt(10);
        if (kind == 0) {
            m = 0;
            se = rnd.nextBoolean() ? Float80.SIGN : 0;
        } else if (kind == 1) {
            m = Float80.J | Float80.QUIET | rnd.nextLong();
            se = Float80.EXP_MAX | (rnd.nextBoolean() ? Float80.SIGN : 0);
        } else if (kind == 2) {
            m = (rnd.nextLong() >>> 1) >>> rnd.nextInt(63) | 1; // denormal
            se = rnd.nextBoolean() ? Float80.SIGN : 0;
        } else if (kind == 3) {
            m = rnd.nextLong() | Float80.J; // pseudo-denormal
            se = rnd.nextBoolean() ? Float80.SIGN : 0;
        } else {
            do {
                m = rnd.nextLong() | Float80.J;
                se = Float80.BIAS - 2 - rnd.nextInt(kind < 6 ? 4 : 80);
            } while (Float80.toDouble(m, se) >= YL2XP1_BOUND);
            se |= rnd.nextBoolean() ? Float80.SIGN : 0;
        }
    }
}
