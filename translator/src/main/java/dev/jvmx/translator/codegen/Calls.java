package dev.jvmx.translator.codegen;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.exit.ExitBridge;
import dev.jvmx.translator.fpu.FpuState;
import dev.jvmx.translator.fpu.SseFloat;
import dev.jvmx.translator.flags.LazyFlags;
import dev.jvmx.translator.helpers.BcdOps;
import dev.jvmx.translator.helpers.BitScanOps;
import dev.jvmx.translator.helpers.DataAccess;
import dev.jvmx.translator.helpers.DataOps;
import dev.jvmx.translator.helpers.EflagsOps;
import dev.jvmx.translator.helpers.FpuOps;
import dev.jvmx.translator.helpers.MmxOps;
import dev.jvmx.translator.helpers.MulDivOps;
import dev.jvmx.translator.helpers.Segmentation;
import dev.jvmx.translator.helpers.ShiftOps;
import dev.jvmx.translator.helpers.StringOps;
import dev.jvmx.translator.helpers.SseOps;
import dev.jvmx.translator.helpers.SystemOps;
import dev.jvmx.translator.helpers.Transfers;
import dev.jvmx.translator.mem.Mmu;
import dev.jvmx.translator.mem.PhysicalMemory;

/**
 * Every Java method generated code calls, as typed constants made from method references
 * (see {@link HelperCall}). Loading this class checks them all.
 */
final class Calls {
    private Calls() { }

    // Lazy flags (DESIGN.md rule 2)
    static final HelperCall FLAGS_COMPUTE = HelperCall.of(LazyFlags::compute);
    static final HelperCall FLAGS_CF = HelperCall.of(LazyFlags::cf);
    static final HelperCall FLAGS_COND = HelperCall.of(LazyFlags::cond);

    // Guest memory, the slow path of the inline TLB probe (rule 3)
    static final HelperCall READ8 = HelperCall.of(Mmu::read8);
    static final HelperCall READ16 = HelperCall.of(Mmu::read16);
    static final HelperCall READ32 = HelperCall.of(Mmu::read32);
    static final HelperCall WRITE8 = HelperCall.of(Mmu::write8);
    static final HelperCall WRITE16 = HelperCall.of(Mmu::write16);
    static final HelperCall WRITE32 = HelperCall.of(Mmu::write32);

    // RAM behind a TLB hit (see PhysicalMemory.ram16)
    static final HelperCall RAM16 = HelperCall.of(PhysicalMemory::ram16);
    static final HelperCall RAM32 = HelperCall.of(PhysicalMemory::ram32);
    static final HelperCall SET_RAM16 = HelperCall.of(PhysicalMemory::setRam16);
    static final HelperCall SET_RAM32 = HelperCall.of(PhysicalMemory::setRam32);

    // Guest memory in a first-tier handler, and where code without paging leaves its RAM windows:
    // probe, hit and miss in one shared method (DataAccess)
    static final HelperCall DATA_READ8 = HelperCall.of(DataAccess::read8);
    static final HelperCall DATA_READ16 = HelperCall.of(DataAccess::read16);
    static final HelperCall DATA_READ32 = HelperCall.of(DataAccess::read32);
    static final HelperCall DATA_WRITE8 = HelperCall.of(DataAccess::write8);
    static final HelperCall DATA_WRITE16 = HelperCall.of(DataAccess::write16);
    static final HelperCall DATA_WRITE32 = HelperCall.of(DataAccess::write32);
    static final HelperCall DATA_STORE64 = HelperCall.of(DataAccess::store64);

    static HelperCall dataRead(int size) {
        return size == 1 ? DATA_READ8 : size == 2 ? DATA_READ16 : DATA_READ32;
    }

    static HelperCall dataWrite(int size) {
        return size == 1 ? DATA_WRITE8 : size == 2 ? DATA_WRITE16 : DATA_WRITE32;
    }

    static HelperCall read(int size) {
        return size == 1 ? READ8 : size == 2 ? READ16 : READ32;
    }

