package dev.jvmx.translator.helpers;

import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.arch.Vector;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.cpu.Faults;
import dev.jvmx.translator.cpu.GuestFault;
import dev.jvmx.translator.fpu.FpuImage;
import dev.jvmx.translator.fpu.FpuState;
import dev.jvmx.translator.fpu.X87;

/**
 * The x87 instructions as generated code calls them: one static method per instruction form, on
 * the FPU state of a {@link Cpu}, with the guest memory operand read or written through the CPU's
 * MMU. The semantics are in {@code dev.jvmx.translator.fpu}, which knows nothing of the CPU (so
 * that {@code Cpu} can hold an {@code FpuState} without a two-way package dependency).
 *
 * <h2>Order of checks (SDM Vol. 3A 2.5 Table 2-2 and 6.9 Table 6-2; Vol. 2 each page)</h2>
 * <ol>
 * <li>#UD for a reserved encoding (the decoder).</li>
 * <li>#NM: {@link #deviceNotAvailable} for every D8-DF instruction (CR0.EM or CR0.TS);
 *     {@link #waitDeviceNotAvailable} for WAIT/FWAIT (CR0.MP and CR0.TS); {@link #fxsaveChecks}
 *     for FXSAVE/FXRSTOR (#UD if CR0.EM, #NM if CR0.TS, #GP(0) if not 16-byte aligned).</li>
 * <li>For a <em>waiting</em> instruction, a pending unmasked exception: {@link #waiting} raises
 *     #MF (CR0.NE = 1) or reports FERR# (CR0.NE = 0). Every x87 instruction is waiting except
 *     FNINIT, FNCLEX, FNSTCW, FNSTSW (m16 and AX), FNSTENV, FNSAVE, FNENI/FNDISI/FNSETPM (DB E0, E1,
 *     E4: no-ops), FXSAVE and FXRSTOR. FINIT, FCLEX, FSTCW, FSTSW, FSTENV, FSAVE are FWAIT (9B)
 *     followed by the no-wait form, two instructions for the decoder.</li>
 * <li>Segment checks of the memory operand (the caller: limit and rights for the operand's
 *     size, which each method's comment gives), then the page walk: the methods read the operand
 *     before, and probe a written operand before, they change any FPU state, so a #PF or #GP
 *     leaves the FPU as it was and the instruction restarts cleanly.</li>
 * <li>The numeric exceptions of the operation: recorded in the status word; an unmasked one is
 *     only made pending (ES = B = 1) and is reported by the next waiting instruction.</li>
 * </ol>
 *
 * <p>Parameters: {@code eip} is the offset of the instruction's first byte (prefixes included)
 * and {@code fop} its 11-bit opcode ((first byte & 7) << 8 | ModRM); a memory operand is given as
 * a segment register ({@link Seg}) and an offset. Every non-control instruction records them as
 * the last instruction pointer FIP/FCS/FOP and (with a memory operand) the last data pointer
 * FDP/FDS; the control instructions (FNINIT, FNCLEX, FLDCW, FNSTCW, FNSTSW, FNSTENV, FLDENV,
 * FNSAVE, FRSTOR, FWAIT, FXSAVE, FXRSTOR) leave them alone.
 */
public final class FpuOps {
    /** {@link #waiting}: the instruction may run. */
    public static final boolean PROCEED = true;

    private FpuOps() { }

    // =====================================================================================
    // Checks

    /** #NM for an x87 (D8-DF) instruction when CR0.EM or CR0.TS is set. */
    public static void deviceNotAvailable(Cpu cpu) {
        if ((cpu.cr0 & (Cr0.EM | Cr0.TS)) != 0) {
            throw fault(cpu, Vector.NM);
        }
    }

    /** #NM for WAIT/FWAIT when CR0.MP and CR0.TS are both set. */
    public static void waitDeviceNotAvailable(Cpu cpu) {
        if ((cpu.cr0 & (Cr0.MP | Cr0.TS)) == (Cr0.MP | Cr0.TS)) {
            throw fault(cpu, Vector.NM);
        }
    }

