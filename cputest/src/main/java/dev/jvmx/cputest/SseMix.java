package dev.jvmx.cputest;

import dev.jvmx.translator.decode.Mnemonic;

import java.util.SplittableRandom;

/**
 * The SIMD part of the host fuzzer's mix ({@code cpu-test --fuzz N --sse}): random XMM0..XMM7
 * for a case and random instructions of MMX, SSE and SSE2 (translator's codegen.SseInstructions
 * and MmxInstructions: data movement, MXCSR, the logical operations, the packed integers, floating point),
 * mixed by {@link FuzzGenerator} with its integer instructions. The native program loads the XMM
 * registers and MXCSR before the sequence and stores them after it; both are compared.
 *
 * <p>Register values are biased to the lane boundaries (bytes, words and doublewords of 0, 7F..,
 * 80.., FF..), where saturation, compares and sign bits decide. A memory operand of an
 * instruction that wants 16-byte alignment gets a 16-byte aligned offset in the buffer (a
 * misaligned one is #GP, which the user-mode host program cannot take: the translator's unit
 * tests check that); the unaligned forms get any offset. Shifts by register get a count from
 * a general register through MOVD, small or past the lane width. LDMXCSR loads a value without
 * reserved bits and without DAZ (jvmx's MXCSR_MASK has no DAZ).
 *
 * <p>The floating-point instructions (arithmetic, CMPPS and kin, COMISS and kin, the conversions)
 * get lanes of every class: zeros, denormals, the smallest and largest normals, values near 1 and
 * near the integer limits, halfway cases, infinities, QNaNs and SNaNs, in the registers and, half
 * the time, stored into their memory operand just before them. MXCSR starts and is loaded with
 * random rounding, flush-to-zero and flags, but always with every exception masked: an unmasked
 * one would be #XM, which the user-mode host program cannot take (the translator's unit tests
 * check those). MMX, the MMX forms of SSE and SSE2 and the masked stores come from {@link MmxMix}.
 * Not in the mix: RCPPS, RSQRTPS and their scalar forms, whose bits differ by vendor within the
 * SDM's bound (fpu.SseFloat's tests check the bound).
 */
final class SseMix {
    private static final String[] ALIGNED = {"movaps", "movapd", "movdqa"};
    private static final String[] UNALIGNED = {"movups", "movupd", "movdqu"};
    private static final String[] NONTEMPORAL = {"movntps", "movntpd", "movntdq"};
    private static final String[] PACKED = {"andps", "andpd", "andnps", "andnpd", "orps", "orpd", "xorps", "xorpd",
        "pand", "pandn", "por", "pxor", "paddb", "paddw", "paddd", "paddq", "psubb", "psubw", "psubd", "psubq",
        "pcmpeqb", "pcmpeqw", "pcmpeqd", "pcmpgtb", "pcmpgtw", "pcmpgtd", "punpcklbw", "punpcklwd", "punpckldq",
        "punpcklqdq", "punpckhbw", "punpckhwd", "punpckhdq", "punpckhqdq", "packsswb", "packssdw", "packuswb",
        "unpcklps", "unpckhps", "unpcklpd", "unpckhpd", "pmullw", "pmulhw", "pmulhuw", "pmuludq", "pmaddwd", "psadbw",
        "paddsb", "paddsw", "paddusb", "paddusw", "psubsb", "psubsw", "psubusb", "psubusw", "pavgb", "pavgw", "pminub",
        "pmaxub", "pminsw", "pmaxsw"};
    private static final String[] SHUFFLES = {"pshufd", "pshuflw", "pshufhw", "shufps", "shufpd"};
    private static final String[] SHIFTS = {"psrlw", "psraw", "psllw", "psrld", "psrad", "pslld", "psrlq", "psllq"};
    private static final String[] HALVES = {"movlps", "movhps", "movlpd", "movhpd"};
    private static final String[] MASKS = {"movmskps", "movmskpd", "pmovmskb"};
    private static final String[] FENCES = {"sfence", "lfence", "mfence"};
    private static final String[] R32 = {"eax", "ecx", "edx", "ebx", "esi", "edi"};
    private static final String[] ARITH = {"add", "sub", "mul", "div", "min", "max", "sqrt"};
    private static final String[] FORMS = {"ps", "ss", "pd", "sd"};
    /** Conversions between XMM registers and the bytes each reads from memory (16: aligned). */
    private static final String[] CONVERT = {"cvtps2pd", "cvtpd2ps", "cvtss2sd", "cvtsd2ss", "cvtdq2ps", "cvtps2dq",
        "cvttps2dq", "cvtdq2pd", "cvtpd2dq", "cvttpd2dq"};
    private static final int[] CONVERT_SIZE = {8, 16, 4, 8, 16, 16, 16, 8, 16, 16};
    /** Every exception masked (MXCSR bits 12:7). */
    private static final int ALL_MASKED = 0x1F80;

