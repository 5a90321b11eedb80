package dev.jvmx.translator.decode;

/** One decoded instruction (immutable). The translator never re-reads guest bytes. */
public final class Insn {
    private static final Operand[] NONE = new Operand[0];

    public final Mnemonic mnemonic;
    /** One-byte opcode 0x00..0xFF; two-byte 0x0F00 | second byte. */
    public final int opcode;
    /** ModRM.reg (the opcode extension for groups), -1 without ModRM. */
    public final int modrmReg;
    /** {@link Prefix} bits. Of F2/F3 only the last one seen is kept. */
    public final int prefixes;
    /** -1 or the segment number 0..5 (ES, CS, SS, DS, FS, GS) of the last segment override. */
    public final int segOverride;
    /** Size of the operation in bytes: 1, 2 or 4. */
    public final int operandSize;
    /** 2 or 4. */
    public final int addressSize;
    /** Intel order, destination first. String instructions have none (their operands are implicit). */
    public final Operand[] operands;
    /** SDM condition code tttn (0..15) for JCC, SETCC and CMOVCC, else -1. */
    public final int cond;
    /** The eip passed to the decoder. */
    public final int address;
    /** Length in bytes, 1..15. */
    public final int length;
    /** null, or UD / GP when executing this instruction must raise that exception. */
    public final InvalidKind invalid;

    Insn(Mnemonic mnemonic, int opcode, int modrmReg, int prefixes, int segOverride, int operandSize,
            int addressSize, Operand[] operands, int cond, int address, int length, InvalidKind invalid) {
        this.mnemonic = mnemonic;
        this.opcode = opcode;
        this.modrmReg = modrmReg;
        this.prefixes = prefixes;
        this.segOverride = segOverride;
        this.operandSize = operandSize;
        this.addressSize = addressSize;
        this.operands = operands == null ? NONE : operands;
        this.cond = cond;
        this.address = address;
        this.length = length;
        this.invalid = invalid;
    }

    /** Address of the next instruction; IP wraps at 64 KiB when the CS is 16-bit. */
    public int nextEip(boolean default32) {
        int next = address + length;
        return default32 ? next : next & 0xFFFF;
    }

    /** Target of a relative branch (operand 0 of kind REL), truncated to 16 bits for a 16-bit operand size. */
    public int branchTarget(boolean default32) {
        int target = nextEip(default32) + operands[0].imm;
        return operandSize == 2 ? target & 0xFFFF : target;
    }

    public Operand op(int i) {
        return operands[i];
    }

    public boolean hasPrefix(int prefixBit) {
        return (prefixes & prefixBit) != 0;
    }

    /** Disassembly in AT&T syntax, as objdump prints it. */
    @Override
    public String toString() {
        return Disassembler.format(this);
    }
}