    /** FXSAVE/FXRSTOR: #UD if CR0.EM, #NM if CR0.TS, #GP(0) unless the operand is 16-byte aligned. */
    public static void fxsaveChecks(Cpu cpu, int seg, int off) {
        if ((cpu.cr0 & Cr0.EM) != 0) {
            throw fault(cpu, Vector.UD);
        }
        if ((cpu.cr0 & Cr0.TS) != 0) {
            throw fault(cpu, Vector.NM);
        }
        if (((cpu.seg[seg].base + off) & 15) != 0) {
            throw Faults.raise(cpu, Vector.GP, 0, true);
        }
    }

    /**
     * The pending-exception check of a waiting instruction. Returns {@link #PROCEED} when no
     * unmasked exception is pending (or IGNNE# is asserted with CR0.NE = 0). With a pending
     * exception: CR0.NE = 1 raises #MF (a fault: EIP of this instruction); CR0.NE = 0 returns
     * false: FERR# is asserted (see {@link #ferr}), the processor waits at this instruction for
     * an interrupt (IRQ 13 from the board), and the caller re-executes it afterwards.
     */
    public static boolean waiting(Cpu cpu) {
        FpuState s = cpu.fpu;
        if (!s.pending()) {
            s.ignne = false; // FERR# is low again: IGNNE# no longer applies
            return PROCEED;
        }
        if (s.ignne) {
            return PROCEED;
        }
        if ((cpu.cr0 & Cr0.NE) != 0) {
            throw fault(cpu, Vector.MF);
        }
        return false;
    }

    /**
     * The pending-exception check as generated code makes it: {@link #waiting}, and where that
     * returns false the freeze of CR0.NE = 0 (SDM Vol. 1, D.2.1): FERR# goes to the board
     * ({@link Cpu#ferr}, IRQ 13 on a PC) and the processor waits at this instruction, as HLT
     * waits, for an interrupt. The caller then leaves with EIP at the instruction, which runs
     * again after the interrupt (its handler may acknowledge FERR#: IGNNE#, port F0h).
     */
    public static boolean waitOrFreeze(Cpu cpu) {
        if (waiting(cpu)) {
            return PROCEED;
        }
        cpu.halted = true;
        cpu.ferr.run();
        return false;
    }

    /** The FERR# output: high while an unmasked exception is pending (ES). */
    public static boolean ferr(Cpu cpu) {
        return cpu.fpu.pending();
    }

    /** WAIT/FWAIT (9B): nothing but {@link #waiting}. */
    public static boolean fwait(Cpu cpu) {
        return waiting(cpu);
    }

    private static GuestFault fault(Cpu cpu, int vector) {
        return Faults.raise(cpu, vector);
    }

    // =====================================================================================
    // Memory

    private static int lin(Cpu cpu, int seg, int off) {
        return cpu.seg[seg].base + off;
    }

    /**
     * Raises a pending #PF for a write of {@code size} bytes before anything changes, and a
     * restart for a write into the running block's code (DataAccess.prepareWrite).
     */
    private static void probeWrite(Cpu cpu, int lin, int size) {
        DataAccess.prepareWrite(cpu, lin, size); // at most 512 bytes: one page or two
    }

    private static void ip(Cpu cpu, int eip, int fop) {
        cpu.fpu.lastInstruction(eip, cpu.seg[Seg.CS].selector, fop);
    }

    private static void dp(Cpu cpu, int seg, int off) {
        cpu.fpu.lastData(off, cpu.seg[seg].selector);
    }

    private static boolean realFormat(Cpu cpu) {
        return !cpu.protectedMode() || cpu.v86();
    }

    // =====================================================================================
    // Arithmetic (waiting)

    /** D8/DC/DE register forms: ST(dst) ← ST(dst) op ST(src) (see {@link X87#arith}). */
    public static void arith(Cpu cpu, int op, int dst, int src, boolean pop, int eip, int fop) {
        ip(cpu, eip, fop);
        X87.arith(cpu.fpu, op, dst, src, pop);
    }

