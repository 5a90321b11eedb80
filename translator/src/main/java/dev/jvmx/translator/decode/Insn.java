package dev.jvmx.translator.decode;

/**
 * One decoded instruction (immutable). The translator never re-reads guest bytes.
 *
 * <p>Besides the operands, the record carries its per-instance values flattened into plain
 * fields ({@link #v0}..{@link #v2}, the memory operand's parts, {@link #next}, {@link #target}):
 * code shared by every instruction of one {@link #form()} (the first execution tier's handlers)
 * reads them at run time with one field load each, where a translated block has them as constants.
 */
public final class Insn {
    private static final Operand[] NONE = new Operand[0];
    /** The register slot that always reads 0 (cpu.Cpu.ZERO): stands for an absent base or index. */
    public static final int ZERO_REGISTER = 8;

    public final Mnemonic mnemonic;
    /** One-byte opcode 0x00..0xFF; two-byte 0x0F00 | second byte. */
    public final short opcode;
    /** ModRM.reg (the opcode extension for groups), -1 without ModRM. */
    public final byte modrmReg;
    /**
     * An x87 instruction's 11-bit opcode as the FPU records it for FSTENV/FSAVE (SDM Vol. 1,
     * 8.1.9): the low three bits of its first opcode byte (D8..DF), then its ModRM byte; 0 for
     * other instructions. A per-instance value: not part of the {@link #form()}.
     */
    public final short fop;
    /** {@link Prefix} bits. Of F2/F3 only the last one seen is kept. */
    public final byte prefixes;
    /** -1 or the segment number 0..5 (ES, CS, SS, DS, FS, GS) of the last segment override. */
    public final byte segOverride;
    /** Size of the operation in bytes: 1, 2 or 4. */
    public final byte operandSize;
    /** 2 or 4. */
    public final byte addressSize;
    /** Intel order, destination first. String instructions have none (their operands are implicit). */
    public final Operand[] operands;
    /** SDM condition code tttn (0..15) for JCC, SETCC and CMOVCC, else -1. */
    public final byte cond;
    /** The eip passed to the decoder. */
    public final int address;
    /** Length in bytes, 1..15. */
    public final byte length;
    /** null, or UD / GP when executing this instruction must raise that exception. */
    public final InvalidKind invalid;

    /**
     * Per operand i: the register number of a REG, ST, XMM or MMX operand, the value of an IMM operand, the
     * displacement of a REL operand, the offset of a FAR operand; 0 otherwise.
     */
    public final int v0, v1, v2;
    /** The memory operand's base and index register ({@link #ZERO_REGISTER} when absent) and scale shift. */
    public final byte base, index, scale;
    /** The memory operand's displacement. */
    public final int disp;
    /** The memory operand's effective segment (0..5), or -1 without one. */
    public final byte seg;
    /** FAR operand: the selector. */
    public final char selector;
    /** The address of the next instruction, wrapped at 64 KiB when the code segment is 16-bit. */
    public final int next;
    /** A relative branch's target (wrapped to the operand size), else 0. */
    public final int target;


