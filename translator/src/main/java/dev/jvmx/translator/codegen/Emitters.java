package dev.jvmx.translator.codegen;

import dev.jvmx.translator.arch.Cr4;
import dev.jvmx.translator.arch.Vector;
import dev.jvmx.translator.decode.InvalidKind;
import dev.jvmx.translator.decode.Mnemonic;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;

import java.util.EnumMap;
import java.util.Map;

import static dev.jvmx.translator.decode.Mnemonic.*;

/**
 * The code generator's dispatch: one emitter method per {@link Mnemonic}, looked up in a table
 * (STYLE.md, "decoding is data"). Before the method runs, the row's privilege check is emitted
 * here, once for every instruction that has one.
 *
 * <p>Each entry also says how the first execution tier shares it: a {@linkplain #shared shared}
 * emitter reads per-instance values from the instruction record, so one handler serves every
 * instruction of a form; a {@linkplain #specialised specialised} one needs them as constants
 * (ports, exit qualifications, decimal bases), and gets one handler per distinct instruction.
 */
public final class Emitters {
    /** An instruction's code, written against {@link Emitter}. */
    @FunctionalInterface
    interface InstructionEmitter {
        void emit(Emitter e);
    }

    private record Entry(InstructionEmitter emitter, boolean specialised) { }

    private static final Map<Mnemonic, Entry> TABLE = new EnumMap<>(Mnemonic.class);

    private static void shared(Mnemonic m, InstructionEmitter e) {
        put(m, new Entry(e, false));
    }

    private static void specialised(Mnemonic m, InstructionEmitter e) {
        put(m, new Entry(e, true));
    }

    private static void put(Mnemonic m, Entry e) {
        if (TABLE.put(m, e) != null) {
            throw new IllegalStateException("two emitters for " + m);
        }
    }

