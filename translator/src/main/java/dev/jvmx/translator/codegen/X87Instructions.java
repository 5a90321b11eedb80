package dev.jvmx.translator.codegen;

import dev.jvmx.translator.arch.Vector;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.decode.Operand;
import dev.jvmx.translator.fpu.X87;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;

/**
 * The x87 FPU instructions (SDM Vol. 2): each emits its checks, then one call into
 * {@code helpers.FpuOps}, in the order that class gives (SDM Vol. 3A, 6.9 and each page's
 * exception table): #NM when CR0.EM or CR0.TS is set; for a waiting instruction the
 * pending-exception check (#MF with CR0.NE = 1; with CR0.NE = 0 FERR# and a freeze at this
 * instruction, which leaves the block with EIP still at it); the segment checks of the memory
 * operand for its size; then the operation, which records FIP/FCS/FOP (and FDP/FDS) from the
 * instruction's address and 11-bit opcode. #UD is the decoder's (a ModRM byte no row names).
 *
 * <p>ST(i), the memory operand and the opcode are per-instance values pushed through the
 * {@link Emitter}, so one first-tier handler serves every instruction of a form. Nothing here
 * touches the general registers except FNSTSW AX, nor the status flags except FCOMI and its
 * kin (FCMOVcc reads them): the calls need no spill of the block's locals.
 */
final class X87Instructions implements Opcodes {
    private static final boolean WAITING = true, NO_WAIT = false;

    private X87Instructions() { }

    // ---- arithmetic: ST(0) op memory, ST(0) op ST(i), ST(i) op ST(0) (then pop)

    static void fadd(Emitter e) {
        arith(e, X87.ADD, false);
    }

    static void faddp(Emitter e) {
        arith(e, X87.ADD, true);
    }

    static void fiadd(Emitter e) {
        arithInt(e, X87.ADD);
    }

    static void fmul(Emitter e) {
        arith(e, X87.MUL, false);
    }

    static void fmulp(Emitter e) {
        arith(e, X87.MUL, true);
    }

    static void fimul(Emitter e) {
        arithInt(e, X87.MUL);
    }

    static void fsub(Emitter e) {
        arith(e, X87.SUB, false);
    }

    static void fsubp(Emitter e) {
        arith(e, X87.SUB, true);
    }

    static void fisub(Emitter e) {
        arithInt(e, X87.SUB);
    }

    static void fsubr(Emitter e) {
        arith(e, X87.SUBR, false);
    }

    static void fsubrp(Emitter e) {
        arith(e, X87.SUBR, true);
    }

    static void fisubr(Emitter e) {
        arithInt(e, X87.SUBR);
    }

    static void fdiv(Emitter e) {
        arith(e, X87.DIV, false);
    }

    static void fdivp(Emitter e) {
        arith(e, X87.DIV, true);
    }

    static void fidiv(Emitter e) {
        arithInt(e, X87.DIV);
    }

    static void fdivr(Emitter e) {
        arith(e, X87.DIVR, false);
    }

    static void fdivrp(Emitter e) {
        arith(e, X87.DIVR, true);
    }

    static void fidivr(Emitter e) {
        arithInt(e, X87.DIVR);
    }

    /** m32fp/m64fp, or ST(dst) ← ST(dst) op ST(src) with the operands in Intel order (SUBR, DIVR reverse them). */
    private static void arith(Emitter e, int op, boolean pop) {
        checks(e, WAITING);
        if (e.isMem(0)) {
            int off = e.checkedOffset(0, false);
            int value = readOperand(e, off);
            e.aloadCpu();
            e.iconst(op);
            pushOperand(e, value);
            segmentAndOffset(e, off);
            pointers(e);
            e.call(e.operandSize(0) == 4 ? Calls.FPU_ARITH_M32_VALUE : Calls.FPU_ARITH_M64_VALUE);
        } else {
            e.aloadCpu();
            e.iconst(op);
            pushSt(e, 0);
            pushSt(e, 1);
            e.iconst(pop ? 1 : 0);
            pointers(e);
            e.call(Calls.FPU_ARITH);
        }
    }

    /** m16int/m32int. */
    private static void arithInt(Emitter e, int op) {
        checks(e, WAITING);
        int off = e.checkedOffset(0, false);
        int value = readOperand(e, off);
        e.aloadCpu();
        e.iconst(op);
        e.iload(value);
        segmentAndOffset(e, off);
        pointers(e);
        e.call(Calls.FPU_ARITH_INT_VALUE);
    }

