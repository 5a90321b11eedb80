package dev.jvmx.translator.helpers;

import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.arch.Cr4;
import dev.jvmx.translator.arch.Vector;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.cpu.Faults;
import dev.jvmx.translator.fpu.FpuImage;
import dev.jvmx.translator.fpu.FpuState;
import dev.jvmx.translator.fpu.SseFloat;
import dev.jvmx.translator.fpu.SsePacked;
import dev.jvmx.translator.mem.Mmu;

/**
 * The SSE and SSE2 instructions as generated code calls them (codegen.SseInstructions): their
 * checks, their memory operands, and the register operations of {@link SsePacked} on the CPU's
 * XMM registers ({@link FpuState#xmm}). Memory operands arrive as linear addresses, after the
 * segment checks the generated code made.
 *
 * <h2>Order of checks (SDM Vol. 2, each page's exception table; Vol. 3A 13.1)</h2>
 * <ol>
 * <li>#UD if CPUID does not report the instruction's feature ({@code cpu.features}), if CR0.EM
 *     = 1 or if CR4.OSFXSR = 0 ({@link #check});</li>
 * <li>#NM if CR0.TS = 1;</li>
 * <li>the memory operand's segment checks, then #GP(0) if a 16-byte operand that must be aligned
 *     is not ({@link #aligned});</li>
 * <li>page faults: a load reads all of its bytes before it changes a register; a store makes
 *     sure every page it touches is writable before it writes a byte, so a #PF on the second
 *     page of an unaligned store leaves memory as it was.</li>
 * </ol>
 */
public final class SseOps {
    private SseOps() { }

    // ---- checks

    /** #UD without {@code feature} (arch.CpuFeatures), with CR0.EM or without CR4.OSFXSR; #NM with CR0.TS. */
    public static void check(Cpu cpu, int feature) {
        if ((cpu.features & feature) == 0 || (cpu.cr0 & Cr0.EM) != 0 || (cpu.cr4 & Cr4.OSFXSR) == 0) {
            throw Faults.raise(cpu, Vector.UD);
        }
        if ((cpu.cr0 & Cr0.TS) != 0) {
            throw Faults.raise(cpu, Vector.NM);
        }
    }

    /** The instructions that use no SSE state (MOVNTI, CLFLUSH): #UD without their CPUID feature only. */
    public static void checkFeature(Cpu cpu, int feature) {
        if ((cpu.features & feature) == 0) {
            throw Faults.raise(cpu, Vector.UD);
        }
    }

    /** #GP(0) unless the 16-byte operand at linear {@code lin} is 16-byte aligned. */
    public static void aligned(Cpu cpu, int lin) {
        if ((lin & 15) != 0) {
            throw Faults.raise(cpu, Vector.GP, 0, true);
        }
    }

    // ---- memory

    /** Reads the 16 bytes at {@code lin} into {@link FpuState#XMM_OPERAND}. */
    public static void load128(Cpu cpu, int lin) {
        long lo = DataAccess.read64(cpu, lin), hi = DataAccess.read64(cpu, lin + 8);
        long[] x = cpu.fpu.xmm;
        x[2 * FpuState.XMM_OPERAND] = lo;
        x[2 * FpuState.XMM_OPERAND + 1] = hi;
    }

    /** An 8- or 4-byte memory operand read (zero-extended) into {@link FpuState#XMM_OPERAND}. */
    public static void operand(Cpu cpu, long v) {
        long[] x = cpu.fpu.xmm;
        x[2 * FpuState.XMM_OPERAND] = v;
        x[2 * FpuState.XMM_OPERAND + 1] = 0;
    }

    /** Writes a register's quadwords {@code lo} and {@code hi} to the 16 bytes at {@code lin}, after making sure none of them faults. */
    public static void store128(Cpu cpu, int lin, long lo, long hi) {
        DataAccess.prepareWrite(cpu, lin, 16);
        DataAccess.write64(cpu, lin, lo);
        DataAccess.write64(cpu, lin + 8, hi);
    }

    // ---- register parts (a first-tier handler's accessors, codegen.Emitter.loadXmm and storeXmm)

    /** XMM{@code src}[63:0]. */
    public static long low64(Cpu cpu, int src) {
        return cpu.fpu.xmm[2 * src];
    }

    /** XMM{@code src}[127:64]. */
    public static long high64(Cpu cpu, int src) {
        return cpu.fpu.xmm[2 * src + 1];
    }

    /** MOVLPS, MOVLPD xmm, m64: bits 63:0, the upper quadword kept. */
    public static void setLow64(Cpu cpu, int d, long v) {
        cpu.fpu.xmm[2 * d] = v;
    }