    private final FuzzGenerator g;
    private final SplittableRandom rnd;
    /** MMX and the moves and conversions between MMX and XMM registers. */
    private final MmxMix mmx;
    /** The random FPU images of cases whose MMX registers the mix uses, when x87 is not in the mix. */
    private final X87Mix fpu;

    SseMix(FuzzGenerator g, SplittableRandom rnd) {
        this.g = g;
        this.rnd = rnd;
        this.mmx = new MmxMix(g, this, rnd);
        this.fpu = new X87Mix(g, rnd);
    }

    /** A case's FRSTOR image: random MM0..MM7 (the significands), TOP and tags, exceptions masked. */
    byte[] fpuState() {
        return fpu.state();
    }

    /** XMM0..XMM7 of a case: two longs each, low quadword first. */
    long[] state() {
        long[] x = new long[16];
        for (int i = 0; i < x.length; i++) {
            x[i] = quadword();
        }
        return x;
    }

    /** The MXCSR a case starts with: random flags, rounding and flush-to-zero, no DAZ, every exception masked. */
    int initialMxcsr() {
        return rnd.nextInt() & 0xFFBF | ALL_MASKED;
    }

    private long quadword() {
        switch (rnd.nextInt(6)) {
            case 4: return singleBits() & 0xFFFFFFFFL | (long) singleBits() << 32;
            case 5: return doubleBits();
            case 0: return rnd.nextLong();
            case 1: {
                // Lanes of boundary values.
                int bits = 8 << rnd.nextInt(3);
                long[] edge = {0, 1, (1L << (bits - 1)) - 1, 1L << (bits - 1), (1L << bits) - 1, rnd.nextLong()};
                long mask = (1L << bits) - 1, v = 0;
                for (int sh = 0; sh < 64; sh += bits) {
                    v |= (edge[rnd.nextInt(edge.length)] & mask) << sh;
                }
                return v;
            }
            case 2: return rnd.nextBoolean() ? 0 : -1;
            default: return rnd.nextInt(256) - 128;
        }
    }

    String xmm() {
        return "%xmm" + rnd.nextInt(8);
    }

    String r32() {
        return "%" + R32[rnd.nextInt(R32.length)];
    }

    /** A memory operand of {@code size} bytes in the buffer's data area, 16-byte aligned when asked. */
    String mem(int size, boolean aligned) {
        return offset(size, aligned) + "(%ebp)";
    }

    /** An offset in the buffer's data area with room for {@code size} bytes, 16-byte aligned when asked. */
    private int offset(int size, boolean aligned) {
        return aligned ? 16 * rnd.nextInt(FuzzGenerator.DATA / 16) : rnd.nextInt(FuzzGenerator.DATA - size + 1);
    }

    /** Source xmm or m128 (aligned as the instruction wants). */
    private String source(boolean aligned) {
        return rnd.nextInt(3) == 0 ? mem(16, aligned) : xmm();
    }

    void item() {
        switch (rnd.nextInt(26)) {
            case 23: case 24: case 25: mmx.item(); break;
            case 0: case 1: move128(); break;
            case 2: scalar(); break;
            case 3: halves(); break;
            case 4: movqMovd(); break;
            case 5: g.plain(MASKS[rnd.nextInt(MASKS.length)] + " " + xmm() + ", " + r32()); break;
            case 6: shuffle(); break;
            case 7: case 8: shift(); break;
            case 9: mxcsr(); break;
            case 10: other(); break;
            case 11: words(); break;
            case 12: case 13: case 14: arith(); break;
            case 15: compare(); break;
            case 16: comis(); break;
            case 17: convert(); break;
            default: g.plain(PACKED[rnd.nextInt(PACKED.length)] + " " + source(true) + ", " + xmm()); break;
        }
    }

