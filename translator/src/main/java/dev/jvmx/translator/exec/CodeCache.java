package dev.jvmx.translator.exec;

import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.codegen.BlockMode;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.cpu.GuestFault;
import dev.jvmx.translator.mem.CodeWriteListener;
import dev.jvmx.translator.mem.PhysicalMemory;
import dev.jvmx.vmx.ControlChangeListener.ChangeKind;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The blocks of both tiers, keyed by physical address and the mode bits that change decoding
 * (DESIGN.md rules 4, 8, 9), with an index by physical page for self-modifying code: a write to
 * a page holding code drops the blocks whose bytes it touches; when it hits the block that is
 * running, the writing instruction is re-run alone so that the next instruction sees the new
 * bytes. The cache is bounded: past the bound it evicts the blocks that have not run since the
 * last pass of its clock hand, oldest first (translated classes are hidden classes, unloaded
 * once dropped), instead of flushing everything.
 */
public final class CodeCache implements CodeWriteListener {
    /** Bytes a block costs besides its class file: the Block, its instruction records, metadata. */
    static final int BLOCK_OVERHEAD = 1024;
    static final int INSN_COST = 160;

    private final Cpu cpu;
    private final BlockTable blocks = new BlockTable();
    private final Map<Integer, CodePage> byPage = new HashMap<>();
    final BlockTranslator translator;
    /** The block executing now (for self-modifying-code detection). */
    private Block running;
    /** Bytes the cache holds, estimated per block. */
    private long bytes;
    private long limitBytes = 64L << 20;
    long flushes;
    long invalidations;
    /**
     * Counts the drops that say a block's code may no longer be the guest's (a write into it, a
     * page remapped, a flush); replacing a block by its translation or region and eviction do
     * not count. A region compiled meanwhile may be installed only if none happened.
     */
    long codeGeneration;
    long evictions;
    /** Where the first tier's instructions went, blocks gone included; null unless asked for. */
    private FirstTierSites firstTierSites;
    /** Blocks in the order they came in: the clock eviction walks it. */
    private final ArrayDeque<Block> clock = new ArrayDeque<>();
    /** Dead blocks the clock may hold beyond the live ones before it is swept. */
    static final int CLOCK_SLACK = 64;

    public CodeCache(Cpu cpu) {
        this.cpu = cpu;
        this.translator = new BlockTranslator(cpu);
        cpu.mmu.setCodeWriteListener(this);
        // Translations hold the RAM array itself (BlockLoader.define): once RAM on demand is taken
        // into a new one, every translation goes. (It also lets code be translated again for the
        // direct window up to the end of RAM.)
        cpu.memory.onArrayReplaced(this::flush);
        // A control a translation bakes in (processor-based controls, I/O bitmaps) invalidates every
        // translation; masks, shadows, MSR bitmaps and the exception bitmap are read at run time,
        // and first-tier handlers ask every control at run time.
        cpu.controls.addListener(kind -> {
            if (kind == ChangeKind.PRIMARY_PROCESSOR || kind == ChangeKind.SECONDARY_PROCESSOR
                    || kind == ChangeKind.IO_BITMAP) {
                flush();
            }
        });
    }

    /** Bounds the cache (--tcache-mb): past it, blocks are evicted and their classes can unload. */
    public void setLimitBytes(long limit) {
        this.limitBytes = Math.max(limit, 256 * 1024);
    }

    /**
     * Keeps, from now on, where the first tier's instructions go, including blocks that leave the
     * cache ({@code jvmx boot --dump-cache}, {@code --inspect}): a map entry per block start.
     */
    public void keepFirstTierSites() {
        if (firstTierSites == null) {
            firstTierSites = new FirstTierSites();
        }
    }

    /** The first tier's work by block start, blocks gone included; null unless {@link #keepFirstTierSites} was called. */
    public List<FirstTierSites.Site> firstTierSites() {
        return firstTierSites == null ? null : firstTierSites.sites(blocks.values());
    }

    public long bytes() {
        return bytes;
    }

    private static long cost(Block b) {
        return BLOCK_OVERHEAD + (long) INSN_COST * b.insns.length + (b.classBytes == null ? 0 : b.classBytes.length);
    }

    private static long key(int phys, int mode) {
        return ((long) phys << 32) | (mode & 0xFFFFFFFFL);
    }

