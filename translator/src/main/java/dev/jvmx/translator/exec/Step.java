package dev.jvmx.translator.exec;

import dev.jvmx.translator.codegen.Handler;
import dev.jvmx.translator.decode.Insn;

/**
 * One instruction of a first-tier block as the execution loop walks it: its record, its handler,
 * its index in the block and the next one (null after the last).
 */
final class Step {
    final Insn insn;
    final Handler handler;
    final int index;
    /**
     * The record's address, for the loop's EIP: read from the step, the loop's way to the call does
     * not wait for the record's cache line (which the handler then reads while its call begins).
     * It costs no memory: the step's object takes 32 bytes with or without it.
     */
    final int address;
    /** Set once, as the chain is made. */
    Step next;

    private Step(Insn insn, Handler handler, int index) {
        this.insn = insn;
        this.handler = handler;
        this.index = index;
        this.address = insn.address;
    }

    /**
     * The chain of a block's instructions and handlers, or null without handlers (a region).
     * Made first to last, so that walking it goes up through memory, as the decoder allocated
     * the instructions.
     */
    static Step chain(Insn[] insns, Handler[] handlers) {
        if (handlers == null) {
            return null;
        }
        Step first = new Step(insns[0], handlers[0], 0), last = first;
        for (int i = 1; i < insns.length; i++) {
            last = last.next = new Step(insns[i], handlers[i], i);
        }
        return first;
    }

    /** The handlers of the chain's first {@code n} steps. */
    Handler[] handlers(int n) {
        Handler[] h = new Handler[n];
        Step s = this;
        for (int i = 0; i < n; i++, s = s.next) {
            h[i] = s.handler;
        }
        return h;
    }
}
