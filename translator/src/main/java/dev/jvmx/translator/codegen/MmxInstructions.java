package dev.jvmx.translator.codegen;

import dev.jvmx.translator.arch.CpuFeatures;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.decode.Operand;
import dev.jvmx.translator.fpu.SseFloat;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;

/**
 * The MMX instructions (SDM Vol. 1 ch. 9; Vol. 2 each page): the MMX forms of the instructions
 * whose emitter is in {@link SseInstructions} (PADDB mm, mm/m64 ...), which hands them here; MMX's
 * own EMMS, SSE's and SSE2's additions (PSHUFW, MOVNTQ, MOVQ2DQ, MOVDQ2Q), the conversions
 * between MMX and XMM registers (CVTPI2PS ...) and the masked stores MASKMOVQ and MASKMOVDQU.
 *
 * <p>Each emits its gate first ({@link #gate}: the CPUID features and CR0.EM, #UD; CR0.TS, #NM;
 * then a pending x87 exception as a waiting x87 instruction takes it: #MF, or FERR# and a wait
 * at this instruction, which leaves the block with EIP still at it), then its memory operand's
 * segment checks, then one call into helpers.MmxOps, which reads a source before it changes
 * anything and applies the MMX state's rules (its class comment: MMi is the significand of x87
 * register Ri, a write sets Ri's sign and exponent to ones, TOP = 0 and every tag valid). MMX
 * registers live in the CPU's FPU state, never in a block's locals; register numbers are
 * per-instance values, so one first-tier handler serves every instruction of a form.
 */
final class MmxInstructions implements Opcodes {
    private static final int MMX = CpuFeatures.MMX, SSE = CpuFeatures.SSE, SSE2 = CpuFeatures.SSE2;
    private static final int MMX_SSE = MMX | SSE, MMX_SSE2 = MMX | SSE2;

    private MmxInstructions() { }

    /** The instruction's form has an MMX register operand (its row has XMM forms too). */
    static boolean isMmx(Emitter e) {
        for (int i = 0; i < e.operandCount(); i++) {
            if (e.kind(i) == Operand.Kind.MMX) {
                return true;
            }
        }
        return false;
    }

    // ---- moves

    /** MOVD mm, r/m32 (zero-extended to 64 bits) and r/m32, mm[31:0]. */
    static void movd(Emitter e) {
        gate(e, MMX);
        if (e.kind(0) == Operand.Kind.MMX) {
            int v = e.temp();
            e.loadOperand(1, 4);
            e.istore(v);
            e.aloadCpu();
            e.pushValue(0);
            e.iload(v);
            zeroExtend(e);
            e.call(Calls.MMX_SET);
        } else {
            e.aloadCpu();
            e.pushValue(1);
            e.call(Calls.MMX_GET);
            e.op(L2I);
            e.storeOperand(0, 4);
            enter(e);
        }
    }

    /** MOVQ mm, mm/m64 (NP 0F 6F) and mm/m64, mm (NP 0F 7F). */
    static void movq(Emitter e) {
        gate(e, MMX);
        if (e.isMem(0)) {
            store64(e);
            return;
        }
        int src = loadSource(e, 1);
        e.aloadCpu();
        e.pushValue(0);
        e.lload(src);
        e.call(Calls.MMX_SET);
    }

    /** MOVNTQ m64, mm: a plain store (one thread, no caches). */
    static void movntq(Emitter e) {
        gate(e, MMX_SSE);
        store64(e);
    }

    /** m64 ← MM (operand 1), then the MMX state: a store that faults leaves the x87 state as it was. */
    private static void store64(Emitter e) {
        int lin = SseInstructions.address(e, 0, true, false);
        int v = e.tempLong();
        e.aloadCpu();
        e.pushValue(1);
        e.call(Calls.MMX_GET);
        e.lstore(v);
        e.write64(lin, v);
        enter(e);
    }

    /** MOVQ2DQ xmm, mm. */
    static void movq2dq(Emitter e) {
        gateWithXmm(e, MMX_SSE2);
        e.aloadCpu();
        e.pushValue(0);
        e.pushValue(1);
        e.call(Calls.MMX_MOVQ2DQ);
    }

