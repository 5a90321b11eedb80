package dev.jvmx.translator.exec;

import dev.jvmx.translator.codegen.BlockMode;
import dev.jvmx.translator.codegen.CompiledBlock;
import dev.jvmx.translator.codegen.Handler;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.mem.PhysicalMemory;

import java.util.Arrays;
import java.util.List;

/**
 * One guest block: its key, its decoded instructions, the code that runs it, its chain links
 * and its statistics. A block starts in the first tier (its instructions run through their
 * {@link Handler}s); once hot it gets translated {@link #code} (the second tier), and the
 * hottest blocks are retranslated with their successors as a region.
 */
public final class Block extends BlockHead {
    public final int csBase;
    public final int phys;
    public final int mode;
    /** Every physical page the guest code came from (a region may span several). */
    public final int[] pages;
    /** Physical byte ranges of the guest code, as (start, end exclusive) pairs, for precise invalidation. */
    final int[] ranges;
    /**
     * Each page the code came from beyond the key's (the first page of the block or of a region's
     * entry), as {@link #pageMapping}: a block's second page, a region's members' other pages
     * (RegionFormer); null when there is none. The key names only the first page, and the guest
     * may remap another alone (CodeCache checks them at each lookup).
     */
    long[] mappings;
    /** For each instruction, the index of the first instruction of its member block (regions). */
    final int[] blockStartOf;
    public final int guestLength;

    /** The class the code was made from (for inspection), and its method's bytecode size. */
    byte[] classBytes;
    int bytecodeSize;
    /** Guest EIPs the translated code leaves to directly (chain slots; region formation). */
    int[] directTargets = new int[0];

    static final int INDIRECT_WAYS = 16;
    /** A region with this block as its entry is being made: other regions stop at it. */
    boolean regionPending;
    /** For a region whose entry block is a short leaf function: a code-less copy of that block (RegionFormer.leafCopy). */
    Block leafEntry;
    /** The members that wait for that region before asking for their own (see RegionFormer). */
    List<Block> claimed = List.of();
    /** Regions made for this entry that could not be installed. */
    int regionAttempts;
    /** Its translation is being made by the translation worker (asked for at execution {@code queuedAt}). */
    boolean queued;
    long queuedAt;
    /** Its execCount when its translation went in place (ExecutionLoop.promote). */
    long installedAt;

    /** execCount when the cache's eviction clock last passed the block. */
    long clockMark;
    /** Entries through a lookup rather than a chain link or target cache (the rest of execCount came chained). */
    public long lookups;
    /**
     * VM exits taken from this block, per SDM exit-reason number, or null before its first: most
     * blocks take none, and a Linux boot decodes some 85,000 blocks (the array is 536 bytes).
     */
    public long[] exits;

    Block(int eip, int csBase, int phys, int mode, Insn[] insns, Handler[] handlers, int[] pages, int[] ranges,
          int[] blockStartOf, boolean region, int guestLength) {
        super(eip, region, insns, handlers);
        this.csBase = csBase;
        this.phys = phys;
        this.mode = mode;
        this.pages = pages;
        this.ranges = ranges;
        this.blockStartOf = blockStartOf;
        this.guestLength = guestLength;
        this.mappings = pages.length > 1 && !region ? new long[] {pageMapping(csBase + secondPageEip(), pages[1])} : null;
    }

    /** A page of code: its linear page number << 32 | its physical page number. */
    static long pageMapping(int linear, int physicalPage) {
        return (long) (linear >>> PhysicalMemory.PAGE_SHIFT) << 32 | (physicalPage & 0xFFFFFFFFL);
    }

    /** The linear address of a {@link #pageMapping}'s page. */
    static int linearOf(long mapping) {
        return (int) (mapping >>> 32) << PhysicalMemory.PAGE_SHIFT;
    }

    /** The physical page number of a {@link #pageMapping}. */
    static int physicalPageOf(long mapping) {
        return (int) mapping;
    }

    /**
     * Takes over the counts of the block it replaces (its translation, its region): its
     * executions, which the next tier's thresholds go on from, and its lookups, so that
     * inspect's CHAIN% stays the share of entries through links.
     */
    void takeCountsFrom(Block replaced) {
        execCount = replaced.execCount;
        lookups = replaced.lookups;
    }

    /** Installs translated code: the block moves to the second tier. */
    void install(CompiledBlock compiled, byte[] bytes, int bytecode, int[] targets) {
        this.code = compiled;
        this.classBytes = bytes;
        this.bytecodeSize = bytecode;
        this.directTargets = targets;
        int slots = region ? CompiledBlock.FIRST_REGION_SLOT + targets.length : 2;
        if (slots != next.length) {
            next = Arrays.copyOf(next, slots);
        }
    }

    /** Counts a VM exit, by its SDM exit-reason number, taken from this block (filled by the runtime). */
    public void countExit(int reason) {
        long[] e = exits;
        if (e == null) {
            exits = e = new long[65];
        }
        e[reason]++;
    }

    /** True once the block runs translated code (the second tier). */
    public boolean translated() {
        return code != null;
    }

    public int instructionCount() {
        return insns.length;
    }

    /** The guest EIP of instruction i. */
    public int insnEip(int i) {
        return insns[i].address;
    }

    /** The translated class file, or null in the first tier. */
    public byte[] classBytes() {
        return classBytes;
    }

    public int bytecodeSize() {
        return bytecodeSize;
    }

    /** The EIP at which a block's code continues on its second page (16-bit code wraps within its segment). */
    private int secondPageEip() {
        int eip2 = eip + PhysicalMemory.PAGE_SIZE - (phys & (PhysicalMemory.PAGE_SIZE - 1));
        return (mode & BlockMode.CODE32) == 0 ? eip2 & 0xFFFF : eip2;
    }

    /** A copy of the physical code ranges, member after member for a region. */
    public int[] codeRanges() {
        return ranges.clone();
    }

    public Block successor(int slot) {
        return slot < next.length ? next[slot] : null;
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
        Arrays.fill(next, null);
        indirect = null;
    }
}