    /** D8 /op m32fp (4 bytes). */
    public static void arithM32(Cpu cpu, int op, int seg, int off, int eip, int fop) {
        int v = DataAccess.read32(cpu, lin(cpu, seg, off));
        ip(cpu, eip, fop);
        dp(cpu, seg, off);
        X87.arithM32(cpu.fpu, op, v);
    }

    /** DC /op m64fp (8 bytes). */
    public static void arithM64(Cpu cpu, int op, int seg, int off, int eip, int fop) {
        long v = DataAccess.read64(cpu, lin(cpu, seg, off));
        ip(cpu, eip, fop);
        dp(cpu, seg, off);
        X87.arithM64(cpu.fpu, op, v);
    }

    /** DA /op m32int (4 bytes). */
    public static void arithI32(Cpu cpu, int op, int seg, int off, int eip, int fop) {
        int v = DataAccess.read32(cpu, lin(cpu, seg, off));
        ip(cpu, eip, fop);
        dp(cpu, seg, off);
        X87.arithInt(cpu.fpu, op, v);
    }

    /** DE /op m16int (2 bytes). */
    public static void arithI16(Cpu cpu, int op, int seg, int off, int eip, int fop) {
        int v = (short) DataAccess.read16(cpu, lin(cpu, seg, off));
        ip(cpu, eip, fop);
        dp(cpu, seg, off);
        X87.arithInt(cpu.fpu, op, v);
    }

    public static void fsqrt(Cpu cpu, int eip, int fop) {
        ip(cpu, eip, fop);
        X87.fsqrt(cpu.fpu);
    }

    public static void frndint(Cpu cpu, int eip, int fop) {
        ip(cpu, eip, fop);
        X87.frndint(cpu.fpu);
    }

    public static void fscale(Cpu cpu, int eip, int fop) {
        ip(cpu, eip, fop);
        X87.fscale(cpu.fpu);
    }

    public static void fxtract(Cpu cpu, int eip, int fop) {
        ip(cpu, eip, fop);
        X87.fxtract(cpu.fpu);
    }

    /** FPREM (D9 F8) and FPREM1 (D9 F5, {@code ieee}). */
    public static void fprem(Cpu cpu, boolean ieee, int eip, int fop) {
        ip(cpu, eip, fop);
        X87.fprem(cpu.fpu, ieee);
    }

    public static void fabs(Cpu cpu, int eip, int fop) {
        ip(cpu, eip, fop);
        X87.fabs(cpu.fpu);
    }

    public static void fchs(Cpu cpu, int eip, int fop) {
        ip(cpu, eip, fop);
        X87.fchs(cpu.fpu);
    }

    public static void fsin(Cpu cpu, int eip, int fop) {
        ip(cpu, eip, fop);
        X87.fsin(cpu.fpu);
    }

    public static void fcos(Cpu cpu, int eip, int fop) {
        ip(cpu, eip, fop);
        X87.fcos(cpu.fpu);
    }

    public static void fsincos(Cpu cpu, int eip, int fop) {
        ip(cpu, eip, fop);
        X87.fsincos(cpu.fpu);
    }

    public static void fptan(Cpu cpu, int eip, int fop) {
        ip(cpu, eip, fop);
        X87.fptan(cpu.fpu);
    }

    public static void fpatan(Cpu cpu, int eip, int fop) {
        ip(cpu, eip, fop);
        X87.fpatan(cpu.fpu);
    }

    public static void f2xm1(Cpu cpu, int eip, int fop) {
        ip(cpu, eip, fop);
        X87.f2xm1(cpu.fpu);
    }

    public static void fyl2x(Cpu cpu, int eip, int fop) {
        ip(cpu, eip, fop);
        X87.fyl2x(cpu.fpu);
    }