    /** ADDSD ... SQRTSS's entry for an SseFloat operation (ADD, SUB, MUL, DIV, SQRT), or null for another. */
    static HelperCall sseScalar(int op, boolean dbl) {
        switch (op) {
            case SseFloat.ADD: return dbl ? SSE_ADDSD : SSE_ADDSS;
            case SseFloat.SUB: return dbl ? SSE_SUBSD : SSE_SUBSS;
            case SseFloat.MUL: return dbl ? SSE_MULSD : SSE_MULSS;
            case SseFloat.DIV: return dbl ? SSE_DIVSD : SSE_DIVSS;
            case SseFloat.SQRT: return dbl ? SSE_SQRTSD : SSE_SQRTSS;
            default: return null;
        }
    }

    static HelperCall write(int size) {
        return size == 1 ? WRITE8 : size == 2 ? WRITE16 : WRITE32;
    }

    // Faults and segment checks (rule 6)
    static final HelperCall RAISE = HelperCall.of(Cpu::fault);
    static final HelperCall CHECK_ACCESS = HelperCall.of(Segmentation::checkAccess);
    static final HelperCall CHECK_REAL_LIMIT = HelperCall.of(Segmentation::checkRealLimit);
    static final HelperCall LOAD_DATA_SEGMENT = HelperCall.of(Segmentation::loadData);
    static final HelperCall LOAD_SEGMENT = HelperCall.of(SystemOps::loadSegment);

    // VM exits (rule 5)
    static final HelperCall EXIT = HelperCall.of(ExitBridge::exit);
    static final HelperCall EXIT_WITH_INFO = HelperCall.of(ExitBridge::exitWithInfo);
    static final HelperCall IO_IN = HelperCall.of(ExitBridge::in);
    static final HelperCall IO_OUT = HelperCall.of(ExitBridge::out);
    static final HelperCall IO_IN_CHECKED = HelperCall.of(ExitBridge::inChecked);
    static final HelperCall IO_OUT_CHECKED = HelperCall.of(ExitBridge::outChecked);
    static final HelperCall PORT_IN = HelperCall.of(ExitBridge::portIn);
    static final HelperCall PORT_OUT = HelperCall.of(ExitBridge::portOut);
    static final HelperCall IO_PERMISSION = HelperCall.of(ExitBridge::checkIoPermission);
    static final HelperCall HLT_IN_PLACE = HelperCall.of(ExitBridge::hlt);
    static final HelperCall CONTROL_REGISTER = HelperCall.of(ExitBridge::controlRegister);
    static final HelperCall PASS = HelperCall.of(ExitBridge::pass);
    static final HelperCall INSTRUCTION_EXITS = HelperCall.of(ExitBridge::instructionExits);
    static final HelperCall MSR = HelperCall.of(ExitBridge::msr);
    static final HelperCall HOLE = HelperCall.of(ExitBridge::hole);
    static final HelperCall TSC = HelperCall.of(SystemOps::tsc);

    // Flags, stack and data helpers
    static final HelperCall PUSHF = HelperCall.of(EflagsOps::pushf);
    static final HelperCall POPF = HelperCall.of(EflagsOps::popf);
    static final HelperCall CLI = HelperCall.of(EflagsOps::cli);
    static final HelperCall STI = HelperCall.of(EflagsOps::sti);
    static final HelperCall CMPXCHG8B = HelperCall.of(DataOps::cmpxchg8b);
    static final HelperCall ENTER = HelperCall.of(DataOps::enter);
    static final HelperCall REVERSE_BYTES = HelperCall.of(Integer::reverseBytes);