    /** MOVHPS, MOVHPD xmm, m64: bits 127:64, the lower quadword kept. */
    public static void setHigh64(Cpu cpu, int d, long v) {
        cpu.fpu.xmm[2 * d + 1] = v;
    }

    // ---- register operations (SsePacked)

    public static void movhlps(Cpu cpu, int d, int src) {
        SsePacked.movhlps(cpu.fpu, d, src);
    }

    public static void movlhps(Cpu cpu, int d, int src) {
        SsePacked.movlhps(cpu.fpu, d, src);
    }

    public static int movmskps(Cpu cpu, int src) {
        return SsePacked.movmskps(cpu.fpu, src);
    }

    public static int movmskpd(Cpu cpu, int src) {
        return SsePacked.movmskpd(cpu.fpu, src);
    }

    public static int pmovmskb(Cpu cpu, int src) {
        return SsePacked.pmovmskb(cpu.fpu, src);
    }

    /** A packed integer or logical operation ({@link SsePacked#packed}). */
    public static void packed(Cpu cpu, int op, int d, int src) {
        SsePacked.packed(cpu.fpu, op, d, src);
    }

    /** A shift ({@link SsePacked#shift}). */
    public static void shift(Cpu cpu, int op, int d, long count) {
        SsePacked.shift(cpu.fpu, op, d, count);
    }

    /** A shuffle ({@link SsePacked#shuffle}). */
    public static void shuffle(Cpu cpu, int op, int d, int src, int order) {
        SsePacked.shuffle(cpu.fpu, op, d, src, order);
    }

    /** PINSRW ({@link SsePacked#insertWord}). */
    public static void insertWord(Cpu cpu, int d, int v, int index) {
        SsePacked.insertWord(cpu.fpu, d, v, index);
    }

    /** PEXTRW ({@link SsePacked#extractWord}). */
    public static int extractWord(Cpu cpu, int src, int index) {
        return SsePacked.extractWord(cpu.fpu, src, index);
    }

    // ---- floating point (fpu.SseFloat)

    /** ADDPS ... SQRTSD ({@link SseFloat#arith}). */
    public static void arith(Cpu cpu, int op, int form, int d, int src) {
        if (!SseFloat.arith(cpu.fpu, op, form, d, src)) {
            throw simdException(cpu);
        }
    }

    // ADDSD ... SQRTSS by value, the destination's low quadword a and the source's low lane b,
    // returning the destination's new low quadword (SseInstructions keeps the registers where its
    // tier keeps them): SseFloat's per-operation fast paths, small enough to inline into generated
    // code, then the full operation for every other case.

    public static long addsd(Cpu cpu, long a, long b) {
        return orFull(cpu, SseFloat.ADD, a, b, SseFloat.addsd(cpu.fpu, a, b));
    }

    public static long subsd(Cpu cpu, long a, long b) {
        return orFull(cpu, SseFloat.SUB, a, b, SseFloat.subsd(cpu.fpu, a, b));
    }

    public static long mulsd(Cpu cpu, long a, long b) {
        return orFull(cpu, SseFloat.MUL, a, b, SseFloat.mulsd(cpu.fpu, a, b));
    }

    public static long divsd(Cpu cpu, long a, long b) {
        return orFull(cpu, SseFloat.DIV, a, b, SseFloat.divsd(cpu.fpu, a, b));
    }

    public static long sqrtsd(Cpu cpu, long a, long b) {
        return orFull(cpu, SseFloat.SQRT, a, b, SseFloat.sqrtsd(cpu.fpu, b));
    }

    public static long addss(Cpu cpu, long a, int b) {
        return orFullSingle(cpu, SseFloat.ADD, a, b, SseFloat.addss(cpu.fpu, (int) a, b));
    }

    public static long subss(Cpu cpu, long a, int b) {
        return orFullSingle(cpu, SseFloat.SUB, a, b, SseFloat.subss(cpu.fpu, (int) a, b));
    }

    public static long mulss(Cpu cpu, long a, int b) {
        return orFullSingle(cpu, SseFloat.MUL, a, b, SseFloat.mulss(cpu.fpu, (int) a, b));
    }

    public static long divss(Cpu cpu, long a, int b) {
        return orFullSingle(cpu, SseFloat.DIV, a, b, SseFloat.divss(cpu.fpu, (int) a, b));
    }

    public static long sqrtss(Cpu cpu, long a, int b) {
        return orFullSingle(cpu, SseFloat.SQRT, a, b, SseFloat.sqrtss(cpu.fpu, b));
    }

    /** A double's fast result {@code r}, or the operation in full where the fast path declined. */
    private static long orFull(Cpu cpu, int op, long a, long b, long r) {
        return r != SseFloat.NOT_FAST ? r : scalar(cpu, op, true, a, b);
    }

