package dev.jvmx.translator.exec;

import dev.jvmx.translator.codegen.BlockCompiler;
import dev.jvmx.translator.codegen.CompiledBlock;
import dev.jvmx.translator.codegen.BlockMode;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.cpu.GuestFault;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.decode.Decoder;
import dev.jvmx.translator.decode.Family;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.decode.Mnemonic;
import dev.jvmx.translator.mem.CodeWriteListener;
import dev.jvmx.translator.mem.PhysicalMemory;

import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Translated blocks keyed by physical address and the mode bits that change decoding
 * (DESIGN.md rule 4, 8, 9). Blocks are hidden classes, unloaded once dropped. A write to
 * a page holding translated code invalidates the blocks on it; when it hits the block
 * that is running, the writing instruction is re-run alone so that the next instruction
 * sees the new bytes.
 */
public final class TranslationCache implements CodeWriteListener {
    /** Most instructions one block takes (long blocks are split to stay far below HotSpot's 8000-byte limit). */
    public static final int MAX_BLOCK_INSNS = 48;
    /** Generated methods above this size are retranslated shorter. */
    public static final int MAX_BYTECODE = 6000;

    private final Cpu cpu;
    private final Map<Long, Block> blocks = new HashMap<>();
    private final Map<Integer, List<Block>> byPage = new HashMap<>();
    private final MethodHandles.Lookup lookup;
    /** The block executing now (for self-modifying-code detection). */
    Block running;
    public long translations;
    public long regions;
    /** Bytes the cache holds, estimated per block as its class file plus a fixed overhead. */
    private long bytes;
    private long limitBytes = 64L << 20;
    public long flushes;
    /** Per-block bytes beyond its class file: Block object, arrays, hidden-class metadata. */
    static final int BLOCK_OVERHEAD = 4096;
    public long invalidations;
    public long translateNanos;

    public TranslationCache(Cpu cpu) {
        this.cpu = cpu;
        this.lookup = dev.jvmx.translator.codegen.BlockLoader.lookup();
        cpu.mmu.setCodeWriteListener(this);
    }

    /** Bounds the cache (--tcache-mb): past it the whole cache is flushed and its classes can unload. */
    public void setLimitBytes(long limit) {
        this.limitBytes = Math.max(limit, 256 * 1024);
    }

    public long bytes() {
        return bytes;
    }

    private static long cost(Block b) {
        return b.classBytes.length + (long) BLOCK_OVERHEAD;
    }

    /** Makes room for a new block: a full flush when the bound would be passed (as QEMU's TCG does). */
    private void reserve(Block b) {
        if (bytes + cost(b) > limitBytes) {
            flush();
            flushes++;
        }
        bytes += cost(b);
    }

    private static long key(int phys, int mode) {
        return ((long) phys << 32) | (mode & 0xFFFFFFFFL);
    }

    /** The block for the CPU's current EIP, translating it on a miss. Instruction-fetch faults propagate. */
    public Block lookup() {
        int csBase = cpu.seg[Seg.CS].base;
        int lin = csBase + cpu.eip;
        int phys = cpu.mmu.translateFetch(lin);
        int mode = BlockMode.of(cpu);
        Block b = blocks.get(key(phys, mode));
        if (b != null && b.eip == cpu.eip && b.csBase == csBase) {
            return b;
        }
        b = translate(cpu.eip, csBase, phys, mode, MAX_BLOCK_INSNS);
        reserve(b);
        Block old = blocks.put(key(phys, mode), b);
        if (old != null) {
            drop(old);
        }
        register(b);
        return b;
    }

    /** Translates a block of at most {@code maxInsns} instructions without caching it. */
    public Block translateUncached(int maxInsns) {
        int csBase = cpu.seg[Seg.CS].base;
        int phys = cpu.mmu.translateFetch(csBase + cpu.eip);
        return translate(cpu.eip, csBase, phys, BlockMode.of(cpu), maxInsns);
    }

