package dev.jvmx.translator.codegen;

import dev.jvmx.vmx.ExecutionControls;

/**
 * What an {@link Emitter} emits into: a translated block or region ({@link BlockCompiler}), or
 * one first-tier handler shared by an instruction form ({@link HandlerCompiler}). The two
 * differ only in where the guest state lives, which values are constants, and how code
 * leaves: the instruction emitters are the same.
 */
interface Unit {
    /** The translation-relevant mode bits ({@link BlockMode}) the code is made for. */
    int mode();

    /** The code depends on these {@link BlockMode} bits of {@link #mode()} (a handler records them). */
    void consult(int modeBits);

    /** The VM-execution controls the code is made under (a change of them discards the code). */
    ExecutionControls controls();

    /**
     * Where guest RAM ends, for code made for {@link BlockMode#DIRECT_RAM} that may access RAM
     * by physical address below it; 0 where that is not known (first-tier handlers, made once
     * for every machine), and such code probes the TLB.
     */
    default int ramTop() {
        return 0;
    }

    /** Where a direct exit continues. */
    enum Where {
        /** The next instruction. */
        NEXT,
        /** A relative branch's target. */
        TARGET,
        /** This instruction again (an unfinished REP string instruction). */
        SELF
    }

    /** Continues at {@code where} through chain slot {@code slot}; code after it is reachable only by a branch. */
    void exitLeg(Emitter e, Where where, int slot);

    /** Continues at the EIP on the JVM stack through {@code slot} (no chain, or the indirect cache). */
    void exitIndirect(Emitter e, int slot);

    /** The instruction just emitted ended in a throw or an unconditional exit: nothing after it is reachable. */
    void endNow();

    /** The block ends after this instruction (its successor may depend on state it changed). */
    void endAfter();
}