    public static void fyl2xp1(Cpu cpu, int eip, int fop) {
        ip(cpu, eip, fop);
        X87.fyl2xp1(cpu.fpu);
    }

    // =====================================================================================
    // Comparisons (waiting)

    /** FCOM/FCOMP/FCOMPP/FUCOM/FUCOMP/FUCOMPP ST(i) (D8 D0/D8, DE D9, DD E0/E8, DA E9). */
    public static void fcom(Cpu cpu, int i, boolean unordered, int pops, int eip, int fop) {
        ip(cpu, eip, fop);
        X87.fcom(cpu.fpu, i, unordered, pops);
    }

    /** FCOM/FCOMP m32fp (D8 /2 /3, 4 bytes). */
    public static void fcomM32(Cpu cpu, int pops, int seg, int off, int eip, int fop) {
        int v = DataAccess.read32(cpu, lin(cpu, seg, off));
        ip(cpu, eip, fop);
        dp(cpu, seg, off);
        X87.fcomM32(cpu.fpu, v, pops);
    }

    /** FCOM/FCOMP m64fp (DC /2 /3, 8 bytes). */
    public static void fcomM64(Cpu cpu, int pops, int seg, int off, int eip, int fop) {
        long v = DataAccess.read64(cpu, lin(cpu, seg, off));
        ip(cpu, eip, fop);
        dp(cpu, seg, off);
        X87.fcomM64(cpu.fpu, v, pops);
    }

    /** FICOM/FICOMP m32int (DA /2 /3, 4 bytes). */
    public static void ficomI32(Cpu cpu, int pops, int seg, int off, int eip, int fop) {
        int v = DataAccess.read32(cpu, lin(cpu, seg, off));
        ip(cpu, eip, fop);
        dp(cpu, seg, off);
        X87.ficom(cpu.fpu, v, pops);
    }

    /** FICOM/FICOMP m16int (DE /2 /3, 2 bytes). */
    public static void ficomI16(Cpu cpu, int pops, int seg, int off, int eip, int fop) {
        int v = (short) DataAccess.read16(cpu, lin(cpu, seg, off));
        ip(cpu, eip, fop);
        dp(cpu, seg, off);
        X87.ficom(cpu.fpu, v, pops);
    }

    public static void ftst(Cpu cpu, int eip, int fop) {
        ip(cpu, eip, fop);
        X87.ftst(cpu.fpu);
    }

    public static void fxam(Cpu cpu, int eip, int fop) {
        ip(cpu, eip, fop);
        X87.fxam(cpu.fpu);
    }

    /**
     * FCOMI/FCOMIP/FUCOMI/FUCOMIP for generated code, which keeps the status flags itself: the
     * new ZF PF CF (OF SF AF clear) in EFLAGS positions, or -1 when EFLAGS stay as they were.
     */
    public static int fcomiFlags(Cpu cpu, int i, boolean unordered, boolean pop, int eip, int fop) {
        ip(cpu, eip, fop);
        return X87.fcomi(cpu.fpu, i, unordered, pop);
    }

    /**
     * FCOMI/FCOMIP/FUCOMI/FUCOMIP ST(0), ST(i) (DB F0/E8, DF F0/E8): writes ZF PF CF and clears
     * OF SF AF in EFLAGS (unless an unmasked exception leaves EFLAGS as they were).
     */
    public static void fcomi(Cpu cpu, int i, boolean unordered, boolean pop, int eip, int fop) {
        ip(cpu, eip, fop);
        int f = X87.fcomi(cpu.fpu, i, unordered, pop);
        if (f >= 0) {
            cpu.setEflags((cpu.getEflags() & ~0x8D5) | f);
        }
    }

    // =====================================================================================
    // Loads (waiting)

    /** FLD ST(i) (D9 C0+i). */
    public static void fld(Cpu cpu, int i, int eip, int fop) {
        ip(cpu, eip, fop);
        X87.fld(cpu.fpu, i);
    }