    private Block translate(int eip, int csBase, int phys, int mode, int maxInsns) {
        long t0 = System.nanoTime();
        boolean code32 = (mode & BlockMode.CODE32) != 0;
        List<Insn> insns = new ArrayList<>();
        int pc = eip;
        int lastPhysPage = phys >>> PhysicalMemory.PAGE_SHIFT;
        int physPage2 = -1;
        while (insns.size() < maxInsns) {
            Insn insn;
            final int[] page2 = {-1};
            try {
                insn = Decoder.decode(off -> {
                    int lin = csBase + (code32 ? off : off & 0xFFFF);
                    int p = cpu.mmu.translateFetch(lin);
                    if ((p >>> PhysicalMemory.PAGE_SHIFT) != (phys >>> PhysicalMemory.PAGE_SHIFT)) {
                        page2[0] = p >>> PhysicalMemory.PAGE_SHIFT;
                    }
                    return cpu.memory.read8(p);
                }, pc, code32);
            } catch (GuestFault f) {
                if (insns.isEmpty()) {
                    throw f;
                }
                break; // the fetch fault belongs to the next block
            }
            if (page2[0] >= 0) {
                if (physPage2 >= 0 && physPage2 != page2[0]) {
                    break; // at most two pages per block
                }
                physPage2 = page2[0];
            }
            insns.add(insn);
            pc = code32 ? pc + insn.length : (pc + insn.length) & 0xFFFF;
            if (endsBlock(insn)) {
                break;
            }
        }
        TranslationContext.bind(cpu.exitContext.controls);
        BlockCompiler.Result r = new BlockCompiler(mode).compile(insns);
        while (r.bytecodeSize > MAX_BYTECODE && r.instructions > 1) {
            insns = new ArrayList<>(insns.subList(0, Math.max(1, r.instructions / 2)));
            r = new BlockCompiler(mode).compile(insns);
        }
        List<Insn> used = new ArrayList<>(insns.subList(0, r.instructions));
        int[] eips = new int[used.size()];
        int len = 0;
        for (int i = 0; i < eips.length; i++) {
            eips[i] = used.get(i).address;
            len += used.get(i).length;
        }
        int[] pages = physPage2 >= 0 ? new int[] {phys >>> PhysicalMemory.PAGE_SHIFT, physPage2}
                : new int[] {phys >>> PhysicalMemory.PAGE_SHIFT};
        translations++;
        Block b = new Block(eip, csBase, phys, mode, physPage2, define(r, eip), eips, len, r.bytecodeSize, used,
                r.classBytes, pages, new int[eips.length], r.directTargets, false);
        b.ranges = ranges(phys, len, physPage2);
        translateNanos += System.nanoTime() - t0;
        return b;
    }

    /** The physical ranges of {@code len} code bytes at {@code phys}, continuing on {@code page2} past the page end. */
    private static int[] ranges(int phys, int len, int page2) {
        int inFirst = Math.min(len, PhysicalMemory.PAGE_SIZE - (phys & (PhysicalMemory.PAGE_SIZE - 1)));
        if (inFirst >= len || page2 < 0) {
            return new int[] {phys, phys + len};
        }
        int p2 = page2 << PhysicalMemory.PAGE_SHIFT;
        return new int[] {phys, phys + inFirst, p2, p2 + (len - inFirst)};
    }

    /** Where {@code -Djvmx.dumpClasses=DIR} writes each translation's class file, for javap. */
    private static final String DUMP_DIR = System.getProperty("jvmx.dumpClasses");

