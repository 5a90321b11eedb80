package dev.jvmx.translator.exec;

import dev.jvmx.translator.codegen.CompiledBlock;
import dev.jvmx.translator.codegen.Handler;
import dev.jvmx.translator.decode.Insn;

/**
 * The fields of a {@link Block} that the execution loop reads at every move from one block to
 * the next (the link's checks, the tier's counts, the code or the first tier's steps it runs),
 * declared here so that HotSpot lays them out together at the object's start: it places a
 * superclass's fields before a subclass's, and within one class it orders them by size, which
 * spread these over 120 of Block's 144 bytes (three cache lines) when they were Block's own.
 */
abstract class BlockHead {
    public final int eip;
    public long execCount;
    /**
     * The TLB epoch in which a lookup last found this block at its CS:EIP (ExecutionLoop.linkEpoch):
     * while it is current, every link to the block holds.
     */
    int foundEpoch;
    public boolean valid = true;
    /** True for a region: several blocks translated into one method. */
    public final boolean region;
    /** Set once the block has been considered for a region. */
    boolean regionTried;
    /** Set when translation was tried and failed (too big even alone): it stays in the first tier. */
    boolean untranslatable;
    /** Its translation runs at C1's tier 1, to be asked at tier 3 if it stays hot (ExecutionLoop.promote). */
    boolean promotable;
    /** Second tier: the translated code, or null while the block runs in the first tier. */
    CompiledBlock code;
    /** Successors by chain slot (taken, fall-through; a region's own). */
    Block[] next = new Block[2];
    /** Inline cache for an indirect exit (RET, JMP/CALL through a register or memory), by target EIP. */
    Block[] indirect;
    /** Its translation or region, made, waiting for HotSpot's compiler before it is put in place. */
    PendingInstall pending;
    /** The decoded instructions, member after member for a region. */
    public final Insn[] insns;
    /**
     * First tier: the instructions with their handlers, as the loop walks them (null for a
     * region). A chain rather than arrays indexed by position: across each handler's call C2
     * keeps one step live instead of two arrays, an index and a bound.
     */
    final Step steps;

    BlockHead(int eip, boolean region, Insn[] insns, Handler[] handlers) {
        this.eip = eip;
        this.region = region;
        this.insns = insns;
        this.steps = Step.chain(insns, handlers);
    }
}
