package dev.jvmx.translator.codegen;

import dev.jvmx.translator.arch.Cr4;
import dev.jvmx.translator.arch.Vector;
import dev.jvmx.translator.decode.InvalidKind;
import dev.jvmx.translator.decode.Mnemonic;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;


import static dev.jvmx.translator.decode.Mnemonic.*;

/**
 * The code generator's dispatch: one emitter method per {@link Mnemonic}, looked up in a table
 * (STYLE.md, "decoding is data"). Before the method runs, the row's privilege check is emitted
 * here, once for every instruction that has one.
 *
 * <p>Every emitter serves both tiers: in a first-tier handler it reads per-instance values from
 * the instruction record and asks the VM-execution controls at run time ({@link Emitter#push},
 * {@link Emitter#byControls}), so one handler serves every instruction of a form, and the
 * handler library made with jvmx holds them all: the first tier never generates code.
 */
public final class Emitters {
    /** An instruction's code, written against {@link Emitter}. */
    @FunctionalInterface
    interface InstructionEmitter {
        void emit(Emitter e);
    }

    /**
     * By the mnemonic's ordinal. An array, not an EnumMap: an enum's first EnumMap finds its
     * constants by reflection, in code HotSpot has not compiled, on the way to the first
     * translation.
     */
    private static final InstructionEmitter[] TABLE = new InstructionEmitter[Mnemonic.values().length];
    private static int entries;

    private static void put(Mnemonic m, InstructionEmitter e) {
        if (TABLE[m.ordinal()] != null) {
            throw new IllegalStateException("two emitters for " + m);
        }
        TABLE[m.ordinal()] = e;
        entries++;
    }