    private CompiledBlock define(BlockCompiler.Result r, int eip) {
        if (DUMP_DIR != null) {
            try {
                java.nio.file.Files.write(java.nio.file.Path.of(DUMP_DIR,
                        String.format("%08x-%d.class", eip, translations)), r.classBytes);
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        }
        try {
            Class<?> c = lookup.defineHiddenClass(r.classBytes, true).lookupClass();
            return (CompiledBlock) c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError ex) {
            throw new IllegalStateException("translation of block at " + Integer.toHexString(eip) + " failed to load", ex);
        }
    }

    /**
     * Most bytecode a region's method may have ({@code -Djvmx.regionBytes=N} overrides it, for
     * measuring). HotSpot does not compile methods above 8000 bytes at all, and C2 takes about
     * 100 ms for a 6000-byte region on this 2-core machine: a region deoptimised by a path it
     * never took while profiled (a RET out of an interpreter loop, say) runs in the bytecode
     * interpreter until then. Measured on the guest suite (steady median, ms, interp): 4000 ->
     * 96, 5000 -> 82, 6000 -> 128; the other programs do not move. Hence 5000.
     */
    public static final int MAX_REGION_BYTECODE = Integer.getInteger("jvmx.regionBytes", 5000);

    /** Blocks a region may hold, and instructions. */
    public static final int MAX_REGION_BLOCKS = 24;
    public static final int MAX_REGION_INSNS = 320;

    /**
     * Retranslates a hot block together with the cached blocks it reaches through direct
     * exits (same mode and CS) as one region (DESIGN.md rule 4). Returns the region, now in
     * the cache in the entry block's place, or null when the block reaches no other member
     * and does not loop to itself.
     */
    public Block formRegion(Block entry) {
        entry.regionTried = true;
        if (entry.region || !entry.valid) {
            return null;
        }
        long t0 = System.nanoTime();
        List<Block> members = new ArrayList<>();
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        java.util.ArrayDeque<Block> work = new java.util.ArrayDeque<>();
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
            for (int t : successors(b)) {
                if (t == entry.eip) {
                    loops = true;
                }
                if (seen.add(t)) {
                    Block n = cachedAt(t, entry.csBase, entry.mode);
                    if (n != null && !n.region) {
                        work.add(n);
                    }
                }
            }
        }
        if (members.size() == 1 && !loops) {
            return null;
        }
        // Too much bytecode for C2: drop the coldest members (ties: the farthest) until it fits.
        BlockCompiler.Result r;
        while (true) {
            List<List<Insn>> code = new ArrayList<>();
            for (Block b : members) {
                code.add(b.insns);
            }
            TranslationContext.bind(cpu.exitContext.controls);
            r = new BlockCompiler(entry.mode).compileRegion(code, true);
            if (r.bytecodeSize <= MAX_REGION_BYTECODE) {
                break;
            }
            if (members.size() <= 2) {
                return null; // keep running the blocks
            }
            members.remove(coldestMember(members));
        }
        List<Integer> eips = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        java.util.Set<Integer> pages = new java.util.LinkedHashSet<>();
        int len = 0;
        for (Block b : members) {
            int start = eips.size();
            for (Insn i : b.insns) {
                eips.add(i.address);
                starts.add(start);
            }
            for (int p : b.pages) {
                pages.add(p);
            }
            len += b.guestLength;
        }
        Block region = new Block(entry.eip, entry.csBase, entry.phys, entry.mode, entry.physPage2, define(r, entry.eip),
                eips.stream().mapToInt(Integer::intValue).toArray(), len, r.bytecodeSize, entry.insns, r.classBytes,
                pages.stream().mapToInt(Integer::intValue).toArray(), starts.stream().mapToInt(Integer::intValue).toArray(),
                r.directTargets, true);
        region.regionTried = true;
        int[] rs = new int[0];
        for (Block m : members) {
            int[] add = m.ranges;
            int[] n = java.util.Arrays.copyOf(rs, rs.length + add.length);
            System.arraycopy(add, 0, n, rs.length, add.length);
            rs = n;
        }
        region.ranges = rs;
        translations++;
        regions++;
        translateNanos += System.nanoTime() - t0;
        if (bytes + cost(region) > limitBytes) {
            return null; // no room: keep running the blocks
        }
        bytes += cost(region);
        blocks.put(key(entry.phys, entry.mode), region);
        drop(entry);
        register(region);
        return region;
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

    /** Direct exit targets, then the targets its indirect exit was seen to take (RET sites, jump tables). */
    private static int[] successors(Block b) {
        if (b.indirect == null) {
            return b.directTargets;
        }
        java.util.List<Integer> l = new ArrayList<>();
        for (int t : b.directTargets) {
            l.add(t);
        }
        for (Block n : b.indirect) {
            if (n != null && n.valid && n.mode == b.mode && n.csBase == b.csBase) {
                l.add(n.eip);
            }
        }
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A cached, valid block at linear CS base + eip in this mode, without translating. */
    private Block cachedAt(int eip, int csBase, int mode) {
        int phys;
        try {
            phys = cpu.mmu.translateFetch(csBase + eip);
        } catch (GuestFault f) {
            return null;
        }
        Block b = blocks.get(key(phys, mode));
        return b != null && b.valid && b.eip == eip && b.csBase == csBase ? b : null;
    }

    /** Instructions after which decoding stops: control flow and anything that may change the mode. */
    static boolean endsBlock(Insn insn) {
        Family f = insn.mnemonic.family();
        if (insn.invalid != null) return true;
        switch (f) {
            case CONTROL: case SYSTEM: case SEGMENT: case IO: case INVALID: case FPU:
                return true;
            default:
                break;
        }
        Mnemonic m = insn.mnemonic;
        return m == Mnemonic.POPF || m == Mnemonic.STI || m == Mnemonic.CLI;
    }

    private void register(Block b) {
        for (int p : b.pages) {
            addPage(p, b);
        }
    }

    private void addPage(int page, Block b) {
        List<Block> l = byPage.computeIfAbsent(page, k -> new ArrayList<>());
        l.add(b);
        if (!cpu.memory.isCodePage(page << PhysicalMemory.PAGE_SHIFT)) {
            cpu.memory.markCodePage(page << PhysicalMemory.PAGE_SHIFT);
            // Writes to this page must now take the slow path.
            cpu.mmu.flushWrites();
        }
    }

    private void drop(Block b) {
        b.valid = false;
        b.unlink();
    }

    @Override
    public void codeWritten(int phys, int size) {
        int page = phys >>> PhysicalMemory.PAGE_SHIFT;
        Block run = running;
        if (run != null && run.valid && run.instructionCount() > 1 && run.overlaps(phys, size)) {
            // Re-run the writing instruction alone, then translate afresh (see class comment).
            throw cpu.fault(GuestFault.SMC_RESTART, 0, false);
        }
        invalidate(page, phys, size);
    }

    /** Drops the blocks on {@code page} whose code the write touches; a page left without code is released. */
    private void invalidate(int page, int phys, int size) {
        List<Block> l = byPage.get(page);
        if (l == null) {
            cpu.memory.unmarkCodePage(page << PhysicalMemory.PAGE_SHIFT);
            return;
        }
        boolean any = false;
        for (java.util.Iterator<Block> it = l.iterator(); it.hasNext(); ) {
            Block b = it.next();
            if (!b.valid) {
                it.remove();
            } else if (b.overlaps(phys, size)) {
                invalidations++;
                drop(b);
                if (blocks.remove(key(b.phys, b.mode), b)) {
                    bytes -= cost(b);
                }
                it.remove();
                any = true;
            }
        }
        if (l.isEmpty()) {
            byPage.remove(page);
            cpu.memory.unmarkCodePage(page << PhysicalMemory.PAGE_SHIFT);
        }
    }

    /** Drops every block with code on {@code page}. */
    public void invalidatePage(int page) {
        List<Block> l = byPage.remove(page);
        if (l == null) {
            return;
        }
        for (Block b : l) {
            if (b.valid) {
                invalidations++;
                drop(b);
                if (blocks.remove(key(b.phys, b.mode), b)) {
                    bytes -= cost(b);
                }
            }
        }
        cpu.memory.unmarkCodePage(page << PhysicalMemory.PAGE_SHIFT);
    }

    public void flush() {
        for (List<Block> l : byPage.values()) {
            for (Block b : l) {
                drop(b);
            }
        }
        for (Block b : blocks.values()) {
            drop(b);
        }
        blocks.clear();
        byPage.clear();
        bytes = 0;
        cpu.memory.clearCodePages();
    }

    /** The block executing now, or null between blocks. */
    public Block running() {
        return running;
    }

    public Collection<Block> blocks() {
        return blocks.values();
    }

    public int size() {
        return blocks.size();
    }
}
