package dev.jvmx.translator.decode;

/**
 * One entry of an opcode map: the instruction and its operand kinds, or a group: eight rows by
 * ModRM.reg and, for the x87 escapes, 64 register forms (mod = 3) by the whole ModRM byte.
 */
final class OpcodeRow {
    final Mnemonic mnemonic;
    final OperandSpec[] operands;
    /** Operation size fixed by the row (1 for MOVSB and friends), 0 to derive it from the operands. */
    final int fixedSize;
    final boolean modrm;
    /** Index of the operand giving the operation size, -1 for the operand size attribute. */
    final int sizingIndex;
    /** The operand taking ModRM.rm as memory, or null. */
    final OperandSpec rmSpec;
    /** Group rows indexed by ModRM.reg (memory forms), null when not a group. */
    final OpcodeRow[] group;
    /**
     * A group's register forms indexed by ModRM - C0, where the rows name them by the whole
     * ModRM byte ("D9 E0"); all null when ModRM.reg selects them too (the group rows above).
     */
    final OpcodeRow[] registers;

    OpcodeRow(Mnemonic mnemonic, OperandSpec[] operands, int fixedSize) {
        this.mnemonic = mnemonic;
        this.operands = operands;
        this.fixedSize = fixedSize;
        boolean m = false;
        int sizing = -1;
        OperandSpec rm = null;
        for (int i = 0; i < operands.length; i++) {
            OperandSpec s = operands[i];
            m |= s.usesModrm();
            if (sizing < 0 && s.sizing) {
                sizing = i;
            }
            if (isRmOperand(s)) {
                rm = s;
            }
        }
        this.modrm = m;
        this.sizingIndex = sizing;
        this.rmSpec = rm;
        this.group = null;
        this.registers = null;
    }

    private OpcodeRow(OpcodeRow[] group) {
        this.mnemonic = null;
        this.operands = new OperandSpec[0];
        this.fixedSize = 0;
        this.modrm = true;
        this.sizingIndex = -1;
        this.rmSpec = null;
        this.group = group;
        this.registers = new OpcodeRow[64];
    }

    /** The row for a register form (mod = 3) of this group. */
    OpcodeRow member(int modrm) {
        if (modrm >= 0xC0 && registers[modrm - 0xC0] != null) {
            return registers[modrm - 0xC0];
        }
        return group[(modrm >> 3) & 7];
    }

    /** Whether the rows name this group's register forms by the whole ModRM byte. */
    boolean hasRegisterForms() {
        for (OpcodeRow r : registers) {
            if (r != null) {
                return true;
            }
        }
        return false;
    }

    /** An empty group, filled member by member. */
    static OpcodeRow group() {
        return new OpcodeRow(new OpcodeRow[8]);
    }

    static boolean isRmOperand(OperandSpec s) {
        switch (s) {
            case Eb: case Ew: case Ed: case Ev: case Ewv: case M: case Mb: case Mp: case Ms: case Mq: case Ma:
            case Wx: case Wq: case Wd: case Ux: case Mx: case Md: case Qq: case Qd: case Nq:
                return true;
            default:
                return s.x87Memory();
        }
    }
}
