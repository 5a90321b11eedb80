package dev.jvmx.translator.codegen;

import dev.jvmx.translator.decode.Insn;

/**
 * A per-instance value that a public static method computes from the instruction's record (an
 * exit qualification, an instruction-information field): a constant in a translation, a call in
 * a first-tier handler, which serves every instance of its form. One method serves both, so the
 * tiers cannot disagree.
 *
 * <pre>static final InsnValue MOV_TO_CR = InsnValue.ofLong(InstructionInformation::movToCr);</pre>
 */
public final class InsnValue {
    final HelperCall call;
    private final HelperCall.F1<Insn, ? extends Number> f;
    final boolean wide;

    private InsnValue(HelperCall.F1<Insn, ? extends Number> f, boolean wide) {
        this.call = HelperCall.of(f);
        this.f = f;
        this.wide = wide;
    }

    public static InsnValue ofInt(HelperCall.F1<Insn, Integer> f) {
        return new InsnValue(f, false);
    }

    public static InsnValue ofLong(HelperCall.F1<Insn, Long> f) {
        return new InsnValue(f, true);
    }

    /** The value for one instruction, at translation time. */
    long of(Insn insn) {
        return f.apply(insn).longValue();
    }
}