    static void fsqrt(Emitter e) {
        stackTop(e, Calls.FPU_FSQRT);
    }

    static void fchs(Emitter e) {
        stackTop(e, Calls.FPU_FCHS);
    }

    static void fabs(Emitter e) {
        stackTop(e, Calls.FPU_FABS);
    }

    static void frndint(Emitter e) {
        stackTop(e, Calls.FPU_FRNDINT);
    }

    static void fscale(Emitter e) {
        stackTop(e, Calls.FPU_FSCALE);
    }

    static void fxtract(Emitter e) {
        stackTop(e, Calls.FPU_FXTRACT);
    }

    static void fprem(Emitter e) {
        partialRemainder(e, false);
    }

    static void fprem1(Emitter e) {
        partialRemainder(e, true);
    }

    private static void partialRemainder(Emitter e, boolean ieee) {
        checks(e, WAITING);
        e.aloadCpu();
        e.iconst(ieee ? 1 : 0);
        pointers(e);
        e.call(Calls.FPU_FPREM);
    }

    static void fsin(Emitter e) {
        stackTop(e, Calls.FPU_FSIN);
    }

    static void fcos(Emitter e) {
        stackTop(e, Calls.FPU_FCOS);
    }

    static void fsincos(Emitter e) {
        stackTop(e, Calls.FPU_FSINCOS);
    }

    static void fptan(Emitter e) {
        stackTop(e, Calls.FPU_FPTAN);
    }

    static void fpatan(Emitter e) {
        stackTop(e, Calls.FPU_FPATAN);
    }

    static void f2xm1(Emitter e) {
        stackTop(e, Calls.FPU_F2XM1);
    }

    static void fyl2x(Emitter e) {
        stackTop(e, Calls.FPU_FYL2X);
    }

    static void fyl2xp1(Emitter e) {
        stackTop(e, Calls.FPU_FYL2XP1);
    }

    /** An operation on the stack top (and ST(1)) without operands: {@code op(cpu, eip, fop)}. */
    private static void stackTop(Emitter e, HelperCall op) {
        checks(e, WAITING);
        e.aloadCpu();
        pointers(e);
        e.call(op);
    }

    // ---- comparisons

    static void fcom(Emitter e) {
        compare(e, false, 0);
    }

    static void fcomp(Emitter e) {
        compare(e, false, 1);
    }

    /** FCOMPP (DE D9): ST(0) with ST(1), pop twice. */
    static void fcompp(Emitter e) {
        compareSt1(e, false);
    }

    static void fucom(Emitter e) {
        compare(e, true, 0);
    }

    static void fucomp(Emitter e) {
        compare(e, true, 1);
    }

    /** FUCOMPP (DA E9). */
    static void fucompp(Emitter e) {
        compareSt1(e, true);
    }

    /** DC D0+i: executes as FCOM ST(i). */
    static void fcom2(Emitter e) {
        compare(e, false, 0);
    }

    /** DC D8+i: executes as FCOMP ST(i). */
    static void fcomp3(Emitter e) {
        compare(e, false, 1);
    }

    /** DE D0+i: executes as FCOMP ST(i). */
    static void fcomp5(Emitter e) {
        compare(e, false, 1);
    }

    /** C3 C2 C0 from ST(0) compared with m32fp/m64fp or ST(i); then {@code pops} pops. */
    private static void compare(Emitter e, boolean unordered, int pops) {
        checks(e, WAITING);
        if (e.isMem(0)) {
            int off = e.checkedOffset(0, false);
            e.aloadCpu();
            e.iconst(pops);
            segmentAndOffset(e, off);
            pointers(e);
            e.call(e.operandSize(0) == 4 ? Calls.FPU_FCOM_M32 : Calls.FPU_FCOM_M64);
        } else {
            e.aloadCpu();
            pushSt(e, 0);
            e.iconst(unordered ? 1 : 0);
            e.iconst(pops);
            pointers(e);
            e.call(Calls.FPU_FCOM);
        }
    }

    private static void compareSt1(Emitter e, boolean unordered) {
        checks(e, WAITING);
        e.aloadCpu();
        e.iconst(1);
        e.iconst(unordered ? 1 : 0);
        e.iconst(2);
        pointers(e);
        e.call(Calls.FPU_FCOM);
    }

    static void ficom(Emitter e) {
        compareInt(e, 0);
    }

    static void ficomp(Emitter e) {
        compareInt(e, 1);
    }