    Insn(Mnemonic mnemonic, int opcode, int modrm, int modrmReg, int prefixes, int segOverride, int operandSize,
            int addressSize, Operand[] operands, int cond, int address, int length, InvalidKind invalid,
            boolean default32) {
        this.mnemonic = mnemonic;
        this.opcode = (short) opcode;
        this.modrmReg = (byte) modrmReg;
        this.fop = (short) (opcode >= 0xD8 && opcode <= 0xDF && modrm >= 0 ? (opcode & 7) << 8 | modrm : 0);
        this.prefixes = (byte) prefixes;
        this.segOverride = (byte) segOverride;
        this.operandSize = (byte) operandSize;
        this.addressSize = (byte) addressSize;
        this.operands = operands == null ? NONE : operands;
        this.cond = (byte) cond;
        this.address = address;
        this.length = (byte) length;
        this.invalid = invalid;
        int[] v = new int[3];
        int b = ZERO_REGISTER, x = ZERO_REGISTER, s = 0, d = 0, sel = 0, t = 0, sg = -1;
        int n = address + length;
        n = default32 ? n : n & 0xFFFF;
        for (int i = 0; i < this.operands.length; i++) {
            Operand o = this.operands[i];
            switch (o.kind) {
                case REG: case ST: case XMM: case MMX: v[i] = o.reg; break;
                case IMM: v[i] = o.imm; break;
                case REL:
                    v[i] = o.imm;
                    t = operandSize == 2 ? (n + o.imm) & 0xFFFF : n + o.imm;
                    break;
                case FAR:
                    v[i] = o.imm;
                    sel = o.selector;
                    break;
                case MEM:
                    b = o.base >= 0 ? o.base : ZERO_REGISTER;
                    x = o.index >= 0 ? o.index : ZERO_REGISTER;
                    s = o.scale;
                    d = o.disp;
                    sg = o.seg;
                    break;
                default:
                    break;
            }
        }
        this.v0 = v[0];
        this.v1 = v[1];
        this.v2 = v[2];
        this.base = (byte) b;
        this.index = (byte) x;
        this.scale = (byte) s;
        this.disp = d;
        this.seg = (byte) sg;
        this.selector = (char) sel;
        this.next = n;
        this.target = t;
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

    /**
     * The instruction's shape without its per-instance values: mnemonic, the repeat prefixes and
     * a segment override where they shape the code, operand and address size, and each operand's kind (with
     * the size of a register or memory operand and the number of a segment, control or debug
     * register). Two instructions of one form differ only in their values: {@link #v0}..{@link #v2},
     * the memory operand's parts and segment, the condition, address, length and {@link #fop}.
     */
    public String form() {
        // Made at each call, not kept: the first tier asks once per decoded instruction, and a
        // kept string was about a tenth of a Linux boot's live heap beside guest RAM.
        StringBuilder sb = new StringBuilder(48);
        sb.append(mnemonic.name());
        if (usesPrefixes()) {
            sb.append(" p").append(prefixes & (Prefix.REP | Prefix.REPNE)).append(" s").append(segOverride);
        }
        sb.append(" o").append(operandSize);
        if (usesAddressSize()) {
            sb.append(" a").append(addressSize);
        }
        sb.append(' ').append(invalid);
        for (Operand o : operands) {
            sb.append(' ').append(o.kind.name());
            switch (o.kind) {
                case REG: case MEM: sb.append(o.size); break;
                case SEG: case CR: case DR: sb.append('#').append(o.reg); break;
                default: break; // an immediate's value is already extended; a branch target precomputed
            }
        }
        return sb.toString();
    }

    /**
     * A hash of what {@link #formKey()} numbers by their order: the mnemonics (with the opcode
     * maps' rows and operand specs, as the opcode table's fingerprint has them), the operand
     * kinds and the invalid kinds. The handler library's keys were made by the build's classes; a
     * library with another hash (classes compiled again without the build step, by an IDE) has
     * keys for other forms, and its keyed handlers are not used.
     */
    public static int formKeyFingerprint() {
        int h = OpcodeMapBuilder.fingerprint();
        for (Operand.Kind k : Operand.Kind.values()) {
            h = 31 * h + k.name().hashCode();
        }
        for (InvalidKind k : InvalidKind.values()) {
            h = 31 * h + k.name().hashCode();
        }
        return h;
    }

    /** {@link #formKey()} of an instruction whose form does not fit in a long: ask {@link #form()}. */
    public static final long NO_FORM_KEY = -1;

    /**
     * The {@link #form()} packed in a long, for the first tier's handler lookup, which asks once
     * per decoded instruction: building and hashing the string cost cold code about a third of
     * its decoding. Two instructions have the same key exactly when they have the same form,
     * since it holds the same parts, each in bits of its own: the mnemonic (9 bits), the repeat
     * prefixes and the segment override where the form has them (2 + 3), the operand size (5),
     * the address size where the form has it (2) and the invalid kind (2); then per operand its
     * kind plus one (4, so 0 is no operand) and its size or register number (10 bits for the
     * first two, 8 for the third: a memory operand's size reaches 512 for FXSAVE). 63 bits in all.
     * {@link #NO_FORM_KEY} when a part does not fit (no decoded instruction today).
     */
    public long formKey() {
        int m = mnemonic.ordinal();
        if (m >= 1 << 9 || operandSize >= 1 << 5 || operands.length > 3) {
            return NO_FORM_KEY;
        }
        long k = m;
        if (usesPrefixes()) {
            k |= (long) ((prefixes & (Prefix.REP | Prefix.REPNE)) >> 1) << 9; // REP = 2, REPNE = 4
            k |= (long) (segOverride + 1) << 11;
        }
        k |= (long) operandSize << 14;
        if (usesAddressSize()) {
            k |= (long) (addressSize >> 1) << 19; // 2 -> 1, 4 -> 2
        }
        k |= (long) (invalid == null ? 0 : invalid.ordinal() + 1) << 21;
        for (int i = 0, shift = 23; i < operands.length; i++, shift += 14) {
            Operand o = operands[i];
            int v = switch (o.kind) {
                case REG, MEM -> o.size;
                case SEG, CR, DR -> o.reg;
                default -> 0;
            };
            int bits = i < 2 ? 10 : 8;
            if (v >>> bits != 0 || o.kind.ordinal() >= 15) {
                return NO_FORM_KEY;
            }
            k |= (long) ((o.kind.ordinal() + 1) << bits | v) << shift;
        }
        return k;
    }

    /**
     * Whether the repeat prefixes and a segment override shape the code beyond the memory
     * operand's segment: the string and I/O instructions, XLAT, MASKMOVQ and MASKMOVDQU, whose
     * memory operands are implicit.
     */
    private boolean usesPrefixes() {
        return mnemonic.family() == Family.STRING || mnemonic.family() == Family.IO || mnemonic == Mnemonic.XLAT
                || mnemonic == Mnemonic.MASKMOVQ || mnemonic == Mnemonic.MASKMOVDQU;
    }

    /** The address size shapes the code: a memory operand, implicit memory operands, or (E)CX as a counter. */
    private boolean usesAddressSize() {
        for (Operand o : operands) {
            if (o.kind == Operand.Kind.MEM) {
                return true;
            }
        }
        return usesPrefixes() || mnemonic.family() == Family.CONTROL;
    }

    /** Disassembly in AT&T syntax, as objdump prints it. */
    @Override
    public String toString() {
        return Disassembler.format(this);
    }
}
