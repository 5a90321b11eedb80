package dev.jvmx.translator.exit;

import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.decode.Mnemonic;
import dev.jvmx.translator.decode.Operand;
import dev.jvmx.vmx.CrAccessQualification;
import dev.jvmx.vmx.DescriptorTableInfo;
import dev.jvmx.vmx.MovDrQualification;

/**
 * The exit qualification and VM-exit instruction-information field of a sensitive instruction,
 * from its decoded record (SDM Vol. 3C, 27.2.1 and 27.2.5). A translation computes them when it
 * is made; a first-tier handler, which serves every instance of its form, calls these when the
 * instruction runs.
 */
public final class InstructionInformation {
    private InstructionInformation() { }

    /** MOV CRn, r32 (operand 0 the control register, 1 the general register). */
    public static long movToCr(Insn i) {
        return CrAccessQualification.movToCr(i.operands[0].reg, i.operands[1].reg);
    }

    /** MOV r32, CRn. */
    public static long movFromCr(Insn i) {
        return CrAccessQualification.movFromCr(i.operands[1].reg, i.operands[0].reg);
    }

    /** MOV DRn, r32. */
    public static long movToDr(Insn i) {
        return MovDrQualification.encode(i.operands[0].reg, false, i.operands[1].reg);
    }

    /** MOV r32, DRn. */
    public static long movFromDr(Insn i) {
        return MovDrQualification.encode(i.operands[1].reg, true, i.operands[0].reg);
    }

    /** LGDT, LIDT, SGDT, SIDT m: instruction information for exit reason 46. */
    public static int gdtrIdtr(Insn i) {
        Operand m = i.operands[0];
        int identity;
        switch (i.mnemonic) {
            case SGDT: identity = DescriptorTableInfo.SGDT; break;
            case SIDT: identity = DescriptorTableInfo.SIDT; break;
            case LGDT: identity = DescriptorTableInfo.LGDT; break;
            case LIDT: identity = DescriptorTableInfo.LIDT; break;
            default: throw new IllegalArgumentException(i.mnemonic + " is not LGDT, LIDT, SGDT or SIDT");
        }
        return DescriptorTableInfo.encodeGdtrIdtr(identity, scale(m), addressSize(i), i.operandSize == 4, m.seg,
                m.index, m.base);
    }

    /** LLDT, LTR, SLDT, STR r/m16: instruction information for exit reason 47. */
    public static int ldtrTr(Insn i) {
        int identity = i.mnemonic == Mnemonic.SLDT ? DescriptorTableInfo.SLDT
                : i.mnemonic == Mnemonic.STR ? DescriptorTableInfo.STR
                : i.mnemonic == Mnemonic.LLDT ? DescriptorTableInfo.LLDT
                : i.mnemonic == Mnemonic.LTR ? DescriptorTableInfo.LTR : -1;
        if (identity < 0) {
            throw new IllegalArgumentException(i.mnemonic + " is not LLDT, LTR, SLDT or STR");
        }
        Operand o = i.operands[0];
        if (o.kind == Operand.Kind.MEM) {
            return DescriptorTableInfo.encodeLdtrTrMemory(identity, scale(o), addressSize(i), o.seg, o.index, o.base);
        }
        return DescriptorTableInfo.encodeLdtrTrRegister(identity, o.reg);
    }

    /**
     * The exit qualification of a descriptor-table exit: the displacement of the memory operand,
     * sign-extended to the 32 bits of a natural-width field on IA-32 (SDM Vol. 3C, 27.2.1); 0 for
     * a register operand, for which the SDM leaves it undefined.
     */
    public static long displacement(Insn i) {
        Operand o = i.operands[0];
        return o.kind == Operand.Kind.MEM ? o.disp & 0xFFFFFFFFL : 0;
    }

    private static int scale(Operand m) {
        return m.index >= 0 ? m.scale : 0;
    }

    private static int addressSize(Insn i) {
        return i.addressSize == 4 ? DescriptorTableInfo.ADDRESS_SIZE_32 : DescriptorTableInfo.ADDRESS_SIZE_16;
    }
}