    private void move128() {
        boolean aligned = rnd.nextBoolean();
        String op = (aligned ? ALIGNED : UNALIGNED)[rnd.nextInt(3)];
        switch (rnd.nextInt(4)) {
            case 0: g.plain(op + " " + xmm() + ", " + mem(16, aligned)); break;
            case 1: g.plain(NONTEMPORAL[rnd.nextInt(3)] + " " + xmm() + ", " + mem(16, true)); break;
            default: g.plain(op + " " + source(aligned) + ", " + xmm()); break;
        }
    }

    private void scalar() {
        boolean single = rnd.nextBoolean();
        String op = single ? "movss" : "movsd";
        int size = single ? 4 : 8;
        switch (rnd.nextInt(3)) {
            case 0: g.plain(op + " " + xmm() + ", " + xmm()); break;
            case 1: g.plain(op + " " + mem(size, false) + ", " + xmm()); break;
            default: g.plain(op + " " + xmm() + ", " + mem(size, false)); break;
        }
    }

    private void halves() {
        switch (rnd.nextInt(3)) {
            case 0: g.plain((rnd.nextBoolean() ? "movhlps " : "movlhps ") + xmm() + ", " + xmm()); break;
            case 1: g.plain(HALVES[rnd.nextInt(4)] + " " + mem(8, false) + ", " + xmm()); break;
            default: g.plain(HALVES[rnd.nextInt(4)] + " " + xmm() + ", " + mem(8, false)); break;
        }
    }

    private void movqMovd() {
        switch (rnd.nextInt(7)) {
            case 0: g.plain("movq " + xmm() + ", " + xmm()); break;
            case 1: g.plain("movq " + mem(8, false) + ", " + xmm()); break;
            case 2: g.plain("movq " + xmm() + ", " + mem(8, false)); break;
            case 3: g.plain("movd " + r32() + ", " + xmm()); break;
            case 4: g.plain("movd " + mem(4, false) + ", " + xmm()); break;
            case 5: g.plain("movd " + xmm() + ", " + r32()); break;
            default: g.plain("movd " + xmm() + ", " + mem(4, false)); break;
        }
    }

    /** PINSRW from a register or a 16-bit memory operand, PEXTRW into a register. */
    private void words() {
        int index = rnd.nextInt(4) == 0 ? rnd.nextInt(256) : rnd.nextInt(8);
        switch (rnd.nextInt(3)) {
            case 0: g.plain("pinsrw $" + index + ", " + r32() + ", " + xmm()); break;
            case 1: g.plain("pinsrw $" + index + ", " + mem(2, false) + ", " + xmm()); break;
            default: g.plain("pextrw $" + index + ", " + xmm() + ", " + r32()); break;
        }
    }

    private void shuffle() {
        g.plain(SHUFFLES[rnd.nextInt(3)] + " $" + rnd.nextInt(256) + ", " + source(true) + ", " + xmm());
    }

    private void shift() {
        int count = rnd.nextInt(4) == 0 ? rnd.nextInt(256) : rnd.nextInt(70);
        switch (rnd.nextInt(4)) {
            case 0: g.plain((rnd.nextBoolean() ? "psrldq" : "pslldq") + " $" + (rnd.nextInt(4) == 0 ? count : rnd.nextInt(17))
                    + ", " + xmm()); break;
            case 1: {
                // The count from a general register: small, past the lane width, or huge.
                String r = r32();
                String x = xmm();
                g.plain("movl $" + (rnd.nextInt(5) == 0 ? rnd.nextInt() : count) + ", " + r);
                g.plain("movd " + r + ", " + x);
                g.plain(SHIFTS[rnd.nextInt(SHIFTS.length)] + " " + x + ", " + xmm());
                break;
            }
            case 2: g.plain(SHIFTS[rnd.nextInt(SHIFTS.length)] + " " + source(true) + ", " + xmm()); break;
            default: g.plain(SHIFTS[rnd.nextInt(SHIFTS.length)] + " $" + count + ", " + xmm()); break;
        }
    }