    private static void compareInt(Emitter e, int pops) {
        checks(e, WAITING);
        int off = e.checkedOffset(0, false);
        e.aloadCpu();
        e.iconst(pops);
        segmentAndOffset(e, off);
        pointers(e);
        e.call(e.operandSize(0) == 4 ? Calls.FPU_FICOM_I32 : Calls.FPU_FICOM_I16);
    }

    static void fcomi(Emitter e) {
        compareToEflags(e, false, false);
    }

    static void fcomip(Emitter e) {
        compareToEflags(e, false, true);
    }

    static void fucomi(Emitter e) {
        compareToEflags(e, true, false);
    }

    static void fucomip(Emitter e) {
        compareToEflags(e, true, true);
    }

    /**
     * FCOMI and kin: ZF PF CF from the comparison, OF SF AF clear, into the block's lazy flags
     * (all six as they were when an unmasked exception stops the instruction).
     */
    private static void compareToEflags(Emitter e, boolean unordered, boolean pop) {
        checks(e, WAITING);
        int f = e.temp();
        e.aloadCpu();
        pushSt(e, 1);
        e.iconst(unordered ? 1 : 0);
        e.iconst(pop ? 1 : 0);
        pointers(e);
        e.call(Calls.FPU_FCOMI_FLAGS);
        e.istore(f);
        Label set = new Label();
        e.iload(f);
        e.jump(IFGE, set);
        e.loadArithFlags();
        e.istore(f);
        e.label(set);
        e.iload(f);
        e.setFlagsComputed();
    }

    static void ftst(Emitter e) {
        stackTop(e, Calls.FPU_FTST);
    }

    static void fxam(Emitter e) {
        stackTop(e, Calls.FPU_FXAM);
    }

    // ---- loads

    static void fld(Emitter e) {
        checks(e, WAITING);
        if (e.isMem(0)) {
            int off = e.checkedOffset(0, false);
            int size = e.operandSize(0);
            if (size == 10) {
                e.aloadCpu();
                segmentAndOffset(e, off);
                pointers(e);
                e.call(Calls.FPU_FLD_M80);
                return;
            }
            int value = readOperand(e, off);
            e.aloadCpu();
            pushOperand(e, value);
            segmentAndOffset(e, off);
            pointers(e);
            e.call(size == 4 ? Calls.FPU_FLD_M32_VALUE : Calls.FPU_FLD_M64_VALUE);
        } else {
            stRegister(e, Calls.FPU_FLD);
        }
    }

    static void fild(Emitter e) {
        checks(e, WAITING);
        int off = e.checkedOffset(0, false);
        if (e.operandSize(0) == 8) {
            e.aloadCpu();
            e.iconst(8);
            segmentAndOffset(e, off);
            pointers(e);
            e.call(Calls.FPU_FILD);
            return;
        }
        int value = readOperand(e, off);
        e.aloadCpu();
        e.iload(value);
        segmentAndOffset(e, off);
        pointers(e);
        e.call(Calls.FPU_FILD_VALUE);
    }

    static void fbld(Emitter e) {
        checks(e, WAITING);
        int off = e.checkedOffset(0, false);
        e.aloadCpu();
        segmentAndOffset(e, off);
        pointers(e);
        e.call(Calls.FPU_FBLD);
    }

    static void fld1(Emitter e) {
        constant(e, X87.ONE);
    }

    static void fldl2t(Emitter e) {
        constant(e, X87.L2T);
    }

    static void fldl2e(Emitter e) {
        constant(e, X87.L2E);
    }

    static void fldpi(Emitter e) {
        constant(e, X87.PI);
    }

    static void fldlg2(Emitter e) {
        constant(e, X87.LG2);
    }

    static void fldln2(Emitter e) {
        constant(e, X87.LN2);
    }

    static void fldz(Emitter e) {
        constant(e, X87.Z);
    }

    private static void constant(Emitter e, int which) {
        checks(e, WAITING);
        e.aloadCpu();
        e.iconst(which);
        pointers(e);
        e.call(Calls.FPU_FLD_CONST);
    }

    // ---- stores

    static void fst(Emitter e) {
        store(e, false);
    }

    static void fstp(Emitter e) {
        store(e, true);
    }

    /** DF D0+i: executes as FSTP ST(i). */
    static void fstp8(Emitter e) {
        store(e, true);
    }

    /** DF D8+i: executes as FSTP ST(i). */
    static void fstp9(Emitter e) {
        store(e, true);
    }

