package dev.jvmx.translator.decode;

/**
 * One decoded operand (immutable). Register, segment, control and debug register operands are
 * shared instances; the others are created per instruction.
 */
public final class Operand {
    /**
     * REG general register, SEG segment register, CR/DR control/debug register, MEM memory, IMM
     * immediate, REL relative branch, FAR far pointer; ST an x87 stack register ST(i) named by
     * ModRM.rm ({@link #reg} = i), ST0 the x87 stack top the opcode implies;
     * XMM an SSE register XMM0..XMM7 ({@link #reg}); MMX an MMX register MM0..MM7 ({@link #reg}).
     */
    public enum Kind { REG, SEG, CR, DR, MEM, IMM, REL, FAR, ST, ST0, XMM, MMX }

    public final Kind kind;
    /**
     * Bytes: 1, 2, 4 for REG/MEM; for IMM the size of the value as the operation uses it (an Ib
     * sign-extended to the operand size has the operand size); for REL the encoded width; 6 for
     * m16:32 and the LGDT/SGDT pseudo-descriptor, 4 for m16:16, 8 for CMPXCHG8B's m64.
     */
    public final int size;
    /**
     * REG: 0..7 in encoding order (size 1: AL,CL,DL,BL,AH,CH,DH,BH); SEG: 0..5; CR/DR: 0..7; ST: i of
     * ST(i); ST0: 0; XMM, MMX: 0..7.
     */
    public final int reg;
    /**
     * MEM: base and index register numbers 0..7 or -1; scale is a shift 0..3. The 16-bit forms use
     * the same numbering (BX=3, BP=5, SI=6, DI=7): [BX+SI] is base 3 index 6, [SI] alone is base 6.
     */
    public final int base, index, scale;
    /** MEM displacement, sign-extended to 32 bits (16-bit forms: from 16 bits). */
    public final int disp;
    /** MEM: effective segment (override, else SS for BP/EBP/ESP bases, else DS). */
    public final int seg;
    /** IMM: the extended value; REL: the sign-extended displacement; FAR: the offset. */
    public final int imm;
    /** FAR: the segment selector. */
    public final int selector;

    private Operand(Kind kind, int size, int reg, int base, int index, int scale, int disp, int seg, int imm,
            int selector) {
        this.kind = kind;
        this.size = size;
        this.reg = reg;
        this.base = base;
        this.index = index;
        this.scale = scale;
        this.disp = disp;
        this.seg = seg;
        this.imm = imm;
        this.selector = selector;
    }

    private static final Operand[] REG1 = new Operand[8], REG2 = new Operand[8], REG4 = new Operand[8];
    private static final Operand[] SEGS = new Operand[8], CRS = new Operand[8], DRS = new Operand[8];
    /** x87 registers are 80 bits wide: size 10. */
    private static final Operand[] STS = new Operand[8];
    /** XMM registers are 128 bits wide: size 16. */
    private static final Operand[] XMMS = new Operand[8];
    /** MMX registers are 64 bits wide: size 8. */
    private static final Operand[] MMXS = new Operand[8];
    private static final Operand ST_TOP = new Operand(Kind.ST0, 10, 0, -1, -1, 0, 0, -1, 0, 0);

    static {
        for (int i = 0; i < 8; i++) {
            REG1[i] = new Operand(Kind.REG, 1, i, -1, -1, 0, 0, -1, 0, 0);
            REG2[i] = new Operand(Kind.REG, 2, i, -1, -1, 0, 0, -1, 0, 0);
            REG4[i] = new Operand(Kind.REG, 4, i, -1, -1, 0, 0, -1, 0, 0);
            SEGS[i] = new Operand(Kind.SEG, 2, i, -1, -1, 0, 0, -1, 0, 0);
            CRS[i] = new Operand(Kind.CR, 4, i, -1, -1, 0, 0, -1, 0, 0);
            DRS[i] = new Operand(Kind.DR, 4, i, -1, -1, 0, 0, -1, 0, 0);
            STS[i] = new Operand(Kind.ST, 10, i, -1, -1, 0, 0, -1, 0, 0);
            XMMS[i] = new Operand(Kind.XMM, 16, i, -1, -1, 0, 0, -1, 0, 0);
            MMXS[i] = new Operand(Kind.MMX, 8, i, -1, -1, 0, 0, -1, 0, 0);
        }
    }

    public static Operand reg(int size, int reg) {
        return size == 1 ? REG1[reg] : size == 2 ? REG2[reg] : REG4[reg];
    }

    public static Operand seg(int seg) {
        return SEGS[seg];
    }

    public static Operand cr(int n) {
        return CRS[n];
    }

    public static Operand dr(int n) {
        return DRS[n];
    }

    /** ST(i), encoded in ModRM.rm. */
    public static Operand st(int i) {
        return STS[i];
    }

    /** XMMi. */
    public static Operand xmm(int i) {
        return XMMS[i];
    }

    /** MMi. */
    public static Operand mmx(int i) {
        return MMXS[i];
    }

    /** ST(0) as the operand an x87 register form implies ("FADD ST(0), ST(i)"). */
    public static Operand stTop() {
        return ST_TOP;
    }

    public static Operand mem(int size, int base, int index, int scale, int disp, int seg) {
        return new Operand(Kind.MEM, size, -1, base, index, scale, disp, seg, 0, 0);
    }

    public static Operand imm(int size, int value) {
        return new Operand(Kind.IMM, size, -1, -1, -1, 0, 0, -1, value, 0);
    }

    public static Operand rel(int size, int displacement) {
        return new Operand(Kind.REL, size, -1, -1, -1, 0, 0, -1, displacement, 0);
    }

    public static Operand far(int size, int selector, int offset) {
        return new Operand(Kind.FAR, size, -1, -1, -1, 0, 0, -1, offset, selector);
    }

    public boolean isMem() {
        return kind == Kind.MEM;
    }

    public boolean isReg() {
        return kind == Kind.REG;
    }

    @Override
    public String toString() {
        return Disassembler.operand(this, 4);
    }
}