    static {
        shared(ADD, Arithmetic::add);
        shared(OR, Logic::or);
        shared(ADC, Arithmetic::adc);
        shared(SBB, Arithmetic::sbb);
        shared(AND, Logic::and);
        shared(SUB, Arithmetic::sub);
        shared(XOR, Logic::xor);
        shared(CMP, Arithmetic::cmp);
        shared(TEST, Logic::test);
        shared(INC, Arithmetic::inc);
        shared(DEC, Arithmetic::dec);
        shared(NEG, Arithmetic::neg);
        shared(NOT, Logic::not);

        shared(MUL, MulDiv::mul);
        shared(IMUL, MulDiv::imul);
        shared(DIV, MulDiv::div);
        shared(IDIV, MulDiv::idiv);

        shared(ROL, Shifts::rol);
        shared(ROR, Shifts::ror);
        shared(RCL, Shifts::rcl);
        shared(RCR, Shifts::rcr);
        shared(SHL, Shifts::shl);
        shared(SHR, Shifts::shr);
        shared(SAR, Shifts::sar);
        shared(SHLD, Shifts::shld);
        shared(SHRD, Shifts::shrd);

        shared(DAA, Bcd::daa);
        shared(DAS, Bcd::das);
        shared(AAA, Bcd::aaa);
        shared(AAS, Bcd::aas);
        specialised(AAM, Bcd::aam);
        specialised(AAD, Bcd::aad);

        shared(MOV, DataMovement::mov);
        shared(MOVZX, DataMovement::movzx);
        shared(MOVSX, DataMovement::movsx);
        shared(XCHG, DataMovement::xchg);
        shared(XADD, DataMovement::xadd);
        shared(CMPXCHG, DataMovement::cmpxchg);
        shared(CMPXCHG8B, DataMovement::cmpxchg8b);
        shared(BSWAP, DataMovement::bswap);
        shared(LEA, DataMovement::lea);
        shared(XLAT, DataMovement::xlat);
        shared(CBW, DataMovement::cbw);
        shared(CWD, DataMovement::cwd);
        shared(CMOVCC, DataMovement::cmovcc);
        shared(SETCC, DataMovement::setcc);

        shared(LAHF, FlagInstructions::lahf);
        shared(SAHF, FlagInstructions::sahf);
        shared(SALC, FlagInstructions::salc);
        shared(CLC, FlagInstructions::clc);
        shared(STC, FlagInstructions::stc);
        shared(CMC, FlagInstructions::cmc);
        shared(CLD, FlagInstructions::cld);
        shared(STD, FlagInstructions::std);
        shared(CLI, FlagInstructions::cli);
        shared(STI, FlagInstructions::sti);

        shared(PUSH, Stack::push);
        shared(POP, Stack::pop);
        shared(PUSH_SEG, Stack::pushSeg);
        shared(PUSHA, Stack::pusha);
        shared(POPA, Stack::popa);
        shared(PUSHF, Stack::pushf);
        shared(POPF, Stack::popf);
        shared(ENTER, Stack::enter);
        shared(LEAVE, Stack::leave);

        shared(MOV_SEG_LOAD, Segments::movSegLoad);
        shared(MOV_SEG_STORE, Segments::movSegStore);
        shared(POP_SEG, Segments::popSeg);
        shared(LDS, Segments::lds);
        shared(LES, Segments::les);
        shared(LFS, Segments::lfs);
        shared(LGS, Segments::lgs);
        shared(LSS, Segments::lss);

        shared(JMP, ControlFlow::jmp);
        shared(JMP_IND, ControlFlow::jmpInd);
        shared(JMP_FAR, ControlFlow::jmpFar);
        shared(JMP_FAR_IND, ControlFlow::jmpFarInd);
        shared(CALL, ControlFlow::call);
        shared(CALL_IND, ControlFlow::callInd);
        shared(CALL_FAR, ControlFlow::callFar);
        shared(CALL_FAR_IND, ControlFlow::callFarInd);
        shared(RET, ControlFlow::ret);
        shared(RETF, ControlFlow::retf);
        shared(JCC, ControlFlow::jcc);
        shared(JCXZ, ControlFlow::jcxz);
        shared(LOOP, ControlFlow::loop);
        shared(LOOPE, ControlFlow::loope);
        shared(LOOPNE, ControlFlow::loopne);
        shared(INT, ControlFlow::intN);
        shared(INT3, ControlFlow::int3);
        shared(INTO, ControlFlow::into);
        shared(IRET, ControlFlow::iret);
        shared(BOUND, ControlFlow::bound);

        shared(MOVS, StringInstructions::movs);
        shared(CMPS, StringInstructions::cmps);
        shared(STOS, StringInstructions::stos);
        shared(LODS, StringInstructions::lods);
        shared(SCAS, StringInstructions::scas);
        shared(INS, InputOutput::ins);
        shared(OUTS, InputOutput::outs);
        shared(IN, InputOutput::in);
        shared(OUT, InputOutput::out);

        shared(BT, BitOps::bt);
        shared(BTS, BitOps::bts);
        shared(BTR, BitOps::btr);
        shared(BTC, BitOps::btc);
        shared(BSF, BitOps::bsf);
        shared(BSR, BitOps::bsr);

        specialised(HLT, SystemInstructions::hlt);
        specialised(CPUID, SystemInstructions::cpuid);
        specialised(RDTSC, SystemInstructions::rdtsc);
        specialised(RDMSR, SystemInstructions::rdmsr);
        specialised(WRMSR, SystemInstructions::wrmsr);
        specialised(RDPMC, SystemInstructions::rdpmc);
        specialised(MOV_TO_CR, SystemInstructions::movToCr);
        specialised(MOV_FROM_CR, SystemInstructions::movFromCr);
        specialised(MOV_TO_DR, SystemInstructions::movToDr);
        specialised(MOV_FROM_DR, SystemInstructions::movFromDr);
        specialised(LGDT, SystemInstructions::lgdt);
        specialised(LIDT, SystemInstructions::lidt);
        specialised(SGDT, SystemInstructions::sgdt);
        specialised(SIDT, SystemInstructions::sidt);
        specialised(LLDT, SystemInstructions::lldt);
        specialised(LTR, SystemInstructions::ltr);
        specialised(SLDT, SystemInstructions::sldt);
        specialised(STR, SystemInstructions::str);
        specialised(LMSW, SystemInstructions::lmsw);
        specialised(SMSW, SystemInstructions::smsw);
        specialised(CLTS, SystemInstructions::clts);
        specialised(INVLPG, SystemInstructions::invlpg);
        specialised(INVD, SystemInstructions::invd);
        specialised(WBINVD, SystemInstructions::wbinvd);
        specialised(LAR, SystemInstructions::lar);
        specialised(LSL, SystemInstructions::lsl);
        specialised(VERR, SystemInstructions::verr);
        specialised(VERW, SystemInstructions::verw);
        specialised(ARPL, SystemInstructions::arpl);
        specialised(SYSENTER, SystemInstructions::sysenter);
        specialised(SYSEXIT, SystemInstructions::sysexit);

        shared(FADD, X87Instructions::fadd);
        shared(FADDP, X87Instructions::faddp);
        shared(FIADD, X87Instructions::fiadd);
        shared(FMUL, X87Instructions::fmul);
        shared(FMULP, X87Instructions::fmulp);
        shared(FIMUL, X87Instructions::fimul);
        shared(FSUB, X87Instructions::fsub);
        shared(FSUBP, X87Instructions::fsubp);
        shared(FISUB, X87Instructions::fisub);
        shared(FSUBR, X87Instructions::fsubr);
        shared(FSUBRP, X87Instructions::fsubrp);
        shared(FISUBR, X87Instructions::fisubr);
        shared(FDIV, X87Instructions::fdiv);
        shared(FDIVP, X87Instructions::fdivp);
        shared(FIDIV, X87Instructions::fidiv);
        shared(FDIVR, X87Instructions::fdivr);
        shared(FDIVRP, X87Instructions::fdivrp);
        shared(FIDIVR, X87Instructions::fidivr);
        shared(FSQRT, X87Instructions::fsqrt);
        shared(FCHS, X87Instructions::fchs);
        shared(FABS, X87Instructions::fabs);
        shared(FRNDINT, X87Instructions::frndint);
        shared(FSCALE, X87Instructions::fscale);
        shared(FXTRACT, X87Instructions::fxtract);
        shared(FPREM, X87Instructions::fprem);
        shared(FPREM1, X87Instructions::fprem1);
        shared(FSIN, X87Instructions::fsin);
        shared(FCOS, X87Instructions::fcos);
        shared(FSINCOS, X87Instructions::fsincos);
        shared(FPTAN, X87Instructions::fptan);
        shared(FPATAN, X87Instructions::fpatan);
        shared(F2XM1, X87Instructions::f2xm1);
        shared(FYL2X, X87Instructions::fyl2x);
        shared(FYL2XP1, X87Instructions::fyl2xp1);
        shared(FCOM, X87Instructions::fcom);
        shared(FCOMP, X87Instructions::fcomp);
        shared(FCOMPP, X87Instructions::fcompp);
        shared(FUCOM, X87Instructions::fucom);
        shared(FUCOMP, X87Instructions::fucomp);
        shared(FUCOMPP, X87Instructions::fucompp);
        shared(FICOM, X87Instructions::ficom);
        shared(FICOMP, X87Instructions::ficomp);
        shared(FCOMI, X87Instructions::fcomi);
        shared(FCOMIP, X87Instructions::fcomip);
        shared(FUCOMI, X87Instructions::fucomi);
        shared(FUCOMIP, X87Instructions::fucomip);
        shared(FTST, X87Instructions::ftst);
        shared(FXAM, X87Instructions::fxam);
        shared(FLD, X87Instructions::fld);
        shared(FILD, X87Instructions::fild);
        shared(FBLD, X87Instructions::fbld);
        shared(FLD1, X87Instructions::fld1);
        shared(FLDL2T, X87Instructions::fldl2t);
        shared(FLDL2E, X87Instructions::fldl2e);
        shared(FLDPI, X87Instructions::fldpi);
        shared(FLDLG2, X87Instructions::fldlg2);
        shared(FLDLN2, X87Instructions::fldln2);
        shared(FLDZ, X87Instructions::fldz);
        shared(FST, X87Instructions::fst);
        shared(FSTP, X87Instructions::fstp);
        shared(FIST, X87Instructions::fist);
        shared(FISTP, X87Instructions::fistp);
        shared(FISTTP, X87Instructions::fisttp);
        shared(FBSTP, X87Instructions::fbstp);
        shared(FXCH, X87Instructions::fxch);
        shared(FCMOVB, X87Instructions::fcmovb);
        shared(FCMOVE, X87Instructions::fcmove);
        shared(FCMOVBE, X87Instructions::fcmovbe);
        shared(FCMOVU, X87Instructions::fcmovu);
        shared(FCMOVNB, X87Instructions::fcmovnb);
        shared(FCMOVNE, X87Instructions::fcmovne);
        shared(FCMOVNBE, X87Instructions::fcmovnbe);
        shared(FCMOVNU, X87Instructions::fcmovnu);
        shared(FFREE, X87Instructions::ffree);
        shared(FINCSTP, X87Instructions::fincstp);
        shared(FDECSTP, X87Instructions::fdecstp);
        shared(FNOP, X87Instructions::fnop);
        shared(FLDCW, X87Instructions::fldcw);
        shared(FNSTCW, X87Instructions::fnstcw);
        shared(FNSTSW, X87Instructions::fnstsw);
        shared(FNCLEX, X87Instructions::fnclex);
        shared(FNINIT, X87Instructions::fninit);
        shared(FLDENV, X87Instructions::fldenv);
        shared(FNSTENV, X87Instructions::fnstenv);
        shared(FRSTOR, X87Instructions::frstor);
        shared(FNSAVE, X87Instructions::fnsave);
        shared(FXSAVE, X87Instructions::fxsave);
        shared(FXRSTOR, X87Instructions::fxrstor);
        shared(WAIT, X87Instructions::fwait);
        shared(FNENI, X87Instructions::fneni);
        shared(FNDISI, X87Instructions::fndisi);
        shared(FNSETPM, X87Instructions::fnsetpm);
        shared(FSTP1, X87Instructions::fstp1);
        shared(FCOM2, X87Instructions::fcom2);
        shared(FCOMP3, X87Instructions::fcomp3);
        shared(FXCH4, X87Instructions::fxch4);
        shared(FCOMP5, X87Instructions::fcomp5);
        shared(FFREEP, X87Instructions::ffreep);
        shared(FXCH7, X87Instructions::fxch7);
        shared(FSTP8, X87Instructions::fstp8);
        shared(FSTP9, X87Instructions::fstp9);

        shared(NOP, e -> { });
        specialised(PAUSE, Emitters::pause);
        shared(UD2, Emitters::undefined);
        shared(INVALID, Emitters::undefined);
    }

