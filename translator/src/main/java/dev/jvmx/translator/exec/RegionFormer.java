package dev.jvmx.translator.exec;

import dev.jvmx.translator.codegen.BlockCompiler;
import dev.jvmx.translator.codegen.CompiledBlock;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.decode.Mnemonic;

import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Region formation (DESIGN.md rule 4): a hot block is retranslated together with the cached
 * blocks it reaches through direct exits and the targets its indirect exits were seen to take
 * (same mode and CS) as one method, so that a guest loop becomes a JVM loop. The members are
 * chosen on the guest's thread; the region is compiled on the translation worker's and put in
 * the entry's place when it is installed, if every member is still valid.
 */
final class RegionFormer {
    /**
     * Most bytecode a region's method may have ({@code -Djvmx.regionBytes=N} overrides it, for
     * measuring). HotSpot does not compile methods above 8000 bytes at all, and C2 takes about
     * 100 ms for a 6000-byte region on this 2-core machine: a region deoptimised by a path it
     * never took while profiled (a RET out of an interpreter loop, say) runs in the bytecode
     * interpreter until then. Measured on the guest suite (steady median, ms, interp): 4000 ->
     * 96, 5000 -> 82, 6000 -> 128; the other programs do not move. Hence 5000.
     */
    static final int MAX_REGION_BYTECODE = Integer.getInteger("jvmx.regionBytes", 5000);
    /** Blocks a region may hold, and instructions. */
    static final int MAX_REGION_BLOCKS = 24;
    static final int MAX_REGION_INSNS = 320;

    private final CodeCache cache;
    /** A region's internal jumps would pass a debugger's breakpoints: none installs while one is set. */
    private final DebugControl debug;
    /** No regions are made (for tests of blocks translated alone). */
    boolean off;
    /** Regions asked of the worker, and those that could not be installed when they came back. */
    long requested, discarded;

    RegionFormer(CodeCache cache, DebugControl debug) {
        this.cache = cache;
        this.debug = debug;
    }

    /**
     * Asks the worker for the region at {@code entry}, unless the entry reaches no other block
     * and does not loop to itself. When the worker's queue is full the entry asks again later.
     */
    void request(Block entry, TranslationWorker worker) {
        if (off) {
            entry.regionTried = true;
            return;
        }
        if (worker.full()) {
            return; // asked again at a later execution, without walking the members each time
        }
        entry.regionTried = true;
        if (entry.region || !entry.valid) {
            return;
        }
        List<Block> members = members(entry);
        if (members == null) {
            return;
        }
        if (worker.submit(job(entry, members, worker))) {
            requested++;
        } else {
            release(entry);
            entry.regionTried = false;
        }
    }

    /**
     * The job that compiles the region (on any thread) and returns its installer, which puts it
     * in place, or leaves it pending until HotSpot has compiled it when the worker waits for the
     * compiler.
     */
    private Callable<Runnable> job(Block entry, List<Block> members, TranslationWorker worker) {
        // The members keep running on their own while the region compiles, and would reach the
        // threshold too: each would then ask for a region of its own holding much the same
        // blocks. They wait until this region is in place; one still entered from outside it
        // then forms its own. Other regions stop at this one's entry, as at a region.
        List<Block> claimed = new ArrayList<>();
        for (Block m : members) {
            if (!m.regionTried) {
                m.regionTried = true;
                claimed.add(m);
            }
        }
        entry.regionPending = true;
        entry.claimed = claimed;
        long generation = cache.codeGeneration;
        return () -> {
            List<Block> fitting = new ArrayList<>(members);
            BlockCompiler.Result r = compileFitting(entry, fitting);
            CompiledBlock code = r == null ? null : cache.translator.define(r.classBytes, entry.eip, entry.mode);
            // Queued for C1 here, not on the guest's thread: the request takes locks the
            // compiler threads hold (about 36 ms of a Linux boot's guest thread, by wall clock).
            Method compiling = worker.compileRequest(code, false);
            return () -> {
                if (entry.valid && !debug.armed
                        && PendingInstall.await(entry, compiling, () -> installOrDrop(entry, fitting, r, code, generation),
                                () -> release(entry))) {
                    return; // the entry keeps its claim on the members until the region is in place
                }
                installOrDrop(entry, fitting, r, code, generation);
            };
        };
    }

    /** Puts the region in place if it still fits (else drops it, and the entry may ask again). */
    private void installOrDrop(Block entry, List<Block> members, BlockCompiler.Result r, CompiledBlock code,
                               long generation) {
        release(entry);
        if (debug.armed) {
            entry.regionTried = false; // ask again once the debugger has cleared its breakpoints
            return;
        }
        entry.regionTried = true;
        if (code != null && !install(entry, members, r, code, generation)) {
            discarded++;
            if (entry.regionAttempts++ < 2) {
                entry.regionTried = false; // try again with the blocks there are now
            }
        }
    }

