package dev.jvmx.translator.fpu;

/**
 * The SSE/SSE2 operations on XMM registers that do not touch memory (SDM Vol. 2, each
 * instruction's "Operation"), on {@link FpuState#xmm}: register {@code r} is the pair
 * {@code xmm[2r]} (bits 63:0) and {@code xmm[2r + 1]} (bits 127:64). A source may be
 * {@link FpuState#XMM_OPERAND}, the memory operand already read. Every operation reads all of its
 * inputs before it writes its destination, so a destination that is also the source is right.
 * Packed integers are lanes of 8, 16, 32 or 64 bits inside the two longs.
 *
 * <p>The MMX forms of the same instructions work on one quadword: {@link #packed64},
 * {@link #shift64}, {@link #shuffleWords}, {@link #byteSigns}, {@link #insertWord64},
 * {@link #extractWord64} are each instruction's operation on a 64-bit register, and the 128-bit
 * forms are made of them (one call per quadword, or for the unpacks and packs the same lane
 * helpers on the halves the SDM's Operation names).
 */
public final class SsePacked {
    // The packed integer operations of {@link #packed}: one constant per instruction.
    public static final int PADDB = 0, PADDW = 1, PADDD = 2, PADDQ = 3;
    public static final int PSUBB = 4, PSUBW = 5, PSUBD = 6, PSUBQ = 7;
    public static final int PCMPEQB = 8, PCMPEQW = 9, PCMPEQD = 10;
    public static final int PCMPGTB = 11, PCMPGTW = 12, PCMPGTD = 13;
    public static final int PAND = 14, PANDN = 15, POR = 16, PXOR = 17;
    public static final int PUNPCKLBW = 18, PUNPCKLWD = 19, PUNPCKLDQ = 20, PUNPCKLQDQ = 21;
    public static final int PUNPCKHBW = 22, PUNPCKHWD = 23, PUNPCKHDQ = 24, PUNPCKHQDQ = 25;
    public static final int PACKSSWB = 26, PACKSSDW = 27, PACKUSWB = 28;
    public static final int PADDSB = 29, PADDSW = 30, PADDUSB = 31, PADDUSW = 32;
    public static final int PSUBSB = 33, PSUBSW = 34, PSUBUSB = 35, PSUBUSW = 36;
    public static final int PAVGB = 37, PAVGW = 38, PMINUB = 39, PMAXUB = 40, PMINSW = 41, PMAXSW = 42;
    public static final int PMULLW = 43, PMULHW = 44, PMULHUW = 45, PMULUDQ = 46, PMADDWD = 47, PSADBW = 48;
    // The shifts of {@link #shift}.
    public static final int PSRLW = 0, PSRLD = 1, PSRLQ = 2, PSRAW = 3, PSRAD = 4, PSLLW = 5, PSLLD = 6, PSLLQ = 7,
            PSRLDQ = 8, PSLLDQ = 9;
    // The shuffles of {@link #shuffle}.
    public static final int PSHUFD = 0, PSHUFLW = 1, PSHUFHW = 2, SHUFPS = 3, SHUFPD = 4;

    private SsePacked() { }

    /** MOVHLPS xmm1, xmm2: xmm1[63:0] = xmm2[127:64]. */
    public static void movhlps(FpuState s, int d, int src) {
        s.xmm[2 * d] = s.xmm[2 * src + 1];
    }

    /** MOVLHPS xmm1, xmm2: xmm1[127:64] = xmm2[63:0]. */
    public static void movlhps(FpuState s, int d, int src) {
        s.xmm[2 * d + 1] = s.xmm[2 * src];
    }

    /** MOVMSKPS: the sign bits of the four singles. */
    public static int movmskps(FpuState s, int src) {
        long lo = s.xmm[2 * src], hi = s.xmm[2 * src + 1];
        return (int) (lo >>> 31 & 1 | lo >>> 62 & 2 | (hi >>> 31 & 1) << 2 | (hi >>> 62 & 2) << 2);
    }

