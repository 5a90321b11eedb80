package dev.jvmx.translator.decode;

import dev.jvmx.translator.arch.Eflags;

/**
 * What an instruction does to the six status flags, per the "Flags Affected" paragraph of its
 * SDM Vol. 2 page: which it writes (with a defined value or not) and which of those the SDM
 * calls undefined. {@code count} is a shift or rotate count after the CPU's 5-bit mask (0..31),
 * or -1 when unknown (then the union over all counts); {@code size} is the operand size in bytes.
 */
public enum FlagEffect {
    /** No status flag changes. */
    NONE,
    /** ADD, ADC, SUB, SBB, CMP, NEG, XADD, CMPXCHG: all six, all defined. */
    ALU,
    /** AND, OR, XOR, TEST: "The state of the AF flag is undefined." */
    LOGIC,
    /** INC, DEC: all but CF, all defined. */
    INC_DEC,
    /** MUL, IMUL: "The SF, ZF, AF, and PF flags are undefined." */
    MULTIPLY,
    /** DIV, IDIV: "The CF, OF, SF, ZF, AF, and PF flags are undefined." */
    DIVIDE,
    /** DAA, DAS: "The OF flag is undefined." */
    DECIMAL_ADJUST,
    /** AAA, AAS: "The OF, SF, ZF, and PF flags are undefined." */
    ASCII_ADJUST,
    /** AAM, AAD: "The OF, AF, and CF flags are undefined." */
    ASCII_MULTIPLY,
    /** BSF, BSR: "The CF, OF, SF, AF, and PF flags are undefined." */
    BIT_SCAN,
    /** BT, BTS, BTR, BTC: "The ZF flag is unaffected. The OF, SF, AF, and PF flags are undefined." */
    BIT_TEST,
    /** SHL, SHR, SAR: count 0 affects nothing; AF undefined; OF undefined past 1; CF past the width (SHL/SHR). */
    SHIFT,
    /** SAR: as SHIFT, but CF stays defined for counts past the width. */
    SHIFT_ARITHMETIC,
    /** ROL, ROR, RCL, RCR: CF and OF only; "the OF flag is defined only for the 1-bit rotates". */
    ROTATE,
    /** SHLD, SHRD: AF undefined, OF past 1, everything past the operand size. */
    SHIFT_DOUBLE,
    /** CMPXCHG8B: ZF only. */
    ZF_ONLY,
    /** CLC, STC, CMC: CF only. */
    CF_ONLY,
    /** SAHF: SF, ZF, AF, PF, CF from AH; OF is kept. */
    FROM_AH,
    /** POPF and the like: all six from the image. */
    ALL_LOADED,
    /**
     * FCOMI, FCOMIP, FUCOMI, FUCOMIP: ZF, PF, CF from the comparison, OF, SF, AF cleared (all six
     * kept when an unmasked invalid-operation or denormal exception stops the instruction).
     */
    FLOAT_COMPARE;

    private static final int OF = Eflags.OF, SF = Eflags.SF, ZF = Eflags.ZF, AF = Eflags.AF, PF = Eflags.PF,
            CF = Eflags.CF, ALL = Eflags.ARITH;

    /** Status flags whose value after the instruction the SDM calls undefined. */
    public int undefined(int size, int count) {
        switch (this) {
            case LOGIC: return AF;
            case MULTIPLY: return SF | ZF | AF | PF;
            case DIVIDE: return ALL;
            case DECIMAL_ADJUST: return OF;
            case ASCII_ADJUST: return OF | SF | ZF | PF;
            case ASCII_MULTIPLY: return OF | AF | CF;
            case BIT_SCAN: return CF | OF | SF | AF | PF;
            case BIT_TEST: return OF | SF | AF | PF;
            case SHIFT:
            case SHIFT_ARITHMETIC: {
                if (count == 0) return 0;
                if (count < 0) return OF | AF | CF;
                int u = AF | (count > 1 ? OF : 0);
                return this == SHIFT && count >= size * 8 ? u | CF : u;
            }
            case ROTATE:
                return count == 0 || count == 1 ? 0 : OF;
            case SHIFT_DOUBLE:
                if (count == 0) return 0;
                if (count < 0 || count > size * 8) return ALL;
                return AF | (count > 1 ? OF : 0);
            default:
                return 0;
        }
    }

    /** Status flags the instruction writes, defined or not; the others keep their earlier state. */
    public int written(int size, int count) {
        switch (this) {
            case NONE: return 0;
            case INC_DEC: return ALL & ~CF;
            case ZF_ONLY: return ZF;
            case CF_ONLY: return CF;
            case FROM_AH: return ALL & ~OF;
            case SHIFT: case SHIFT_ARITHMETIC: case SHIFT_DOUBLE: return count == 0 ? 0 : ALL;
            case ROTATE: return count == 0 ? 0 : CF | OF;
            case BIT_TEST: return ALL & ~ZF; // "The ZF flag is unaffected."
            default: return ALL;
        }
    }
}
