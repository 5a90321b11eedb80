package dev.jvmx.translator.codegen;

/**
 * A resolved operand: a register, an immediate, or a memory operand whose linear address is in
 * a local. A register or immediate is either known while translating (a translated block, a
 * specialised handler) or read from the instruction record at run time (a shared handler of
 * the first execution tier).
 */
public final class Loc {
    public enum Kind {
        /** A register whose number is {@link #value}. */
        REG,
        /** A register whose number is the instruction's per-operand value of operand {@link #value}. */
        REG_OF_OPERAND,
        /** The constant {@link #value}. */
        IMM,
        /** The immediate of operand {@link #value}, read from the instruction record. */
        IMM_OF_OPERAND,
        /** Memory at the linear address held in local {@link #value}. */
        MEM
    }

    public final Kind kind;
    public final int value;

    private Loc(Kind kind, int value) {
        this.kind = kind;
        this.value = value;
    }

    static Loc register(int r) {
        return new Loc(Kind.REG, r);
    }

    static Loc registerOf(int operand) {
        return new Loc(Kind.REG_OF_OPERAND, operand);
    }

    static Loc immediate(int v) {
        return new Loc(Kind.IMM, v);
    }

    static Loc immediateOf(int operand) {
        return new Loc(Kind.IMM_OF_OPERAND, operand);
    }

    static Loc memory(int linLocal) {
        return new Loc(Kind.MEM, linLocal);
    }

    public boolean isMem() {
        return kind == Kind.MEM;
    }

    public boolean isReg() {
        return kind == Kind.REG || kind == Kind.REG_OF_OPERAND;
    }
}