    /** MOVMSKPD: the sign bits of the two doubles. */
    public static int movmskpd(FpuState s, int src) {
        return (int) (s.xmm[2 * src] >>> 63 | s.xmm[2 * src + 1] >>> 63 << 1);
    }

    /** PMOVMSKB: the most significant bit of each byte. */
    public static int pmovmskb(FpuState s, int src) {
        return byteSigns(s.xmm[2 * src]) | byteSigns(s.xmm[2 * src + 1]) << 8;
    }

    /** PMOVMSKB mm (and the mask of MASKMOVQ): the most significant bit of each of the eight bytes. */
    public static int byteSigns(long q) {
        int m = 0;
        for (int i = 0; i < 8; i++) {
            m |= (int) (q >>> (8 * i + 7) & 1) << i;
        }
        return m;
    }

    /** The packed integer operations named by the constants above: xmm[d] = xmm[d] op xmm[src]. */
    public static void packed(FpuState s, int op, int d, int src) {
        long a0 = s.xmm[2 * d], a1 = s.xmm[2 * d + 1], b0 = s.xmm[2 * src], b1 = s.xmm[2 * src + 1];
        long r0, r1;
        switch (op) {
            case PUNPCKLBW: case PUNPCKLWD: case PUNPCKLDQ: case PUNPCKLQDQ: {
                int bits = 8 << (op - PUNPCKLBW);
                r0 = interleave(a0, b0, bits, 0);
                r1 = interleave(a0, b0, bits, 1);
                break;
            }
            case PUNPCKHBW: case PUNPCKHWD: case PUNPCKHDQ: case PUNPCKHQDQ: {
                int bits = 8 << (op - PUNPCKHBW);
                r0 = interleave(a1, b1, bits, 0);
                r1 = interleave(a1, b1, bits, 1);
                break;
            }
            case PACKSSWB: case PACKUSWB:
                r0 = pack(a0, a1, 16, op == PACKUSWB);
                r1 = pack(b0, b1, 16, op == PACKUSWB);
                break;
            case PACKSSDW:
                r0 = pack(a0, a1, 32, false);
                r1 = pack(b0, b1, 32, false);
                break;
            default:
                r0 = packed64(op, a0, b0);
                r1 = packed64(op, a1, b1);
                break;
        }
        s.xmm[2 * d] = r0;
        s.xmm[2 * d + 1] = r1;
    }

    /**
     * An operation named by the constants above on one quadword, as its MMX form (mm, mm/m64) does
     * it, and as its 128-bit form does it on each quadword (the lane-by-lane operations, the logical
     * ones, PMULUDQ, PMADDWD, PSADBW): the unpacks take the low (PUNPCKL) or high (PUNPCKH) halves
     * of {@code a} and {@code b}, the packs pack {@code a}'s lanes then {@code b}'s.
     * (PUNPCKLQDQ and PUNPCKHQDQ have no MMX form.)
     */
    public static long packed64(int op, long a, long b) {
        switch (op) {
            case PAND: return a & b;
            case PANDN: return ~a & b;
            case POR: return a | b;
            case PXOR: return a ^ b;
            case PUNPCKLBW: case PUNPCKLWD: case PUNPCKLDQ:
                return interleave(a, b, 8 << (op - PUNPCKLBW), 0);
            case PUNPCKHBW: case PUNPCKHWD: case PUNPCKHDQ:
                return interleave(a, b, 8 << (op - PUNPCKHBW), 1);
            case PACKSSWB: case PACKUSWB:
                return pack(a, b, 16, op == PACKUSWB);
            case PACKSSDW:
                return pack(a, b, 32, false);
            case PMULUDQ:
                return (a & 0xFFFFFFFFL) * (b & 0xFFFFFFFFL);
            case PMADDWD:
                return multiplyAdd(a, b);
            case PSADBW:
                return sumOfAbsoluteDifferences(a, b);
            default:
                return lanes(op, a, b);
        }
    }