    /** The block for the CPU's current EIP, decoding it on a miss. Instruction-fetch faults propagate. */
    Block lookup() {
        int csBase = cpu.seg[Seg.CS].base;
        int phys = cpu.mmu.translateFetch(csBase + cpu.eip);
        int mode = BlockMode.of(cpu);
        Block b = blocks.get(key(phys, mode));
        if (b != null && b.eip == cpu.eip && b.csBase == csBase && pagesHold(b)) {
            return b;
        }
        b = translator.decode(cpu.eip, csBase, phys, mode, BlockTranslator.MAX_BLOCK_INSNS);
        add(b);
        return b;
    }

    /**
     * Whether a block whose code runs onto a second page, or a region with members on other pages,
     * still finds there the pages it was decoded from: the key names only the first page, and the
     * guest may remap another alone (or unmap it, whose fetch must then fault where the code
     * reaches it). Chain links to the block lead through here after every TLB epoch it depends on
     * (ExecutionLoop.linkEpoch), so links need no check of their own.
     */
    private boolean pagesHold(Block b) {
        if (b.mappings == null) {
            return true;
        }
        try {
            for (long m : b.mappings) {
                if (cpu.mmu.translateFetch(Block.linearOf(m)) >>> PhysicalMemory.PAGE_SHIFT != Block.physicalPageOf(m)) {
                    return false;
                }
            }
            return true;
        } catch (GuestFault f) {
            return false; // decoded afresh, the block ends before the page that faults
        }
    }

    /** Decodes the instruction at the CPU's EIP as a block of its own, not cached. */
    Block decodeOne() {
        int csBase = cpu.seg[Seg.CS].base;
        int phys = cpu.mmu.translateFetch(csBase + cpu.eip);
        return translator.decode(cpu.eip, csBase, phys, BlockMode.of(cpu), 1);
    }

    /** A cached, valid block at linear CS base + eip in this mode, without decoding. */
    Block cachedAt(int eip, int csBase, int mode) {
        int phys;
        try {
            phys = cpu.mmu.translateFetch(csBase + eip);
        } catch (GuestFault f) {
            return null;
        }
        Block b = blocks.get(key(phys, mode));
        return b != null && b.valid && b.eip == eip && b.csBase == csBase ? b : null;
    }

    /** Adds a block, making room first. */
    private void add(Block b) {
        long c = cost(b);
        if (bytes + c > limitBytes) {
            evict(limitBytes - limitBytes / 4 - c);
        }
        bytes += c;
        if (clock.size() >= 2 * blocks.size() + CLOCK_SLACK) {
            // Blocks dropped by a write, a page remap or a replacement stay in the clock until the
            // hand passes them, which is only when the cache is full: without this, a guest that
            // keeps rewriting code under the bound would hold every dead block and its class.
            clock.removeIf(x -> !x.valid);
        }
        clock.add(b);
        Block old = blocks.put(key(b.phys, b.mode), b);
        if (old != null && old != b) {
            drop(old);
            bytes -= cost(old);
        }
        for (int p : b.pages) {
            addPage(p, b);
        }
    }

    /** {@code b} got translated code: its cost grows by the class. */
    void translated(Block b, long classBytes) {
        if (b.valid) {
            if (firstTierSites != null) {
                firstTierSites.add(b); // its runs so far were the first tier's
            }
            bytes += classBytes;
            if (bytes > limitBytes) {
                evict(limitBytes - limitBytes / 4);
            }
        }
    }

    /**
     * Evicts blocks until the cache holds at most {@code target} bytes: a clock over the blocks
     * in arrival order, which gives a block that ran since the hand last passed it a second
     * chance. The running block stays.
     */
    private void evict(long target) {
        for (int scanned = 0, n = clock.size(); bytes > target && scanned < 2 * n && !clock.isEmpty(); scanned++) {
            Block b = clock.poll();
            if (!b.valid) {
                continue;
            }
            if (b == running || b.execCount != b.clockMark) {
                b.clockMark = b.execCount;
                clock.add(b);
                continue;
            }
            evictions++;
            drop(b);
            if (blocks.remove(key(b.phys, b.mode), b)) {
                bytes -= cost(b);
            }
            for (int p : b.pages) {
                CodePage c = codePage(p);
                if (c != null && c.remove(p, b)) {
                    releasePage(p);
                }
            }
        }
        if (bytes > target) {
            // Everything ran recently: start afresh rather than go over the bound.
            flush();
            flushes++;
        }
    }

    /** Puts {@code replacement} (a region, a shortened block) in {@code old}'s place; false when there is no room. */
    boolean replace(Block old, Block replacement) {
        if (bytes - cost(old) + cost(replacement) > limitBytes) {
            return false;
        }
        blocks.remove(key(old.phys, old.mode), old);
        if (old.valid) {
            bytes -= cost(old);
            drop(old);
        }
        add(replacement);
        return true;
    }