    /** MOVDQ2Q mm, xmm. */
    static void movdq2q(Emitter e) {
        gateWithXmm(e, MMX_SSE2);
        e.aloadCpu();
        e.pushValue(0);
        e.pushValue(1);
        e.call(Calls.MMX_MOVDQ2Q);
    }

    static void emms(Emitter e) {
        gate(e, MMX);
        e.aloadCpu();
        e.call(Calls.MMX_EMMS);
    }

    // ---- packed integer operations (SsePacked on one quadword)

    /** mm ← mm op mm/m64 (mm/m32 for PUNPCKLBW, PUNPCKLWD, PUNPCKLDQ). */
    static void packed(Emitter e, int features, int op) {
        gate(e, features);
        int src = loadSource(e, 1);
        e.aloadCpu();
        e.iconst(op);
        e.pushValue(0);
        e.lload(src);
        e.call(Calls.MMX_PACKED);
    }

    /** By imm8 (NP 0F 71-73 /n, on ModRM.rm) or by mm/m64, unsigned. */
    static void shift(Emitter e, int op) {
        gate(e, MMX);
        int count;
        if (e.isImm(1)) {
            count = e.tempLong();
            e.pushImm(1, 1);
            e.op(I2L);
            e.lstore(count);
        } else {
            count = loadSource(e, 1);
        }
        e.aloadCpu();
        e.iconst(op);
        e.pushValue(0);
        e.lload(count);
        e.call(Calls.MMX_SHIFT);
    }

    static void pshufw(Emitter e) {
        gate(e, MMX_SSE);
        int src = loadSource(e, 1);
        e.aloadCpu();
        e.pushValue(0);
        e.lload(src);
        e.pushImm(2, 1);
        e.call(Calls.MMX_PSHUFW);
    }

    /** PINSRW mm, r32/m16, imm8: a register gives its low word; memory is two bytes. */
    static void pinsrw(Emitter e) {
        gate(e, MMX_SSE);
        SseInstructions.insertWord(e, Calls.MMX_INSERT_WORD);
    }

    /** PEXTRW r32, mm, imm8. */
    static void pextrw(Emitter e) {
        gate(e, MMX_SSE);
        SseInstructions.extractWord(e, Calls.MMX_EXTRACT_WORD);
    }

    /** PMOVMSKB r32, mm. */
    static void pmovmskb(Emitter e) {
        gate(e, MMX_SSE);
        e.aloadCpu();
        e.pushValue(1);
        e.call(Calls.MMX_PMOVMSKB);
        e.storeOperand(0, 4);
    }

    // ---- the masked stores

    /** MASKMOVQ mm1, mm2: the bytes of mm1 that mm2's byte signs select, to DS:(E)DI. */
    static void maskmovq(Emitter e) {
        gate(e, MMX_SSE);
        maskedStore(e, 8, Calls.MMX_BYTE_MASK, Calls.MMX_MASKMOVQ);
        enter(e);
    }

    /** MASKMOVDQU xmm1, xmm2: an SSE2 instruction on XMM registers (no MMX state). */
    static void maskmovdqu(Emitter e) {
        SseInstructions.gate(e, SSE2);
        maskedStore(e, 16, Calls.SSE_PMOVMSKB, Calls.MMX_MASKMOVDQU);
    }

    /**
     * The store of MASKMOVQ / MASKMOVDQU: the byte mask from operand 1 ({@code mask}(cpu, reg)); with a
     * mask of zero nothing at all (no segment check, no page walk: the SDM lets an implementation
     * signal those faults or not, and jvmx does not); else the segment checks of a write of
     * {@code size} bytes at DS:(E)DI ((E)DI by the address size, DS or the segment override), then
     * {@code store}(cpu, lin, reg, mask), which walks every page of the {@code size} bytes before it
     * writes any byte.
     */
    private static void maskedStore(Emitter e, int size, HelperCall mask, HelperCall store) {
        int bytes = e.temp();
        e.aloadCpu();
        e.pushValue(1);
        e.call(mask);
        e.istore(bytes);
        Label none = new Label();
        e.iload(bytes);
        e.jump(IFEQ, none);
        int seg = e.segOverride() >= 0 ? e.segOverride() : Seg.DS;
        int lin = e.temp();
        e.loadReg(Cpu.EDI, e.addressSize());
        e.istore(lin);
        e.checkOffset(seg, lin, size, true);
        e.iload(lin);
        e.addSegBase(seg);
        e.istore(lin);
        e.aloadCpu();
        e.iload(lin);
        e.pushValue(0);
        e.iload(bytes);
        e.call(store);
        e.label(none);
    }