    /** The lane width of a lane-by-lane operation. */
    private static int laneBits(int op) {
        switch (op) {
            case PADDB: case PSUBB: case PCMPEQB: case PCMPGTB: case PADDSB: case PADDUSB: case PSUBSB: case PSUBUSB:
            case PAVGB: case PMINUB: case PMAXUB:
                return 8;
            case PADDW: case PSUBW: case PCMPEQW: case PCMPGTW: case PADDSW: case PADDUSW: case PSUBSW: case PSUBUSW:
            case PAVGW: case PMINSW: case PMAXSW: case PMULLW: case PMULHW: case PMULHUW:
                return 16;
            case PADDD: case PSUBD: case PCMPEQD: case PCMPGTD:
                return 32;
            default:
                return 64;
        }
    }

    /** The lane-by-lane operations (add, subtract, saturate, average, compare, min, max, multiply) on one quadword. */
    private static long lanes(int op, long a, long b) {
        int bits = laneBits(op);
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        long smin = -(1L << (bits - 1)), smax = (1L << (bits - 1)) - 1;
        long r = 0;
        for (int sh = 0; sh < 64; sh += bits) {
            long x = a >>> sh & mask, y = b >>> sh & mask, v;
            long sx = signed(x, bits), sy = signed(y, bits);
            switch (op) {
                case PADDB: case PADDW: case PADDD: case PADDQ: v = x + y; break;
                case PSUBB: case PSUBW: case PSUBD: case PSUBQ: v = x - y; break;
                case PCMPEQB: case PCMPEQW: case PCMPEQD: v = x == y ? mask : 0; break;
                case PCMPGTB: case PCMPGTW: case PCMPGTD: v = sx > sy ? mask : 0; break;
                case PADDSB: case PADDSW: v = Math.max(smin, Math.min(smax, sx + sy)); break;
                case PSUBSB: case PSUBSW: v = Math.max(smin, Math.min(smax, sx - sy)); break;
                case PADDUSB: case PADDUSW: v = Math.min(mask, x + y); break;
                case PSUBUSB: case PSUBUSW: v = Math.max(0, x - y); break;
                case PAVGB: case PAVGW: v = (x + y + 1) >>> 1; break;
                case PMINUB: v = Math.min(x, y); break;
                case PMAXUB: v = Math.max(x, y); break;
                case PMINSW: v = Math.min(sx, sy); break;
                case PMAXSW: v = Math.max(sx, sy); break;
                case PMULLW: v = sx * sy; break;
                case PMULHW: v = sx * sy >> 16; break;
                case PMULHUW: v = x * y >>> 16; break;
                default: throw new IllegalArgumentException("packed op " + op);
            }
            r |= (v & mask) << sh;
        }
        return r;
    }

    /** PMADDWD on one quadword: each doubleword the sum of two signed word products (wrapping, as the SDM's 8000H case). */
    private static long multiplyAdd(long a, long b) {
        long r = 0;
        for (int i = 0; i < 2; i++) {
            int sh = 32 * i;
            int lo = (short) (a >>> sh) * (short) (b >>> sh);
            int hi = (short) (a >>> (sh + 16)) * (short) (b >>> (sh + 16));
            r |= ((lo + hi) & 0xFFFFFFFFL) << sh;
        }
        return r;
    }

    /** PSADBW on one quadword: the sum of the eight bytes' absolute differences, in the low word. */
    private static long sumOfAbsoluteDifferences(long a, long b) {
        long sum = 0;
        for (int sh = 0; sh < 64; sh += 8) {
            sum += Math.abs((a >>> sh & 0xFF) - (b >>> sh & 0xFF));
        }
        return sum;
    }

