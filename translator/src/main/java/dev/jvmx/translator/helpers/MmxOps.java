package dev.jvmx.translator.helpers;

import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.arch.Cr4;
import dev.jvmx.translator.arch.Vector;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.cpu.Faults;
import dev.jvmx.translator.fpu.FpuState;
import dev.jvmx.translator.fpu.SseFloat;
import dev.jvmx.translator.fpu.SsePacked;

/**
 * The MMX instructions as generated code calls them (codegen.MmxInstructions, and the MMX forms of
 * codegen.SseInstructions): their checks, and the operations of {@link SsePacked} and
 * {@link SseFloat} on the CPU's MMX registers. Memory operands arrive as values already read or as
 * linear addresses, after the segment checks the generated code made.
 *
 * <h2>The MMX state (SDM Vol. 1, 9.5 and 9.6; Vol. 3A, "MMX state and MMX register aliasing")</h2>
 * <ul>
 * <li>MM0-MM7 are the significands (bits 63:0) of the x87 <em>physical</em> registers R0-R7
 *     ({@link FpuState#mmx}): not of ST(i), whatever TOP is.</li>
 * <li>An instruction that writes MMi also sets Ri's sign and exponent (bits 79:64) to all ones
 *     ({@link FpuState#setMmx}); FNSAVE and FXSAVE then show an x87 value that is a NaN or an
 *     unsupported encoding (tag "special"), and an x87 load of the register sees it as such.</li>
 * <li>Every MMX instruction but EMMS sets TOP to 0 and every tag valid ({@link FpuState#enterMmx})
 *     when it completes, whether it writes an MMX register or only reads one (MOVD r/m32, mm ...);
 *     EMMS sets every tag empty, and TOP to 0 too (Vol. 3A: "each time an MMX instruction is
 *     executed, the TOS value is set to 000B"). No other x87 state changes: the control and status
 *     words but TOP, FIP, FDP, FOP.</li>
 * <li>An instruction that faults changes none of it.</li>
 * </ul>
 *
 * <h2>Order of checks (each page's exception table; Vol. 3A, Table 13-1 on CR0.EM and CR0.TS)</h2>
 * <ol>
 * <li>#UD without the CPUID features ({@code cpu.features}: MMX; MMX and SSE for SSE's additions;
 *     MMX and SSE2 for SSE2's) or with CR0.EM = 1 ({@link #check}); the instructions that also use
 *     an XMM register (MOVQ2DQ, MOVDQ2Q, the conversions) also without CR4.OSFXSR
 *     ({@link #checkWithXmm});</li>
 * <li>#NM with CR0.TS = 1;</li>
 * <li>#MF for a pending unmasked x87 exception (FSW.ES), as a waiting x87 instruction reports
 *     it: #MF with CR0.NE = 1, else FERR# and a wait at the instruction (helpers.FpuOps
 *     waitOrFreeze; the generated code makes that check);</li>
 * <li>the memory operand's segment checks (an MMX operand may sit at any address; CVTPD2PI's
 *     m128 must be 16-byte aligned), then its page faults;</li>
 * <li>for the conversions, an unmasked SIMD floating-point exception (#XM, or #UD without
 *     CR4.OSXMMEXCPT): the destination and the x87 state unchanged.</li>
 * </ol>
 * CVTPI2PS and CVTPI2PD with a memory source use no MMX register: they make the SSE checks only
 * (no #MF) and leave the x87 state alone (Vol. 2, CVTPI2PD: "does not cause a transition to MMX
 * technology and does not take x87 FPU exceptions").
 */
public final class MmxOps {
    private MmxOps() { }

    // ---- checks

    /** #UD without every feature of {@code features} (arch.CpuFeatures) or with CR0.EM; #NM with CR0.TS. */
    public static void check(Cpu cpu, int features) {
        if ((cpu.features & features) != features || (cpu.cr0 & Cr0.EM) != 0) {
            throw Faults.raise(cpu, Vector.UD);
        }
        if ((cpu.cr0 & Cr0.TS) != 0) {
            throw Faults.raise(cpu, Vector.NM);
        }
    }

    /** {@link #check} for the instructions that use an XMM register too: #UD without CR4.OSFXSR as well. */
    public static void checkWithXmm(Cpu cpu, int features) {
        if ((cpu.features & features) != features || (cpu.cr0 & Cr0.EM) != 0 || (cpu.cr4 & Cr4.OSFXSR) == 0) {
            throw Faults.raise(cpu, Vector.UD);
        }
        if ((cpu.cr0 & Cr0.TS) != 0) {
            throw Faults.raise(cpu, Vector.NM);
        }
    }

    // ---- registers and the x87 state

    /** MM{@code mm}, as a source (no change to the x87 state: the instruction calls {@link #enter} when done). */
    public static long get(Cpu cpu, int mm) {
        return cpu.fpu.mmx(mm);
    }

    /** MOVD, MOVQ mm, source: MM{@code d} = {@code v}, then TOP = 0 and every tag valid. */
    public static void set(Cpu cpu, int d, long v) {
        FpuState s = cpu.fpu;
        s.setMmx(d, v);
        s.enterMmx();
    }

