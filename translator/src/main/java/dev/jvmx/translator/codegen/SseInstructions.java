package dev.jvmx.translator.codegen;

import dev.jvmx.translator.arch.CpuFeatures;
import dev.jvmx.translator.decode.Operand;
import dev.jvmx.translator.fpu.FpuState;
import dev.jvmx.translator.fpu.SseFloat;
import dev.jvmx.translator.fpu.SsePacked;
import dev.jvmx.translator.helpers.MmxOps;
import dev.jvmx.translator.helpers.SseOps;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The SSE and SSE2 instructions jvmx has (SDM Vol. 2): data movement, MXCSR, the logical
 * operations, SSE2's packed integers on XMM registers, and floating point (arithmetic, compares,
 * conversions; their semantics, with MXCSR's rounding, flush-to-zero and exception flags, in
 * fpu.SseFloat). Each emits its gate first (the CPUID feature, CR0.EM and CR4.OSFXSR: #UD;
 * CR0.TS: #NM; see helpers.SseOps; in translated code once per feature in a straight line, see
 * {@link Emitter#simdGatePassed}), then its memory operand's segment checks and, for a 16-byte
 * operand that must be aligned, the alignment check, then one call into helpers.SseOps. The XMM
 * registers live in the CPU's FPU state, never in a block's locals, so code without SSE
 * instructions carries none of it; the calls touch no general register and no flag except where
 * the instruction writes one (MOVD, MOVMSKPS, PEXTRW, CVTSS2SI and kin; COMISS and kin set ZF PF
 * CF). Register numbers are per-instance values pushed through the {@link Emitter}, so one
 * first-tier handler serves every instruction of a form.
 *
 * <p>An instruction that also has a form on MMX registers (PADDB mm, mm/m64 ...) has one emitter
 * here that hands that form to {@link MmxInstructions}, which holds the MMX-only instructions, the
 * conversions between MMX and XMM registers and the masked stores MASKMOVQ and MASKMOVDQU.
 */
final class SseInstructions implements Opcodes {
    private static final int SSE = CpuFeatures.SSE, SSE2 = CpuFeatures.SSE2;
    /** The features an MMX form needs: MMX's own instructions, SSE's additions, SSE2's. */
    private static final int MMX = CpuFeatures.MMX, MMX_SSE = MMX | SSE, MMX_SSE2 = MMX | SSE2;
    private static final boolean ALIGNED = true, UNALIGNED = false;

    private SseInstructions() { }

    // ---- whole-register moves

    static void movups(Emitter e) {
        move128(e, SSE, UNALIGNED);
    }

    static void movupd(Emitter e) {
        move128(e, SSE2, UNALIGNED);
    }

    static void movaps(Emitter e) {
        move128(e, SSE, ALIGNED);
    }

    static void movapd(Emitter e) {
        move128(e, SSE2, ALIGNED);
    }

    static void movdqa(Emitter e) {
        move128(e, SSE2, ALIGNED);
    }

    static void movdqu(Emitter e) {
        move128(e, SSE2, UNALIGNED);
    }

    static void movntps(Emitter e) {
        move128(e, SSE, ALIGNED);
    }

    static void movntpd(Emitter e) {
        move128(e, SSE2, ALIGNED);
    }

    static void movntdq(Emitter e) {
        move128(e, SSE2, ALIGNED);
    }

    /** xmm ← xmm/m128, or m128 ← xmm. */
    private static void move128(Emitter e, int feature, boolean aligned) {
        gate(e, feature);
        if (e.isMem(0)) {
            int lin = address(e, 0, true, aligned);
            e.aloadCpu();
            e.iload(lin);
            e.loadXmm(1, 0);
            e.loadXmm(1, 1);
            e.call(Calls.SSE_STORE128);
            return;
        }
        int[] v = source128(e, 1, aligned);
        for (int q = 0; q < 2; q++) {
            e.lload(v[q]);
            e.storeXmm(0, q);
        }
    }

    /**
     * Source operand i's two quadwords in new long locals: an XMM register's, or the 16 bytes of
     * its memory operand, all read (after the alignment check when {@code aligned}) before the
     * caller changes anything.
     */
    private static int[] source128(Emitter e, int i, boolean aligned) {
        if (e.isMem(i)) {
            int lin = address(e, i, false, aligned);
            int lo = e.read64(lin);
            int high = e.temp();
            e.iload(lin);
            e.iconst(8);
            e.op(IADD);
            e.istore(high);
            return new int[] {lo, e.read64(high)};
        }
        int[] v = {e.tempLong(), e.tempLong()};
        for (int q = 0; q < 2; q++) {
            e.loadXmm(i, q);
            e.lstore(v[q]);
        }
        return v;
    }

    // ---- scalar and half moves

    /** MOVSS: xmm ← m32 (zero-extended), m32 ← xmm[31:0], or xmm[31:0] ← xmm[31:0]. */
    static void movss(Emitter e) {
        gate(e, SSE);
        if (e.isMem(0)) {
            int lin = address(e, 0, true, UNALIGNED);
            int v = e.temp();
            e.loadXmm(1, 0);
            e.op(L2I);
            e.istore(v);
            e.write(4, lin, v);
        } else if (e.isMem(1)) {
            int lin = address(e, 1, false, UNALIGNED);
            e.read(4, lin);
            setZeroExtended32(e, 0);
        } else {
            e.loadXmm(0, 0);
            e.lconst(HIGH32);
            e.op(LAND);
            e.loadXmm(1, 0);
            e.lconst(LOW32);
            e.op(LAND);
            e.op(LOR);
            e.storeXmm(0, 0);
        }
    }

    private static final long LOW32 = 0xFFFFFFFFL, HIGH32 = ~LOW32;

    /** XMM operand i ← the int on the JVM stack, zero-extended to 128 bits (MOVSS xmm, m32; MOVD xmm, r/m32). */
    private static void setZeroExtended32(Emitter e, int i) {
        e.op(I2L);
        e.lconst(LOW32);
        e.op(LAND);
        e.storeXmm(i, 0);
        e.lconst(0);
        e.storeXmm(i, 1);
    }

    /** MOVSD: xmm ← m64 (zero-extended), m64 ← xmm[63:0], or xmm[63:0] ← xmm[63:0]. */
    static void movsd(Emitter e) {
        gate(e, SSE2);
        quadword(e, 0, true, false);
    }

    /**
     * MOVQ xmm, xmm/m64 (F3 0F 7E) and xmm/m64, xmm (66 0F D6): the upper quadword of a register
     * destination zeroed; MOVQ mm, mm/m64 and mm/m64, mm (NP 0F 6F, 7F) in {@link MmxInstructions#movq}.
     */
    static void movq(Emitter e) {
        if (MmxInstructions.isMmx(e)) {
            MmxInstructions.movq(e);
            return;
        }
        gate(e, SSE2);
        quadword(e, 0, true, true);
    }

    /** MOVLPS, MOVLPD: m64 ← xmm[63:0] or xmm[63:0] ← m64 (the other quadword kept); the register form is MOVHLPS. */
    static void movlps(Emitter e) {
        gate(e, SSE);
        quadword(e, 0, false, false);
    }

    static void movlpd(Emitter e) {
        gate(e, SSE2);
        quadword(e, 0, false, false);
    }

    /** MOVHPS, MOVHPD: m64 ← xmm[127:64] or xmm[127:64] ← m64; the register form is MOVLHPS. */
    static void movhps(Emitter e) {
        gate(e, SSE);
        quadword(e, 1, false, false);
    }

    static void movhpd(Emitter e) {
        gate(e, SSE2);
        quadword(e, 1, false, false);
    }

    static void movhlps(Emitter e) {
        gate(e, SSE);
        registers(e, Calls.SSE_MOVHLPS);
    }

    static void movlhps(Emitter e) {
        gate(e, SSE);
        registers(e, Calls.SSE_MOVLHPS);
    }

    /**
     * A 64-bit move of quadword q: m64 ← xmm[q], or xmm[q] ← m64 (the high quadword zeroed when
     * {@code loadZeroes}); with two registers, xmm[63:0] ← xmm[63:0] (the high quadword zeroed
     * when {@code moveZeroes}).
     */
    private static void quadword(Emitter e, int q, boolean loadZeroes, boolean moveZeroes) {
        if (e.isMem(0)) {
            int lin = address(e, 0, true, UNALIGNED);
            int v = e.tempLong();
            e.loadXmm(1, q);
            e.lstore(v);
            e.write64(lin, v);
            return;
        }
        if (e.isMem(1)) {
            int lin = address(e, 1, false, UNALIGNED);
            e.lload(e.read64(lin));
            e.storeXmm(0, q);
        } else {
            e.loadXmm(1, 0);
            e.storeXmm(0, 0);
        }
        if (e.isMem(1) ? loadZeroes : moveZeroes) {
            e.lconst(0);
            e.storeXmm(0, 1);
        }
    }

    /** MOVD xmm, r/m32 (zero-extended) and r/m32, xmm[31:0]; the MMX forms in {@link MmxInstructions#movd}. */
    static void movd(Emitter e) {
        if (MmxInstructions.isMmx(e)) {
            MmxInstructions.movd(e);
            return;
        }
        gate(e, SSE2);
        if (e.kind(0) == Operand.Kind.XMM) {
            e.loadOperand(1, 4);
            setZeroExtended32(e, 0);
        } else {
            e.loadXmm(1, 0);
            e.op(L2I);
            e.storeOperand(0, 4);
        }
    }

    /** MOVNTI m32, r32: a plain store (one thread, no caches), checked only for SSE2 in CPUID. */
    static void movnti(Emitter e) {
        e.aloadCpu();
        e.iconst(SSE2);
        e.call(Calls.SSE_CHECK_FEATURE);
        e.loadOperand(1, 4);
        e.storeOperand(0, 4);
    }

    // ---- masks into a general register

    static void movmskps(Emitter e) {
        mask(e, SSE, Calls.SSE_MOVMSKPS);
    }

    static void movmskpd(Emitter e) {
        mask(e, SSE2, Calls.SSE_MOVMSKPD);
    }

    static void pmovmskb(Emitter e) {
        if (MmxInstructions.isMmx(e)) {
            MmxInstructions.pmovmskb(e);
            return;
        }
        mask(e, SSE2, Calls.SSE_PMOVMSKB);
    }

    private static void mask(Emitter e, int feature, HelperCall op) {
        gate(e, feature);
        e.aloadCpu();
        e.pushValue(1);
        e.call(op);
        e.storeOperand(0, 4);
    }

    // ---- logical and packed integer operations: xmm ← xmm op xmm/m128 (aligned)

    static void andps(Emitter e) {
        packed(e, SSE, SsePacked.PAND);
    }

    static void andpd(Emitter e) {
        packed(e, SSE2, SsePacked.PAND);
    }

    static void andnps(Emitter e) {
        packed(e, SSE, SsePacked.PANDN);
    }

    static void andnpd(Emitter e) {
        packed(e, SSE2, SsePacked.PANDN);
    }

    static void orps(Emitter e) {
        packed(e, SSE, SsePacked.POR);
    }

    static void orpd(Emitter e) {
        packed(e, SSE2, SsePacked.POR);
    }

    static void xorps(Emitter e) {
        packed(e, SSE, SsePacked.PXOR);
    }

    static void xorpd(Emitter e) {
        packed(e, SSE2, SsePacked.PXOR);
    }

    static void pand(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PAND);
    }

    static void pandn(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PANDN);
    }

    static void por(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.POR);
    }

    static void pxor(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PXOR);
    }

    static void paddb(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PADDB);
    }

    static void paddw(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PADDW);
    }

    static void paddd(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PADDD);
    }

    static void paddq(Emitter e) {
        packed(e, MMX_SSE2, SSE2, SsePacked.PADDQ);
    }

    static void psubb(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PSUBB);
    }

    static void psubw(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PSUBW);
    }

    static void psubd(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PSUBD);
    }

    static void psubq(Emitter e) {
        packed(e, MMX_SSE2, SSE2, SsePacked.PSUBQ);
    }

    static void pcmpeqb(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PCMPEQB);
    }

    static void pcmpeqw(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PCMPEQW);
    }

    static void pcmpeqd(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PCMPEQD);
    }

    static void pcmpgtb(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PCMPGTB);
    }

    static void pcmpgtw(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PCMPGTW);
    }

    static void pcmpgtd(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PCMPGTD);
    }

    static void punpcklbw(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PUNPCKLBW);
    }

    static void punpcklwd(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PUNPCKLWD);
    }

    static void punpckldq(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PUNPCKLDQ);
    }

    static void punpcklqdq(Emitter e) {
        packed(e, SSE2, SsePacked.PUNPCKLQDQ);
    }

    static void punpckhbw(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PUNPCKHBW);
    }

    static void punpckhwd(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PUNPCKHWD);
    }

    static void punpckhdq(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PUNPCKHDQ);
    }

    static void punpckhqdq(Emitter e) {
        packed(e, SSE2, SsePacked.PUNPCKHQDQ);
    }

    static void packsswb(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PACKSSWB);
    }

    static void packssdw(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PACKSSDW);
    }

    static void packuswb(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PACKUSWB);
    }

    static void unpcklps(Emitter e) {
        packed(e, SSE, SsePacked.PUNPCKLDQ);
    }

    static void unpckhps(Emitter e) {
        packed(e, SSE, SsePacked.PUNPCKHDQ);
    }

    static void unpcklpd(Emitter e) {
        packed(e, SSE2, SsePacked.PUNPCKLQDQ);
    }

    static void unpckhpd(Emitter e) {
        packed(e, SSE2, SsePacked.PUNPCKHQDQ);
    }

    static void pmullw(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PMULLW);
    }

    static void pmulhw(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PMULHW);
    }

    static void pmulhuw(Emitter e) {
        packed(e, MMX_SSE, SSE2, SsePacked.PMULHUW);
    }

    static void pmuludq(Emitter e) {
        packed(e, MMX_SSE2, SSE2, SsePacked.PMULUDQ);
    }

    static void pmaddwd(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PMADDWD);
    }

    static void psadbw(Emitter e) {
        packed(e, MMX_SSE, SSE2, SsePacked.PSADBW);
    }

    static void paddsb(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PADDSB);
    }

    static void paddsw(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PADDSW);
    }

    static void paddusb(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PADDUSB);
    }

    static void paddusw(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PADDUSW);
    }

    static void psubsb(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PSUBSB);
    }

    static void psubsw(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PSUBSW);
    }

    static void psubusb(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PSUBUSB);
    }

    static void psubusw(Emitter e) {
        packed(e, MMX, SSE2, SsePacked.PSUBUSW);
    }

    static void pavgb(Emitter e) {
        packed(e, MMX_SSE, SSE2, SsePacked.PAVGB);
    }

    static void pavgw(Emitter e) {
        packed(e, MMX_SSE, SSE2, SsePacked.PAVGW);
    }

    static void pminub(Emitter e) {
        packed(e, MMX_SSE, SSE2, SsePacked.PMINUB);
    }

    static void pmaxub(Emitter e) {
        packed(e, MMX_SSE, SSE2, SsePacked.PMAXUB);
    }

    static void pminsw(Emitter e) {
        packed(e, MMX_SSE, SSE2, SsePacked.PMINSW);
    }

    static void pmaxsw(Emitter e) {
        packed(e, MMX_SSE, SSE2, SsePacked.PMAXSW);
    }

    /** An instruction with an MMX form: that form with {@code mmxFeatures} ({@link MmxInstructions#packed}), or the XMM form. */
    private static void packed(Emitter e, int mmxFeatures, int feature, int op) {
        if (MmxInstructions.isMmx(e)) {
            MmxInstructions.packed(e, mmxFeatures, op);
            return;
        }
        packed(e, feature, op);
    }

    /** SseOps.packed(cpu, op, d, s) with the source xmm/m128 (read first); the logical ones inline. */
    private static void packed(Emitter e, int feature, int op) {
        gate(e, feature);
        if (op == SsePacked.PAND || op == SsePacked.PANDN || op == SsePacked.POR || op == SsePacked.PXOR) {
            int[] b = source128(e, 1, ALIGNED);
            for (int q = 0; q < 2; q++) {
                e.loadXmm(0, q);
                if (op == SsePacked.PANDN) {
                    e.lconst(-1);
                    e.op(LXOR);
                }
                e.lload(b[q]);
                e.op(op == SsePacked.POR ? LOR : op == SsePacked.PXOR ? LXOR : LAND);
                e.storeXmm(0, q);
            }
            return;
        }
        loadSource(e, 1, ALIGNED);
        e.aloadCpu();
        e.iconst(op);
        e.pushValue(0);
        pushSource(e, 1);
        e.call(Calls.SSE_PACKED);
    }

    // ---- shuffles: xmm ← lanes of xmm/m128 (aligned) chosen by imm8

    static void pshufd(Emitter e) {
        shuffle(e, SsePacked.PSHUFD);
    }

    static void pshuflw(Emitter e) {
        shuffle(e, SsePacked.PSHUFLW);
    }

    static void pshufhw(Emitter e) {
        shuffle(e, SsePacked.PSHUFHW);
    }

    static void shufps(Emitter e) {
        shuffle(e, SSE, SsePacked.SHUFPS);
    }

    static void shufpd(Emitter e) {
        shuffle(e, SSE2, SsePacked.SHUFPD);
    }

    /** PINSRW xmm, r32/m16, imm8: the word the immediate's low three bits name. */
    static void pinsrw(Emitter e) {
        if (MmxInstructions.isMmx(e)) {
            MmxInstructions.pinsrw(e);
            return;
        }
        gate(e, SSE2);
        insertWord(e, Calls.SSE_INSERT_WORD);
    }

    /** After the gate, PINSRW's body for either register kind: {@code op}(cpu, d, r32/m16, imm8). */
    static void insertWord(Emitter e, HelperCall op) {
        int v = e.temp();
        e.loadOperand(1, 2);
        e.istore(v);
        e.aloadCpu();
        e.pushValue(0);
        e.iload(v);
        e.pushImm(2, 1);
        e.call(op);
    }

    /** PEXTRW r32, xmm, imm8: the word zero-extended. */
    static void pextrw(Emitter e) {
        if (MmxInstructions.isMmx(e)) {
            MmxInstructions.pextrw(e);
            return;
        }
        gate(e, SSE2);
        extractWord(e, Calls.SSE_EXTRACT_WORD);
    }

    /** After the gate, PEXTRW's body for either register kind: r32 = {@code op}(cpu, s, imm8). */
    static void extractWord(Emitter e, HelperCall op) {
        e.aloadCpu();
        e.pushValue(1);
        e.pushImm(2, 1);
        e.call(op);
        e.storeOperand(0, 4);
    }

    private static void shuffle(Emitter e, int op) {
        shuffle(e, SSE2, op);
    }

    private static void shuffle(Emitter e, int feature, int op) {
        gate(e, feature);
        loadSource(e, 1, ALIGNED);
        e.aloadCpu();
        e.iconst(op);
        e.pushValue(0);
        pushSource(e, 1);
        e.pushImm(2, 1);
        e.call(Calls.SSE_SHUFFLE);
    }

    // ---- shifts: by imm8 (66 0F 71-73 /n, on ModRM.rm) or by xmm/m128's low quadword (aligned)

    static void psrlw(Emitter e) {
        shift(e, SsePacked.PSRLW);
    }

    static void psraw(Emitter e) {
        shift(e, SsePacked.PSRAW);
    }

    static void psllw(Emitter e) {
        shift(e, SsePacked.PSLLW);
    }

    static void psrld(Emitter e) {
        shift(e, SsePacked.PSRLD);
    }

    static void psrad(Emitter e) {
        shift(e, SsePacked.PSRAD);
    }

    static void pslld(Emitter e) {
        shift(e, SsePacked.PSLLD);
    }

    static void psrlq(Emitter e) {
        shift(e, SsePacked.PSRLQ);
    }

    static void psllq(Emitter e) {
        shift(e, SsePacked.PSLLQ);
    }

    static void psrldq(Emitter e) {
        shift(e, SsePacked.PSRLDQ);
    }

    static void pslldq(Emitter e) {
        shift(e, SsePacked.PSLLDQ);
    }

    private static void shift(Emitter e, int op) {
        if (MmxInstructions.isMmx(e)) {
            MmxInstructions.shift(e, op);
            return;
        }
        gate(e, SSE2);
        int count = e.tempLong();
        if (e.isImm(1)) {
            e.pushImm(1, 1);
            e.op(I2L);
        } else {
            e.lload(source128(e, 1, ALIGNED)[0]);
        }
        e.lstore(count);
        e.aloadCpu();
        e.iconst(op);
        e.pushValue(0);
        e.lload(count);
        e.call(Calls.SSE_SHIFT);
    }

    // ---- floating point (fpu.SseFloat): an unmasked exception is #XM, or #UD without CR4.OSXMMEXCPT

    static void addps(Emitter e) {
        arith(e, SSE, SseFloat.ADD, SseFloat.PS);
    }

    static void addss(Emitter e) {
        arith(e, SSE, SseFloat.ADD, SseFloat.SS);
    }

    static void addpd(Emitter e) {
        arith(e, SSE2, SseFloat.ADD, SseFloat.PD);
    }

    static void addsd(Emitter e) {
        arith(e, SSE2, SseFloat.ADD, SseFloat.SD);
    }

    static void subps(Emitter e) {
        arith(e, SSE, SseFloat.SUB, SseFloat.PS);
    }

    static void subss(Emitter e) {
        arith(e, SSE, SseFloat.SUB, SseFloat.SS);
    }

    static void subpd(Emitter e) {
        arith(e, SSE2, SseFloat.SUB, SseFloat.PD);
    }

    static void subsd(Emitter e) {
        arith(e, SSE2, SseFloat.SUB, SseFloat.SD);
    }

    static void mulps(Emitter e) {
        arith(e, SSE, SseFloat.MUL, SseFloat.PS);
    }

    static void mulss(Emitter e) {
        arith(e, SSE, SseFloat.MUL, SseFloat.SS);
    }

    static void mulpd(Emitter e) {
        arith(e, SSE2, SseFloat.MUL, SseFloat.PD);
    }

    static void mulsd(Emitter e) {
        arith(e, SSE2, SseFloat.MUL, SseFloat.SD);
    }

    static void divps(Emitter e) {
        arith(e, SSE, SseFloat.DIV, SseFloat.PS);
    }

    static void divss(Emitter e) {
        arith(e, SSE, SseFloat.DIV, SseFloat.SS);
    }

    static void divpd(Emitter e) {
        arith(e, SSE2, SseFloat.DIV, SseFloat.PD);
    }

    static void divsd(Emitter e) {
        arith(e, SSE2, SseFloat.DIV, SseFloat.SD);
    }

    static void minps(Emitter e) {
        arith(e, SSE, SseFloat.MIN, SseFloat.PS);
    }

    static void minss(Emitter e) {
        arith(e, SSE, SseFloat.MIN, SseFloat.SS);
    }

    static void minpd(Emitter e) {
        arith(e, SSE2, SseFloat.MIN, SseFloat.PD);
    }

    static void minsd(Emitter e) {
        arith(e, SSE2, SseFloat.MIN, SseFloat.SD);
    }

    static void maxps(Emitter e) {
        arith(e, SSE, SseFloat.MAX, SseFloat.PS);
    }

    static void maxss(Emitter e) {
        arith(e, SSE, SseFloat.MAX, SseFloat.SS);
    }

    static void maxpd(Emitter e) {
        arith(e, SSE2, SseFloat.MAX, SseFloat.PD);
    }

    static void maxsd(Emitter e) {
        arith(e, SSE2, SseFloat.MAX, SseFloat.SD);
    }

    static void sqrtps(Emitter e) {
        arith(e, SSE, SseFloat.SQRT, SseFloat.PS);
    }

    static void sqrtss(Emitter e) {
        arith(e, SSE, SseFloat.SQRT, SseFloat.SS);
    }

    static void sqrtpd(Emitter e) {
        arith(e, SSE2, SseFloat.SQRT, SseFloat.PD);
    }

    static void sqrtsd(Emitter e) {
        arith(e, SSE2, SseFloat.SQRT, SseFloat.SD);
    }

    static void rcpps(Emitter e) {
        approx(e, SseFloat.RCP, SseFloat.PS);
    }

    static void rcpss(Emitter e) {
        approx(e, SseFloat.RCP, SseFloat.SS);
    }

    static void rsqrtps(Emitter e) {
        approx(e, SseFloat.RSQRT, SseFloat.PS);
    }

    static void rsqrtss(Emitter e) {
        approx(e, SseFloat.RSQRT, SseFloat.SS);
    }

    static void cmpps(Emitter e) {
        compare(e, SSE, SseFloat.PS);
    }

    static void cmpss(Emitter e) {
        compare(e, SSE, SseFloat.SS);
    }

    static void cmppd(Emitter e) {
        compare(e, SSE2, SseFloat.PD);
    }

    static void cmpsd(Emitter e) {
        compare(e, SSE2, SseFloat.SD);
    }

    static void comiss(Emitter e) {
        comis(e, SSE, false, true);
    }

    static void ucomiss(Emitter e) {
        comis(e, SSE, false, false);
    }

    static void comisd(Emitter e) {
        comis(e, SSE2, true, true);
    }

    static void ucomisd(Emitter e) {
        comis(e, SSE2, true, false);
    }

    static void cvtps2pd(Emitter e) {
        convert(e, SSE2, SseFloat.CVTPS2PD, 8);
    }

    static void cvtpd2ps(Emitter e) {
        convert(e, SSE2, SseFloat.CVTPD2PS, 16);
    }

    static void cvtss2sd(Emitter e) {
        convert(e, SSE2, SseFloat.CVTSS2SD, 4);
    }

    static void cvtsd2ss(Emitter e) {
        convert(e, SSE2, SseFloat.CVTSD2SS, 8);
    }

    static void cvtdq2ps(Emitter e) {
        convert(e, SSE2, SseFloat.CVTDQ2PS, 16);
    }

    static void cvtps2dq(Emitter e) {
        convert(e, SSE2, SseFloat.CVTPS2DQ, 16);
    }

    static void cvttps2dq(Emitter e) {
        convert(e, SSE2, SseFloat.CVTTPS2DQ, 16);
    }

    static void cvtdq2pd(Emitter e) {
        convert(e, SSE2, SseFloat.CVTDQ2PD, 8);
    }

    static void cvtpd2dq(Emitter e) {
        convert(e, SSE2, SseFloat.CVTPD2DQ, 16);
    }

    static void cvttpd2dq(Emitter e) {
        convert(e, SSE2, SseFloat.CVTTPD2DQ, 16);
    }

    static void cvtsi2ss(Emitter e) {
        fromInt(e, SSE, false);
    }

    static void cvtsi2sd(Emitter e) {
        fromInt(e, SSE2, true);
    }

    static void cvtss2si(Emitter e) {
        toInt(e, SSE, false, false);
    }

    static void cvttss2si(Emitter e) {
        toInt(e, SSE, false, true);
    }

    static void cvtsd2si(Emitter e) {
        toInt(e, SSE2, true, false);
    }

    static void cvttsd2si(Emitter e) {
        toInt(e, SSE2, true, true);
    }

    /**
     * xmm op= xmm/mem (SQRT: xmm = sqrt(xmm/mem)): SseOps.arith(cpu, op, form, d, s), or for the
     * scalar forms of ADD SUB MUL DIV SQRT their own entry with the source's value.
     */
    private static void arith(Emitter e, int feature, int op, int form) {
        gate(e, feature);
        boolean dbl = form == SseFloat.SD;
        HelperCall scalar = dbl || form == SseFloat.SS ? Calls.sseScalar(op, dbl) : null;
        if (scalar != null) {
            int v = scalarSource(e, 1, dbl);
            e.aloadCpu();
            e.loadXmm(0, 0);
            if (dbl) {
                e.lload(v);
            } else {
                e.iload(v);
            }
            e.call(scalar);
            e.storeXmm(0, 0);
            return;
        }
        byForm(e, op, form, Calls.SSE_ARITH);
    }

    private static void approx(Emitter e, int op, int form) {
        gate(e, SSE);
        byForm(e, op, form, Calls.SSE_APPROX);
    }

    /** {@code helper}(cpu, op, form, d, s) with the source xmm/mem (read first), after the gate. */
    private static void byForm(Emitter e, int op, int form, HelperCall helper) {
        loadSource(e, 1, sourceSize(form));
        e.aloadCpu();
        e.iconst(op);
        e.iconst(form);
        e.pushValue(0);
        pushSource(e, 1);
        e.call(helper);
    }

    /** CMPPS ...: the predicate from the immediate. */
    private static void compare(Emitter e, int feature, int form) {
        gate(e, feature);
        loadSource(e, 1, sourceSize(form));
        e.aloadCpu();
        e.iconst(form);
        e.pushValue(0);
        pushSource(e, 1);
        e.pushImm(2, 1);
        e.call(Calls.SSE_COMPARE);
    }

    /** COMISS ...: ZF PF CF from the comparison, OF SF AF clear; an unmasked exception faults before any flag changes. */
    private static void comis(Emitter e, int feature, boolean dbl, boolean signaling) {
        gate(e, feature);
        int v = scalarSource(e, 1, dbl);
        e.aloadCpu();
        e.iconst(dbl ? 1 : 0);
        e.iconst(signaling ? 1 : 0);
        e.loadXmm(0, 0);
        pushScalar(e, v, dbl);
        e.call(Calls.SSE_COMIS);
        e.setFlagsComputed();
    }

    /** Pushes a scalarSource value as a long (a single's in the low 32 bits). */
    private static void pushScalar(Emitter e, int v, boolean dbl) {
        if (dbl) {
            e.lload(v);
        } else {
            e.iload(v);
            e.op(I2L);
        }
    }

    private static void convert(Emitter e, int feature, int op, int sourceSize) {
        gate(e, feature);
        loadSource(e, 1, sourceSize);
        e.aloadCpu();
        e.iconst(op);
        e.pushValue(0);
        pushSource(e, 1);
        e.call(Calls.SSE_CONVERT);
    }

    /** CVTSI2SS, CVTSI2SD xmm, r/m32. */
    private static void fromInt(Emitter e, int feature, boolean dbl) {
        gate(e, feature);
        int v = e.temp();
        e.loadOperand(1, 4);
        e.istore(v);
        e.aloadCpu();
        e.iconst(dbl ? 1 : 0);
        e.loadXmm(0, 0);
        e.iload(v);
        e.call(Calls.SSE_FROM_INT);
        e.storeXmm(0, 0);
    }

    /** CVT(T)SS2SI, CVT(T)SD2SI r32, xmm/mem: the register is written only when no exception stops the instruction. */
    private static void toInt(Emitter e, int feature, boolean dbl, boolean truncate) {
        gate(e, feature);
        int v = scalarSource(e, 1, dbl);
        e.aloadCpu();
        e.iconst(dbl ? 1 : 0);
        e.iconst(truncate ? 1 : 0);
        pushScalar(e, v, dbl);
        e.call(Calls.SSE_TO_INT);
        e.storeOperand(0, 4);
    }

    /** The bytes a form's source operand has in memory: 16 packed (aligned), 4 or 8 scalar. */
    private static int sourceSize(int form) {
        return form == SseFloat.SS ? 4 : form == SseFloat.SD ? 8 : 16;
    }

    // ---- MXCSR, CLFLUSH

    /** LDMXCSR m32: #GP(0) for a reserved bit. */
    static void ldmxcsr(Emitter e) {
        gate(e, SSE);
        int lin = address(e, 0, false, UNALIGNED);
        int v = e.temp();
        e.read(4, lin);
        e.istore(v);
        e.aloadCpu();
        e.iload(v);
        e.call(Calls.SSE_LDMXCSR);
    }

    static void stmxcsr(Emitter e) {
        gate(e, SSE);
        int lin = address(e, 0, true, UNALIGNED);
        int v = e.temp();
        e.aloadCpu();
        e.call(Calls.SSE_MXCSR);
        e.istore(v);
        e.write(4, lin, v);
    }

    static void clflush(Emitter e) {
        e.aloadCpu();
        e.iconst(CpuFeatures.CLFSH);
        e.call(Calls.SSE_CHECK_FEATURE);
        int lin = address(e, 0, false, UNALIGNED);
        e.aloadCpu();
        e.iload(lin);
        e.call(Calls.SSE_CLFLUSH);
    }

    // ---- XMM registers in a translation's locals

    private static final String SSE_OPS = Type.getInternalName(SseOps.class), MMX_OPS = Type.getInternalName(MmxOps.class);

    /**
     * Whether a helper reads or writes the XMM registers in the FPU state, so that code keeping
     * them in locals stores them there before the call and loads them after
     * ({@link Emitter#call}): FXSAVE, FXRSTOR, and every SSE and MMX helper (MMX's moves and
     * conversions reach XMM registers too) but those that take and return values or touch no
     * architectural register (the gates, MXCSR, the memory operand's staging, the 16-byte store, CLFLUSH, the scalar arithmetic's entries, COMISS and kin, CVTSI2SS and CVTSS2SI and kin).
     */
    static boolean touchesXmm(HelperCall c) {
        if (c == Calls.FPU_FXSAVE || c == Calls.FPU_FXRSTOR) {
            return true;
        }
        if (c.owner.equals(MMX_OPS)) {
            return c != Calls.MMX_CHECK;
        }
        return c.owner.equals(SSE_OPS) && c != Calls.SSE_CHECK && c != Calls.SSE_CHECK_FEATURE && c != Calls.SSE_ALIGNED
                && c != Calls.SSE_LOAD128 && c != Calls.SSE_OPERAND && c != Calls.SSE_COMIS && c != Calls.SSE_FROM_INT
                && c != Calls.SSE_TO_INT
                && c != Calls.SSE_STORE128 && c != Calls.SSE_LDMXCSR && c != Calls.SSE_MXCSR && c != Calls.SSE_CLFLUSH
                && !isScalarEntry(c);
    }

    private static boolean isScalarEntry(HelperCall c) {
        for (int op = SseFloat.ADD; op <= SseFloat.SQRT; op++) {
            HelperCall d = Calls.sseScalar(op, true);
            if (d != null && (c == d || c == Calls.sseScalar(op, false))) {
                return true;
            }
        }
        return false;
    }

    // ---- shared parts

    /** The feature, CR0.EM and CR4.OSFXSR (#UD), CR0.TS (#NM); once in a straight line of translated code. */
    static void gate(Emitter e, int feature) {
        if (e.simdGatePassed(feature)) {
            return;
        }
        e.aloadCpu();
        e.iconst(feature);
        e.call(Calls.SSE_CHECK);
    }

    /**
     * The linear address of memory operand i, in a new local, after its segment checks and,
     * when {@code aligned}, the 16-byte alignment check.
     */
    static int address(Emitter e, int i, boolean write, boolean aligned) {
        int off = e.checkedOffset(i, write);
        int lin = e.temp();
        e.iload(off);
        e.addSegBaseOf(i);
        e.istore(lin);
        if (aligned) {
            e.aloadCpu();
            e.iload(lin);
            e.call(Calls.SSE_ALIGNED);
        }
        return lin;
    }

    /** A 128-bit memory source operand i is read into FpuState.XMM_OPERAND (nothing for a register). */
    private static void loadSource(Emitter e, int i, boolean aligned) {
        if (e.isMem(i)) {
            int lin = address(e, i, false, aligned);
            e.aloadCpu();
            e.iload(lin);
            e.call(Calls.SSE_LOAD128);
        }
    }

    /**
     * A memory source operand i of {@code size} bytes is read into FpuState.XMM_OPERAND (nothing for
     * a register): 16 bytes must be aligned; 8 or 4 go to its low bits, at any address.
     */
    static void loadSource(Emitter e, int i, int size) {
        if (size == 16) {
            loadSource(e, i, ALIGNED);
            return;
        }
        if (!e.isMem(i)) {
            return;
        }
        int lin = address(e, i, false, UNALIGNED);
        int v;
        if (size == 8) {
            v = e.read64(lin);
        } else {
            v = e.tempLong();
            e.read(4, lin);
            e.op(I2L);
            e.lconst(LOW32);
            e.op(LAND);
            e.lstore(v);
        }
        e.aloadCpu();
        e.lload(v);
        e.call(Calls.SSE_OPERAND);
    }

    /**
     * The value of a scalar source operand i in a new local, which this returns: a register's low
     * quadword ({@code dbl}, a long local) or doubleword, or the memory operand's 8 or 4 bytes.
     */
    private static int scalarSource(Emitter e, int i, boolean dbl) {
        if (e.isMem(i)) {
            int lin = address(e, i, false, UNALIGNED);
            if (dbl) {
                return e.read64(lin);
            }
            int v = e.temp();
            e.read(4, lin);
            e.istore(v);
            return v;
        }
        int v = dbl ? e.tempLong() : e.temp();
        e.loadXmm(i, 0);
        if (dbl) {
            e.lstore(v);
        } else {
            e.op(L2I);
            e.istore(v);
        }
        return v;
    }

    /** Pushes the register number of source operand i: its XMM register, or the operand read. */
    static void pushSource(Emitter e, int i) {
        if (e.isMem(i)) {
            e.iconst(FpuState.XMM_OPERAND);
        } else {
            e.pushValue(i);
        }
    }

    /** {@code op}(cpu, d, s) on two XMM registers. */
    private static void registers(Emitter e, HelperCall op) {
        e.aloadCpu();
        e.pushValue(0);
        e.pushValue(1);
        e.call(op);
    }
}
