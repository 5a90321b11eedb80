package dev.jvmx.runtime.inspect;

import dev.jvmx.translator.exec.Block;
import dev.jvmx.translator.exec.CodeCache;
import dev.jvmx.translator.exec.FirstTierSites;
import dev.jvmx.translator.mem.Mmu;
import dev.jvmx.translator.mem.PhysicalMemory;
import org.openjdk.jol.info.GraphLayout;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What `jvmx inspect` shows, taken from a live translation cache or read back from a dump
 * file: every block with its key, statistics, links, exits, guest bytes and class bytes.
 */
public final class CacheSnapshot {
    private static final int MAGIC = 0x4A564D58; // "JVMX"
    private static final int VERSION = 5;
    /** The version before evictions and TLB flushes: still read, without them. */
    private static final int VERSION_WITHOUT_TLB = 4;
    /** The version before the first tier's sites: still read, without them either. */
    private static final int VERSION_WITHOUT_SITES = 3;

    /** One translated block. */
    public static final class BlockInfo {
        public int eip, csBase, phys, mode, guestLength, bytecodeSize, instructions;
        /** The execution tier it runs in: 1 (the first tier's handlers), 2 (translated), 3 (a region). */
        public int tier;
        public long execCount, chainedEntries;
        public int[] successorEip = {-1, -1};
        public boolean[] hasSuccessor = new boolean[2];
        public long[] exits = new long[65];
        /** The guest bytes of the block's instructions, in order (a region's members one after another). */
        public byte[] guestBytes = new byte[0];
        /** The EIP of each instruction. */
        public int[] insnEip = new int[0];
        public byte[] classBytes = new byte[0];

        public long totalExits() {
            long n = 0;
            for (long e : exits) {
                n += e;
            }
            return n;
        }
    }

    public final List<BlockInfo> blocks = new ArrayList<>();
    public long translations, invalidations, translateNanos, guestInstructions;
    /** Guest instructions the first tier retired (the rest ran translated). */
    public long interpretedInstructions;
    /** Bytes of the live cache's object graph (blocks, code objects, instruction lists) measured by JOL; -1 if unknown. */
    public long footprintBytes = -1;
    public long classBytesTotal;
    /** Blocks evicted to keep the cache within its size; -1 in a dump from before they were written. */
    public long evictions = -1;
    /**
     * The TLB's full flushes by cause (TlbFlush ordinals), CR3 loads and INVLPGs; the flushes null,
     * the others -1, in a dump from before they were written.
     */
    public long[] tlbFlushesByCause;
    public long tlbCr3Loads = -1, tlbInvlpgs = -1;
    /** Where the first tier's instructions went, blocks gone included; empty when the run did not keep them. */
    public final List<FirstTierSites.Site> firstTierSites = new ArrayList<>();

    public static CacheSnapshot of(CodeCache cache, PhysicalMemory mem, Mmu mmu, long guestInstructions, long interpreted) {
        CacheSnapshot s = new CacheSnapshot();
        CodeCache.Statistics t = cache.statistics();
        s.translations = t.translated() + t.regions();
        s.invalidations = t.invalidations();
        s.evictions = t.evictions();
        s.tlbFlushesByCause = mmu.flushesByCause.clone();
        s.tlbCr3Loads = mmu.flushesCr3;
        s.tlbInvlpgs = mmu.invlpgs;
        s.translateNanos = t.translateNanos();
        s.guestInstructions = guestInstructions;
        s.interpretedInstructions = interpreted;
        List<FirstTierSites.Site> sites = cache.firstTierSites();
        if (sites != null) {
            s.firstTierSites.addAll(sites);
        }
        List<Object> roots = new ArrayList<>();
        for (Block b : cache.blocks()) {
            BlockInfo i = new BlockInfo();
            i.eip = b.eip;
            i.csBase = b.csBase;
            i.phys = b.phys;
            i.mode = b.mode;
            i.guestLength = b.guestLength;
            i.bytecodeSize = b.bytecodeSize();
            i.tier = b.region ? 3 : b.translated() ? 2 : 1;
            i.instructions = b.instructionCount();
            i.execCount = b.execCount;
            i.chainedEntries = Math.max(0, b.execCount - b.lookups);
            for (int k = 0; k < 2; k++) {
                Block n = b.successor(k);
                i.hasSuccessor[k] = n != null && n.valid;
                i.successorEip[k] = n != null ? n.eip : -1;
            }
            if (b.exits != null) {
                System.arraycopy(b.exits, 0, i.exits, 0, 65);
            }
            // The bytes as they are now in guest memory (valid blocks match their translation),
            // range by range: a region's members need not be next to each other.
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            int[] ranges = b.codeRanges();
            for (int r = 0; r + 1 < ranges.length; r += 2) {
                for (int p = ranges[r]; p < ranges[r + 1]; p++) {
                    bytes.write(mem.read8(p));
                }
            }
            i.guestBytes = bytes.toByteArray();
            i.insnEip = new int[b.instructionCount()];
            for (int k = 0; k < i.insnEip.length; k++) {
                i.insnEip[k] = b.insnEip(k);
            }
            // A block still in the first tier has no class yet.
            i.classBytes = b.classBytes() != null ? b.classBytes() : new byte[0];
            s.classBytesTotal += i.classBytes.length;
            s.blocks.add(i);
            roots.add(b);
        }
        try {
            s.footprintBytes = roots.isEmpty() ? 0 : GraphLayout.parseInstance(roots.toArray()).totalSize();
        } catch (RuntimeException | LinkageError e) {
            s.footprintBytes = -1; // JOL cannot look inside this JVM
        }
        return s;
    }