    private void mxcsr() {
        if (rnd.nextBoolean()) {
            g.plain("stmxcsr " + mem(4, false));
            return;
        }
        // Valid bits, no DAZ (bit 6): exception flags, rounding, flush-to-zero; every exception masked.
        int v = rnd.nextInt() & 0xFFBF | ALL_MASKED;
        String m = mem(4, false);
        g.plain("movl $" + v + ", " + m);
        g.plain("ldmxcsr " + m);
    }

    private void other() {
        switch (rnd.nextInt(3)) {
            case 0: g.plain("movnti " + r32() + ", " + mem(4, false)); break;
            case 1: g.plain("clflush " + mem(1, false)); break;
            default: g.plain(FENCES[rnd.nextInt(3)]); break;
        }
    }

    // ---- floating point

    /** ADDPS ... SQRTSD from a register or memory. */
    private void arith() {
        String form = FORMS[rnd.nextInt(FORMS.length)];
        g.plain(ARITH[rnd.nextInt(ARITH.length)] + form + " " + fpSource(form) + ", " + xmm());
    }

    /** CMPPS ... CMPSD with a predicate, sometimes with the immediate's upper bits set. */
    private void compare() {
        String form = FORMS[rnd.nextInt(FORMS.length)];
        int predicate = rnd.nextInt(4) == 0 ? rnd.nextInt(256) : rnd.nextInt(8);
        g.plain("cmp" + form + " $" + predicate + ", " + fpSource(form) + ", " + xmm());
    }

    /** COMISS, UCOMISS, COMISD, UCOMISD: EFLAGS is compared after the sequence. */
    private void comis() {
        String form = rnd.nextBoolean() ? "ss" : "sd";
        // All six flags defined after it (ZF PF CF from the compare, OF SF AF clear).
        g.emit((rnd.nextBoolean() ? "comi" : "ucomi") + form + " " + fpSource(form) + ", " + xmm(), Mnemonic.COMISS, 4, -1);
    }

    private void convert() {
        switch (rnd.nextInt(3)) {
            case 0: {
                int i = rnd.nextInt(CONVERT.length);
                int size = CONVERT_SIZE[i];
                String source = rnd.nextInt(3) == 0 ? fpMemory(size, CONVERT[i].startsWith("cvtpd") || CONVERT[i].startsWith("cvttpd")
                        || CONVERT[i].startsWith("cvtsd")) : xmm();
                g.plain(CONVERT[i] + " " + source + ", " + xmm());
                break;
            }
            case 1: {
                // CVTSI2SS/SD from a register or a doubleword in memory: integers of every size.
                String op = rnd.nextBoolean() ? "cvtsi2ss" : "cvtsi2sd";
                if (rnd.nextBoolean()) {
                    String r = r32();
                    g.plain("movl $" + intValue() + ", " + r);
                    g.plain(op + " " + r + ", " + xmm());
                } else {
                    String m = mem(4, false);
                    g.plain("movl $" + intValue() + ", " + m);
                    g.plain(op + "l " + m + ", " + xmm());
                }
                break;
            }
            default: {
                boolean dbl = rnd.nextBoolean();
                String op = (rnd.nextBoolean() ? "cvtt" : "cvt") + (dbl ? "sd2si" : "ss2si");
                g.plain(op + " " + fpSource(dbl ? "sd" : "ss") + ", " + r32());
                break;
            }
        }
    }

    /** A source for {@code form}: an XMM register, or memory of its size holding values of every class. */
    private String fpSource(String form) {
        if (rnd.nextInt(3) != 0) {
            return xmm();
        }
        boolean dbl = form.endsWith("d");
        int size = form.startsWith("p") ? 16 : dbl ? 8 : 4;
        return fpMemory(size, dbl);
    }

    /** A memory operand of {@code size} bytes (16: aligned), half the time filled with singles or doubles just before. */
    String fpMemory(int size, boolean dbl) {
        int off = offset(size, size == 16);
        if (rnd.nextBoolean()) {
            for (int at = 0; at < size; at += dbl ? 8 : 4) {
                if (dbl && size >= 8) {
                    long v = doubleBits();
                    g.plain("movl $" + (int) v + ", " + (off + at) + "(%ebp)");
                    g.plain("movl $" + (int) (v >>> 32) + ", " + (off + at + 4) + "(%ebp)");
                } else {
                    g.plain("movl $" + singleBits() + ", " + (off + at) + "(%ebp)");
                }
            }
        }
        return off + "(%ebp)";
    }