    /** To m32fp/m64fp/m80fp, or a copy to ST(i). */
    private static void store(Emitter e, boolean pop) {
        checks(e, WAITING);
        if (!e.isMem(0)) {
            e.aloadCpu();
            pushSt(e, 0);
            e.iconst(pop ? 1 : 0);
            pointers(e);
            e.call(Calls.FPU_FST);
            return;
        }
        int off = e.checkedOffset(0, true);
        int size = e.operandSize(0);
        if (size == 10) {
            e.aloadCpu();
            segmentAndOffset(e, off);
            pointers(e);
            e.call(Calls.FPU_FSTP_M80);
            return;
        }
        Label slow = new Label();
        Label done = new Label();
        if (!e.handler) { // a handler stores through the helper alone, as Emitter.write says
            int host = e.probeWrite(linear(e, off), size, slow);
            e.aloadCpu();
            e.iconst(pop ? 1 : 0);
            segmentAndOffset(e, off);
            pointers(e);
            e.call(size == 4 ? Calls.FPU_FST_M32_RESULT : Calls.FPU_FST_M64_RESULT);
            writeResult(e, host, size, done);
        }
        e.label(slow);
        e.aloadCpu();
        e.iconst(pop ? 1 : 0);
        segmentAndOffset(e, off);
        pointers(e);
        e.call(size == 4 ? Calls.FPU_FST_M32 : Calls.FPU_FST_M64);
        e.label(done);
    }

    /** D9 D8+i: FSTP ST(i) without the stack-underflow rule (X87.fstp1). */
    static void fstp1(Emitter e) {
        checks(e, WAITING);
        stRegister(e, Calls.FPU_FSTP1);
    }

    static void fist(Emitter e) {
        storeInt(e, false);
    }

    static void fistp(Emitter e) {
        storeInt(e, true);
    }

    private static void storeInt(Emitter e, boolean pop) {
        checks(e, WAITING);
        int off = e.checkedOffset(0, true);
        Label done = new Label();
        if (e.operandSize(0) == 4 && !e.handler) { // a handler: the helper alone, as in store
            Label slow = new Label();
            int host = e.probeWrite(linear(e, off), 4, slow);
            e.aloadCpu();
            e.iconst(4);
            e.iconst(pop ? 1 : 0);
            segmentAndOffset(e, off);
            pointers(e);
            e.call(Calls.FPU_FIST_RESULT);
            writeResult(e, host, 4, done);
            e.label(slow);
        }
        e.aloadCpu();
        e.iconst(e.operandSize(0));
        e.iconst(pop ? 1 : 0);
        e.iconst(0); // rounding by RC, not FISTTP's chop
        segmentAndOffset(e, off);
        pointers(e);
        e.call(Calls.FPU_FIST);
        e.label(done);
    }

    /** SSE3: jvmx's CPUID reports no SSE3, so it is #UD as on processors without it. */
    static void fisttp(Emitter e) {
        e.raise(Vector.UD, 0, false);
        e.endBlockHere();
    }

    static void fbstp(Emitter e) {
        checks(e, WAITING);
        int off = e.checkedOffset(0, true);
        e.aloadCpu();
        segmentAndOffset(e, off);
        pointers(e);
        e.call(Calls.FPU_FBSTP);
    }

    // ---- the register stack

    static void fxch(Emitter e) {
        checks(e, WAITING);
        stRegister(e, Calls.FPU_FXCH);
    }

    /** DD C8+i: executes as FXCH ST(i). */
    static void fxch4(Emitter e) {
        fxch(e);
    }

    /** DF C8+i: executes as FXCH ST(i). */
    static void fxch7(Emitter e) {
        fxch(e);
    }

    static void ffree(Emitter e) {
        checks(e, WAITING);
        stRegister(e, Calls.FPU_FFREE);
    }

    static void ffreep(Emitter e) {
        checks(e, WAITING);
        stRegister(e, Calls.FPU_FFREEP);
    }

    static void fincstp(Emitter e) {
        stackTop(e, Calls.FPU_FINCSTP);
    }

    static void fdecstp(Emitter e) {
        stackTop(e, Calls.FPU_FDECSTP);
    }

    static void fnop(Emitter e) {
        stackTop(e, Calls.FPU_FNOP);
    }

    // FCMOVcc: the condition is the row's, a tttn code (SDM Vol. 2, Table B-1) the block may fuse
    // with the compare before it.

    static void fcmovb(Emitter e) {
        fcmov(e, 2);
    }

