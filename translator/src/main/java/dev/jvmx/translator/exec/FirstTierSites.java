package dev.jvmx.translator.exec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the first tier's instructions went over a whole run, by block: kept only when asked
 * for (`jvmx boot --dump-cache`, `--inspect`), since the cache itself forgets a block once it is
 * evicted, invalidated or replaced by its translation. A Linux boot decodes about 82,000 blocks
 * and evicts about 44,000, so the cache at the end shows a fraction of what the first tier ran.
 *
 * <p>A block's first-tier runs are its runs before it was translated (or all of them, if it
 * never was); its instructions are those runs times its length, which counts a run that left
 * early (a fault, an exit) in full: within a percent of the loop's own count in a Linux boot.
 */
public final class FirstTierSites {
    /** The first-tier work done at one block start (linear address) in one mode, over all its decodes. */
    public record Site(int linear, int mode, long runs, long instructions, int decodes) { }

    /** By linear address and mode: runs, instructions, decodes. */
    private final Map<Long, long[]> bySite = new HashMap<>();

    /** Adds what block {@code b} did in the first tier (once per block: when it leaves the cache or the tier). */
    void add(Block b) {
        count(bySite, b);
    }

    /** Every site so far, with the first-tier blocks still in the cache ({@code live}) counted in. */
    public List<Site> sites(Iterable<Block> live) {
        Map<Long, long[]> all = new HashMap<>();
        bySite.forEach((k, v) -> all.put(k, v.clone()));
        for (Block b : live) {
            if (b.valid && !b.translated()) {
                count(all, b);
            }
        }
        List<Site> out = new ArrayList<>(all.size());
        all.forEach((k, a) -> out.add(new Site((int) (k >>> 32), (int) (long) k, a[0], a[1], (int) a[2])));
        return out;
    }

    private static void count(Map<Long, long[]> m, Block b) {
        long key = ((long) (b.csBase + b.eip) << 32) | (b.mode & 0xFFFFFFFFL);
        long[] a = m.computeIfAbsent(key, k -> new long[3]);
        a[0] += b.execCount;
        a[1] += b.execCount * b.instructionCount();
        a[2]++;
    }
}