    static {
        put(ADD, Arithmetic::add);
        put(OR, Logic::or);
        put(ADC, Arithmetic::adc);
        put(SBB, Arithmetic::sbb);
        put(AND, Logic::and);
        put(SUB, Arithmetic::sub);
        put(XOR, Logic::xor);
        put(CMP, Arithmetic::cmp);
        put(TEST, Logic::test);
        put(INC, Arithmetic::inc);
        put(DEC, Arithmetic::dec);
        put(NEG, Arithmetic::neg);
        put(NOT, Logic::not);

        put(MUL, MulDiv::mul);
        put(IMUL, MulDiv::imul);
        put(DIV, MulDiv::div);
        put(IDIV, MulDiv::idiv);

        put(ROL, Shifts::rol);
        put(ROR, Shifts::ror);
        put(RCL, Shifts::rcl);
        put(RCR, Shifts::rcr);
        put(SHL, Shifts::shl);
        put(SHR, Shifts::shr);
        put(SAR, Shifts::sar);
        put(SHLD, Shifts::shld);
        put(SHRD, Shifts::shrd);

        put(DAA, Bcd::daa);
        put(DAS, Bcd::das);
        put(AAA, Bcd::aaa);
        put(AAS, Bcd::aas);
        put(AAM, Bcd::aam);
        put(AAD, Bcd::aad);

        put(MOV, DataMovement::mov);
        put(MOVZX, DataMovement::movzx);
        put(MOVSX, DataMovement::movsx);
        put(XCHG, DataMovement::xchg);
        put(XADD, DataMovement::xadd);
        put(CMPXCHG, DataMovement::cmpxchg);
        put(CMPXCHG8B, DataMovement::cmpxchg8b);
        put(BSWAP, DataMovement::bswap);
        put(LEA, DataMovement::lea);
        put(XLAT, DataMovement::xlat);
        put(CBW, DataMovement::cbw);
        put(CWD, DataMovement::cwd);
        put(CMOVCC, DataMovement::cmovcc);
        put(SETCC, DataMovement::setcc);

        put(LAHF, FlagInstructions::lahf);
        put(SAHF, FlagInstructions::sahf);
        put(SALC, FlagInstructions::salc);
        put(CLC, FlagInstructions::clc);
        put(STC, FlagInstructions::stc);
        put(CMC, FlagInstructions::cmc);
        put(CLD, FlagInstructions::cld);
        put(STD, FlagInstructions::std);
        put(CLAC, FlagInstructions::clac);
        put(STAC, FlagInstructions::stac);
        put(CLI, FlagInstructions::cli);
        put(STI, FlagInstructions::sti);

        put(PUSH, Stack::push);
        put(POP, Stack::pop);
        put(PUSH_SEG, Stack::pushSeg);
        put(PUSHA, Stack::pusha);
        put(POPA, Stack::popa);
        put(PUSHF, Stack::pushf);
        put(POPF, Stack::popf);
        put(ENTER, Stack::enter);
        put(LEAVE, Stack::leave);

        put(MOV_SEG_LOAD, Segments::movSegLoad);
        put(MOV_SEG_STORE, Segments::movSegStore);
        put(POP_SEG, Segments::popSeg);
        put(LDS, Segments::lds);
        put(LES, Segments::les);
        put(LFS, Segments::lfs);
        put(LGS, Segments::lgs);
        put(LSS, Segments::lss);

        put(JMP, ControlFlow::jmp);
        put(JMP_IND, ControlFlow::jmpInd);
        put(JMP_FAR, ControlFlow::jmpFar);
        put(JMP_FAR_IND, ControlFlow::jmpFarInd);
        put(CALL, ControlFlow::call);
        put(CALL_IND, ControlFlow::callInd);
        put(CALL_FAR, ControlFlow::callFar);
        put(CALL_FAR_IND, ControlFlow::callFarInd);
        put(RET, ControlFlow::ret);
        put(RETF, ControlFlow::retf);
        put(JCC, ControlFlow::jcc);
        put(JCXZ, ControlFlow::jcxz);
        put(LOOP, ControlFlow::loop);
        put(LOOPE, ControlFlow::loope);
        put(LOOPNE, ControlFlow::loopne);
        put(INT, ControlFlow::intN);
        put(INT3, ControlFlow::int3);
        put(INTO, ControlFlow::into);
        put(INT1, ControlFlow::int1);
        put(IRET, ControlFlow::iret);
        put(BOUND, ControlFlow::bound);

        put(MOVS, StringInstructions::movs);
        put(CMPS, StringInstructions::cmps);
        put(STOS, StringInstructions::stos);
        put(LODS, StringInstructions::lods);
        put(SCAS, StringInstructions::scas);
        put(INS, InputOutput::ins);
        put(OUTS, InputOutput::outs);
        put(IN, InputOutput::in);
        put(OUT, InputOutput::out);

        put(BT, BitOps::bt);
        put(BTS, BitOps::bts);
        put(BTR, BitOps::btr);
        put(BTC, BitOps::btc);
        put(BSF, BitOps::bsf);
        put(BSR, BitOps::bsr);

        put(HLT, SystemInstructions::hlt);
        put(CPUID, SystemInstructions::cpuid);
        put(RDTSC, SystemInstructions::rdtsc);
        put(RDTSCP, SystemInstructions::rdtscp);
        put(RDMSR, SystemInstructions::rdmsr);
        put(WRMSR, SystemInstructions::wrmsr);
        put(RDPMC, SystemInstructions::rdpmc);
        put(MOV_TO_CR, SystemInstructions::movToCr);
        put(MOV_FROM_CR, SystemInstructions::movFromCr);
        put(MOV_TO_DR, SystemInstructions::movToDr);
        put(MOV_FROM_DR, SystemInstructions::movFromDr);
        put(LGDT, SystemInstructions::lgdt);
        put(LIDT, SystemInstructions::lidt);
        put(SGDT, SystemInstructions::sgdt);
        put(SIDT, SystemInstructions::sidt);
        put(LLDT, SystemInstructions::lldt);
        put(LTR, SystemInstructions::ltr);
        put(SLDT, SystemInstructions::sldt);
        put(STR, SystemInstructions::str);
        put(LMSW, SystemInstructions::lmsw);
        put(SMSW, SystemInstructions::smsw);
        put(CLTS, SystemInstructions::clts);
        put(INVLPG, SystemInstructions::invlpg);
        put(INVD, SystemInstructions::invd);
        put(WBINVD, SystemInstructions::wbinvd);
        put(LAR, SystemInstructions::lar);
        put(LSL, SystemInstructions::lsl);
        put(VERR, SystemInstructions::verr);
        put(VERW, SystemInstructions::verw);
        put(ARPL, SystemInstructions::arpl);
        put(SYSENTER, SystemInstructions::sysenter);
        put(SYSEXIT, SystemInstructions::sysexit);

        put(FADD, X87Instructions::fadd);
        put(FADDP, X87Instructions::faddp);
        put(FIADD, X87Instructions::fiadd);
        put(FMUL, X87Instructions::fmul);
        put(FMULP, X87Instructions::fmulp);
        put(FIMUL, X87Instructions::fimul);
        put(FSUB, X87Instructions::fsub);
        put(FSUBP, X87Instructions::fsubp);
        put(FISUB, X87Instructions::fisub);
        put(FSUBR, X87Instructions::fsubr);
        put(FSUBRP, X87Instructions::fsubrp);
        put(FISUBR, X87Instructions::fisubr);
        put(FDIV, X87Instructions::fdiv);
        put(FDIVP, X87Instructions::fdivp);
        put(FIDIV, X87Instructions::fidiv);
        put(FDIVR, X87Instructions::fdivr);
        put(FDIVRP, X87Instructions::fdivrp);
        put(FIDIVR, X87Instructions::fidivr);
        put(FSQRT, X87Instructions::fsqrt);
        put(FCHS, X87Instructions::fchs);
        put(FABS, X87Instructions::fabs);
        put(FRNDINT, X87Instructions::frndint);
        put(FSCALE, X87Instructions::fscale);
        put(FXTRACT, X87Instructions::fxtract);
        put(FPREM, X87Instructions::fprem);
        put(FPREM1, X87Instructions::fprem1);
        put(FSIN, X87Instructions::fsin);
        put(FCOS, X87Instructions::fcos);
        put(FSINCOS, X87Instructions::fsincos);
        put(FPTAN, X87Instructions::fptan);
        put(FPATAN, X87Instructions::fpatan);
        put(F2XM1, X87Instructions::f2xm1);
        put(FYL2X, X87Instructions::fyl2x);
        put(FYL2XP1, X87Instructions::fyl2xp1);
        put(FCOM, X87Instructions::fcom);
        put(FCOMP, X87Instructions::fcomp);
        put(FCOMPP, X87Instructions::fcompp);
        put(FUCOM, X87Instructions::fucom);
        put(FUCOMP, X87Instructions::fucomp);
        put(FUCOMPP, X87Instructions::fucompp);
        put(FICOM, X87Instructions::ficom);
        put(FICOMP, X87Instructions::ficomp);
        put(FCOMI, X87Instructions::fcomi);
        put(FCOMIP, X87Instructions::fcomip);
        put(FUCOMI, X87Instructions::fucomi);
        put(FUCOMIP, X87Instructions::fucomip);
        put(FTST, X87Instructions::ftst);
        put(FXAM, X87Instructions::fxam);
        put(FLD, X87Instructions::fld);
        put(FILD, X87Instructions::fild);
        put(FBLD, X87Instructions::fbld);
        put(FLD1, X87Instructions::fld1);
        put(FLDL2T, X87Instructions::fldl2t);
        put(FLDL2E, X87Instructions::fldl2e);
        put(FLDPI, X87Instructions::fldpi);
        put(FLDLG2, X87Instructions::fldlg2);
        put(FLDLN2, X87Instructions::fldln2);
        put(FLDZ, X87Instructions::fldz);
        put(FST, X87Instructions::fst);
        put(FSTP, X87Instructions::fstp);
        put(FIST, X87Instructions::fist);
        put(FISTP, X87Instructions::fistp);
        put(FISTTP, X87Instructions::fisttp);
        put(FBSTP, X87Instructions::fbstp);
        put(FXCH, X87Instructions::fxch);
        put(FCMOVB, X87Instructions::fcmovb);
        put(FCMOVE, X87Instructions::fcmove);
        put(FCMOVBE, X87Instructions::fcmovbe);
        put(FCMOVU, X87Instructions::fcmovu);
        put(FCMOVNB, X87Instructions::fcmovnb);
        put(FCMOVNE, X87Instructions::fcmovne);
        put(FCMOVNBE, X87Instructions::fcmovnbe);
        put(FCMOVNU, X87Instructions::fcmovnu);
        put(FFREE, X87Instructions::ffree);
        put(FINCSTP, X87Instructions::fincstp);
        put(FDECSTP, X87Instructions::fdecstp);
        put(FNOP, X87Instructions::fnop);
        put(FLDCW, X87Instructions::fldcw);
        put(FNSTCW, X87Instructions::fnstcw);
        put(FNSTSW, X87Instructions::fnstsw);
        put(FNCLEX, X87Instructions::fnclex);
        put(FNINIT, X87Instructions::fninit);
        put(FLDENV, X87Instructions::fldenv);
        put(FNSTENV, X87Instructions::fnstenv);
        put(FRSTOR, X87Instructions::frstor);
        put(FNSAVE, X87Instructions::fnsave);
        put(FXSAVE, X87Instructions::fxsave);
        put(FXRSTOR, X87Instructions::fxrstor);
        put(WAIT, X87Instructions::fwait);
        put(FNENI, X87Instructions::fneni);
        put(FNDISI, X87Instructions::fndisi);
        put(FNSETPM, X87Instructions::fnsetpm);
        put(FSTP1, X87Instructions::fstp1);
        put(FCOM2, X87Instructions::fcom2);
        put(FCOMP3, X87Instructions::fcomp3);
        put(FXCH4, X87Instructions::fxch4);
        put(FCOMP5, X87Instructions::fcomp5);
        put(FFREEP, X87Instructions::ffreep);
        put(FXCH7, X87Instructions::fxch7);
        put(FSTP8, X87Instructions::fstp8);
        put(FSTP9, X87Instructions::fstp9);

        put(MOVUPS, SseInstructions::movups);
        put(MOVUPD, SseInstructions::movupd);
        put(MOVSS, SseInstructions::movss);
        put(MOVSD, SseInstructions::movsd);
        put(MOVLPS, SseInstructions::movlps);
        put(MOVHLPS, SseInstructions::movhlps);
        put(MOVLPD, SseInstructions::movlpd);
        put(MOVHPS, SseInstructions::movhps);
        put(MOVLHPS, SseInstructions::movlhps);
        put(MOVHPD, SseInstructions::movhpd);
        put(MOVAPS, SseInstructions::movaps);
        put(MOVAPD, SseInstructions::movapd);
        put(MOVNTPS, SseInstructions::movntps);
        put(MOVNTPD, SseInstructions::movntpd);
        put(MOVMSKPS, SseInstructions::movmskps);
        put(MOVMSKPD, SseInstructions::movmskpd);
        put(ANDPS, SseInstructions::andps);
        put(ANDPD, SseInstructions::andpd);
        put(ANDNPS, SseInstructions::andnps);
        put(ANDNPD, SseInstructions::andnpd);
        put(ORPS, SseInstructions::orps);
        put(ORPD, SseInstructions::orpd);
        put(XORPS, SseInstructions::xorps);
        put(XORPD, SseInstructions::xorpd);
        put(PUNPCKLBW, SseInstructions::punpcklbw);
        put(PUNPCKLWD, SseInstructions::punpcklwd);
        put(PUNPCKLDQ, SseInstructions::punpckldq);
        put(PACKSSWB, SseInstructions::packsswb);
        put(PCMPGTB, SseInstructions::pcmpgtb);
        put(PCMPGTW, SseInstructions::pcmpgtw);
        put(PCMPGTD, SseInstructions::pcmpgtd);
        put(PACKUSWB, SseInstructions::packuswb);
        put(PUNPCKHBW, SseInstructions::punpckhbw);
        put(PUNPCKHWD, SseInstructions::punpckhwd);
        put(PUNPCKHDQ, SseInstructions::punpckhdq);
        put(PACKSSDW, SseInstructions::packssdw);
        put(PUNPCKLQDQ, SseInstructions::punpcklqdq);
        put(PUNPCKHQDQ, SseInstructions::punpckhqdq);
        put(MOVD, SseInstructions::movd);
        put(MOVDQA, SseInstructions::movdqa);
        put(MOVDQU, SseInstructions::movdqu);
        put(PSHUFD, SseInstructions::pshufd);
        put(PSHUFHW, SseInstructions::pshufhw);
        put(PSHUFLW, SseInstructions::pshuflw);
        put(PSRLW, SseInstructions::psrlw);
        put(PSRAW, SseInstructions::psraw);
        put(PSLLW, SseInstructions::psllw);
        put(PSRLD, SseInstructions::psrld);
        put(PSRAD, SseInstructions::psrad);
        put(PSLLD, SseInstructions::pslld);
        put(PSRLQ, SseInstructions::psrlq);
        put(PSRLDQ, SseInstructions::psrldq);
        put(PSLLQ, SseInstructions::psllq);
        put(PSLLDQ, SseInstructions::pslldq);
        put(PCMPEQB, SseInstructions::pcmpeqb);
        put(PCMPEQW, SseInstructions::pcmpeqw);
        put(PCMPEQD, SseInstructions::pcmpeqd);
        put(MOVQ, SseInstructions::movq);
        put(MOVNTI, SseInstructions::movnti);
        put(PADDQ, SseInstructions::paddq);
        put(PMOVMSKB, SseInstructions::pmovmskb);
        put(PAND, SseInstructions::pand);
        put(PANDN, SseInstructions::pandn);
        put(MOVNTDQ, SseInstructions::movntdq);
        put(POR, SseInstructions::por);
        put(PXOR, SseInstructions::pxor);
        put(PSUBB, SseInstructions::psubb);
        put(PSUBW, SseInstructions::psubw);
        put(PSUBD, SseInstructions::psubd);
        put(PSUBQ, SseInstructions::psubq);
        put(PADDB, SseInstructions::paddb);
        put(PADDW, SseInstructions::paddw);
        put(PADDD, SseInstructions::paddd);
        put(UNPCKLPS, SseInstructions::unpcklps);
        put(UNPCKLPD, SseInstructions::unpcklpd);
        put(UNPCKHPS, SseInstructions::unpckhps);
        put(UNPCKHPD, SseInstructions::unpckhpd);
        put(PINSRW, SseInstructions::pinsrw);
        put(PEXTRW, SseInstructions::pextrw);
        put(SHUFPS, SseInstructions::shufps);
        put(SHUFPD, SseInstructions::shufpd);
        put(PMULLW, SseInstructions::pmullw);
        put(PSUBUSB, SseInstructions::psubusb);
        put(PSUBUSW, SseInstructions::psubusw);
        put(PMINUB, SseInstructions::pminub);
        put(PADDUSB, SseInstructions::paddusb);
        put(PADDUSW, SseInstructions::paddusw);
        put(PMAXUB, SseInstructions::pmaxub);
        put(PAVGB, SseInstructions::pavgb);
        put(PAVGW, SseInstructions::pavgw);
        put(PMULHUW, SseInstructions::pmulhuw);
        put(PMULHW, SseInstructions::pmulhw);
        put(PSUBSB, SseInstructions::psubsb);
        put(PSUBSW, SseInstructions::psubsw);
        put(PMINSW, SseInstructions::pminsw);
        put(PADDSB, SseInstructions::paddsb);
        put(PADDSW, SseInstructions::paddsw);
        put(PMAXSW, SseInstructions::pmaxsw);
        put(PMULUDQ, SseInstructions::pmuludq);
        put(PMADDWD, SseInstructions::pmaddwd);
        put(PSADBW, SseInstructions::psadbw);
        put(LDMXCSR, SseInstructions::ldmxcsr);
        put(STMXCSR, SseInstructions::stmxcsr);
        put(CLFLUSH, SseInstructions::clflush);

        put(NOP, e -> { });
        put(LFENCE, e -> { });
        put(MFENCE, e -> { });
        put(SFENCE, e -> { });
        put(PAUSE, Emitters::pause);
        put(UD2, Emitters::undefined);
        put(INVALID, Emitters::undefined);
    }