    private void addPage(int page, Block b) {
        CodePage c = codePage(page);
        if (c == null) {
            c = new CodePage();
            byPage.put(page, c);
        }
        c.add(page, b);
        if (!cpu.memory.isCodePage(page << PhysicalMemory.PAGE_SHIFT)) {
            cpu.memory.markCodePage(page << PhysicalMemory.PAGE_SHIFT);
            // Writes to this page must now take the slow path.
            cpu.mmu.flushWrites();
        }
    }

    private void drop(Block b) {
        if (firstTierSites != null && b.valid && !b.translated()) {
            firstTierSites.add(b);
        }
        b.valid = false;
        b.unlink();
        PendingInstall p = b.pending;
        if (p != null) {
            b.pending = null;
            p.abandon().run();
        }
        if (b == running) {
            // The running block goes on past an I/O instruction only while nothing asks for
            // attention: its code may no longer be what the guest's memory holds.
            cpu.request(ExecutionLoop.REQUEST_SERVICE);
        }
    }

    void setRunning(Block b) {
        running = b;
    }

    /** The block executing now, or null between blocks. */
    public Block running() {
        return running;
    }

    @Override
    public void codeWritten(int phys, int size) {
        int page = phys >>> PhysicalMemory.PAGE_SHIFT;
        Block run = running;
        if (run != null && run.valid && run.instructionCount() > 1 && run.overlaps(phys, size)) {
            // Re-run the writing instruction alone, then decode afresh (see class comment).
            throw cpu.fault(GuestFault.SMC_RESTART, 0, false);
        }
        invalidate(page, phys, size);
    }

    /** Drops the blocks on {@code page} whose code the write touches; a page left without code is released. */
    private void invalidate(int page, int phys, int size) {
        CodePage c = codePage(page);
        if (c == null) {
            cpu.memory.unmarkCodePage(page << PhysicalMemory.PAGE_SHIFT);
            return;
        }
        int offset = phys & (PhysicalMemory.PAGE_SIZE - 1);
        long written = c.chunks & CodePage.chunks(offset, Math.min(offset + size, PhysicalMemory.PAGE_SIZE));
        // Only the blocks of the chunks written to: none where the write is data beside the code
        // (firmware keeps its variables there).
        for (long m = written; m != 0; m &= m - 1) {
            int i = Long.numberOfTrailingZeros(m);
            ArrayList<Block> chunk = c.byChunk[i];
            for (int k = chunk.size() - 1; k >= 0; k--) {
                Block b = chunk.get(k);
                if (b.valid && b.overlaps(phys, size)) {
                    remove(b);
                }
                if (!b.valid) {
                    chunk.set(k, chunk.get(chunk.size() - 1));
                    chunk.remove(chunk.size() - 1);
                }
            }
            c.releaseIfEmpty(i);
        }
        if (c.chunks == 0) {
            releasePage(page);
        }
    }

    /** The blocks with code on {@code page}, or null: the last page asked about is kept (a loop's stores). */
    private CodePage codePage(int page) {
        if (page == lastPage) {
            return lastCodePage;
        }
        CodePage c = byPage.get(page);
        if (c != null) {
            lastPage = page;
            lastCodePage = c;
        }
        return c;
    }

    private int lastPage = -1;
    private CodePage lastCodePage;

    /** Forgets {@code page}'s blocks and lets writes to it take the fast path again. */
    private void releasePage(int page) {
        byPage.remove(page);
        if (page == lastPage) {
            lastPage = -1;
            lastCodePage = null;
        }
        cpu.memory.unmarkCodePage(page << PhysicalMemory.PAGE_SHIFT);
    }

    private void remove(Block b) {
        invalidations++;
        codeGeneration++;
        drop(b);
        if (blocks.remove(key(b.phys, b.mode), b)) {
            bytes -= cost(b);
        }
    }

    /** Drops every block with code on {@code page}. */
    public void invalidatePage(int page) {
        CodePage c = codePage(page);
        if (c == null) {
            return;
        }
        releasePage(page);
        c.forEach(b -> {
            if (b.valid) {
                remove(b);
            }
        });
    }

    /** Drops every block. */
    public void flush() {
        codeGeneration++;
        for (Map.Entry<Integer, CodePage> e : byPage.entrySet()) {
            e.getValue().forEach(this::drop);
            // The pages marked as holding code are those of the index: unmarking them is cheaper
            // than clearing the whole map of 2^20 pages (about 3.5 ms per flush at start-up,
            // where the controls set up flush an empty cache twice).
            cpu.memory.unmarkCodePage(e.getKey() << PhysicalMemory.PAGE_SHIFT);
        }
        for (Block b : blocks.values()) {
            drop(b);
        }
        blocks.clear();
        byPage.clear();
        lastPage = -1;
        lastCodePage = null;
        clock.clear();
        bytes = 0;
    }