    // ---- conversions (fpu.SseFloat): an unmasked exception is #XM, or #UD without CR4.OSXMMEXCPT

    static void cvtpi2ps(Emitter e) {
        fromPackedInts(e, SSE, false);
    }

    static void cvtpi2pd(Emitter e) {
        fromPackedInts(e, SSE2, true);
    }

    static void cvtps2pi(Emitter e) {
        toPackedInts(e, MMX_SSE, SseFloat.CVTPS2PI, 8);
    }

    static void cvttps2pi(Emitter e) {
        toPackedInts(e, MMX_SSE, SseFloat.CVTTPS2PI, 8);
    }

    static void cvtpd2pi(Emitter e) {
        toPackedInts(e, MMX_SSE2, SseFloat.CVTPD2PI, 16);
    }

    static void cvttpd2pi(Emitter e) {
        toPackedInts(e, MMX_SSE2, SseFloat.CVTTPD2PI, 16);
    }

    /**
     * CVTPI2PS, CVTPI2PD xmm, mm/m64: with an MMX register the MMX checks (and #MF) and the
     * transition to the MMX state; with m64 the SSE checks only, and the x87 state left alone.
     */
    private static void fromPackedInts(Emitter e, int feature, boolean dbl) {
        boolean fromMmx = !e.isMem(1);
        if (fromMmx) {
            gateWithXmm(e, MMX | feature);
        } else {
            SseInstructions.gate(e, feature);
        }
        int src = loadSource(e, 1);
        e.aloadCpu();
        e.iconst(dbl ? 1 : 0);
        e.pushValue(0);
        e.lload(src);
        e.iconst(fromMmx ? 1 : 0);
        e.call(Calls.MMX_FROM_PACKED_INTS);
    }

    /** CVT(T)PS2PI mm, xmm/m64 and CVT(T)PD2PI mm, xmm/m128 (aligned): the source read into FpuState.XMM_OPERAND. */
    private static void toPackedInts(Emitter e, int features, int op, int sourceSize) {
        gateWithXmm(e, features);
        SseInstructions.loadSource(e, 1, sourceSize);
        e.aloadCpu();
        e.iconst(op);
        e.pushValue(0);
        SseInstructions.pushSource(e, 1);
        e.call(Calls.MMX_TO_PACKED_INTS);
    }

    // ---- shared parts

    /** The features and CR0.EM (#UD), CR0.TS (#NM), then a pending x87 exception (#MF or FERR#). */
    private static void gate(Emitter e, int features) {
        e.aloadCpu();
        e.iconst(features);
        e.call(Calls.MMX_CHECK);
        X87Instructions.pendingExceptions(e);
    }

    /** {@link #gate} for the instructions that use an XMM register too: #UD without CR4.OSFXSR as well. */
    private static void gateWithXmm(Emitter e, int features) {
        e.aloadCpu();
        e.iconst(features);
        e.call(Calls.MMX_CHECK_WITH_XMM);
        X87Instructions.pendingExceptions(e);
    }

    /** TOP = 0 and every tag valid, for an instruction that wrote no MMX register. */
    private static void enter(Emitter e) {
        e.aloadCpu();
        e.call(Calls.MMX_ENTER);
    }

    /** The int on the stack, zero-extended to a long. */
    private static void zeroExtend(Emitter e) {
        e.op(I2L);
        e.lconst(0xFFFFFFFFL);
        e.op(LAND);
    }

    /**
     * Source operand i as a long, in a new local: MMi, or its memory operand read (8 bytes, or 4
     * zero-extended for the m32 of PUNPCKLBW and kin) at any address, after its segment checks.
     */
    private static int loadSource(Emitter e, int i) {
        int lin = e.isMem(i) ? SseInstructions.address(e, i, false, false) : -1;
        if (lin >= 0 && e.operandSize(i) == 8) {
            return e.read64(lin);
        }
        int v = e.tempLong();
        if (lin >= 0) {
            e.read(4, lin);
            zeroExtend(e);
        } else {
            e.aloadCpu();
            e.pushValue(i);
            e.call(Calls.MMX_GET);
        }
        e.lstore(v);
        return v;
    }
}