    private Emitters() { }

    /** True when every mnemonic has an emitter (a test pins it). */
    static boolean complete() {
        return TABLE.size() == Mnemonic.values().length;
    }

    /** Whether the first tier's handler for {@code m} is specialised per instruction. */
    public static boolean specialised(Mnemonic m) {
        return entry(m).specialised;
    }

    private static Entry entry(Mnemonic m) {
        Entry e = TABLE.get(m);
        if (e == null) {
            throw new IllegalStateException("no emitter for " + m);
        }
        return e;
    }

    /** Emits the instruction the emitter has begun: its decode-time fault, its privilege check, its code. */
    static void emit(Emitter e) {
        InvalidKind invalid = e.insn().invalid;
        if (invalid != null) {
            if (invalid == InvalidKind.GP) {
                e.raise(Vector.GP, 0, true);
            } else {
                e.raise(Vector.UD, 0, false);
            }
            e.endBlockHere();
            return;
        }
        Mnemonic m = e.mnemonic();
        if (!privilegeCheck(e, m)) {
            return;
        }
        entry(m).emitter.emit(e);
    }

    /** The row's privilege check (SDM Vol. 2 "Protected Mode Exceptions"); false when it faults whatever happens. */
    private static boolean privilegeCheck(Emitter e, Mnemonic m) {
        switch (m.privilege()) {
            case CPL0:
                return cpl0(e);
            case PROTECTED:
                return protectedOnly(e);
            case PROTECTED_CPL0:
                return protectedOnly(e) && cpl0(e);
            case TIME_STAMP_DISABLE:
                faultUnlessCr4(e, Cr4.TSD, false);
                return true;
            case PERFORMANCE_COUNTER_ENABLE:
                faultUnlessCr4(e, Cr4.PCE, true);
                return true;
            default:
                return true;
        }
    }

