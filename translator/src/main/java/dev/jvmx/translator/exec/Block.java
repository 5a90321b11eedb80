package dev.jvmx.translator.exec;

import dev.jvmx.translator.codegen.CompiledBlock;
import dev.jvmx.translator.decode.Insn;

import java.util.List;

/**
 * One translated guest block: its key, its compiled code, the EIP of each instruction (to
 * restore the exact EIP of a faulting one), its chain links and its statistics.
 */
public final class Block {
    public final int eip;
    public final int csBase;
    public final int phys;
    public final int mode;
    /** Physical page of the block's last byte when it crosses a page, else -1. */
    public final int physPage2;
    /** Every physical page the translated code came from (a region may span several). */
    public final int[] pages;
    /** For each instruction, the index of the first instruction of its member block. */
    final int[] blockStartOf;
    /** Guest EIPs the code leaves to directly (for region formation). */
    final int[] directTargets;
    /** True for a region: several blocks translated into one method. */
    public final boolean region;
    /** Physical byte ranges of the guest code, as (start, end exclusive) pairs, for precise invalidation. */
    int[] ranges = new int[0];
    public final CompiledBlock code;
    public final int[] insnEip;
    public final int guestLength;
    public final int bytecodeSize;
    public final List<Insn> insns;
    final byte[] classBytes;

    /** Successors by chain slot (taken, fall-through), with the TLB epoch they were linked in. */
    final Block[] next;
    final int[] nextEpoch;
    /** Inline cache for an indirect exit (RET, JMP/CALL through a register or memory), by target EIP. */
    static final int INDIRECT_WAYS = 16;
    Block[] indirect;
    int[] indirectEpoch;
    /** Set once the block has been considered for a region. */
    boolean regionTried;

    public boolean valid = true;
    public long execCount;
    public long chainedEntries;
    /** VM exits taken from this block, per SDM exit-reason number (filled by the runtime). */
    public final long[] exits = new long[65];

    /** A copy of {@link #ranges}: the physical code bytes, member after member for a region. */
    public int[] codeRanges() {
        return ranges.clone();
    }

    Block(int eip, int csBase, int phys, int mode, int physPage2, CompiledBlock code, int[] insnEip, int guestLength,
          int bytecodeSize, List<Insn> insns, byte[] classBytes, int[] pages, int[] blockStartOf, int[] directTargets,
          boolean region) {
        int slots = region ? CompiledBlock.FIRST_REGION_SLOT + directTargets.length : 2;
        this.next = new Block[slots];
        this.nextEpoch = new int[slots];
        this.pages = pages;
        this.blockStartOf = blockStartOf;
        this.directTargets = directTargets;
        this.region = region;
        this.eip = eip;
        this.csBase = csBase;
        this.phys = phys;
        this.mode = mode;
        this.physPage2 = physPage2;
        this.code = code;
        this.insnEip = insnEip;
        this.guestLength = guestLength;
        this.bytecodeSize = bytecodeSize;
        this.insns = insns;
        this.classBytes = classBytes;
    }

    public int instructionCount() {
        return insnEip.length;
    }

    public byte[] classBytes() {
        return classBytes;
    }

    public Block successor(int slot) {
        return next[slot];
    }

    /** True when a write of {@code size} bytes at physical {@code phys} touches this block's code. */
    boolean overlaps(int phys, int size) {
        long a = phys & 0xFFFFFFFFL, b = a + size;
        for (int i = 0; i < ranges.length; i += 2) {
            if (a < (ranges[i + 1] & 0xFFFFFFFFL) && (ranges[i] & 0xFFFFFFFFL) < b) {
                return true;
            }
        }
        return false;
    }

    static int indirectWay(int eip) {
        return (eip ^ (eip >>> 4) ^ (eip >>> 8)) & (INDIRECT_WAYS - 1);
    }

    void unlink() {
        java.util.Arrays.fill(next, null);
        indirect = null;
    }
}
