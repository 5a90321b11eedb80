package dev.jvmx.vmx;

/**
 * VM-exit instruction-information field for descriptor-table exits (SDM Vol. 3C, tables "Format
 * of the VM-Exit Instruction-Information Field as Used for LIDT, LGDT, SIDT, or SGDT" and "... for
 * LLDT, LTR, SLDT, and STR"). Common to both: bits 1:0 scaling, 9:7 address size, 17:15 segment,
 * 21:18 index register, 22 index invalid, 26:23 base register, 27 base invalid, 29:28 instruction
 * identity. GDTR/IDTR form only: bit 11 operand size (0 = 16-bit, 1 = 32-bit). LDTR/TR form only:
 * bits 6:3 Reg1 and bit 10 Mem/Reg (1 = register operand).
 */
public final class DescriptorTableInfo {
    // Instruction identity, GDTR/IDTR form (exit reason GDTR_IDTR_ACCESS).
    public static final int SGDT = 0;
    public static final int SIDT = 1;
    public static final int LGDT = 2;
    public static final int LIDT = 3;
    // Instruction identity, LDTR/TR form (exit reason LDTR_TR_ACCESS).
    public static final int SLDT = 0;
    public static final int STR = 1;
    public static final int LLDT = 2;
    public static final int LTR = 3;

    /** Address sizes (an IA-32 processor has no 64-bit form). */
    public static final int ADDRESS_SIZE_16 = 0;
    public static final int ADDRESS_SIZE_32 = 1;

    /** Pass as index or base register when the address has none. */
    public static final int NONE = -1;

    private static final int OPERAND_SIZE_32 = 1 << 11;
    private static final int REGISTER_OPERAND = 1 << 10;
    private static final int INDEX_INVALID = 1 << 22;
    private static final int BASE_INVALID = 1 << 27;

    private static final String[] GDTR_IDTR_NAMES = {"SGDT", "SIDT", "LGDT", "LIDT"};
    private static final String[] LDTR_TR_NAMES = {"SLDT", "STR", "LLDT", "LTR"};

    private DescriptorTableInfo() { }

    /** LGDT/LIDT/SGDT/SIDT m: scaling is log2 of the index scale (0-3), ignored without an index. */
    public static int encodeGdtrIdtr(int identity, int scaling, int addressSize, boolean operandSize32,
                                     int segment, int indexReg, int baseReg) {
        int info = memoryOperand(identity, scaling, addressSize, segment, indexReg, baseReg);
        return operandSize32 ? info | OPERAND_SIZE_32 : info;
    }

    /** LLDT/LTR/SLDT/STR with a memory operand. */
    public static int encodeLdtrTrMemory(int identity, int scaling, int addressSize, int segment,
                                         int indexReg, int baseReg) {
        return memoryOperand(identity, scaling, addressSize, segment, indexReg, baseReg);
    }

    /** LLDT/LTR/SLDT/STR with a register operand: only Reg1, Mem/Reg and the identity are defined. */
    public static int encodeLdtrTrRegister(int identity, int reg1) {
        return (Registers.checkGpr(reg1) << 3) | REGISTER_OPERAND | (checkIdentity(identity) << 28);
    }

    private static int memoryOperand(int identity, int scaling, int addressSize, int segment, int indexReg, int baseReg) {
        if (addressSize != ADDRESS_SIZE_16 && addressSize != ADDRESS_SIZE_32) {
            throw new IllegalArgumentException("address size must be 0 (16-bit) or 1 (32-bit): " + addressSize);
        }
        if (segment < 0 || segment > 5) throw new IllegalArgumentException("segment must be 0-5: " + segment);
        if (scaling < 0 || scaling > 3) throw new IllegalArgumentException("scaling must be 0-3: " + scaling);
        int info = (addressSize << 7) | (segment << 15) | (checkIdentity(identity) << 28);
        // Scaling and IndexReg are undefined without an index; we store 0 there.
        info |= indexReg == NONE ? INDEX_INVALID : (scaling | (Registers.checkGpr(indexReg) << 18));
        info |= baseReg == NONE ? BASE_INVALID : (Registers.checkGpr(baseReg) << 23);
        return info;
    }

    private static int checkIdentity(int identity) {
        if (identity < 0 || identity > 3) throw new IllegalArgumentException("instruction identity must be 0-3: " + identity);
        return identity;
    }

    public static int scaling(long info) { return (int) info & 3; }
    public static int reg1(long info) { return (int) (info >>> 3) & 0xF; }
    public static int addressSize(long info) { return (int) (info >>> 7) & 7; }
    public static boolean isRegisterOperand(long info) { return (info & REGISTER_OPERAND) != 0; }
    public static boolean isOperandSize32(long info) { return (info & OPERAND_SIZE_32) != 0; }
    public static int segment(long info) { return (int) (info >>> 15) & 7; }
    public static int indexReg(long info) { return (int) (info >>> 18) & 0xF; }
    public static boolean isIndexInvalid(long info) { return (info & INDEX_INVALID) != 0; }
    public static int baseReg(long info) { return (int) (info >>> 23) & 0xF; }
    public static boolean isBaseInvalid(long info) { return (info & BASE_INVALID) != 0; }
    public static int identity(long info) { return (int) (info >>> 28) & 3; }

    /** Describes the field; the reason tells which of the two formats it has. */
    public static String describe(ExitReason reason, long info) {
        if (reason == ExitReason.LDTR_TR_ACCESS) {
            String name = LDTR_TR_NAMES[identity(info)];
            return isRegisterOperand(info) ? name + " " + Registers.gpr(reg1(info))
                    : name + " " + memory(info) + " a" + addressBits(info);
        }
        return GDTR_IDTR_NAMES[identity(info)] + " " + memory(info) + " a" + addressBits(info)
                + " o" + (isOperandSize32(info) ? 32 : 16);
    }

    private static int addressBits(long info) {
        return 16 << addressSize(info);
    }

    private static String memory(long info) {
        StringBuilder sb = new StringBuilder().append('[').append(Registers.segment(segment(info))).append(':');
        boolean any = false;
        if (!isBaseInvalid(info)) {
            sb.append(Registers.gpr(baseReg(info)));
            any = true;
        }
        if (!isIndexInvalid(info)) {
            if (any) sb.append('+');
            sb.append(Registers.gpr(indexReg(info))).append('*').append(1 << scaling(info));
            any = true;
        }
        if (!any) sb.append("disp");
        return sb.append(']').toString();
    }
}
