package dev.jvmx.translator.codegen;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.exit.ExitBridge;
import dev.jvmx.translator.flags.LazyFlags;
import dev.jvmx.translator.helpers.BcdOps;
import dev.jvmx.translator.helpers.BitScanOps;
import dev.jvmx.translator.helpers.DataOps;
import dev.jvmx.translator.helpers.EflagsOps;
import dev.jvmx.translator.helpers.MulDivOps;
import dev.jvmx.translator.helpers.Segmentation;
import dev.jvmx.translator.helpers.ShiftOps;
import dev.jvmx.translator.helpers.StringOps;
import dev.jvmx.translator.helpers.SystemOps;
import dev.jvmx.translator.helpers.Transfers;
import dev.jvmx.translator.mem.Mmu;

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

    static HelperCall read(int size) {
        return size == 1 ? READ8 : size == 2 ? READ16 : READ32;
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
    static final HelperCall SHL_FLAGS = HelperCall.of(ShiftOps::shlFlags);
    static final HelperCall SHR_FLAGS = HelperCall.of(ShiftOps::shrFlags);
    static final HelperCall SAR_FLAGS = HelperCall.of(ShiftOps::sarFlags);
    static final HelperCall ROL_FLAGS = HelperCall.of(ShiftOps::rolFlags);
    static final HelperCall ROR_FLAGS = HelperCall.of(ShiftOps::rorFlags);
    static final HelperCall RCL_FLAGS = HelperCall.of(ShiftOps::rclFlags);
    static final HelperCall RCR_FLAGS = HelperCall.of(ShiftOps::rcrFlags);
    static final HelperCall SHLD_FLAGS = HelperCall.of(ShiftOps::shldFlags);
    static final HelperCall SHRD_FLAGS = HelperCall.of(ShiftOps::shrdFlags);

    // Multiply and divide
    static final HelperCall MUL = HelperCall.of(MulDivOps::mul);
    static final HelperCall IMUL = HelperCall.of(MulDivOps::imul);
    static final HelperCall MUL_FLAGS = HelperCall.of(MulDivOps::mulFlags);
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
    static final HelperCall SYSEXIT = HelperCall.of(SystemOps::sysexit);
    static final HelperCall LAR = HelperCall.of(SystemOps::lar);
    static final HelperCall LSL = HelperCall.of(SystemOps::lsl);
    static final HelperCall VERIFY = HelperCall.of(SystemOps::verify);
    static final HelperCall ARPL = HelperCall.of(SystemOps::arpl);
}
