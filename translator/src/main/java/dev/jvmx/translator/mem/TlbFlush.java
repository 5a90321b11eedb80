package dev.jvmx.translator.mem;

/** Why the whole TLB was emptied ({@link Mmu#flushAll}), as --exit-stats and jvmx inspect count them. */
public enum TlbFlush {
    /** MOV to CR0 changing PG, or WP with paging on; MOV to CR4 changing PGE, PAE, PSE or SMAP; EFER.NXE. */
    PAGING_CONTROLS("paging controls"),
    /** The A20 gate opened or closed. */
    A20("A20"),
    /** Memory moved under the linear addresses: PAM shadowing, a device window, the RAM array replaced. */
    MEMORY_MAP("memory map"),
    /** RESET or INIT (SDM Vol. 3A, 9.1). */
    RESET("RESET or INIT"),
    /** A whole processor state put in place: a loader's entry state, a saved state restored, a test's setup. */
    STATE_LOADED("state loaded");

    /** The words --exit-stats and jvmx inspect print. */
    public final String words;

    TlbFlush(String words) {
        this.words = words;
    }

    private static final TlbFlush[] ALL = values();

    /** Full flushes of every cause, for counts indexed by ordinal. */
    public static long total(long[] counts) {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    /**
     * "N full flushes (n1 cause1, n2 cause2 ...)" for counts indexed by ordinal: the causes that
     * occurred, in declaration order.
     */
    public static String describe(long[] counts) {
        long total = total(counts);
        StringBuilder causes = new StringBuilder();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                causes.append(causes.length() == 0 ? " (" : ", ").append(counts[i]).append(' ')
                        .append(i < ALL.length ? ALL[i].words : "cause " + i);
            }
        }
        return total + (total == 1 ? " full flush" : " full flushes") + (causes.length() == 0 ? "" : causes + ")");
    }
}