    /** Ends the entry's claim on the members it took for its region. */
    private static void release(Block entry) {
        entry.regionPending = false;
        for (Block m : entry.claimed) {
            m.regionTried = false;
        }
        entry.claimed = List.of();
    }

    /** The blocks of the region, the entry first; null for no region. */
    private List<Block> members(Block entry) {
        List<Block> members = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        ArrayDeque<Block> work = new ArrayDeque<>();
        // Leaf callees taken from other regions: their returns are not followed (see leafCopy).
        Set<Block> leaves = Collections.newSetFromMap(new IdentityHashMap<>());
        work.add(entry);
        seen.add(entry.eip);
        int insnCount = 0;
        boolean loops = false;
        while (!work.isEmpty() && members.size() < MAX_REGION_BLOCKS) {
            Block b = work.poll();
            if (insnCount + b.instructionCount() > MAX_REGION_INSNS) {
                continue;
            }
            members.add(b);
            insnCount += b.instructionCount();
            if (leaves.contains(b)) {
                continue;
            }
            Insn last = b.insns[b.insns.length - 1];
            for (int t : successors(b)) {
                if (t == entry.eip) {
                    loops = true;
                }
                if (seen.add(t)) {
                    Block n = cache.cachedAt(t, entry.csBase, entry.mode);
                    if (n != null && n.region && last.mnemonic == Mnemonic.CALL && t == last.target) {
                        n = n.leafEntry;
                        if (n != null) {
                            leaves.add(n);
                        }
                    }
                    if (n != null && !n.region && !n.regionPending
                            && (COLD_RATIO <= 0 || n.execCount * COLD_RATIO >= entry.execCount)) {
                        work.add(n);
                    }
                }
            }
        }
        return members.size() == 1 && !loops ? null : members;
    }

    /**
     * A block joins a region only when it has run at least 1/COLD_RATIO as often as the entry
     * ({@code -Djvmx.regionColdRatio=N}, 0 for no bound). What a hot loop leads to once it ends
     * (a memset's callers, after its return) was most of a region's blocks, so most of what the
     * worker generated and HotSpot compiled for it, and runs too rarely for leaving the region
     * there to cost anything. SeaBIOS's memset loop: 24 members, translated in 70-100 ms while
     * the code generator is cold, and in place after 0.1-0.8 M runs in the first tier; now 3,
     * 16 ms and about 10 K runs. SeaBIOS 0.90, Linux to its prompt 0.94-0.99 (bench/RESULTS.md).
     */
    static final long COLD_RATIO = Long.getLong("jvmx.regionColdRatio", 64);

    /** Most instructions a straight-line callee may have to be copied into its callers' regions. */
    static final int MAX_LEAF_INSNS = 8;

    /**
     * What a region keeps of the entry block it replaces ({@link Block#leafEntry}) when that block
     * is a short straight-line function, from its entry to a RET (i386 PIC's
     * {@code __x86.get_pc_thunk.bx}: {@code mov (%esp),%ebx; ret}, called first by every function
     * of a PIE such as busybox); else null. A caller's region takes it in, so that the call, the
     * callee and the return stay in the caller's method (the RET finds the return site among the
     * region's members), where they would leave it for the callee's region and come back through
     * the execution loop twice per call; its return is not followed further, since it leads to
     * every other caller. It is a copy without code (the block's translated class can then
     * unload), marked invalid as the dropped block is, so that a region taking it is installed
     * only while no code changed meanwhile.
     */
    private static Block leafCopy(Block entry) {
        Insn[] insns = entry.insns;
        if (insns.length > MAX_LEAF_INSNS || insns[insns.length - 1].mnemonic != Mnemonic.RET) {
            return null;
        }
        Block copy = new Block(entry.eip, entry.csBase, entry.phys, entry.mode, insns, null, entry.pages,
                entry.ranges, entry.blockStartOf, false, entry.guestLength);
        copy.valid = false;
        copy.execCount = entry.execCount;
        return copy;
    }

    /** Compiles the members, dropping the coldest (ties: the farthest) until C2 can take it; null when none fits. */
    private BlockCompiler.Result compileFitting(Block entry, List<Block> members) {
        while (true) {
            List<List<Insn>> code = new ArrayList<>();
            for (Block b : members) {
                code.add(Arrays.asList(b.insns));
            }
            BlockCompiler.Result r = cache.translator.compileRegion(code, entry.mode);
            if (r.bytecodeSize <= MAX_REGION_BYTECODE) {
                return r;
            }
            if (members.size() <= 2) {
                return null; // keep running the blocks
            }
            members.remove(coldestMember(members));
        }
    }