    // Shifts and rotates: results, then their flags
    static final HelperCall SHL = HelperCall.of(ShiftOps::shl);
    static final HelperCall SHR = HelperCall.of(ShiftOps::shr);
    static final HelperCall SAR = HelperCall.of(ShiftOps::sar);
    static final HelperCall ROL = HelperCall.of(ShiftOps::rol);
    static final HelperCall ROR = HelperCall.of(ShiftOps::ror);
    static final HelperCall RCL = HelperCall.of(ShiftOps::rcl);
    static final HelperCall RCR = HelperCall.of(ShiftOps::rcr);
    static final HelperCall SHLD = HelperCall.of(ShiftOps::shld);
    static final HelperCall SHRD = HelperCall.of(ShiftOps::shrd);
    static final HelperCall ROL_FLAGS = HelperCall.of(ShiftOps::rolFlags);
    static final HelperCall ROR_FLAGS = HelperCall.of(ShiftOps::rorFlags);
    static final HelperCall RCL_FLAGS = HelperCall.of(ShiftOps::rclFlags);
    static final HelperCall RCR_FLAGS = HelperCall.of(ShiftOps::rcrFlags);
    static final HelperCall SHLD_FLAGS = HelperCall.of(ShiftOps::shldFlags);
    static final HelperCall SHRD_FLAGS = HelperCall.of(ShiftOps::shrdFlags);

    // Multiply and divide
    static final HelperCall MUL = HelperCall.of(MulDivOps::mul);
    static final HelperCall IMUL = HelperCall.of(MulDivOps::imul);
    static final HelperCall DIVU = HelperCall.of(MulDivOps::divu);
    static final HelperCall DIVS = HelperCall.of(MulDivOps::divs);

    // Decimal adjust
    static final HelperCall DAA = HelperCall.of(BcdOps::daa);
    static final HelperCall DAS = HelperCall.of(BcdOps::das);
    static final HelperCall AAA = HelperCall.of(BcdOps::aaa);
    static final HelperCall AAS = HelperCall.of(BcdOps::aas);
    static final HelperCall AAM = HelperCall.of(BcdOps::aam);
    static final HelperCall AAD = HelperCall.of(BcdOps::aad);

    // Bit scans
    static final HelperCall BSF = HelperCall.of(BitScanOps::bsf);
    static final HelperCall BSR = HelperCall.of(BitScanOps::bsr);
    static final HelperCall BIT_SCAN_FLAGS = HelperCall.of(BitScanOps::flags);

    // Strings
    static final HelperCall REP = HelperCall.of(StringOps::rep);
    static final HelperCall INS = HelperCall.of(StringOps::ins);
    static final HelperCall OUTS = HelperCall.of(StringOps::outs);

    // Far transfers and interrupts
    static final HelperCall JMP_FAR = HelperCall.of(Transfers::jmpFar);
    static final HelperCall CALL_FAR = HelperCall.of(Transfers::callFar);
    static final HelperCall RET_FAR = HelperCall.of(Transfers::retFar);
    static final HelperCall IRET = HelperCall.of(Transfers::iret);
    static final HelperCall SOFTWARE_INTERRUPT = HelperCall.of(Transfers::softwareInterrupt);

    // System instructions without a VT-x exit
    static final HelperCall SYSENTER = HelperCall.of(SystemOps::sysenter);
    static final HelperCall RDTSCP = HelperCall.of(SystemOps::rdtscp);
    static final HelperCall SYSEXIT = HelperCall.of(SystemOps::sysexit);
    static final HelperCall LAR = HelperCall.of(SystemOps::lar);
    static final HelperCall LSL = HelperCall.of(SystemOps::lsl);
    static final HelperCall VERIFY = HelperCall.of(SystemOps::verify);
    static final HelperCall ARPL = HelperCall.of(SystemOps::arpl);