    /** PINSRW: word {@code index} (0..7) of xmm[d] = {@code v}'s low word. */
    public static void insertWord(FpuState s, int d, int v, int index) {
        int k = 2 * d + (index >> 2 & 1);
        s.xmm[k] = insertWord64(s.xmm[k], v, index);
    }

    /** PEXTRW: word {@code index} (0..7) of xmm[src], zero-extended. */
    public static int extractWord(FpuState s, int src, int index) {
        return extractWord64(s.xmm[2 * src + (index >> 2 & 1)], index);
    }

    /** PINSRW mm (and each quadword of the XMM form): word {@code index & 3} of {@code q} = {@code v}'s low word. */
    public static long insertWord64(long q, int v, int index) {
        int sh = 16 * (index & 3);
        return q & ~(0xFFFFL << sh) | (v & 0xFFFFL) << sh;
    }

    /** PEXTRW r32, mm: word {@code index & 3} of {@code q}, zero-extended. */
    public static int extractWord64(long q, int index) {
        return (int) (q >>> (16 * (index & 3)) & 0xFFFF);
    }

    private static long signed(long v, int bits) {
        return v << (64 - bits) >> (64 - bits);
    }

    /**
     * One quadword of an unpack: the lanes of {@code bits} from the half-quadwords of {@code a}
     * and {@code b} ({@code half} 0: their low 32 bits, 1: their high 32 bits), a first.
     */
    private static long interleave(long a, long b, int bits, int half) {
        if (bits == 64) {
            return half == 0 ? a : b;
        }
        long mask = (1L << bits) - 1;
        int n = 32 / bits;
        long r = 0;
        for (int i = 0; i < n; i++) {
            int from = 32 * half + i * bits;
            r |= (a >>> from & mask) << (2 * i * bits);
            r |= (b >>> from & mask) << ((2 * i + 1) * bits);
        }
        return r;
    }

    /** Packs the eight words (or four doublewords) of {@code lo:hi} into a quadword, saturated. */
    private static long pack(long lo, long hi, int bits, boolean unsigned) {
        int half = bits / 2;
        long mask = (1L << half) - 1;
        long min = unsigned ? 0 : -(1L << (half - 1)), max = unsigned ? mask : (1L << (half - 1)) - 1;
        long r = 0;
        int per = 64 / bits;
        for (int i = 0; i < 2 * per; i++) {
            long w = i < per ? lo : hi;
            long v = signed(w >>> (bits * (i % per)) & ((1L << bits) - 1), bits);
            v = Math.max(min, Math.min(max, v));
            r |= (v & mask) << (half * i);
        }
        return r;
    }

    /**
     * The shifts named by the constants above, by {@code count} (an immediate, or the source's
     * low quadword, unsigned): a logical shift by the lane width or more leaves 0, an arithmetic
     * one the sign; PSRLDQ and PSLLDQ shift the whole register by bytes (16 or more: 0).
     */
    public static void shift(FpuState s, int op, int d, long count) {
        long a0 = s.xmm[2 * d], a1 = s.xmm[2 * d + 1];
        if (op == PSRLDQ || op == PSLLDQ) {
            long n = Long.compareUnsigned(count, 16) >= 0 ? 128 : count * 8;
            long r0, r1;
            if (op == PSRLDQ) {
                r0 = shr128Low(a0, a1, (int) n);
                r1 = n >= 64 ? 0 : a1 >>> n;
            } else {
                r1 = shl128High(a0, a1, (int) n);
                r0 = n >= 64 ? 0 : a0 << n;
            }
            s.xmm[2 * d] = r0;
            s.xmm[2 * d + 1] = r1;
            return;
        }
        s.xmm[2 * d] = shift64(op, a0, count);
        s.xmm[2 * d + 1] = shift64(op, a1, count);
    }

