package dev.jvmx.cputest;

import java.util.SplittableRandom;

/**
 * The MMX part of the host fuzzer's SIMD mix ({@code cpu-test --fuzz N --sse}, drawn by
 * {@link SseMix}): the MMX instructions, SSE's and SSE2's additions on MMX registers, the moves
 * between MMX and XMM registers and the conversions between them, and the masked stores
 * MASKMOVQ/MASKMOVDQU. MM0..MM7 are the x87 registers' significands, so a case with this mix
 * starts from a random FPU image (an FRSTOR of {@link X87Mix#state}: random significands, TOP and
 * tags), and the FNSAVE image after the sequence, which every case compares, shows the MMX state
 * as the host left it: the registers, TOP = 0, the tags, the exponents set to all ones. EMMS is
 * in the mix too. The masked stores get EDI pointed into the buffer first (DS:EDI, or RDI on
 * the 64-bit path, whose upper half the 32-bit LEA clears).
 */
final class MmxMix {
    /** Two-operand forms with an mm/m64 source (the unpacks of the low halves read an m32). */
    private static final String[] PACKED = {"paddb", "paddw", "paddd", "paddq", "psubb", "psubw", "psubd", "psubq",
        "paddsb", "paddsw", "paddusb", "paddusw", "psubsb", "psubsw", "psubusb", "psubusw", "pcmpeqb", "pcmpeqw",
        "pcmpeqd", "pcmpgtb", "pcmpgtw", "pcmpgtd", "punpcklbw", "punpcklwd", "punpckldq", "punpckhbw", "punpckhwd",
        "punpckhdq", "packsswb", "packssdw", "packuswb", "pmullw", "pmulhw", "pmulhuw", "pmuludq", "pmaddwd", "psadbw",
        "pavgb", "pavgw", "pminub", "pmaxub", "pminsw", "pmaxsw", "pand", "pandn", "por", "pxor"};
    private static final String[] SHIFTS = {"psrlw", "psraw", "psllw", "psrld", "psrad", "pslld", "psrlq", "psllq"};

    private final FuzzGenerator g;
    private final SseMix sse;
    private final SplittableRandom rnd;

    MmxMix(FuzzGenerator g, SseMix sse, SplittableRandom rnd) {
        this.g = g;
        this.sse = sse;
        this.rnd = rnd;
    }

    private String mm() {
        return "%mm" + rnd.nextInt(8);
    }

    /** An mm register or 8 bytes of the buffer. */
    private String source() {
        return rnd.nextInt(3) == 0 ? sse.mem(8, false) : mm();
    }

    void item() {
        switch (rnd.nextInt(12)) {
            case 0: moves(); break;
            case 1: shift(); break;
            case 2: words(); break;
            case 3: betweenMmxAndXmm(); break;
            case 4: convert(); break;
            case 5: maskedStore(); break;
            case 6: g.plain(rnd.nextInt(3) == 0 ? "emms" : "movntq " + mm() + ", " + sse.mem(8, false)); break;
            default: g.plain(PACKED[rnd.nextInt(PACKED.length)] + " " + source() + ", " + mm()); break;
        }
    }

    private void moves() {
        switch (rnd.nextInt(6)) {
            case 0: g.plain("movq " + source() + ", " + mm()); break;
            case 1: g.plain("movq " + mm() + ", " + sse.mem(8, false)); break;
            case 2: g.plain("movd " + sse.r32() + ", " + mm()); break;
            case 3: g.plain("movd " + sse.mem(4, false) + ", " + mm()); break;
            case 4: g.plain("movd " + mm() + ", " + sse.r32()); break;
            default: g.plain("movd " + mm() + ", " + sse.mem(4, false)); break;
        }
    }

    private void shift() {
        int count = rnd.nextInt(4) == 0 ? rnd.nextInt(256) : rnd.nextInt(70);
        switch (rnd.nextInt(3)) {
            case 0: g.plain(SHIFTS[rnd.nextInt(SHIFTS.length)] + " $" + count + ", " + mm()); break;
            case 1: {
                String r = sse.r32();
                String m = mm();
                g.plain("movl $" + (rnd.nextInt(5) == 0 ? rnd.nextInt() : count) + ", " + r);
                g.plain("movd " + r + ", " + m);
                g.plain(SHIFTS[rnd.nextInt(SHIFTS.length)] + " " + m + ", " + mm());
                break;
            }
            default: g.plain(SHIFTS[rnd.nextInt(SHIFTS.length)] + " " + source() + ", " + mm()); break;
        }
    }

    /** PSHUFW, PINSRW, PEXTRW, PMOVMSKB. */
    private void words() {
        int imm = rnd.nextInt(4) == 0 ? rnd.nextInt(256) : rnd.nextInt(8);
        switch (rnd.nextInt(5)) {
            case 0: g.plain("pshufw $" + rnd.nextInt(256) + ", " + source() + ", " + mm()); break;
            case 1: g.plain("pinsrw $" + imm + ", " + sse.r32() + ", " + mm()); break;
            case 2: g.plain("pinsrw $" + imm + ", " + sse.mem(2, false) + ", " + mm()); break;
            case 3: g.plain("pextrw $" + imm + ", " + mm() + ", " + sse.r32()); break;
            default: g.plain("pmovmskb " + mm() + ", " + sse.r32()); break;
        }
    }

    private void betweenMmxAndXmm() {
        if (rnd.nextBoolean()) {
            g.plain("movq2dq " + mm() + ", " + sse.xmm());
        } else {
            g.plain("movdq2q " + sse.xmm() + ", " + mm());
        }
    }

    /** CVTPI2PS, CVT(T)PS2PI, CVTPI2PD, CVT(T)PD2PI: lanes of every class from SseMix. */
    private void convert() {
        switch (rnd.nextInt(4)) {
            case 0: g.plain("cvtpi2ps " + source() + ", " + sse.xmm()); break;
            case 1: g.plain("cvtpi2pd " + source() + ", " + sse.xmm()); break;
            case 2: {
                String src = rnd.nextInt(3) == 0 ? sse.fpMemory(8, false) : sse.xmm();
                g.plain((rnd.nextBoolean() ? "cvtps2pi " : "cvttps2pi ") + src + ", " + mm());
                break;
            }
            default: {
                String src = rnd.nextInt(3) == 0 ? sse.fpMemory(16, true) : sse.xmm();
                g.plain((rnd.nextBoolean() ? "cvtpd2pi " : "cvttpd2pi ") + src + ", " + mm());
                break;
            }
        }
    }

    /** MASKMOVQ or MASKMOVDQU to DS:EDI inside the buffer. */
    private void maskedStore() {
        boolean xmm = rnd.nextBoolean();
        int size = xmm ? 16 : 8;
        g.plain("leal " + sse.mem(size, false) + ", %edi");
        if (xmm) {
            g.plain("maskmovdqu " + sse.xmm() + ", " + sse.xmm());
        } else {
            g.plain("maskmovq " + mm() + ", " + mm());
        }
    }
}