    // x87 (helpers.FpuOps; the order of checks is in its class comment)
    static final HelperCall FPU_DEVICE_NOT_AVAILABLE = HelperCall.of(FpuOps::deviceNotAvailable);
    static final HelperCall FPU_WAIT_DEVICE_NOT_AVAILABLE = HelperCall.of(FpuOps::waitDeviceNotAvailable);
    static final HelperCall FPU_WAIT_OR_FREEZE = HelperCall.of(FpuOps::waitOrFreeze);
    static final HelperCall FPU_FXSAVE_CHECKS = HelperCall.of(FpuOps::fxsaveChecks);
    static final HelperCall FPU_ARITH = HelperCall.of(FpuOps::arith);
    static final HelperCall FPU_FCOM = HelperCall.of(FpuOps::fcom);
    static final HelperCall FPU_FCOM_M32 = HelperCall.of(FpuOps::fcomM32);
    static final HelperCall FPU_FCOM_M64 = HelperCall.of(FpuOps::fcomM64);
    static final HelperCall FPU_FICOM_I32 = HelperCall.of(FpuOps::ficomI32);
    static final HelperCall FPU_FICOM_I16 = HelperCall.of(FpuOps::ficomI16);
    static final HelperCall FPU_FCOMI_FLAGS = HelperCall.of(FpuOps::fcomiFlags);
    static final HelperCall FPU_FTST = HelperCall.of(FpuOps::ftst);
    static final HelperCall FPU_FXAM = HelperCall.of(FpuOps::fxam);
    static final HelperCall FPU_FLD = HelperCall.of(FpuOps::fld);
    static final HelperCall FPU_FLD_M80 = HelperCall.of(FpuOps::fldM80);
    static final HelperCall FPU_FILD = HelperCall.of(FpuOps::fild);
    static final HelperCall FPU_FBLD = HelperCall.of(FpuOps::fbld);
    static final HelperCall FPU_FLD_CONST = HelperCall.of(FpuOps::fldConst);
    static final HelperCall FPU_FST = HelperCall.of(FpuOps::fst);
    static final HelperCall FPU_FST_M32 = HelperCall.of(FpuOps::fstM32);
    static final HelperCall FPU_FST_M64 = HelperCall.of(FpuOps::fstM64);
    static final HelperCall FPU_FSTP_M80 = HelperCall.of(FpuOps::fstpM80);
    static final HelperCall FPU_FSTP1 = HelperCall.of(FpuOps::fstp1);
    static final HelperCall FPU_FIST = HelperCall.of(FpuOps::fist);
    static final HelperCall FPU_FBSTP = HelperCall.of(FpuOps::fbstp);
    static final HelperCall FPU_FXCH = HelperCall.of(FpuOps::fxch);
    static final HelperCall FPU_FCMOV = HelperCall.of(FpuOps::fcmovIf);
    static final HelperCall FPU_FFREE = HelperCall.of(FpuOps::ffree);
    static final HelperCall FPU_FFREEP = HelperCall.of(FpuOps::ffreep);
    static final HelperCall FPU_FINCSTP = HelperCall.of(FpuOps::fincstp);
    static final HelperCall FPU_FDECSTP = HelperCall.of(FpuOps::fdecstp);
    static final HelperCall FPU_FNOP = HelperCall.of(FpuOps::fnop);
    static final HelperCall FPU_FSQRT = HelperCall.of(FpuOps::fsqrt);
    static final HelperCall FPU_FCHS = HelperCall.of(FpuOps::fchs);
    static final HelperCall FPU_FABS = HelperCall.of(FpuOps::fabs);
    static final HelperCall FPU_FRNDINT = HelperCall.of(FpuOps::frndint);
    static final HelperCall FPU_FSCALE = HelperCall.of(FpuOps::fscale);
    static final HelperCall FPU_FXTRACT = HelperCall.of(FpuOps::fxtract);
    static final HelperCall FPU_FPREM = HelperCall.of(FpuOps::fprem);
    static final HelperCall FPU_FSIN = HelperCall.of(FpuOps::fsin);
    static final HelperCall FPU_FCOS = HelperCall.of(FpuOps::fcos);
    static final HelperCall FPU_FSINCOS = HelperCall.of(FpuOps::fsincos);
    static final HelperCall FPU_FPTAN = HelperCall.of(FpuOps::fptan);
    static final HelperCall FPU_FPATAN = HelperCall.of(FpuOps::fpatan);
    static final HelperCall FPU_F2XM1 = HelperCall.of(FpuOps::f2xm1);
    static final HelperCall FPU_FYL2X = HelperCall.of(FpuOps::fyl2x);
    static final HelperCall FPU_FYL2XP1 = HelperCall.of(FpuOps::fyl2xp1);
    static final HelperCall FPU_FNINIT = HelperCall.of(FpuOps::fninit);
    static final HelperCall FPU_FNCLEX = HelperCall.of(FpuOps::fnclex);
    static final HelperCall FPU_FLDCW = HelperCall.of(FpuOps::fldcw);
    static final HelperCall FPU_FNSTCW = HelperCall.of(FpuOps::fnstcw);
    static final HelperCall FPU_FNSTSW = HelperCall.of(FpuOps::fnstsw);
    static final HelperCall FPU_STATUS_WORD = HelperCall.of(FpuState::statusWord);
    static final HelperCall FPU_FLDENV = HelperCall.of(FpuOps::fldenv);
    static final HelperCall FPU_FNSTENV = HelperCall.of(FpuOps::fnstenv);
    static final HelperCall FPU_FRSTOR = HelperCall.of(FpuOps::frstor);
    static final HelperCall FPU_FNSAVE = HelperCall.of(FpuOps::fnsave);
    static final HelperCall FPU_FXSAVE = HelperCall.of(FpuOps::fxsave);
    static final HelperCall FPU_FXRSTOR = HelperCall.of(FpuOps::fxrstor);
    // x87 loads and stores whose memory access generated code makes itself (the inline TLB)
    static final HelperCall FPU_FLD_M32_VALUE = HelperCall.of(FpuOps::fldM32Value);
    static final HelperCall FPU_FLD_M64_VALUE = HelperCall.of(FpuOps::fldM64Value);
    static final HelperCall FPU_FILD_VALUE = HelperCall.of(FpuOps::fildValue);
    static final HelperCall FPU_ARITH_M32_VALUE = HelperCall.of(FpuOps::arithM32Value);
    static final HelperCall FPU_ARITH_M64_VALUE = HelperCall.of(FpuOps::arithM64Value);
    static final HelperCall FPU_ARITH_INT_VALUE = HelperCall.of(FpuOps::arithIntValue);
    static final HelperCall FPU_FST_M32_RESULT = HelperCall.of(FpuOps::fstM32Result);
    static final HelperCall FPU_FST_M64_RESULT = HelperCall.of(FpuOps::fstM64Result);
    static final HelperCall FPU_FIST_RESULT = HelperCall.of(FpuOps::fistResult);