    /** FLD m32fp (D9 /0, 4 bytes). */
    public static void fldM32(Cpu cpu, int seg, int off, int eip, int fop) {
        int v = DataAccess.read32(cpu, lin(cpu, seg, off));
        ip(cpu, eip, fop);
        dp(cpu, seg, off);
        X87.fldM32(cpu.fpu, v);
    }

    /** FLD m64fp (DD /0, 8 bytes). */
    public static void fldM64(Cpu cpu, int seg, int off, int eip, int fop) {
        long v = DataAccess.read64(cpu, lin(cpu, seg, off));
        ip(cpu, eip, fop);
        dp(cpu, seg, off);
        X87.fldM64(cpu.fpu, v);
    }

    /** FLD m80fp (DB /5, 10 bytes). */
    public static void fldM80(Cpu cpu, int seg, int off, int eip, int fop) {
        int l = lin(cpu, seg, off);
        long m = DataAccess.read64(cpu, l);
        int se = DataAccess.read16(cpu, l + 8);
        ip(cpu, eip, fop);
        dp(cpu, seg, off);
        X87.fldM80(cpu.fpu, m, se);
    }

    /** FILD m16int (DF /0, 2 bytes), m32int (DB /0, 4 bytes), m64int (DF /5, 8 bytes). */
    public static void fild(Cpu cpu, int size, int seg, int off, int eip, int fop) {
        int l = lin(cpu, seg, off);
        long v = size == 2 ? (short) DataAccess.read16(cpu, l) : size == 4 ? DataAccess.read32(cpu, l) : DataAccess.read64(cpu, l);
        ip(cpu, eip, fop);
        dp(cpu, seg, off);
        X87.fild(cpu.fpu, v);
    }

    /** FBLD m80dec (DF /4, 10 bytes). */
    public static void fbld(Cpu cpu, int seg, int off, int eip, int fop) {
        int l = lin(cpu, seg, off);
        long lo = DataAccess.read64(cpu, l);
        int hi = DataAccess.read16(cpu, l + 8);
        ip(cpu, eip, fop);
        dp(cpu, seg, off);
        X87.fbld(cpu.fpu, lo, hi);
    }

    /** FLD1 FLDL2T FLDL2E FLDPI FLDLG2 FLDLN2 FLDZ (D9 E8..EE: {@code which} = ModRM - E8). */
    public static void fldConst(Cpu cpu, int which, int eip, int fop) {
        ip(cpu, eip, fop);
        X87.fldConst(cpu.fpu, which);
    }

    // =====================================================================================
    // Stores (waiting)

    /** FST/FSTP ST(i) (DD D0+i, DD D8+i). */
    public static void fst(Cpu cpu, int i, boolean pop, int eip, int fop) {
        ip(cpu, eip, fop);
        X87.fst(cpu.fpu, i, pop);
    }

    /** FST/FSTP m32fp (D9 /2 /3, 4 bytes). */
    public static void fstM32(Cpu cpu, boolean pop, int seg, int off, int eip, int fop) {
        int l = lin(cpu, seg, off);
        probeWrite(cpu, l, 4);
        ip(cpu, eip, fop);
        dp(cpu, seg, off);
        if (X87.fstM32(cpu.fpu, pop)) {
            DataAccess.write32(cpu, l, (int) cpu.fpu.rm);
        }
    }

    /** FST/FSTP m64fp (DD /2 /3, 8 bytes). */
    public static void fstM64(Cpu cpu, boolean pop, int seg, int off, int eip, int fop) {
        int l = lin(cpu, seg, off);
        probeWrite(cpu, l, 8);
        ip(cpu, eip, fop);
        dp(cpu, seg, off);
        if (X87.fstM64(cpu.fpu, pop)) {
            DataAccess.write64(cpu, l, cpu.fpu.rm);
        }
    }

