package dev.jvmx.translator.decode;

/** Bits of {@link Insn#prefixes}. Segment overrides are kept in {@link Insn#segOverride}. */
public final class Prefix {
    public static final int LOCK = 1;
    /** F3: REP / REPE. */
    public static final int REP = 2;
    /** F2: REPNE. */
    public static final int REPNE = 4;
    /** 66: operand-size override. */
    public static final int OPSIZE = 8;
    /** 67: address-size override. */
    public static final int ADDRSIZE = 16;

    private Prefix() {
    }
}