    // SSE and SSE2 (SseInstructions)
    static final HelperCall SSE_CHECK = HelperCall.of(SseOps::check);
    static final HelperCall SSE_CHECK_FEATURE = HelperCall.of(SseOps::checkFeature);
    static final HelperCall SSE_ALIGNED = HelperCall.of(SseOps::aligned);
    static final HelperCall SSE_LOAD128 = HelperCall.of(SseOps::load128);
    static final HelperCall SSE_STORE128 = HelperCall.of(SseOps::store128);
    static final HelperCall SSE_LOW64 = HelperCall.of(SseOps::low64);
    static final HelperCall SSE_HIGH64 = HelperCall.of(SseOps::high64);
    static final HelperCall SSE_OPERAND = HelperCall.of(SseOps::operand);
    static final HelperCall SSE_SET_LOW64 = HelperCall.of(SseOps::setLow64);
    static final HelperCall SSE_SET_HIGH64 = HelperCall.of(SseOps::setHigh64);
    static final HelperCall SSE_MOVHLPS = HelperCall.of(SseOps::movhlps);
    static final HelperCall SSE_MOVLHPS = HelperCall.of(SseOps::movlhps);
    static final HelperCall SSE_MOVMSKPS = HelperCall.of(SseOps::movmskps);
    static final HelperCall SSE_MOVMSKPD = HelperCall.of(SseOps::movmskpd);
    static final HelperCall SSE_PMOVMSKB = HelperCall.of(SseOps::pmovmskb);
    static final HelperCall SSE_PACKED = HelperCall.of(SseOps::packed);
    static final HelperCall SSE_SHIFT = HelperCall.of(SseOps::shift);
    static final HelperCall SSE_SHUFFLE = HelperCall.of(SseOps::shuffle);
    static final HelperCall SSE_INSERT_WORD = HelperCall.of(SseOps::insertWord);
    static final HelperCall SSE_EXTRACT_WORD = HelperCall.of(SseOps::extractWord);
    static final HelperCall SSE_LDMXCSR = HelperCall.of(SseOps::ldmxcsr);
    static final HelperCall SSE_MXCSR = HelperCall.of(SseOps::mxcsr);
    static final HelperCall SSE_CLFLUSH = HelperCall.of(SseOps::clflush);
    static final HelperCall SSE_ARITH = HelperCall.of(SseOps::arith);
    // the scalar arithmetic's entries (sseScalar picks one by SseFloat operation)
    static final HelperCall SSE_ADDSD = HelperCall.of(SseOps::addsd);
    static final HelperCall SSE_SUBSD = HelperCall.of(SseOps::subsd);
    static final HelperCall SSE_MULSD = HelperCall.of(SseOps::mulsd);
    static final HelperCall SSE_DIVSD = HelperCall.of(SseOps::divsd);
    static final HelperCall SSE_SQRTSD = HelperCall.of(SseOps::sqrtsd);
    static final HelperCall SSE_ADDSS = HelperCall.of(SseOps::addss);
    static final HelperCall SSE_SUBSS = HelperCall.of(SseOps::subss);
    static final HelperCall SSE_MULSS = HelperCall.of(SseOps::mulss);
    static final HelperCall SSE_DIVSS = HelperCall.of(SseOps::divss);
    static final HelperCall SSE_SQRTSS = HelperCall.of(SseOps::sqrtss);
    static final HelperCall SSE_APPROX = HelperCall.of(SseOps::approx);
    static final HelperCall SSE_COMPARE = HelperCall.of(SseOps::compare);
    static final HelperCall SSE_COMIS = HelperCall.of(SseOps::comis);
    static final HelperCall SSE_CONVERT = HelperCall.of(SseOps::convert);
    static final HelperCall SSE_FROM_INT = HelperCall.of(SseOps::fromInt);
    static final HelperCall SSE_TO_INT = HelperCall.of(SseOps::toInt);