    static void fcmove(Emitter e) {
        fcmov(e, 4);
    }

    static void fcmovbe(Emitter e) {
        fcmov(e, 6);
    }

    static void fcmovu(Emitter e) {
        fcmov(e, 10);
    }

    static void fcmovnb(Emitter e) {
        fcmov(e, 3);
    }

    static void fcmovne(Emitter e) {
        fcmov(e, 5);
    }

    static void fcmovnbe(Emitter e) {
        fcmov(e, 7);
    }

    static void fcmovnu(Emitter e) {
        fcmov(e, 11);
    }

    private static void fcmov(Emitter e, int cc) {
        checks(e, WAITING);
        int condition = e.temp();
        Label yes = new Label();
        Label done = new Label();
        e.jumpIf(cc, yes);
        e.iconst(0);
        e.jump(GOTO, done);
        e.label(yes);
        e.iconst(1);
        e.label(done);
        e.istore(condition);
        e.aloadCpu();
        e.iload(condition);
        pushSt(e, 1);
        pointers(e);
        e.call(Calls.FPU_FCMOV);
    }

    // ---- control instructions (no pointer update)

    static void fninit(Emitter e) {
        checks(e, NO_WAIT);
        e.aloadCpu();
        e.call(Calls.FPU_FNINIT);
    }

    static void fnclex(Emitter e) {
        checks(e, NO_WAIT);
        e.aloadCpu();
        e.call(Calls.FPU_FNCLEX);
    }

    static void fldcw(Emitter e) {
        control(e, WAITING, false, Calls.FPU_FLDCW);
    }

    static void fnstcw(Emitter e) {
        control(e, NO_WAIT, true, Calls.FPU_FNSTCW);
    }

    /** FNSTSW m2byte, or AX (the only x87 instruction that writes a general register). */
    static void fnstsw(Emitter e) {
        if (e.isMem(0)) {
            control(e, NO_WAIT, true, Calls.FPU_FNSTSW);
            return;
        }
        checks(e, NO_WAIT);
        e.getCpu(Fields.FPU);
        e.call(Calls.FPU_STATUS_WORD);
        e.storeReg(Cpu.EAX, 2);
    }

    /** The control and status words: {@code op(cpu, seg, off)}. */
    private static void control(Emitter e, boolean waiting, boolean write, HelperCall op) {
        checks(e, waiting);
        int off = e.checkedOffset(0, write);
        e.aloadCpu();
        segmentAndOffset(e, off);
        e.call(op);
    }

    static void fldenv(Emitter e) {
        image(e, WAITING, false, Calls.FPU_FLDENV);
    }

    static void fnstenv(Emitter e) {
        image(e, NO_WAIT, true, Calls.FPU_FNSTENV);
    }

    static void frstor(Emitter e) {
        image(e, WAITING, false, Calls.FPU_FRSTOR);
    }

    static void fnsave(Emitter e) {
        image(e, NO_WAIT, true, Calls.FPU_FNSAVE);
    }

    /** The environment and state images, 16- or 32-bit by the operand size: {@code op(cpu, op32, seg, off)}. */
    private static void image(Emitter e, boolean waiting, boolean write, HelperCall op) {
        checks(e, waiting);
        int off = e.checkedOffset(0, write);
        e.aloadCpu();
        e.iconst(e.size() == 4 ? 1 : 0);
        segmentAndOffset(e, off);
        e.call(op);
    }

    static void fxsave(Emitter e) {
        extendedImage(e, true, Calls.FPU_FXSAVE);
    }

    static void fxrstor(Emitter e) {
        extendedImage(e, false, Calls.FPU_FXRSTOR);
    }

    /**
     * FXSAVE/FXRSTOR m512byte: #UD with CR0.EM, #NM with CR0.TS, #GP(0) unless 16-byte aligned,
     * then the segment checks; neither waits for pending x87 exceptions.
     */
    private static void extendedImage(Emitter e, boolean write, HelperCall op) {
        int ea = e.temp();
        e.effectiveAddress(0);
        e.istore(ea);
        e.aloadCpu();
        e.pushSegmentOf(0);
        e.iload(ea);
        e.call(Calls.FPU_FXSAVE_CHECKS);
        int off = e.checkedOffset(0, write);
        e.aloadCpu();
        segmentAndOffset(e, off);
        e.call(op);
    }

    /** WAIT/FWAIT: #NM when CR0.MP and CR0.TS are both set, then the pending-exception check. */
    static void fwait(Emitter e) {
        e.aloadCpu();
        e.call(Calls.FPU_WAIT_DEVICE_NOT_AVAILABLE);
        pendingExceptions(e);
    }

