package dev.jvmx.translator.codegen;

/** A resolved operand: a register, an immediate, or a memory operand whose linear address is in a local. */
public final class Loc {
    public enum Kind { REG, IMM, MEM }

    public final Kind kind;
    /** REG: register number; IMM: the value; MEM: the local holding the linear address. */
    public final int value;

    private Loc(Kind kind, int value) {
        this.kind = kind;
        this.value = value;
    }

    static Loc register(int r) {
        return new Loc(Kind.REG, r);
    }

    static Loc immediate(int v) {
        return new Loc(Kind.IMM, v);
    }

    static Loc memory(int linLocal) {
        return new Loc(Kind.MEM, linLocal);
    }

    public boolean isMem() {
        return kind == Kind.MEM;
    }
}