    public void write(OutputStream os) throws IOException {
        DataOutputStream out = new DataOutputStream(os);
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeLong(translations);
        out.writeLong(invalidations);
        out.writeLong(translateNanos);
        out.writeLong(guestInstructions);
        out.writeLong(interpretedInstructions);
        out.writeLong(footprintBytes);
        out.writeInt(blocks.size());
        for (BlockInfo b : blocks) {
            out.writeInt(b.eip);
            out.writeInt(b.csBase);
            out.writeInt(b.phys);
            out.writeInt(b.mode);
            out.writeInt(b.guestLength);
            out.writeInt(b.bytecodeSize);
            out.writeInt(b.instructions);
            out.writeByte(b.tier);
            out.writeLong(b.execCount);
            out.writeLong(b.chainedEntries);
            for (int k = 0; k < 2; k++) {
                out.writeBoolean(b.hasSuccessor[k]);
                out.writeInt(b.successorEip[k]);
            }
            for (long e : b.exits) {
                out.writeLong(e);
            }
            out.writeInt(b.guestBytes.length);
            out.write(b.guestBytes);
            out.writeInt(b.insnEip.length);
            for (int e : b.insnEip) {
                out.writeInt(e);
            }
            out.writeInt(b.classBytes.length);
            out.write(b.classBytes);
        }
        out.writeInt(firstTierSites.size());
        for (FirstTierSites.Site t : firstTierSites) {
            out.writeInt(t.linear());
            out.writeInt(t.mode());
            out.writeLong(t.runs());
            out.writeLong(t.instructions());
            out.writeInt(t.decodes());
        }
        // Version 5: evictions and the TLB's flushes, -1 where unknown (a snapshot read from an older dump).
        out.writeLong(evictions);
        out.writeInt(tlbFlushesByCause == null ? -1 : tlbFlushesByCause.length);
        if (tlbFlushesByCause != null) {
            for (long f : tlbFlushesByCause) {
                out.writeLong(f);
            }
        }
        out.writeLong(tlbCr3Loads);
        out.writeLong(tlbInvlpgs);
        out.flush();
    }

    public static CacheSnapshot read(InputStream is) throws IOException {
        DataInputStream in = new DataInputStream(is);
        if (in.readInt() != MAGIC) {
            throw new IOException("not a jvmx translation-cache dump (bad magic)");
        }
        int v = in.readInt();
        if (v != VERSION && v != VERSION_WITHOUT_TLB && v != VERSION_WITHOUT_SITES) {
            throw new IOException("unsupported dump version " + v);
        }
        CacheSnapshot s = new CacheSnapshot();
        s.translations = in.readLong();
        s.invalidations = in.readLong();
        s.translateNanos = in.readLong();
        s.guestInstructions = in.readLong();
        s.interpretedInstructions = in.readLong();
        s.footprintBytes = in.readLong();
        int n = in.readInt();
        if (n < 0 || n > 10_000_000) {
            throw new IOException("corrupt dump: " + n + " blocks");
        }
        for (int i = 0; i < n; i++) {
            BlockInfo b = new BlockInfo();
            b.eip = in.readInt();
            b.csBase = in.readInt();
            b.phys = in.readInt();
            b.mode = in.readInt();
            b.guestLength = in.readInt();
            b.bytecodeSize = in.readInt();
            b.instructions = in.readInt();
            b.tier = in.readByte();
            b.execCount = in.readLong();
            b.chainedEntries = in.readLong();
            for (int k = 0; k < 2; k++) {
                b.hasSuccessor[k] = in.readBoolean();
                b.successorEip[k] = in.readInt();
            }
            for (int k = 0; k < 65; k++) {
                b.exits[k] = in.readLong();
            }
            b.guestBytes = readBytes(in);
            int insns = in.readInt();
            if (insns < 0 || insns > 1 << 20) {
                throw new IOException("corrupt dump: " + insns + " instructions");
            }
            b.insnEip = new int[insns];
            for (int k = 0; k < insns; k++) {
                b.insnEip[k] = in.readInt();
            }
            b.classBytes = readBytes(in);
            s.classBytesTotal += b.classBytes.length;
            s.blocks.add(b);
        }
        int sites = v == VERSION_WITHOUT_SITES ? 0 : in.readInt();
        if (sites < 0 || sites > 10_000_000) {
            throw new IOException("corrupt dump: " + sites + " first-tier sites");
        }
        for (int i = 0; i < sites; i++) {
            s.firstTierSites.add(new FirstTierSites.Site(in.readInt(), in.readInt(), in.readLong(), in.readLong(), in.readInt()));
        }
        if (v >= VERSION) {
            s.evictions = in.readLong();
            int causes = in.readInt();
            if (causes < -1 || causes > 64) {
                throw new IOException("corrupt dump: " + causes + " TLB flush causes");
            }
            if (causes >= 0) {
                s.tlbFlushesByCause = new long[causes];
                for (int i = 0; i < causes; i++) {
                    s.tlbFlushesByCause[i] = in.readLong();
                }
            }
            s.tlbCr3Loads = in.readLong();
            s.tlbInvlpgs = in.readLong();
        }
        return s;
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0 || len > (64 << 20)) {
            throw new IOException("corrupt dump: field of " + len + " bytes");
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return b;
    }
}