    /** FSTP m80fp (DB /7, 10 bytes). */
    public static void fstpM80(Cpu cpu, int seg, int off, int eip, int fop) {
        int l = lin(cpu, seg, off);
        probeWrite(cpu, l, 10);
        ip(cpu, eip, fop);
        dp(cpu, seg, off);
        if (X87.fstpM80(cpu.fpu)) {
            DataAccess.write64(cpu, l, cpu.fpu.rm);
            DataAccess.write16(cpu, l + 8, cpu.fpu.rse);
        }
    }

    /**
     * FIST/FISTP/FISTTP to m16int (DF /2 /3 /1), m32int (DB /2 /3 /1), m64int (DF /7, DD /1):
     * {@code size} 2, 4 or 8 bytes; {@code chop}: FISTTP.
     */
    public static void fist(Cpu cpu, int size, boolean pop, boolean chop, int seg, int off, int eip, int fop) {
        int l = lin(cpu, seg, off);
        probeWrite(cpu, l, size);
        ip(cpu, eip, fop);
        dp(cpu, seg, off);
        if (X87.fist(cpu.fpu, size * 8, pop, chop)) {
            long v = cpu.fpu.rm;
            if (size == 2) {
                DataAccess.write16(cpu, l, (int) v);
            } else if (size == 4) {
                DataAccess.write32(cpu, l, (int) v);
            } else {
                DataAccess.write64(cpu, l, v);
            }
        }
    }

    /** FBSTP m80dec (DF /6, 10 bytes). */
    public static void fbstp(Cpu cpu, int seg, int off, int eip, int fop) {
        int l = lin(cpu, seg, off);
        probeWrite(cpu, l, 10);
        ip(cpu, eip, fop);
        dp(cpu, seg, off);
        if (X87.fbstp(cpu.fpu)) {
            DataAccess.write64(cpu, l, cpu.fpu.rm);
            DataAccess.write16(cpu, l + 8, cpu.fpu.rse);
        }
    }

    // =====================================================================================
    // Register file (waiting)

    public static void fxch(Cpu cpu, int i, int eip, int fop) {
        ip(cpu, eip, fop);
        X87.fxch(cpu.fpu, i);
    }

    /** FCMOVcc ST(0), ST(i): DA C0-DF ({@code negate} false) and DB C0-DF (true); {@code cc} = ModRM.reg. */
    public static void fcmov(Cpu cpu, int cc, boolean negate, int i, int eip, int fop) {
        ip(cpu, eip, fop);
        X87.fcmov(cpu.fpu, i, X87.fcmovCondition(cc, negate, cpu.getEflags()));
    }

    /** FCMOVcc for generated code, which evaluates the condition from its own lazy flags. */
    public static void fcmovIf(Cpu cpu, boolean condition, int i, int eip, int fop) {
        ip(cpu, eip, fop);
        X87.fcmov(cpu.fpu, i, condition);
    }

    public static void ffree(Cpu cpu, int i, int eip, int fop) {
        ip(cpu, eip, fop);
        X87.ffree(cpu.fpu, i);
    }

    /** FSTP1 ST(i) (D9 D8+i, undocumented). */
    public static void fstp1(Cpu cpu, int i, int eip, int fop) {
        ip(cpu, eip, fop);
        X87.fstp1(cpu.fpu, i);
    }

    /** FFREEP ST(i) (DF C0+i). */
    public static void ffreep(Cpu cpu, int i, int eip, int fop) {
        ip(cpu, eip, fop);
        X87.ffreep(cpu.fpu, i);
    }

    public static void fincstp(Cpu cpu, int eip, int fop) {
        ip(cpu, eip, fop);
        X87.fincstp(cpu.fpu);
    }

    public static void fdecstp(Cpu cpu, int eip, int fop) {
        ip(cpu, eip, fop);
        X87.fdecstp(cpu.fpu);
    }

    /** FNOP (D9 D0): a waiting instruction that records the pointers and does nothing else. */
    public static void fnop(Cpu cpu, int eip, int fop) {
        ip(cpu, eip, fop);
    }

    // =====================================================================================
    // Control instructions: no pointer update

    /** FNINIT (DB E3, no-wait). */
    public static void fninit(Cpu cpu) {
        X87.fninit(cpu.fpu);
    }