    // MMX (MmxInstructions, and the MMX forms of SseInstructions)
    static final HelperCall MMX_CHECK = HelperCall.of(MmxOps::check);
    static final HelperCall MMX_CHECK_WITH_XMM = HelperCall.of(MmxOps::checkWithXmm);
    static final HelperCall MMX_GET = HelperCall.of(MmxOps::get);
    static final HelperCall MMX_SET = HelperCall.of(MmxOps::set);
    static final HelperCall MMX_ENTER = HelperCall.of(MmxOps::enter);
    static final HelperCall MMX_EMMS = HelperCall.of(MmxOps::emms);
    static final HelperCall MMX_PACKED = HelperCall.of(MmxOps::packed);
    static final HelperCall MMX_SHIFT = HelperCall.of(MmxOps::shift);
    static final HelperCall MMX_PSHUFW = HelperCall.of(MmxOps::pshufw);
    static final HelperCall MMX_INSERT_WORD = HelperCall.of(MmxOps::insertWord);
    static final HelperCall MMX_EXTRACT_WORD = HelperCall.of(MmxOps::extractWord);
    static final HelperCall MMX_PMOVMSKB = HelperCall.of(MmxOps::pmovmskb);
    static final HelperCall MMX_MOVQ2DQ = HelperCall.of(MmxOps::movq2dq);
    static final HelperCall MMX_MOVDQ2Q = HelperCall.of(MmxOps::movdq2q);
    static final HelperCall MMX_BYTE_MASK = HelperCall.of(MmxOps::byteMask);
    static final HelperCall MMX_MASKMOVQ = HelperCall.of(MmxOps::maskmovq);
    static final HelperCall MMX_MASKMOVDQU = HelperCall.of(MmxOps::maskmovdqu);
    static final HelperCall MMX_FROM_PACKED_INTS = HelperCall.of(MmxOps::fromPackedInts);
    static final HelperCall MMX_TO_PACKED_INTS = HelperCall.of(MmxOps::toPackedInts);
}