    /**
     * Puts the region in the entry's place, if every member is still what was compiled: no
     * block's code was invalidated since the members were chosen, or else every member is still
     * in the cache. (A member replaced by its translation or its own region, or evicted, still
     * holds the guest's code.) False when it was not installed.
     */
    private boolean install(Block entry, List<Block> members, BlockCompiler.Result r, CompiledBlock code,
                            long generation) {
        if (!entry.valid) {
            return false;
        }
        if (cache.codeGeneration != generation) {
            for (Block m : members) {
                if (!m.valid) {
                    return false;
                }
            }
        }
        debug.regionInstalled();
        Block region = build(entry, members);
        region.leafEntry = leafCopy(entry);
        region.install(code, r.classBytes, r.bytecodeSize, r.directTargets);
        region.regionTried = true;
        region.takeCountsFrom(entry);
        if (!cache.replace(entry, region)) {
            return false;
        }
        cache.translator.regions++;
        return true;
    }

    /** The region's block: the members' instructions, pages and code ranges, one after another. */
    private static Block build(Block entry, List<Block> members) {
        List<Insn> insns = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        Set<Integer> pages = new LinkedHashSet<>();
        int[] ranges = new int[0];
        int len = 0;
        for (Block b : members) {
            int start = insns.size();
            for (Insn i : b.insns) {
                insns.add(i);
                starts.add(start);
            }
            for (int p : b.pages) {
                pages.add(p);
            }
            int[] n = Arrays.copyOf(ranges, ranges.length + b.ranges.length);
            System.arraycopy(b.ranges, 0, n, ranges.length, b.ranges.length);
            ranges = n;
            len += b.guestLength;
        }
        Block region = new Block(entry.eip, entry.csBase, entry.phys, entry.mode, insns.toArray(new Insn[0]), null,
                BlockCompiler.ints(pages), ranges,
                BlockCompiler.ints(starts), true, len);
        region.mappings = mappings(entry, members);
        return region;
    }

    /** The members' pages beyond the entry's first, each once (see {@link Block#mappings}); null for none. */
    private static long[] mappings(Block entry, List<Block> members) {
        Set<Long> pages = new LinkedHashSet<>();
        for (Block b : members) {
            pages.add(Block.pageMapping(b.csBase + b.eip, b.pages[0]));
            if (b.mappings != null) {
                for (long m : b.mappings) {
                    pages.add(m);
                }
            }
        }
        pages.remove(Block.pageMapping(entry.csBase + entry.eip, entry.pages[0]));
        if (pages.isEmpty()) {
            return null;
        }
        long[] a = new long[pages.size()];
        int i = 0;
        for (long m : pages) {
            a[i++] = m;
        }
        return a;
    }

    /** The member (not the entry) that has run least, the first to leave a region that is too big. */
    private static int coldestMember(List<Block> members) {
        int coldest = members.size() - 1;
        for (int i = members.size() - 1; i > 0; i--) {
            if (members.get(i).execCount < members.get(coldest).execCount) {
                coldest = i;
            }
        }
        return coldest;
    }

    /**
     * Direct exit targets, then the targets its indirect exit was seen to take (RET sites, jump
     * tables), then, after a near CALL, its return address: where the callee's RET goes back to.
     */
    private static int[] successors(Block b) {
        int[] direct = b.translated() ? b.directTargets : chained(b);
        Insn last = b.insns[b.insns.length - 1];
        boolean call = last.mnemonic == Mnemonic.CALL || last.mnemonic == Mnemonic.CALL_IND;
        if (b.indirect == null && !call) {
            return direct;
        }
        List<Integer> l = new ArrayList<>();
        for (int t : direct) {
            l.add(t);
        }
        if (b.indirect != null) {
            for (Block n : b.indirect) {
                if (n != null && n.valid && n.mode == b.mode && n.csBase == b.csBase) {
                    l.add(n.eip);
                }
            }
        }
        if (call) {
            l.add(last.next);
        }
        return BlockCompiler.ints(l);
    }

    /** A first-tier block's direct successors: where its chain slots lead. */
    private static int[] chained(Block b) {
        List<Integer> l = new ArrayList<>();
        for (Block n : b.next) {
            if (n != null && n.valid) {
                l.add(n.eip);
            }
        }
        return BlockCompiler.ints(l);
    }
}