    /** A single's fast result {@code r} in {@code a}'s low lane, or the operation in full. */
    private static long orFullSingle(Cpu cpu, int op, long a, int b, int r) {
        return r != SseFloat.NOT_FAST_SINGLE ? a & HIGH32 | r & LOW32 : scalar(cpu, op, false, a, b & LOW32);
    }

    /** The full operation ({@link SseFloat#scalar}): the new low quadword, or #XM (#UD) for an unmasked exception. */
    private static long scalar(Cpu cpu, int op, boolean dbl, long a, long b) {
        if (!SseFloat.scalar(cpu.fpu, op, dbl, a, b)) {
            throw simdException(cpu);
        }
        return cpu.fpu.xmm[2 * FpuState.XMM_SCRATCH];
    }

    private static final long LOW32 = 0xFFFFFFFFL, HIGH32 = ~LOW32;

    /** RCPPS, RCPSS, RSQRTPS, RSQRTSS ({@link SseFloat#approx}): never an exception. */
    public static void approx(Cpu cpu, int op, int form, int d, int src) {
        SseFloat.approx(cpu.fpu, op, form, d, src);
    }

    /** CMPPS ... CMPSD with imm8[2:0] as the predicate ({@link SseFloat#compare}). */
    public static void compare(Cpu cpu, int form, int d, int src, int imm8) {
        if (!SseFloat.compare(cpu.fpu, form, d, src, imm8 & 7)) {
            throw simdException(cpu);
        }
    }

    /** COMISS ... UCOMISD: the six arithmetic flags to set, ZF PF CF from the comparison, OF SF AF clear. */
    public static int comis(Cpu cpu, int dbl, int signaling, long a, long b) {
        int f = SseFloat.comis(cpu.fpu, dbl != 0, signaling != 0, a, b);
        if (f < 0) {
            throw simdException(cpu);
        }
        return f;
    }

    /** The conversions between XMM registers ({@link SseFloat#convert}). */
    public static void convert(Cpu cpu, int op, int d, int src) {
        if (!SseFloat.convert(cpu.fpu, op, d, src)) {
            throw simdException(cpu);
        }
    }

    /** CVTSI2SS, CVTSI2SD ({@link SseFloat#fromInt}): the destination's new low quadword, from {@code a}. */
    public static long fromInt(Cpu cpu, int dbl, long a, int value) {
        FpuState s = cpu.fpu;
        s.xmm[2 * FpuState.XMM_SCRATCH] = a;
        if (!SseFloat.fromInt(s, dbl != 0, FpuState.XMM_SCRATCH, value)) {
            throw simdException(cpu);
        }
        return s.xmm[2 * FpuState.XMM_SCRATCH];
    }

    /** CVTSS2SI, CVTTSS2SI, CVTSD2SI, CVTTSD2SI: the integer for the destination register. */
    public static int toInt(Cpu cpu, int dbl, int truncate, long b) {
        long r = SseFloat.toInt(cpu.fpu, dbl != 0, truncate != 0, b);
        if ((r & TO_INT_FAULT) != 0) {
            throw simdException(cpu);
        }
        return (int) r;
    }

    /** The bit of {@link SseFloat#toInt}'s result that says an unmasked exception stopped it. */
    private static final long TO_INT_FAULT = 1L << 32;

    /**
     * An unmasked SIMD floating-point exception, its flags already in MXCSR: #XM with CR4.OSXMMEXCPT,
     * else #UD (SDM Vol. 3A 6.15, interrupt 19).
     */
    static RuntimeException simdException(Cpu cpu) {
        return Faults.raise(cpu, (cpu.cr4 & Cr4.OSXMMEXCPT) != 0 ? Vector.XM : Vector.UD);
    }

    // ---- MXCSR and CLFLUSH

    /** LDMXCSR: #GP(0) when a reserved bit (one MXCSR_MASK does not have) is set. */
    public static void ldmxcsr(Cpu cpu, int v) {
        if ((v & ~FpuImage.MXCSR_MASK) != 0) {
            throw Faults.raise(cpu, Vector.GP, 0, true);
        }
        cpu.fpu.mxcsr = v;
    }

    /** STMXCSR: the value to store. */
    public static int mxcsr(Cpu cpu) {
        return cpu.fpu.mxcsr;
    }

    /**
     * CLFLUSH: no caches to write back, but the access is checked as a read of the byte (a page
     * fault if it is not mapped), without reading it (a read could move an MMIO device).
     */
    public static void clflush(Cpu cpu, int lin) {
        cpu.mmu.translate(lin, Mmu.ACCESS_READ);
    }
}