    /** FNCLEX (DB E2, no-wait). */
    public static void fnclex(Cpu cpu) {
        X87.fnclex(cpu.fpu);
    }

    /** FLDCW m2byte (D9 /5, waiting). */
    public static void fldcw(Cpu cpu, int seg, int off) {
        X87.fldcw(cpu.fpu, DataAccess.read16(cpu, lin(cpu, seg, off)));
    }

    /** FNSTCW m2byte (D9 /7, no-wait). */
    public static void fnstcw(Cpu cpu, int seg, int off) {
        DataAccess.write16(cpu, lin(cpu, seg, off), cpu.fpu.cw);
    }

    /** FNSTSW m2byte (DD /7, no-wait). */
    public static void fnstsw(Cpu cpu, int seg, int off) {
        DataAccess.write16(cpu, lin(cpu, seg, off), cpu.fpu.statusWord());
    }

    /** FNSTSW AX (DF E0, no-wait). */
    public static void fnstswAx(Cpu cpu) {
        cpu.setReg(Cpu.EAX, 2, cpu.fpu.statusWord());
    }

    /** FLDENV (D9 /4, waiting): 14 bytes ({@code op32} false) or 28 bytes. */
    public static void fldenv(Cpu cpu, boolean op32, int seg, int off) {
        int n = FpuImage.environmentSize(op32);
        readImage(cpu, lin(cpu, seg, off), n);
        FpuImage.loadEnvironment(cpu.fpu, cpu.fpu.image, 0, op32, realFormat(cpu));
    }

    /** FNSTENV (D9 /6, no-wait): 14 or 28 bytes; then masks every exception. */
    public static void fnstenv(Cpu cpu, boolean op32, int seg, int off) {
        int l = lin(cpu, seg, off), n = FpuImage.environmentSize(op32);
        probeWrite(cpu, l, n);
        FpuImage.storeEnvironment(cpu.fpu, cpu.fpu.image, 0, op32, realFormat(cpu));
        writeImage(cpu, l, n); // cannot fault after the probe
    }

    /** FRSTOR (DD /4, waiting): 94 or 108 bytes. */
    public static void frstor(Cpu cpu, boolean op32, int seg, int off) {
        int n = FpuImage.saveSize(op32);
        readImage(cpu, lin(cpu, seg, off), n);
        FpuImage.restore(cpu.fpu, cpu.fpu.image, 0, op32, realFormat(cpu));
    }

    /** FNSAVE (DD /6, no-wait): 94 or 108 bytes; then initializes the FPU as FNINIT. */
    public static void fnsave(Cpu cpu, boolean op32, int seg, int off) {
        int l = lin(cpu, seg, off), n = FpuImage.saveSize(op32);
        probeWrite(cpu, l, n);
        FpuImage.writeSave(cpu.fpu, cpu.fpu.image, 0, op32, realFormat(cpu));
        writeImage(cpu, l, n);
        cpu.fpu.init();
    }

    /** FXSAVE m512byte (0F AE /0; after {@link #fxsaveChecks}). */
    public static void fxsave(Cpu cpu, int seg, int off) {
        int l = lin(cpu, seg, off);
        probeWrite(cpu, l, 512);
        FpuImage.fxsave(cpu.fpu, cpu.fpu.image, 0);
        writeImage(cpu, l, 512);
    }

    /** FXRSTOR m512byte (0F AE /1; after {@link #fxsaveChecks}): #GP(0) for reserved MXCSR bits. */
    public static void fxrstor(Cpu cpu, int seg, int off) {
        readImage(cpu, lin(cpu, seg, off), 512);
        if (!FpuImage.fxrstorValid(cpu.fpu.image, 0)) {
            throw Faults.raise(cpu, Vector.GP, 0, true);
        }
        FpuImage.fxrstor(cpu.fpu, cpu.fpu.image, 0);
    }

