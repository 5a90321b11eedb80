package dev.jvmx.translator.codegen;

import dev.jvmx.translator.arch.Cr4;
import dev.jvmx.translator.arch.Vector;
import dev.jvmx.translator.decode.InvalidKind;
import dev.jvmx.translator.decode.Mnemonic;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;

import static dev.jvmx.translator.decode.Mnemonic.*;

/**
 * The code generator's dispatch: one emitter method per {@link Mnemonic}. Before the method
 * runs, the row's privilege check is emitted here, once for every instruction that has one.
 *
 * <p>Every emitter serves both tiers: in a first-tier handler it reads per-instance values from
 * the instruction record and asks the VM-execution controls at run time ({@link Emitter#push},
 * {@link Emitter#byControls}), so one handler serves every instruction of a form, and the
 * handler library made with jvmx holds them all: the first tier never generates code.
 */
public final class Emitters {
    /**
     * Emits {@code m}'s code: a switch, not a table of method references, whose 355 lambda
     * classes the start-up cache loaded at every start and the first translation linked one by
     * one (bench/RESULTS.md). EmittersTest compiles every mnemonic, so a missing case fails it.
     */
    private static void dispatch(Mnemonic m, Emitter e) {
        switch (m) {
            case ADD -> Arithmetic.add(e);
            case OR -> Logic.or(e);
            case ADC -> Arithmetic.adc(e);
            case SBB -> Arithmetic.sbb(e);
            case AND -> Logic.and(e);
            case SUB -> Arithmetic.sub(e);
            case XOR -> Logic.xor(e);
            case CMP -> Arithmetic.cmp(e);
            case TEST -> Logic.test(e);
            case INC -> Arithmetic.inc(e);
            case DEC -> Arithmetic.dec(e);
            case NEG -> Arithmetic.neg(e);
            case NOT -> Logic.not(e);

            case MUL -> MulDiv.mul(e);
            case IMUL -> MulDiv.imul(e);
            case DIV -> MulDiv.div(e);
            case IDIV -> MulDiv.idiv(e);

            case ROL -> Shifts.rol(e);
            case ROR -> Shifts.ror(e);
            case RCL -> Shifts.rcl(e);
            case RCR -> Shifts.rcr(e);
            case SHL -> Shifts.shl(e);
            case SHR -> Shifts.shr(e);
            case SAR -> Shifts.sar(e);
            case SHLD -> Shifts.shld(e);
            case SHRD -> Shifts.shrd(e);

            case DAA -> Bcd.daa(e);
            case DAS -> Bcd.das(e);
            case AAA -> Bcd.aaa(e);
            case AAS -> Bcd.aas(e);
            case AAM -> Bcd.aam(e);
            case AAD -> Bcd.aad(e);

            case MOV -> DataMovement.mov(e);
            case MOVZX -> DataMovement.movzx(e);
            case MOVSX -> DataMovement.movsx(e);
            case XCHG -> DataMovement.xchg(e);
            case XADD -> DataMovement.xadd(e);
            case CMPXCHG -> DataMovement.cmpxchg(e);
            case CMPXCHG8B -> DataMovement.cmpxchg8b(e);
            case BSWAP -> DataMovement.bswap(e);
            case LEA -> DataMovement.lea(e);
            case XLAT -> DataMovement.xlat(e);
            case CBW -> DataMovement.cbw(e);
            case CWD -> DataMovement.cwd(e);
            case CMOVCC -> DataMovement.cmovcc(e);
            case SETCC -> DataMovement.setcc(e);

            case LAHF -> FlagInstructions.lahf(e);
            case SAHF -> FlagInstructions.sahf(e);
            case SALC -> FlagInstructions.salc(e);
            case CLC -> FlagInstructions.clc(e);
            case STC -> FlagInstructions.stc(e);
            case CMC -> FlagInstructions.cmc(e);
            case CLD -> FlagInstructions.cld(e);
            case STD -> FlagInstructions.std(e);
            case CLAC -> FlagInstructions.clac(e);
            case STAC -> FlagInstructions.stac(e);
            case CLI -> FlagInstructions.cli(e);
            case STI -> FlagInstructions.sti(e);

            case PUSH -> Stack.push(e);
            case POP -> Stack.pop(e);
            case PUSH_SEG -> Stack.pushSeg(e);
            case PUSHA -> Stack.pusha(e);
            case POPA -> Stack.popa(e);
            case PUSHF -> Stack.pushf(e);
            case POPF -> Stack.popf(e);
            case ENTER -> Stack.enter(e);
            case LEAVE -> Stack.leave(e);

            case MOV_SEG_LOAD -> Segments.movSegLoad(e);
            case MOV_SEG_STORE -> Segments.movSegStore(e);
            case POP_SEG -> Segments.popSeg(e);
            case LDS -> Segments.lds(e);
            case LES -> Segments.les(e);
            case LFS -> Segments.lfs(e);
            case LGS -> Segments.lgs(e);
            case LSS -> Segments.lss(e);

            case JMP -> ControlFlow.jmp(e);
            case JMP_IND -> ControlFlow.jmpInd(e);
            case JMP_FAR -> ControlFlow.jmpFar(e);
            case JMP_FAR_IND -> ControlFlow.jmpFarInd(e);
            case CALL -> ControlFlow.call(e);
            case CALL_IND -> ControlFlow.callInd(e);
            case CALL_FAR -> ControlFlow.callFar(e);
            case CALL_FAR_IND -> ControlFlow.callFarInd(e);
            case RET -> ControlFlow.ret(e);
            case RETF -> ControlFlow.retf(e);
            case JCC -> ControlFlow.jcc(e);
            case JCXZ -> ControlFlow.jcxz(e);
            case LOOP -> ControlFlow.loop(e);
            case LOOPE -> ControlFlow.loope(e);
            case LOOPNE -> ControlFlow.loopne(e);
            case INT -> ControlFlow.intN(e);
            case INT3 -> ControlFlow.int3(e);
            case INTO -> ControlFlow.into(e);
            case INT1 -> ControlFlow.int1(e);
            case IRET -> ControlFlow.iret(e);
            case BOUND -> ControlFlow.bound(e);

            case MOVS -> StringInstructions.movs(e);
            case CMPS -> StringInstructions.cmps(e);
            case STOS -> StringInstructions.stos(e);
            case LODS -> StringInstructions.lods(e);
            case SCAS -> StringInstructions.scas(e);
            case INS -> InputOutput.ins(e);
            case OUTS -> InputOutput.outs(e);
            case IN -> InputOutput.in(e);
            case OUT -> InputOutput.out(e);

            case BT -> BitOps.bt(e);
            case BTS -> BitOps.bts(e);
            case BTR -> BitOps.btr(e);
            case BTC -> BitOps.btc(e);
            case BSF -> BitOps.bsf(e);
            case BSR -> BitOps.bsr(e);

            case HLT -> SystemInstructions.hlt(e);
            case CPUID -> SystemInstructions.cpuid(e);
            case RDTSC -> SystemInstructions.rdtsc(e);
            case RDTSCP -> SystemInstructions.rdtscp(e);
            case RDMSR -> SystemInstructions.rdmsr(e);
            case WRMSR -> SystemInstructions.wrmsr(e);
            case RDPMC -> SystemInstructions.rdpmc(e);
            case MOV_TO_CR -> SystemInstructions.movToCr(e);
            case MOV_FROM_CR -> SystemInstructions.movFromCr(e);
            case MOV_TO_DR -> SystemInstructions.movToDr(e);
            case MOV_FROM_DR -> SystemInstructions.movFromDr(e);
            case LGDT -> SystemInstructions.lgdt(e);
            case LIDT -> SystemInstructions.lidt(e);
            case SGDT -> SystemInstructions.sgdt(e);
            case SIDT -> SystemInstructions.sidt(e);
            case LLDT -> SystemInstructions.lldt(e);
            case LTR -> SystemInstructions.ltr(e);
            case SLDT -> SystemInstructions.sldt(e);
            case STR -> SystemInstructions.str(e);
            case LMSW -> SystemInstructions.lmsw(e);
            case SMSW -> SystemInstructions.smsw(e);
            case CLTS -> SystemInstructions.clts(e);
            case INVLPG -> SystemInstructions.invlpg(e);
            case INVD -> SystemInstructions.invd(e);
            case WBINVD -> SystemInstructions.wbinvd(e);
            case LAR -> SystemInstructions.lar(e);
            case LSL -> SystemInstructions.lsl(e);
            case VERR -> SystemInstructions.verr(e);
            case VERW -> SystemInstructions.verw(e);
            case ARPL -> SystemInstructions.arpl(e);
            case SYSENTER -> SystemInstructions.sysenter(e);
            case SYSEXIT -> SystemInstructions.sysexit(e);

            case FADD -> X87Instructions.fadd(e);
            case FADDP -> X87Instructions.faddp(e);
            case FIADD -> X87Instructions.fiadd(e);
            case FMUL -> X87Instructions.fmul(e);
            case FMULP -> X87Instructions.fmulp(e);
            case FIMUL -> X87Instructions.fimul(e);
            case FSUB -> X87Instructions.fsub(e);
            case FSUBP -> X87Instructions.fsubp(e);
            case FISUB -> X87Instructions.fisub(e);
            case FSUBR -> X87Instructions.fsubr(e);
            case FSUBRP -> X87Instructions.fsubrp(e);
            case FISUBR -> X87Instructions.fisubr(e);
            case FDIV -> X87Instructions.fdiv(e);
            case FDIVP -> X87Instructions.fdivp(e);
            case FIDIV -> X87Instructions.fidiv(e);
            case FDIVR -> X87Instructions.fdivr(e);
            case FDIVRP -> X87Instructions.fdivrp(e);
            case FIDIVR -> X87Instructions.fidivr(e);
            case FSQRT -> X87Instructions.fsqrt(e);
            case FCHS -> X87Instructions.fchs(e);
            case FABS -> X87Instructions.fabs(e);
            case FRNDINT -> X87Instructions.frndint(e);
            case FSCALE -> X87Instructions.fscale(e);
            case FXTRACT -> X87Instructions.fxtract(e);
            case FPREM -> X87Instructions.fprem(e);
            case FPREM1 -> X87Instructions.fprem1(e);
            case FSIN -> X87Instructions.fsin(e);
            case FCOS -> X87Instructions.fcos(e);
            case FSINCOS -> X87Instructions.fsincos(e);
            case FPTAN -> X87Instructions.fptan(e);
            case FPATAN -> X87Instructions.fpatan(e);
            case F2XM1 -> X87Instructions.f2xm1(e);
            case FYL2X -> X87Instructions.fyl2x(e);
            case FYL2XP1 -> X87Instructions.fyl2xp1(e);
            case FCOM -> X87Instructions.fcom(e);
            case FCOMP -> X87Instructions.fcomp(e);
            case FCOMPP -> X87Instructions.fcompp(e);
            case FUCOM -> X87Instructions.fucom(e);
            case FUCOMP -> X87Instructions.fucomp(e);
            case FUCOMPP -> X87Instructions.fucompp(e);
            case FICOM -> X87Instructions.ficom(e);
            case FICOMP -> X87Instructions.ficomp(e);
            case FCOMI -> X87Instructions.fcomi(e);
            case FCOMIP -> X87Instructions.fcomip(e);
            case FUCOMI -> X87Instructions.fucomi(e);
            case FUCOMIP -> X87Instructions.fucomip(e);
            case FTST -> X87Instructions.ftst(e);
            case FXAM -> X87Instructions.fxam(e);
            case FLD -> X87Instructions.fld(e);
            case FILD -> X87Instructions.fild(e);
            case FBLD -> X87Instructions.fbld(e);
            case FLD1 -> X87Instructions.fld1(e);
            case FLDL2T -> X87Instructions.fldl2t(e);
            case FLDL2E -> X87Instructions.fldl2e(e);
            case FLDPI -> X87Instructions.fldpi(e);
            case FLDLG2 -> X87Instructions.fldlg2(e);
            case FLDLN2 -> X87Instructions.fldln2(e);
            case FLDZ -> X87Instructions.fldz(e);
            case FST -> X87Instructions.fst(e);
            case FSTP -> X87Instructions.fstp(e);
            case FIST -> X87Instructions.fist(e);
            case FISTP -> X87Instructions.fistp(e);
            case FISTTP -> X87Instructions.fisttp(e);
            case FBSTP -> X87Instructions.fbstp(e);
            case FXCH -> X87Instructions.fxch(e);
            case FCMOVB -> X87Instructions.fcmovb(e);
            case FCMOVE -> X87Instructions.fcmove(e);
            case FCMOVBE -> X87Instructions.fcmovbe(e);
            case FCMOVU -> X87Instructions.fcmovu(e);
            case FCMOVNB -> X87Instructions.fcmovnb(e);
            case FCMOVNE -> X87Instructions.fcmovne(e);
            case FCMOVNBE -> X87Instructions.fcmovnbe(e);
            case FCMOVNU -> X87Instructions.fcmovnu(e);
            case FFREE -> X87Instructions.ffree(e);
            case FINCSTP -> X87Instructions.fincstp(e);
            case FDECSTP -> X87Instructions.fdecstp(e);
            case FNOP -> X87Instructions.fnop(e);
            case FLDCW -> X87Instructions.fldcw(e);
            case FNSTCW -> X87Instructions.fnstcw(e);
            case FNSTSW -> X87Instructions.fnstsw(e);
            case FNCLEX -> X87Instructions.fnclex(e);
            case FNINIT -> X87Instructions.fninit(e);
            case FLDENV -> X87Instructions.fldenv(e);
            case FNSTENV -> X87Instructions.fnstenv(e);
            case FRSTOR -> X87Instructions.frstor(e);
            case FNSAVE -> X87Instructions.fnsave(e);
            case FXSAVE -> X87Instructions.fxsave(e);
            case FXRSTOR -> X87Instructions.fxrstor(e);
            case WAIT -> X87Instructions.fwait(e);
            case FNENI -> X87Instructions.fneni(e);
            case FNDISI -> X87Instructions.fndisi(e);
            case FNSETPM -> X87Instructions.fnsetpm(e);
            case FSTP1 -> X87Instructions.fstp1(e);
            case FCOM2 -> X87Instructions.fcom2(e);
            case FCOMP3 -> X87Instructions.fcomp3(e);
            case FXCH4 -> X87Instructions.fxch4(e);
            case FCOMP5 -> X87Instructions.fcomp5(e);
            case FFREEP -> X87Instructions.ffreep(e);
            case FXCH7 -> X87Instructions.fxch7(e);
            case FSTP8 -> X87Instructions.fstp8(e);
            case FSTP9 -> X87Instructions.fstp9(e);

            case MOVUPS -> SseInstructions.movups(e);
            case MOVUPD -> SseInstructions.movupd(e);
            case MOVSS -> SseInstructions.movss(e);
            case MOVSD -> SseInstructions.movsd(e);
            case MOVLPS -> SseInstructions.movlps(e);
            case MOVHLPS -> SseInstructions.movhlps(e);
            case MOVLPD -> SseInstructions.movlpd(e);
            case MOVHPS -> SseInstructions.movhps(e);
            case MOVLHPS -> SseInstructions.movlhps(e);
            case MOVHPD -> SseInstructions.movhpd(e);
            case MOVAPS -> SseInstructions.movaps(e);
            case MOVAPD -> SseInstructions.movapd(e);
            case MOVNTPS -> SseInstructions.movntps(e);
            case MOVNTPD -> SseInstructions.movntpd(e);
            case MOVMSKPS -> SseInstructions.movmskps(e);
            case ADDPS -> SseInstructions.addps(e);
            case ADDSS -> SseInstructions.addss(e);
            case ADDPD -> SseInstructions.addpd(e);
            case ADDSD -> SseInstructions.addsd(e);
            case MULPS -> SseInstructions.mulps(e);
            case MULSS -> SseInstructions.mulss(e);
            case MULPD -> SseInstructions.mulpd(e);
            case MULSD -> SseInstructions.mulsd(e);
            case SUBPS -> SseInstructions.subps(e);
            case SUBSS -> SseInstructions.subss(e);
            case SUBPD -> SseInstructions.subpd(e);
            case SUBSD -> SseInstructions.subsd(e);
            case MINPS -> SseInstructions.minps(e);
            case MINSS -> SseInstructions.minss(e);
            case MINPD -> SseInstructions.minpd(e);
            case MINSD -> SseInstructions.minsd(e);
            case DIVPS -> SseInstructions.divps(e);
            case DIVSS -> SseInstructions.divss(e);
            case DIVPD -> SseInstructions.divpd(e);
            case DIVSD -> SseInstructions.divsd(e);
            case MAXPS -> SseInstructions.maxps(e);
            case MAXSS -> SseInstructions.maxss(e);
            case MAXPD -> SseInstructions.maxpd(e);
            case MAXSD -> SseInstructions.maxsd(e);
            case SQRTPS -> SseInstructions.sqrtps(e);
            case SQRTSS -> SseInstructions.sqrtss(e);
            case SQRTPD -> SseInstructions.sqrtpd(e);
            case SQRTSD -> SseInstructions.sqrtsd(e);
            case RSQRTPS -> SseInstructions.rsqrtps(e);
            case RSQRTSS -> SseInstructions.rsqrtss(e);
            case RCPPS -> SseInstructions.rcpps(e);
            case RCPSS -> SseInstructions.rcpss(e);
            case CMPPS -> SseInstructions.cmpps(e);
            case CMPSS -> SseInstructions.cmpss(e);
            case CMPPD -> SseInstructions.cmppd(e);
            case UCOMISS -> SseInstructions.ucomiss(e);
            case UCOMISD -> SseInstructions.ucomisd(e);
            case COMISS -> SseInstructions.comiss(e);
            case COMISD -> SseInstructions.comisd(e);
            case CVTSI2SS -> SseInstructions.cvtsi2ss(e);
            case CVTSI2SD -> SseInstructions.cvtsi2sd(e);
            case CVTTSS2SI -> SseInstructions.cvttss2si(e);
            case CVTTSD2SI -> SseInstructions.cvttsd2si(e);
            case CVTSS2SI -> SseInstructions.cvtss2si(e);
            case CVTSD2SI -> SseInstructions.cvtsd2si(e);
            case CVTPS2PD -> SseInstructions.cvtps2pd(e);
            case CVTPD2PS -> SseInstructions.cvtpd2ps(e);
            case CVTSS2SD -> SseInstructions.cvtss2sd(e);
            case CVTSD2SS -> SseInstructions.cvtsd2ss(e);
            case CVTDQ2PS -> SseInstructions.cvtdq2ps(e);
            case CVTPS2DQ -> SseInstructions.cvtps2dq(e);
            case CVTTPS2DQ -> SseInstructions.cvttps2dq(e);
            case CVTTPD2DQ -> SseInstructions.cvttpd2dq(e);
            case CVTPD2DQ -> SseInstructions.cvtpd2dq(e);
            case CVTDQ2PD -> SseInstructions.cvtdq2pd(e);
            case CMPSD_SSE -> SseInstructions.cmpsd(e);
            case MOVMSKPD -> SseInstructions.movmskpd(e);
            case ANDPS -> SseInstructions.andps(e);
            case ANDPD -> SseInstructions.andpd(e);
            case ANDNPS -> SseInstructions.andnps(e);
            case ANDNPD -> SseInstructions.andnpd(e);
            case ORPS -> SseInstructions.orps(e);
            case ORPD -> SseInstructions.orpd(e);
            case XORPS -> SseInstructions.xorps(e);
            case XORPD -> SseInstructions.xorpd(e);
            case PUNPCKLBW -> SseInstructions.punpcklbw(e);
            case PUNPCKLWD -> SseInstructions.punpcklwd(e);
            case PUNPCKLDQ -> SseInstructions.punpckldq(e);
            case PACKSSWB -> SseInstructions.packsswb(e);
            case PCMPGTB -> SseInstructions.pcmpgtb(e);
            case PCMPGTW -> SseInstructions.pcmpgtw(e);
            case PCMPGTD -> SseInstructions.pcmpgtd(e);
            case PACKUSWB -> SseInstructions.packuswb(e);
            case PUNPCKHBW -> SseInstructions.punpckhbw(e);
            case PUNPCKHWD -> SseInstructions.punpckhwd(e);
            case PUNPCKHDQ -> SseInstructions.punpckhdq(e);
            case PACKSSDW -> SseInstructions.packssdw(e);
            case PUNPCKLQDQ -> SseInstructions.punpcklqdq(e);
            case PUNPCKHQDQ -> SseInstructions.punpckhqdq(e);
            case MOVD -> SseInstructions.movd(e);
            case MOVDQA -> SseInstructions.movdqa(e);
            case MOVDQU -> SseInstructions.movdqu(e);
            case PSHUFD -> SseInstructions.pshufd(e);
            case PSHUFHW -> SseInstructions.pshufhw(e);
            case PSHUFLW -> SseInstructions.pshuflw(e);
            case PSRLW -> SseInstructions.psrlw(e);
            case PSRAW -> SseInstructions.psraw(e);
            case PSLLW -> SseInstructions.psllw(e);
            case PSRLD -> SseInstructions.psrld(e);
            case PSRAD -> SseInstructions.psrad(e);
            case PSLLD -> SseInstructions.pslld(e);
            case PSRLQ -> SseInstructions.psrlq(e);
            case PSRLDQ -> SseInstructions.psrldq(e);
            case PSLLQ -> SseInstructions.psllq(e);
            case PSLLDQ -> SseInstructions.pslldq(e);
            case PCMPEQB -> SseInstructions.pcmpeqb(e);
            case PCMPEQW -> SseInstructions.pcmpeqw(e);
            case PCMPEQD -> SseInstructions.pcmpeqd(e);
            case MOVQ -> SseInstructions.movq(e);
            case MOVNTI -> SseInstructions.movnti(e);
            case PADDQ -> SseInstructions.paddq(e);
            case PMOVMSKB -> SseInstructions.pmovmskb(e);
            case PAND -> SseInstructions.pand(e);
            case PANDN -> SseInstructions.pandn(e);
            case MOVNTDQ -> SseInstructions.movntdq(e);
            case POR -> SseInstructions.por(e);
            case PXOR -> SseInstructions.pxor(e);
            case PSUBB -> SseInstructions.psubb(e);
            case PSUBW -> SseInstructions.psubw(e);
            case PSUBD -> SseInstructions.psubd(e);
            case PSUBQ -> SseInstructions.psubq(e);
            case PADDB -> SseInstructions.paddb(e);
            case PADDW -> SseInstructions.paddw(e);
            case PADDD -> SseInstructions.paddd(e);
            case UNPCKLPS -> SseInstructions.unpcklps(e);
            case UNPCKLPD -> SseInstructions.unpcklpd(e);
            case UNPCKHPS -> SseInstructions.unpckhps(e);
            case UNPCKHPD -> SseInstructions.unpckhpd(e);
            case PINSRW -> SseInstructions.pinsrw(e);
            case PEXTRW -> SseInstructions.pextrw(e);
            case SHUFPS -> SseInstructions.shufps(e);
            case SHUFPD -> SseInstructions.shufpd(e);
            case PMULLW -> SseInstructions.pmullw(e);
            case PSUBUSB -> SseInstructions.psubusb(e);
            case PSUBUSW -> SseInstructions.psubusw(e);
            case PMINUB -> SseInstructions.pminub(e);
            case PADDUSB -> SseInstructions.paddusb(e);
            case PADDUSW -> SseInstructions.paddusw(e);
            case PMAXUB -> SseInstructions.pmaxub(e);
            case PAVGB -> SseInstructions.pavgb(e);
            case PAVGW -> SseInstructions.pavgw(e);
            case PMULHUW -> SseInstructions.pmulhuw(e);
            case PMULHW -> SseInstructions.pmulhw(e);
            case PSUBSB -> SseInstructions.psubsb(e);
            case PSUBSW -> SseInstructions.psubsw(e);
            case PMINSW -> SseInstructions.pminsw(e);
            case PADDSB -> SseInstructions.paddsb(e);
            case PADDSW -> SseInstructions.paddsw(e);
            case PMAXSW -> SseInstructions.pmaxsw(e);
            case PMULUDQ -> SseInstructions.pmuludq(e);
            case PMADDWD -> SseInstructions.pmaddwd(e);
            case PSADBW -> SseInstructions.psadbw(e);
            case LDMXCSR -> SseInstructions.ldmxcsr(e);
            case STMXCSR -> SseInstructions.stmxcsr(e);
            case CLFLUSH -> SseInstructions.clflush(e);
            case EMMS -> MmxInstructions.emms(e);
            case PSHUFW -> MmxInstructions.pshufw(e);
            case MOVNTQ -> MmxInstructions.movntq(e);
            case MOVQ2DQ -> MmxInstructions.movq2dq(e);
            case MOVDQ2Q -> MmxInstructions.movdq2q(e);
            case MASKMOVQ -> MmxInstructions.maskmovq(e);
            case MASKMOVDQU -> MmxInstructions.maskmovdqu(e);
            case CVTPI2PS -> MmxInstructions.cvtpi2ps(e);
            case CVTPI2PD -> MmxInstructions.cvtpi2pd(e);
            case CVTTPS2PI -> MmxInstructions.cvttps2pi(e);
            case CVTPS2PI -> MmxInstructions.cvtps2pi(e);
            case CVTTPD2PI -> MmxInstructions.cvttpd2pi(e);
            case CVTPD2PI -> MmxInstructions.cvtpd2pi(e);

            case NOP -> { }
            case LFENCE -> { }
            case MFENCE -> { }
            case SFENCE -> { }
            case PAUSE -> Emitters.pause(e);
            case UD2 -> Emitters.undefined(e);
            case INVALID -> Emitters.undefined(e);
            default -> throw new IllegalStateException("no emitter for " + m);
        }
    }

    private Emitters() { }

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
        dispatch(m, e);
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