    /** A doubleword for CVTSI2SS/SD: small, near a power of two (inexact as a single), the limits, or any. */
    private int intValue() {
        switch (rnd.nextInt(4)) {
            case 0: return rnd.nextInt(201) - 100;
            case 1: return (1 << (24 + rnd.nextInt(7))) + rnd.nextInt(33) - 16;
            case 2: return rnd.nextBoolean() ? Integer.MIN_VALUE : Integer.MAX_VALUE;
            default: return rnd.nextInt();
        }
    }

    /** A single of a random class. */
    private int singleBits() {
        int sign = rnd.nextBoolean() ? 0x80000000 : 0;
        int frac = rnd.nextInt() & 0x7FFFFF;
        switch (rnd.nextInt(14)) {
            case 0: return sign;                                             // zero
            case 1: return sign | Math.max(frac >>> rnd.nextInt(23), 1);      // denormal
            case 2: return sign | 0x00800000 | frac >>> rnd.nextInt(24);      // the smallest normals
            case 3: return sign | 0x7F7FFFFF - ((frac & 0xFFFF) >>> rnd.nextInt(16)); // near the largest
            case 4: return sign | 0x7F800000;                                 // infinity
            case 5: return sign | 0x7FC00000 | frac >>> rnd.nextInt(23);      // QNaN
            case 6: return sign | 0x7F800000 | Math.max(frac & 0x3FFFFF, 1);  // SNaN
            case 7: return Float.floatToRawIntBits((rnd.nextInt(4097) - 2048) / (float) (1 << rnd.nextInt(4))); // integers, halves
            case 8: return sign | 0x3F800000 + (rnd.nextInt(9) - 4);          // near 1
            case 9: return sign | (0x4EFFFFFF + rnd.nextInt(5) - 2);          // near 2^31
            case 10: return sign | (0x0C800000 + rnd.nextInt(0x0C000000)) | frac; // products and quotients that underflow
            case 11: return sign | (0x72000000 + rnd.nextInt(0x0D000000)) | frac; // ... and overflow
            default: return sign | (rnd.nextInt(254) + 1) << 23 | frac;      // any normal
        }
    }

    /** A double of a random class. */
    private long doubleBits() {
        long sign = rnd.nextBoolean() ? 0x8000000000000000L : 0;
        long frac = rnd.nextLong() & 0xFFFFFFFFFFFFFL;
        switch (rnd.nextInt(15)) {
            case 0: return sign;
            case 1: return sign | Math.max(frac >>> rnd.nextInt(52), 1);
            case 2: return sign | 0x0010000000000000L | frac >>> rnd.nextInt(53);
            case 3: return sign | 0x7FEFFFFFFFFFFFFFL - ((frac & 0xFFFFFF) >>> rnd.nextInt(24));
            case 4: return sign | 0x7FF0000000000000L;
            case 5: return sign | 0x7FF8000000000000L | frac >>> rnd.nextInt(52);
            case 6: return sign | 0x7FF0000000000000L | Math.max(frac & 0x7FFFFFFFFFFFFL, 1);
            case 7: return Double.doubleToRawLongBits((rnd.nextInt(4097) - 2048) / (double) (1 << rnd.nextInt(4)));
            case 8: return sign | 0x3FF0000000000000L + (rnd.nextInt(9) - 4);
            case 9: return sign | (0x41DFFFFFFFC00000L + (rnd.nextInt(9) - 4) * 0x100000L); // near 2^31, halves
            case 10: return Double.doubleToRawLongBits(Float.intBitsToFloat(singleBits())); // a single's value
            case 11: return sign | (0x0010000000000000L + (rnd.nextLong() & 0x1FF0000000000000L)) | frac; // small
            case 12: return sign | (0x6000000000000000L + (rnd.nextLong() & 0x1FE0000000000000L)) | frac; // large
            default: return sign | (long) (rnd.nextInt(2046) + 1) << 52 | frac;
        }
    }
}