    // =====================================================================================
    // The common loads and stores for generated code that reads and writes guest memory
    // itself through its inline TLB probe: a load gets the value it read; a store first makes
    // sure (its write probe hit) that the write cannot fault, then takes the result from
    // cpu.fpu.rm when this returns true. The segment and offset only make FDS/FDP.

    /** FLD m32fp, the operand read. */
    public static void fldM32Value(Cpu cpu, int bits, int seg, int off, int eip, int fop) {
        ip(cpu, eip, fop);
        dp(cpu, seg, off);
        X87.fldM32(cpu.fpu, bits);
    }

    /** FLD m64fp, the operand read. */
    public static void fldM64Value(Cpu cpu, long bits, int seg, int off, int eip, int fop) {
        ip(cpu, eip, fop);
        dp(cpu, seg, off);
        X87.fldM64(cpu.fpu, bits);
    }

    /** FILD m16int/m32int, the operand read and sign-extended. */
    public static void fildValue(Cpu cpu, int v, int seg, int off, int eip, int fop) {
        ip(cpu, eip, fop);
        dp(cpu, seg, off);
        X87.fild(cpu.fpu, v);
    }

    /** D8 /op m32fp, the operand read. */
    public static void arithM32Value(Cpu cpu, int op, int bits, int seg, int off, int eip, int fop) {
        ip(cpu, eip, fop);
        dp(cpu, seg, off);
        X87.arithM32(cpu.fpu, op, bits);
    }

    /** DC /op m64fp, the operand read. */
    public static void arithM64Value(Cpu cpu, int op, long bits, int seg, int off, int eip, int fop) {
        ip(cpu, eip, fop);
        dp(cpu, seg, off);
        X87.arithM64(cpu.fpu, op, bits);
    }

    /** DA/DE /op m32int/m16int, the operand read and sign-extended. */
    public static void arithIntValue(Cpu cpu, int op, int v, int seg, int off, int eip, int fop) {
        ip(cpu, eip, fop);
        dp(cpu, seg, off);
        X87.arithInt(cpu.fpu, op, v);
    }

    /** FST/FSTP m32fp whose write cannot fault: true when the low 32 bits of cpu.fpu.rm are to be stored. */
    public static boolean fstM32Result(Cpu cpu, boolean pop, int seg, int off, int eip, int fop) {
        ip(cpu, eip, fop);
        dp(cpu, seg, off);
        return X87.fstM32(cpu.fpu, pop);
    }

    /** FST/FSTP m64fp whose write cannot fault: true when cpu.fpu.rm is to be stored. */
    public static boolean fstM64Result(Cpu cpu, boolean pop, int seg, int off, int eip, int fop) {
        ip(cpu, eip, fop);
        dp(cpu, seg, off);
        return X87.fstM64(cpu.fpu, pop);
    }

    /** FIST/FISTP m16int/m32int whose write cannot fault: true when cpu.fpu.rm is to be stored. */
    public static boolean fistResult(Cpu cpu, int size, boolean pop, int seg, int off, int eip, int fop) {
        ip(cpu, eip, fop);
        dp(cpu, seg, off);
        return X87.fist(cpu.fpu, size * 8, pop, false);
    }

    private static void readImage(Cpu cpu, int lin, int n) {
        byte[] b = cpu.fpu.image;
        int k = 0;
        for (; k + 4 <= n; k += 4) {
            FpuImage.put32(b, k, DataAccess.read32(cpu, lin + k));
        }
        for (; k < n; k += 2) {
            FpuImage.put16(b, k, DataAccess.read16(cpu, lin + k));
        }
    }

    private static void writeImage(Cpu cpu, int lin, int n) {
        byte[] b = cpu.fpu.image;
        int k = 0;
        for (; k + 4 <= n; k += 4) {
            DataAccess.write32(cpu, lin + k, FpuImage.get32(b, k));
        }
        for (; k < n; k += 2) {
            DataAccess.write16(cpu, lin + k, FpuImage.get16(b, k));
        }
    }
}