    private Emitters() { }

    /** True when every mnemonic has an emitter (a test pins it). */
    static boolean complete() {
        return entries == TABLE.length;
    }

    private static InstructionEmitter entry(Mnemonic m) {
        InstructionEmitter e = TABLE[m.ordinal()];
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
        entry(m).emit(e);
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
            case CPL0_ELSE_UNDEFINED:
                if (e.protectedMode() && (e.v86() || e.cpl() != 0)) {
                    e.raise(Vector.UD, 0, false);
                    e.endBlockHere();
                    return false;
                }
                return true;
            case USER_MODE_INSTRUCTION_PREVENTION:
                faultUnlessCr4(e, Cr4.UMIP, false);
                return true;
            case PROTECTED_USER_MODE_INSTRUCTION_PREVENTION:
                if (!protectedOnly(e)) {
                    return false;
                }
                faultUnlessCr4(e, Cr4.UMIP, false);
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

    /** RDTSC / RDPMC / SGDT ... at CPL > 0 (v86 is CPL 3): #GP(0) when the CR4 bit is set (TSD, UMIP) or clear (PCE). */
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

    /**
     * PAUSE: a hint, or a VM exit under "PAUSE exiting". The VMM of a machine with several
     * processors takes that exit as a spin-wait's yield and asks for the block to end after it,
     * before the loop takes its lock again (see runtime's board.Processors).
     */
    private static void pause(Emitter e) {
        e.byControls(() -> {
            e.exit(0);
            e.leaveIfRequested();
        }, () -> { });
    }

    private static void undefined(Emitter e) {
        e.raise(Vector.UD, 0, false);
        e.endBlockHere();
    }
}