    /** The x87 state of an MMX instruction that completed without writing an MMX register (a store). */
    public static void enter(Cpu cpu) {
        cpu.fpu.enterMmx();
    }

    public static void emms(Cpu cpu) {
        cpu.fpu.emms();
    }

    // ---- operations (SsePacked on one quadword)

    /** A packed integer or logical operation: MM{@code d} = MM{@code d} op {@code src} ({@link SsePacked#packed64}). */
    public static void packed(Cpu cpu, int op, int d, long src) {
        FpuState s = cpu.fpu;
        s.setMmx(d, SsePacked.packed64(op, s.mmx(d), src));
        s.enterMmx();
    }

    /** A shift of MM{@code d} by {@code count} (an immediate, or mm/m64 unsigned; {@link SsePacked#shift64}). */
    public static void shift(Cpu cpu, int op, int d, long count) {
        FpuState s = cpu.fpu;
        s.setMmx(d, SsePacked.shift64(op, s.mmx(d), count));
        s.enterMmx();
    }

    /** PSHUFW mm, mm/m64, imm8. */
    public static void pshufw(Cpu cpu, int d, long src, int order) {
        set(cpu, d, SsePacked.shuffleWords(src, order));
    }

    /** PINSRW mm, r32/m16, imm8: word imm8[1:0]. */
    public static void insertWord(Cpu cpu, int d, int v, int index) {
        set(cpu, d, SsePacked.insertWord64(cpu.fpu.mmx(d), v, index));
    }

    /** PEXTRW r32, mm, imm8: word imm8[1:0], zero-extended (the register write cannot fault). */
    public static int extractWord(Cpu cpu, int src, int index) {
        FpuState s = cpu.fpu;
        int w = SsePacked.extractWord64(s.mmx(src), index);
        s.enterMmx();
        return w;
    }

    /** PMOVMSKB r32, mm: the sign bits of the eight bytes, zero-extended. */
    public static int pmovmskb(Cpu cpu, int src) {
        FpuState s = cpu.fpu;
        int m = SsePacked.byteSigns(s.mmx(src));
        s.enterMmx();
        return m;
    }

    /** MOVQ2DQ xmm, mm: the upper quadword zeroed. */
    public static void movq2dq(Cpu cpu, int xmm, int mm) {
        FpuState s = cpu.fpu;
        s.xmm[2 * xmm] = s.mmx(mm);
        s.xmm[2 * xmm + 1] = 0;
        s.enterMmx();
    }

    /** MOVDQ2Q mm, xmm: the low quadword. */
    public static void movdq2q(Cpu cpu, int mm, int xmm) {
        set(cpu, mm, cpu.fpu.xmm[2 * xmm]);
    }

    // ---- the masked stores

    /** The mask of MASKMOVQ: bit i set when byte i of MM{@code mm} has bit 7 set (no change to the x87 state). */
    public static int byteMask(Cpu cpu, int mm) {
        return SsePacked.byteSigns(cpu.fpu.mmx(mm));
    }

    /**
     * MASKMOVQ with a mask that is not zero: byte i of MM{@code src} to {@code lin + i} for each bit
     * i of {@code bytes}, after the 8 bytes' page checks (a write), so that a fault writes nothing.
     */
    public static void maskmovq(Cpu cpu, int lin, int src, int bytes) {
        maskedStore(cpu, lin, 8, cpu.fpu.mmx(src), 0, bytes);
    }

    /** MASKMOVDQU with a mask that is not zero: as {@link #maskmovq}, 16 bytes of XMM{@code src}. */
    public static void maskmovdqu(Cpu cpu, int lin, int src, int bytes) {
        maskedStore(cpu, lin, 16, cpu.fpu.xmm[2 * src], cpu.fpu.xmm[2 * src + 1], bytes);
    }

    private static void maskedStore(Cpu cpu, int lin, int size, long lo, long hi, int bytes) {
        DataAccess.prepareWrite(cpu, lin, size);
        for (int i = 0; i < size; i++) {
            if ((bytes >>> i & 1) != 0) {
                long q = i < 8 ? lo : hi;
                DataAccess.write8(cpu, lin + i, (int) (q >>> (8 * (i & 7))) & 0xFF);
            }
        }
    }

    // ---- the conversions between MMX and XMM registers (SseFloat)

    /**
     * CVTPI2PS (dbl 0), CVTPI2PD (dbl 1) xmm, mm/m64: {@code ints} is MMi or the m64 read;
     * {@code fromMmx} 1 for an MMX register source, which makes the transition to the MMX state.
     */
    public static void fromPackedInts(Cpu cpu, int dbl, int d, long ints, int fromMmx) {
        if (!SseFloat.fromPackedInts(cpu.fpu, dbl != 0, d, ints)) {
            throw SseOps.simdException(cpu);
        }
        if (fromMmx != 0) {
            cpu.fpu.enterMmx();
        }
    }

    /** CVTPS2PI ... CVTTPD2PI mm, xmm/m ({@link SseFloat#toPackedInts}; {@code src} may be the operand read). */
    public static void toPackedInts(Cpu cpu, int op, int mm, int src) {
        if (!SseFloat.toPackedInts(cpu.fpu, op, mm, src)) {
            throw SseOps.simdException(cpu);
        }
        cpu.fpu.enterMmx();
    }
}