    /** The 8087's FNENI (DB E0): a no-op on IA-32 processors that still needs the FPU (#NM). */
    static void fneni(Emitter e) {
        checks(e, NO_WAIT);
    }

    /** The 8087's FNDISI (DB E1): a no-op, as FNENI. */
    static void fndisi(Emitter e) {
        checks(e, NO_WAIT);
    }

    /** The 287's FNSETPM (DB E4): a no-op, as FNENI. */
    static void fnsetpm(Emitter e) {
        checks(e, NO_WAIT);
    }

    // ---- shared parts

    /** #NM (CR0.EM or CR0.TS), then, for a waiting instruction, the pending-exception check. */
    private static void checks(Emitter e, boolean waiting) {
        e.aloadCpu();
        e.call(Calls.FPU_DEVICE_NOT_AVAILABLE);
        if (waiting) {
            pendingExceptions(e);
        }
    }

    /**
     * A pending unmasked exception: #MF (CR0.NE = 1), or FERR# and a freeze (CR0.NE = 0), after
     * which the code leaves with EIP at this instruction, which runs again after an interrupt.
     */
    static void pendingExceptions(Emitter e) {
        Label proceed = new Label();
        e.aloadCpu();
        e.call(Calls.FPU_WAIT_OR_FREEZE);
        e.jump(IFNE, proceed);
        e.pushAddress();
        e.exitIndirectLeg();
        e.label(proceed);
    }

    /** An operation on ST(i): {@code op(cpu, i, eip, fop)}. */
    private static void stRegister(Emitter e, HelperCall op) {
        e.aloadCpu();
        pushSt(e, 0);
        pointers(e);
        e.call(op);
    }

    /** Pushes i of x87 operand {@code operand}, ST(i): a per-instance value, 0 for the implied stack top. */
    private static void pushSt(Emitter e, int operand) {
        if (e.kind(operand) == Operand.Kind.ST0) {
            e.iconst(0);
        } else {
            e.pushValue(operand);
        }
    }

    // The common loads and stores reach guest memory through the inline TLB (DESIGN.md rule 3)
    // and call the FpuOps forms that take the value read or give the value to write.

    /** The linear address of the memory operand, from its checked offset, in a new local. */
    private static int linear(Emitter e, int off) {
        int lin = e.temp();
        e.iload(off);
        e.addSegBaseOf(0);
        e.istore(lin);
        return lin;
    }

    /**
     * Reads the memory operand (2, 4 or 8 bytes) into a new local, an int (a 16-bit integer
     * sign-extended) or a long; a fault here comes before the instruction changed anything.
     */
    private static int readOperand(Emitter e, int off) {
        int lin = linear(e, off);
        int size = e.operandSize(0);
        if (size != 8) {
            int v = e.temp();
            e.read(size, lin);
            e.signExtend(size);
            e.istore(v);
            return v;
        }
        return e.read64(lin);
    }

    /** Pushes a value {@link #readOperand} read: a long for an 8-byte operand. */
    private static void pushOperand(Emitter e, int value) {
        if (e.operandSize(0) == 8) {
            e.lload(value);
        } else {
            e.iload(value);
        }
    }

    /**
     * After a store's FpuOps call (a boolean on the stack, its write probe having hit): writes
     * {@code size} (4 or 8) bytes of cpu.fpu.rm to RAM when it says so, then goes to {@code done}.
     */
    private static void writeResult(Emitter e, int host, int size, Label done) {
        e.jump(IFEQ, done);
        e.getCpu(Fields.FPU);
        Fields.FPU_RESULT.get(e.mv);
        int v = e.tempLong();
        e.lstore(v);
        e.lload(v);
        e.op(L2I);
        e.writeRam32(host, 0);
        if (size == 8) {
            e.lload(v);
            e.iconst(32);
            e.op(LUSHR);
            e.op(L2I);
            e.writeRam32(host, 4);
        }
        e.jump(GOTO, done);
    }

    /** Pushes the memory operand's segment and its checked offset (local {@code off}). */
    private static void segmentAndOffset(Emitter e, int off) {
        e.pushSegmentOf(0);
        e.iload(off);
    }

    /** Pushes FIP (the offset of the instruction's first byte) and FOP, the last arguments of the operations. */
    private static void pointers(Emitter e) {
        e.pushAddress();
        e.pushFop();
    }
}
