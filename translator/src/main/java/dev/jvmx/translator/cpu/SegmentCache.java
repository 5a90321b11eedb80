package dev.jvmx.translator.cpu;

/**
 * A segment register: the visible selector and the hidden descriptor cache (base, limit,
 * access rights) that the CPU loads with it (SDM Vol. 3A, 3.4.3).
 */
public final class SegmentCache {
    /** Access-rights bits as in the descriptor's second dword, bits 8..23 shifted down by 8. */
    public static final int AR_ACCESSED = 1;
    public static final int AR_TYPE_MASK = 0xF;
    public static final int AR_S = 1 << 4;
    public static final int AR_DPL_SHIFT = 5;
    public static final int AR_P = 1 << 7;
    public static final int AR_AVL = 1 << 12;
    public static final int AR_DB = 1 << 14;
    public static final int AR_G = 1 << 15;

    public int selector;
    public int base;
    /** Byte-granular limit (already scaled by G). */
    public int limit;
    public int access;

    public boolean big() {
        return (access & AR_DB) != 0;
    }

    public int dpl() {
        return (access >> AR_DPL_SHIFT) & 3;
    }

    /** Real-mode / virtual-8086 load: base = selector * 16, 64 KiB limit kept from the cache. */
    public void loadReal(int sel) {
        selector = sel & 0xFFFF;
        base = selector << 4;
    }

    public void set(int sel, int base, int limit, int access) {
        this.selector = sel & 0xFFFF;
        this.base = base;
        this.limit = limit;
        this.access = access;
    }

    public void copyFrom(SegmentCache o) {
        set(o.selector, o.base, o.limit, o.access);
    }
}
