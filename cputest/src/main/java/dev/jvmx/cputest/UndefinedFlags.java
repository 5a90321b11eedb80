package dev.jvmx.cputest;

import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.decode.Mnemonic;

/**
 * Which status flags an instruction leaves undefined, and which it writes, per the SDM
 * Vol. 2 "Flags Affected" paragraph of each instruction. The one table both harnesses
 * mask with: the 286 single-step suite (on top of the data's own per-opcode mask) and the
 * host-CPU fuzzer (which tracks undefined bits through a sequence with {@link #written}).
 *
 * <p>{@code count} is the shift/rotate count after the CPU's 5-bit mask (0..31), or -1 when
 * unknown (then the mask is the union over all counts). {@code size} is the operand size in bytes.
 */
public final class UndefinedFlags {
    public static final int OF = Eflags.OF, SF = Eflags.SF, ZF = Eflags.ZF, AF = Eflags.AF, PF = Eflags.PF, CF = Eflags.CF;
    public static final int ALL = Eflags.ARITH;

    private UndefinedFlags() { }

    /** Status flags whose value after the instruction the SDM calls undefined. */
    public static int undefined(Mnemonic m, int size, int count) {
        switch (m) {
            case AND: case OR: case XOR: case TEST:
                return AF;                                   // "The state of the AF flag is undefined."
            case MUL: case IMUL:
                return SF | ZF | AF | PF;                    // "The SF, ZF, AF, and PF flags are undefined."
            case DIV: case IDIV:
                return ALL;                                  // "The CF, OF, SF, ZF, AF, and PF flags are undefined."
            case DAA: case DAS:
                return OF;                                   // "The OF flag is undefined."
            case AAA: case AAS:
                return OF | SF | ZF | PF;                    // "The OF, SF, ZF, and PF flags are undefined."
            case AAM: case AAD:
                return OF | AF | CF;                         // "The OF, AF, and CF flags are undefined."
            case BSF: case BSR:
                return CF | OF | SF | AF | PF;               // "The CF, OF, SF, AF, and PF flags are undefined."
            case BT: case BTS: case BTR: case BTC:
                return OF | SF | AF | PF;                    // "The OF, SF, AF, and PF flags are undefined."
            case SHL: case SHR: case SAR: {
                // Count 0: nothing affected. Count 1: AF undefined. Count > 1: OF too.
                // SHL/SHR with a count >= the operand width: CF undefined as well.
                if (count == 0) return 0;
                if (count < 0) return OF | AF | CF;
                int u = AF | (count > 1 ? OF : 0);
                if (m != Mnemonic.SAR && count >= size * 8) u |= CF;
                return u;
            }
            case ROL: case ROR: case RCL: case RCR:
                // "For left rotates, the OF flag is defined only for the 1-bit rotates."
                if (count == 0) return 0;
                return count == 1 ? 0 : OF;
            case SHLD: case SHRD:
                // Count 1: AF undefined; count > 1: OF too; count > operand size: all flags (and the result).
                if (count == 0) return 0;
                if (count < 0 || count > size * 8) return ALL;
                return AF | (count > 1 ? OF : 0);
            default:
                return 0;
        }
    }

    /**
     * Status flags the instruction writes (defined or not). Flags it does not write keep
     * their earlier state, undefined or not. Covers the instructions the fuzzer emits.
     */
    public static int written(Mnemonic m, int size, int count) {
        switch (m) {
            case ADD: case ADC: case SUB: case SBB: case CMP: case NEG: case CMPXCHG: case XADD:
            case AND: case OR: case XOR: case TEST:
            case MUL: case IMUL: case DIV: case IDIV:
            case DAA: case DAS: case AAA: case AAS: case AAM: case AAD:
            case POPF:
                return ALL;
            case SAHF:
                return ALL & ~OF;                            // AH holds SF ZF AF PF CF; OF is kept
            case INC: case DEC:
                return ALL & ~CF;
            case BSF: case BSR: case BT: case BTS: case BTR: case BTC:
                return ALL;
            case CMPXCHG8B:
                return ZF;
            case CLC: case STC: case CMC:
                return CF;
            case SHL: case SHR: case SAR: case SHLD: case SHRD:
                return count == 0 ? 0 : ALL;
            case ROL: case ROR: case RCL: case RCR:
                return count == 0 ? 0 : CF | OF;
            default:
                return 0;
        }
    }
}
