package dev.jvmx.cputest;

import java.util.SplittableRandom;

/**
 * The SSE/SSE2 part of the host fuzzer's mix ({@code cpu-test --fuzz N --sse}): random XMM0..XMM7
 * for a case and random instructions of the SSE and SSE2 that jvmx has (translator's
 * codegen.SseInstructions: data movement, MXCSR, the logical operations, SSE2's packed integers),
 * mixed by {@link FuzzGenerator} with its integer instructions. The native program loads the XMM
 * registers and MXCSR before the sequence and stores them after it; both are compared.
 *
 * <p>Register values are biased to the lane boundaries (bytes, words and doublewords of 0, 7F..,
 * 80.., FF..), where saturation, compares and sign bits decide. A memory operand of an
 * instruction that wants 16-byte alignment gets a 16-byte aligned offset in the buffer (a
 * misaligned one is #GP, which the user-mode host program cannot take: the translator's unit
 * tests check that); the unaligned forms get any offset. Shifts by register get a count from
 * a general register through MOVD, small or past the lane width. LDMXCSR loads a value without
 * reserved bits and without DAZ (jvmx's MXCSR_MASK has no DAZ). Not in the mix: what jvmx does
 * not have (SSE floating-point arithmetic ...), whose #UD the host program cannot take either.
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

    private final FuzzGenerator g;
    private final SplittableRandom rnd;

    SseMix(FuzzGenerator g, SplittableRandom rnd) {
        this.g = g;
        this.rnd = rnd;
    }

    /** XMM0..XMM7 of a case: two longs each, low quadword first. */
    long[] state() {
        long[] x = new long[16];
        for (int i = 0; i < x.length; i++) {
            x[i] = quadword();
        }
        return x;
    }

    private long quadword() {
        switch (rnd.nextInt(4)) {
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

    private String xmm() {
        return "%xmm" + rnd.nextInt(8);
    }

    private String r32() {
        return "%" + R32[rnd.nextInt(R32.length)];
    }

    /** A memory operand of {@code size} bytes in the buffer's data area, 16-byte aligned when asked. */
    private String mem(int size, boolean aligned) {
        int off = aligned ? 16 * rnd.nextInt(FuzzGenerator.DATA / 16) : rnd.nextInt(FuzzGenerator.DATA - size + 1);
        return off + "(%ebp)";
    }

    /** Source xmm or m128 (aligned as the instruction wants). */
    private String source(boolean aligned) {
        return rnd.nextInt(3) == 0 ? mem(16, aligned) : xmm();
    }

    void item() {
        switch (rnd.nextInt(17)) {
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
        // Valid bits, no DAZ (bit 6): exception flags and masks, rounding, flush-to-zero.
        int v = rnd.nextInt() & 0xFFBF;
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
}