    /**
     * A lane shift (PSRLW ... PSLLQ, not PSRLDQ/PSLLDQ) of one quadword by {@code count}: the MMX
     * form, and each quadword of the 128-bit form.
     */
    public static long shift64(int op, long a, long count) {
        int bits = op == PSRLW || op == PSRAW || op == PSLLW ? 16 : op == PSRLQ || op == PSLLQ ? 64 : 32;
        boolean arithmetic = op == PSRAW || op == PSRAD;
        boolean left = op == PSLLW || op == PSLLD || op == PSLLQ;
        return shiftLanes(a, bits, count, arithmetic, left);
    }

    private static long shr128Low(long lo, long hi, int n) {
        if (n == 0) {
            return lo;
        }
        if (n >= 128) {
            return 0;
        }
        if (n >= 64) {
            return hi >>> (n - 64);
        }
        return lo >>> n | hi << (64 - n);
    }

    private static long shl128High(long lo, long hi, int n) {
        if (n == 0) {
            return hi;
        }
        if (n >= 128) {
            return 0;
        }
        if (n >= 64) {
            return lo << (n - 64);
        }
        return hi << n | lo >>> (64 - n);
    }

    private static long shiftLanes(long a, int bits, long count, boolean arithmetic, boolean left) {
        boolean all = Long.compareUnsigned(count, bits - 1) > 0;
        if (all && !arithmetic) {
            return 0;
        }
        int n = all ? bits - 1 : (int) count;
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        long r = 0;
        for (int sh = 0; sh < 64; sh += bits) {
            long x = a >>> sh & mask, v;
            if (left) {
                v = x << n;
            } else if (arithmetic) {
                v = signed(x, bits) >> n;
            } else {
                v = x >>> n;
            }
            r |= (v & mask) << sh;
        }
        return r;
    }

    /**
     * PSHUFD, PSHUFLW, PSHUFHW: xmm[d] = the lanes of xmm[src] that {@code order} (imm8) picks;
     * SHUFPS, SHUFPD: the low half from xmm[d]'s lanes, the high half from xmm[src]'s.
     */
    public static void shuffle(FpuState s, int op, int d, int src, int order) {
        long a0 = s.xmm[2 * d], a1 = s.xmm[2 * d + 1];
        long b0 = s.xmm[2 * src], b1 = s.xmm[2 * src + 1];
        long r0, r1;
        switch (op) {
            case SHUFPS: {
                long[] da = {a0 & 0xFFFFFFFFL, a0 >>> 32, a1 & 0xFFFFFFFFL, a1 >>> 32};
                long[] db = {b0 & 0xFFFFFFFFL, b0 >>> 32, b1 & 0xFFFFFFFFL, b1 >>> 32};
                r0 = da[order & 3] | da[order >> 2 & 3] << 32;
                r1 = db[order >> 4 & 3] | db[order >> 6 & 3] << 32;
                break;
            }
            case SHUFPD:
                r0 = (order & 1) == 0 ? a0 : a1;
                r1 = (order & 2) == 0 ? b0 : b1;
                break;
            case PSHUFD: {
                long[] dw = {b0 & 0xFFFFFFFFL, b0 >>> 32, b1 & 0xFFFFFFFFL, b1 >>> 32};
                r0 = dw[order & 3] | dw[order >> 2 & 3] << 32;
                r1 = dw[order >> 4 & 3] | dw[order >> 6 & 3] << 32;
                break;
            }
            case PSHUFLW:
                r0 = shuffleWords(b0, order);
                r1 = b1;
                break;
            default:
                r0 = b0;
                r1 = shuffleWords(b1, order);
                break;
        }
        s.xmm[2 * d] = r0;
        s.xmm[2 * d + 1] = r1;
    }

    /** PSHUFW (and the shuffled quadword of PSHUFLW, PSHUFHW): word i of the result is word order[2i+1:2i] of {@code q}. */
    public static long shuffleWords(long q, int order) {
        long r = 0;
        for (int i = 0; i < 4; i++) {
            int from = order >> (2 * i) & 3;
            r |= (q >>> (16 * from) & 0xFFFF) << (16 * i);
        }
        return r;
    }
}