    /** CPL 0 only (real mode counts as 0, virtual-8086 mode as 3): else #GP(0). */
    private static boolean cpl0(Emitter e) {
        if (e.protectedMode() && (e.v86() || e.cpl() != 0)) {
            e.raise(Vector.GP, 0, true);
            e.endBlockHere();
            return false;
        }
        return true;
    }

    /** Protected mode only: #UD in real-address and virtual-8086 mode. */
    private static boolean protectedOnly(Emitter e) {
        if (e.realOrV86()) {
            e.raise(Vector.UD, 0, false);
            e.endBlockHere();
            return false;
        }
        return true;
    }

    /** RDTSC / RDPMC at CPL > 0 (v86 is CPL 3): #GP(0) when the CR4 bit is set (TSD) or clear (PCE). */
    private static void faultUnlessCr4(Emitter e, int bit, boolean faultWhenClear) {
        if (!e.protectedMode() || (!e.v86() && e.cpl() == 0)) {
            return;
        }
        Label ok = new Label();
        e.getCpu(Fields.CR4);
        e.iconst(bit);
        e.op(Opcodes.IAND);
        e.jump(faultWhenClear ? Opcodes.IFNE : Opcodes.IFEQ, ok);
        e.raise(Vector.GP, 0, true);
        e.label(ok);
    }

    /** PAUSE: a hint, or a VM exit under "PAUSE exiting". */
    private static void pause(Emitter e) {
        if (e.controls().pauseExits()) {
            e.exit(0);
        }
    }

    private static void undefined(Emitter e) {
        e.raise(Vector.UD, 0, false);
        e.endBlockHere();
    }
}