    /**
     * Time the guest's thread has spent making code (decoding, first-tier handlers, translations
     * it made itself): a guest that sees time pass would see these as stalls.
     */
    public long guestStallNanos() {
        return translator.decodeNanos + translator.guestTranslateNanos;
    }

    public Collection<Block> blocks() {
        return blocks.values();
    }

    public int size() {
        return blocks.size();
    }

    /** Entries in the eviction clock, dead blocks included (for tests). */
    int clockLength() {
        return clock.size();
    }

    /** Counters for --exit-stats and inspect. */
    public Statistics statistics() {
        BlockTranslator t = translator;
        return new Statistics(t.decoded, t.translated, t.regions, t.handlers.made, t.handlers.loaded, t.decodeNanos,
                t.translateNanos, t.handlers.nanos, invalidations, evictions, flushes, t.guestTranslations,
                t.guestTranslateNanos);
    }

    /** What the cache and its translator did. */
    public record Statistics(long decoded, long translated, long regions, long handlersMade, long handlersLoaded,
                             long decodeNanos,
                             long translateNanos, long handlerNanos, long invalidations, long evictions,
                             long flushes, long guestTranslations, long guestTranslateNanos) { }

    /**
     * The blocks with code on one physical page, by the 64-byte chunk their code lies in (a block
     * in each chunk it touches). A write to the page looks only at the blocks of the chunks it
     * writes, none where it writes data beside the code: SeaBIOS keeps variables on the pages of
     * its code (every write to them once walked the page's blocks, about 5% of its boot), and
     * writes 52,000 bytes into pages that hold code, where walking every block of the page at
     * each write took most of the 10 ms those writes cost. A block that leaves another way than
     * by a write here (a write on its other page, its replacement by a region) stays in its
     * chunks' lists until a write walks them.
     */
    private static final class CodePage {
        @SuppressWarnings("unchecked")
        final ArrayList<Block>[] byChunk = new ArrayList[64];
        /** Bit i: byChunk[i] holds blocks (possibly gone since). */
        long chunks;

        void add(int page, Block b) {
            long bits = chunksOf(page, b);
            chunks |= bits;
            for (long m = bits; m != 0; m &= m - 1) {
                int i = Long.numberOfTrailingZeros(m);
                ArrayList<Block> chunk = byChunk[i];
                if (chunk == null) {
                    chunk = byChunk[i] = new ArrayList<>(4);
                }
                chunk.add(b);
            }
        }

        /** Takes {@code b} out of its chunks; true when the page has no block left. */
        boolean remove(int page, Block b) {
            for (long m = chunksOf(page, b); m != 0; m &= m - 1) {
                int i = Long.numberOfTrailingZeros(m);
                ArrayList<Block> chunk = byChunk[i];
                if (chunk != null && chunk.remove(b)) {
                    releaseIfEmpty(i);
                }
            }
            return chunks == 0;
        }

        /** Frees chunk {@code i}'s list and clears its bit once no block is left in it. */
        void releaseIfEmpty(int i) {
            if (byChunk[i].isEmpty()) {
                byChunk[i] = null;
                chunks &= ~(1L << i);
            }
        }

        /** Every block in the page's lists, once for each chunk it lies in (blocks gone since included). */
        void forEach(Consumer<Block> action) {
            for (ArrayList<Block> chunk : byChunk) {
                if (chunk != null) {
                    chunk.forEach(action);
                }
            }
        }

        /** The chunks of bytes {@code from} (inclusive) to {@code to} (exclusive) of a page, from < to. */
        static long chunks(int from, int to) {
            int last = (to - 1) >>> 6;
            return (last == 63 ? -1L : (1L << (last + 1)) - 1) & (-1L << (from >>> 6));
        }

        /** The chunks of page {@code page} that block {@code b}'s code lies in. */
        static long chunksOf(int page, Block b) {
            long pageStart = (long) page << PhysicalMemory.PAGE_SHIFT;
            long pageEnd = pageStart + PhysicalMemory.PAGE_SIZE;
            long bits = 0;
            for (int i = 0; i < b.ranges.length; i += 2) {
                long start = Math.max(b.ranges[i] & 0xFFFFFFFFL, pageStart);
                long end = Math.min(b.ranges[i + 1] & 0xFFFFFFFFL, pageEnd);
                if (start < end) {
                    bits |= chunks((int) (start - pageStart), (int) (end - pageStart));
                }
            }
            return bits;
        }
    }
}
