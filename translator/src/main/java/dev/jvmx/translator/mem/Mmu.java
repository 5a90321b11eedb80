package dev.jvmx.translator.mem;

import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.arch.Cr4;
import dev.jvmx.translator.arch.Efer;

import static dev.jvmx.translator.mem.PhysicalMemory.PAGE_SHIFT;
import static dev.jvmx.translator.mem.PhysicalMemory.PAGE_SIZE;

/**
 * Linear-to-physical translation (SDM Vol. 3A, chapter 4) and the software TLB that translated
 * code probes inline. An entry maps one linear page to an offset in {@link PhysicalMemory#array}
 * in one {@code long}: the page's linear address (its tag) in the high half, the addend in the low
 * one, {@code array[lin + (int) entry]}. A probe is then one load, and translated code keeps two
 * arrays live rather than three (tags apart from one shared addend array): a hot region's
 * registers are scarce, and a Linux boot reached its prompt about 5% sooner. The read and write
 * sides are separate so that read-only pages, pages holding translated code and pages whose dirty
 * bit is still clear send writes to the slow path; a fetch tag and the physical page serve the
 * instruction fetches that key translations. Everything here is the slow path.
 *
 * <p>There are two TLBs, one for supervisor-mode accesses (CPL 0-2) and one for user-mode ones
 * (CPL 3), as an entry's rights differ between them: a privilege change selects the other set
 * ({@link #tlb(boolean)}) instead of flushing. Global pages (CR4.PGE) survive CR3 loads, and
 * INVLPG drops one page. Two epochs count the flushes, so that chained blocks can tell a stale
 * mapping: {@link #globalEpoch} moves only when a global page may have changed,
 * {@link #localEpoch} whenever any page may have.
 */
public final class Mmu {
    public static final int TLB_BITS = 10;
    public static final int TLB_SIZE = 1 << TLB_BITS;
    public static final int TLB_MASK = TLB_SIZE - 1;
    /** A tag that no page-aligned address equals. */
    private static final int INVALID = 1;
    /** A read or write entry whose tag no page-aligned address equals. */
    private static final long INVALID_ENTRY = entry(INVALID, 0);

    public static final int ACCESS_READ = 0;
    public static final int ACCESS_WRITE = 1;
    public static final int ACCESS_FETCH = 2;

    // #PF error code bits (SDM Vol. 3A, 4.7)
    private static final int PF_P = 1, PF_W = 2, PF_U = 4, PF_I = 16;
    // Paging-structure entry bits
    private static final int PTE_P = 1, PTE_RW = 2, PTE_US = 4, PTE_A = 0x20, PTE_D = 0x40, PTE_PS = 0x80, PTE_G = 0x100;

    /** One TLB: for supervisor-mode or for user-mode accesses. */
    public static final class Tlb {
        /** Read and write entries ({@link #entry}): tag and addend of the page, for data accesses. */
        public final long[] read = new long[TLB_SIZE];
        public final long[] write = new long[TLB_SIZE];
        public final int[] fetchTag = new int[TLB_SIZE];
        /** The physical page of an entry (its page-aligned address). */
        final int[] phys = new int[TLB_SIZE];
        final boolean[] global = new boolean[TLB_SIZE];
        /**
         * The indices filled with a non-global entry since the last {@link #clearNonGlobal}, each
         * once ({@link #listed}): a CR3 load then clears those instead of scanning all the entries.
         */
        private final int[] local = new int[TLB_SIZE];
        private final boolean[] listed = new boolean[TLB_SIZE];
        private int locals;

        void clear(int i) {
            read[i] = INVALID_ENTRY;
            write[i] = INVALID_ENTRY;
            fetchTag[i] = INVALID;
            global[i] = false;
        }

        /** Marks entry {@code i} global or not, as it is filled. */
        void setGlobal(int i, boolean isGlobal) {
            global[i] = isGlobal;
            if (!isGlobal && !listed[i]) {
                listed[i] = true;
                local[locals++] = i;
            }
        }

        /** Clears every entry, global ones too. */
        void clearAll() {
            java.util.Arrays.fill(read, INVALID_ENTRY);
            java.util.Arrays.fill(write, INVALID_ENTRY);
            java.util.Arrays.fill(fetchTag, INVALID);
            java.util.Arrays.fill(global, false);
            java.util.Arrays.fill(listed, false);
            locals = 0;
        }

        /** Clears every entry that is not global (CR4.PGE set: global ones stay). */
        void clearNonGlobal() {
            for (int k = 0; k < locals; k++) {
                int i = local[k];
                listed[i] = false;
                if (!global[i]) {
                    clear(i);
                }
            }
            locals = 0;
        }
    }

    /** A read or write entry: the page's linear address and the offset from it into {@link PhysicalMemory#array}. */
    public static long entry(int linPage, int addend) {
        return (long) linPage << 32 | (addend & 0xFFFFFFFFL);
    }

    /** The linear page an entry maps (its tag). */
    private static int tag(long entry) {
        return (int) (entry >>> 32);
    }

    /**
     * The index in {@link PhysicalMemory#array} of the {@code size} bytes at linear {@code lin}
     * when {@code entries} (a TLB's read or write side) maps them, all on one page; else -1. The
     * helpers' form of the probe translated code makes inline.
     */
    public static int hit(long[] entries, int lin, int size) {
        long e = entries[(lin >>> PAGE_SHIFT) & TLB_MASK];
        return tag(e) == ((lin + size - 1) & ~(PAGE_SIZE - 1)) ? lin + (int) e : -1;
    }

    private final Tlb supervisor = new Tlb();
    private final Tlb user = new Tlb();
    private final Tlb[] both = {supervisor, user};

    private final PagingRegisters cpu;
    private final PhysicalMemory mem;
    private CodeWriteListener codeWriteListener = (p, s) -> { };
    private int a20Mask = 0xFFFFFFFF;
    /** Moves when a global page's mapping may have changed (a full flush, INVLPG of a page global links reach). */
    public int globalEpoch;
    /** Moves when any page's mapping may have changed (also CR3 loads and INVLPG of a page links reach). */
    public int localEpoch;
    /**
     * Per slot of linear pages (the page number's low bits, so several pages share one), the
     * local and global epoch in which the execution loop last confirmed chain links to code on a
     * page of the slot ({@link #noteCode}). INVLPG moves an epoch only when its page's slot was
     * confirmed in the current one: a page no link's target lies on (a fixmap slot, a data page)
     * drops its TLB entries and no link. A shared slot only moves an epoch more often.
     */
    private final int[] codeLocal = new int[CODE_SLOTS], codeGlobal = new int[CODE_SLOTS];
    private static final int CODE_SLOTS = 1 << 12;
    /**
     * The 4 MiB linear regions (by {@link #largeRegion}) with TLB entries filled from a 4 MiB or
     * 2 MiB page since the last full flush. The TLB holds such a page as 4 KiB entries, and INVLPG
     * of any address in it must drop all of them (SDM Vol. 3A, 4.10.4.1), so INVLPG in a marked
     * region sweeps the region's entries. Only full flushes clear the marks: a mark left after a
     * CR3 load costs a needless sweep, never a stale entry.
     */
    private final boolean[] largePageRegion = new boolean[1 << 10];
    /** Full flushes by cause ({@link TlbFlush} ordinals), CR3 loads and INVLPGs: for --exit-stats and inspect. */
    public final long[] flushesByCause = new long[TlbFlush.values().length];
    public long flushesCr3, invlpgs;

    /**
     * Data watchpoints, a debugger's or the guest's own (its debug registers): pages watched
     * never enter the TLB's read and write sides, so every data access to them comes through the
     * slow paths below, which report it.
     */
    public interface AccessWatch {
        /** Whether the linear page holding {@code lin} holds a watched byte. */
        boolean watchesPage(int lin);

        /** A data access of {@code size} bytes at linear {@code lin} ({@link #ACCESS_READ} or {@link #ACCESS_WRITE}). */
        void accessed(int lin, int size, int access);

        /** Whether an access since the instruction began hit a watched byte (a REP instruction stops after that element). */
        default boolean triggered() {
            return false;
        }
    }

    /** What the slow paths report to: the debugger's watch, the guest's, both, or null. */
    private AccessWatch watch;
    private AccessWatch debuggerWatch, guestWatch;

    public Mmu(PagingRegisters cpu, PhysicalMemory mem) {
        this.cpu = cpu;
        this.mem = mem;
        flushAll(TlbFlush.RESET);
    }

    public void setCodeWriteListener(CodeWriteListener l) {
        this.codeWriteListener = l;
    }

    public void setA20(boolean enabled) {
        int m = enabled ? 0xFFFFFFFF : ~(1 << 20);
        if (m != a20Mask) {
            a20Mask = m;
            flushAll(TlbFlush.A20);
        }
    }

    /**
     * Installs (or with null removes) a debugger's watch; the TLB is emptied so that no entry of
     * a watched page survives. Mappings do not change, so the epochs stay.
     */
    public void setAccessWatch(AccessWatch w) {
        debuggerWatch = w;
        watchesChanged();
    }

    /** Installs (or with null removes) the watch of the guest's data breakpoints, as {@link #setAccessWatch}. */
    public void setGuestWatch(AccessWatch w) {
        if (w == null && guestWatch == null) {
            return;
        }
        guestWatch = w;
        watchesChanged();
    }

    /** Whether a watched byte was hit since its watch last cleared its hits. */
    public boolean watchTriggered() {
        return watch != null && watch.triggered();
    }

    private void watchesChanged() {
        AccessWatch d = debuggerWatch, g = guestWatch;
        watch = d == null ? g : g == null ? d : new AccessWatch() {
            @Override
            public boolean watchesPage(int lin) {
                return d.watchesPage(lin) || g.watchesPage(lin);
            }

            @Override
            public void accessed(int lin, int size, int access) {
                d.accessed(lin, size, access);
                g.accessed(lin, size, access);
            }

            @Override
            public boolean triggered() {
                return d.triggered() || g.triggered();
            }
        };
        for (Tlb t : both) {
            java.util.Arrays.fill(t.read, INVALID_ENTRY);
            java.util.Arrays.fill(t.write, INVALID_ENTRY);
        }
    }

    /** Whether a debugger watches data on the linear page of {@code lin} (bulk copies must then go access by access). */
    public boolean watched(int lin) {
        return watch != null && watch.watchesPage(lin);
    }

    /** {@code -Djvmx.directRam=false} keeps every access on the TLB (for measuring, or to rule it out). */
    private static final boolean DIRECT_RAM = !"false".equals(System.getProperty("jvmx.directRam"));

    /**
     * Whether an access to RAM outside the legacy hole (0xA0000-0xFFFFF) may skip the TLB
     * ({@link dev.jvmx.translator.codegen.BlockMode#DIRECT_RAM}): paging is off and A20 on, so
     * the linear address is the physical one; no watchpoint needs the slow path to see it; and
     * that RAM is all writable and in place (no device or read-only mapping over it). Each of
     * these changes empties the TLB (and so drops chain links) or stops blocks running (a
     * watchpoint). Stores still leave pages with translated code to the slow path, by the
     * code-page flags ({@link PhysicalMemory#codePageFlags}).
     */
    public boolean directRam() {
        return DIRECT_RAM && !pagingEnabled() && a20Mask == 0xFFFFFFFF && watch == null && mem.windowsDirect();
    }

    public boolean a20() {
        return a20Mask == 0xFFFFFFFF;
    }

    // ---- TLB maintenance

    /** The TLB for user-mode (CPL 3) or supervisor-mode accesses: the one translated code probes. */
    public Tlb tlb(boolean userMode) {
        return userMode ? user : supervisor;
    }

    /**
     * The TLB of the current privilege, which the CPU selects as its CPL changes. Kept here
     * rather than chosen by the CPL at each use: compiled code that chose would leave out the
     * user side until the guest first ran at CPL 3, and be deoptimised then (a dozen methods in
     * a Linux boot).
     */
    private Tlb current = supervisor;

    /** Selects the TLB of user mode (CPL 3) or supervisor mode; returns it. */
    public Tlb select(boolean userMode) {
        current = tlb(userMode);
        return current;
    }

    /** Drops every entry, for {@code cause}. */
    public void flushAll(TlbFlush cause) {
        for (Tlb t : both) {
            t.clearAll();
        }
        java.util.Arrays.fill(largePageRegion, false);
        globalEpoch++;
        localEpoch++;
        flushesByCause[cause.ordinal()]++;
    }

    /** Full flushes of every cause. */
    public long fullFlushes() {
        return TlbFlush.total(flushesByCause);
    }

    /**
     * MOV CR3: drops all entries but global ones when CR4.PGE is set. Then only the entries filled
     * non-global since the last CR3 load, not the whole of both TLBs: Linux's start patches its
     * code through a temporary address space, two CR3 loads per patch, and scanning 2,048 entries
     * for each was 6-7% of the guest thread there (Linux perf).
     */
    public void flushNonGlobal() {
        boolean pge = (cpu.cr4() & Cr4.PGE) != 0;
        for (Tlb t : both) {
            if (pge) {
                t.clearNonGlobal();
            } else {
                t.clearAll();
            }
        }
        if (!pge) {
            globalEpoch++;
        }
        localEpoch++;
        flushesCr3++;
    }

    /**
     * INVLPG: drops the page's entry in both TLBs, and the chain links whose target's code may lie
     * on the page (see {@link #codeLocal}). Linux's MP-table scan maps and unmaps a fixmap page
     * 40,000 times in a boot through SeaBIOS, each an INVLPG that dropped every link before.
     */
    public void invlpg(int lin) {
        int i = (lin >>> PAGE_SHIFT) & TLB_MASK;
        for (Tlb t : both) {
            t.clear(i);
        }
        int region = largeRegion(lin);
        if (largePageRegion[region]) {
            // The page may be a large one: every entry of its region goes, and every link (rare:
            // Linux changes its large mappings with full flushes).
            largePageRegion[region] = false;
            for (Tlb t : both) {
                for (int k = 0; k < TLB_SIZE; k++) {
                    if (largeRegion(t.fetchTag[k]) == region || largeRegion(tag(t.read[k])) == region
                            || largeRegion(tag(t.write[k])) == region) {
                        t.clear(k);
                    }
                }
            }
            globalEpoch++;
            localEpoch++;
        } else {
            int slot = (lin >>> PAGE_SHIFT) & (CODE_SLOTS - 1);
            if (codeGlobal[slot] == globalEpoch) {
                globalEpoch++;
            }
            if (codeLocal[slot] == localEpoch) {
                localEpoch++;
            }
        }
        invlpgs++;
    }

    /** The 4 MiB region of linear address {@code lin}: a large page's at most (2 MiB under PAE). */
    private static int largeRegion(int lin) {
        return lin >>> 22;
    }

    /**
     * Notes that the execution loop confirms chain links to code on linear page {@code lin} in
     * the current epoch: global links (their code all on global pages) follow {@link #globalEpoch},
     * the others {@link #localEpoch}.
     */
    public void noteCode(int lin, boolean global) {
        int slot = (lin >>> PAGE_SHIFT) & (CODE_SLOTS - 1);
        if (global) {
            codeGlobal[slot] = globalEpoch;
        } else {
            codeLocal[slot] = localEpoch;
        }
    }

    /** Drops every write entry (a page just became a code page). */
    public void flushWrites() {
        java.util.Arrays.fill(supervisor.write, INVALID_ENTRY);
        java.util.Arrays.fill(user.write, INVALID_ENTRY);
    }

    /** Whether the entry that maps {@code lin} for instruction fetch in this privilege is a global page. */
    public boolean fetchGlobal(int lin) {
        Tlb t = current;
        int i = (lin >>> PAGE_SHIFT) & TLB_MASK;
        return t.fetchTag[i] == (lin & ~(PAGE_SIZE - 1)) && t.global[i];
    }

    // ---- translation

    public boolean pagingEnabled() {
        return (cpu.cr0() & Cr0.PG) != 0;
    }

    private boolean userAccess() {
        return cpu.userMode();
    }

    /**
     * Translates a linear address for an access, walking the page tables, setting accessed
     * and dirty bits and raising #PF as the SDM says. Fills the TLB for RAM pages.
     */
    public int translate(int lin, int access) {
        if (!pagingEnabled()) {
            int phys = lin & a20Mask;
            fill(lin, phys, access, true, false);
            return phys;
        }
        return walk(lin, access, userAccess());
    }

    /** True while a walk must not fill the TLB (implicit supervisor accesses from CPL 3). */
    private boolean noFill;

    /**
     * Implicit supervisor access (descriptor tables, TSS, IDT): checked as CPL 0 whatever
     * the current CPL (SDM Vol. 3A, 4.6), and not cached in the CPL's TLB.
     */
    public int translateSystem(int lin, boolean write) {
        if (!pagingEnabled()) {
            return lin & a20Mask;
        }
        noFill = true;
        try {
            return walk(lin, write ? ACCESS_WRITE : ACCESS_READ, false);
        } finally {
            noFill = false;
        }
    }

    public int readSystem32(int lin) {
        if ((lin & (PAGE_SIZE - 1)) > PAGE_SIZE - 4) {
            return readSystem16(lin) | readSystem16(lin + 2) << 16;
        }
        return mem.read32(translateSystem(lin, false));
    }

    public int readSystem16(int lin) {
        return mem.read8(translateSystem(lin, false)) | mem.read8(translateSystem(lin + 1, false)) << 8;
    }

    public int readSystem8(int lin) {
        return mem.read8(translateSystem(lin, false));
    }

    public void writeSystem32(int lin, int v) {
        for (int i = 0; i < 4; i++) {
            writeSystem8(lin + i, v >>> (8 * i));
        }
    }

    public void writeSystem16(int lin, int v) {
        writeSystem8(lin, v);
        writeSystem8(lin + 1, v >>> 8);
    }

    public void writeSystem8(int lin, int v) {
        int p = translateSystem(lin, true);
        checkCode(p, 1);
        mem.write8(p, v);
    }

    /**
     * A debugger's look at linear {@code lin}: the physical address it maps to now, or -1 when it
     * is not mapped. Reads the paging structures only: no fault, no accessed or dirty bit, no TLB
     * entry (a debugger must not disturb the guest).
     */
    public long debugTranslate(int lin) {
        if (!pagingEnabled()) {
            return (lin & a20Mask) & 0xFFFFFFFFL;
        }
        if ((cpu.cr4() & Cr4.PAE) != 0) {
            long pdpte = readPhys64((cpu.cr3() & 0xFFFFFFE0) | ((lin >>> 30) << 3));
            if ((pdpte & PTE_P) == 0) {
                return -1;
            }
            long pde = readPhys64((int) (pdpte & 0xFFFFF000L) | (((lin >>> 21) & 0x1FF) << 3));
            if ((pde & PTE_P) == 0) {
                return -1;
            }
            if ((pde & PTE_PS) != 0) {
                return (((int) (pde & 0xFFE00000L) | (lin & 0x1FFFFF)) & a20Mask) & 0xFFFFFFFFL;
            }
            long pte = readPhys64((int) (pde & 0xFFFFF000L) | (((lin >>> 12) & 0x1FF) << 3));
            return (pte & PTE_P) == 0 ? -1 : (((int) (pte & 0xFFFFF000L) | (lin & 0xFFF)) & a20Mask) & 0xFFFFFFFFL;
        }
        int pde = mem.read32(((cpu.cr3() & 0xFFFFF000) | ((lin >>> 22) << 2)) & a20Mask);
        if ((pde & PTE_P) == 0) {
            return -1;
        }
        if ((pde & PTE_PS) != 0 && (cpu.cr4() & Cr4.PSE) != 0) {
            return (((pde & 0xFFC00000) | (lin & 0x003FFFFF)) & a20Mask) & 0xFFFFFFFFL;
        }
        int pte = mem.read32(((pde & 0xFFFFF000) | (((lin >>> 12) & 0x3FF) << 2)) & a20Mask);
        return (pte & PTE_P) == 0 ? -1 : (((pte & 0xFFFFF000) | (lin & 0xFFF)) & a20Mask) & 0xFFFFFFFFL;
    }

    /**
     * A write made at an inner privilege level before CPL changes to it: the frame an interrupt,
     * exception or call gate to an inner ring pushes on its new stack (SDM Vol. 3A, 6.12.1 and
     * 5.8.5). Those rings are 0-2, so the write is a supervisor-mode access whatever the current
     * CPL, and it is not cached in the current CPL's TLB. Both pages are checked before any byte
     * is written.
     */
    public void writeSupervisor(int lin, int v, int size) {
        if (!pagingEnabled()) {
            writeN(lin, v, size);
            return;
        }
        int p0 = translateSystem(lin, true);
        int p1 = ((lin & (PAGE_SIZE - 1)) > PAGE_SIZE - size)
                ? translateSystem((lin + size - 1) & ~(PAGE_SIZE - 1), true) : p0;
        for (int k = 0; k < size; k++) {
            int a = lin + k;
            int p = ((a ^ lin) & ~(PAGE_SIZE - 1)) == 0 ? p0 + k : p1 + (a & (PAGE_SIZE - 1));
            checkCode(p, 1);
            mem.write8(p, v >>> (8 * k));
        }
    }

    private int walk(int lin, int access, boolean user) {
        boolean write = access == ACCESS_WRITE;
        boolean wp = (cpu.cr0() & Cr0.WP) != 0;
        if ((cpu.cr4() & Cr4.PAE) != 0) {
            return walkPae(lin, access, user, write, wp);
        }
        int pdeAddr = (cpu.cr3() & 0xFFFFF000) | ((lin >>> 22) << 2);
        int pde = mem.read32(pdeAddr & a20Mask);
        if ((pde & PTE_P) == 0) {
            throw pageFault(lin, 0, access, user);
        }
        if ((pde & PTE_PS) != 0 && (cpu.cr4() & Cr4.PSE) != 0) {
            checkRights(lin, pde, pde, access, user, wp);
            boolean data = supervisorDataCacheable(lin, pde, pde, access, user);
            int newPde = pde | PTE_A | (write ? PTE_D : 0);
            if (newPde != pde) {
                mem.write32(pdeAddr & a20Mask, newPde);
            }
            int phys = ((pde & 0xFFC00000) | (lin & 0x003FFFFF)) & a20Mask;
            largePageRegion[largeRegion(lin)] = true;
            fill(lin, phys, access, (pde & PTE_RW) != 0 && (newPde & PTE_D) != 0 && writeAllowed(pde, pde, user, wp),
                    (pde & PTE_G) != 0, data);
            return phys;
        }
        int pteAddr = (pde & 0xFFFFF000) | (((lin >>> 12) & 0x3FF) << 2);
        int pte = mem.read32(pteAddr & a20Mask);
        if ((pte & PTE_P) == 0) {
            throw pageFault(lin, 0, access, user);
        }
        checkRights(lin, pde, pte, access, user, wp);
        boolean data = supervisorDataCacheable(lin, pde, pte, access, user);
        if ((pde & PTE_A) == 0) {
            mem.write32(pdeAddr & a20Mask, pde | PTE_A);
        }
        int newPte = pte | PTE_A | (write ? PTE_D : 0);
        if (newPte != pte) {
            mem.write32(pteAddr & a20Mask, newPte);
        }
        int phys = ((pte & 0xFFFFF000) | (lin & 0xFFF)) & a20Mask;
        fill(lin, phys, access, (newPte & PTE_D) != 0 && writeAllowed(pde, pte, user, wp), (pte & PTE_G) != 0, data);
        return phys;
    }

    private int walkPae(int lin, int access, boolean user, boolean write, boolean wp) {
        int pdpteAddr = (cpu.cr3() & 0xFFFFFFE0) | ((lin >>> 30) << 3);
        long pdpte = readPhys64(pdpteAddr);
        if ((pdpte & PTE_P) == 0) {
            throw pageFault(lin, 0, access, user);
        }
        int pdeAddr = (int) (pdpte & 0xFFFFF000L) | (((lin >>> 21) & 0x1FF) << 3);
        long pde = readPhys64(pdeAddr);
        if ((pde & PTE_P) == 0) {
            throw pageFault(lin, 0, access, user);
        }
        boolean nxe = (cpu.efer() & Efer.NXE) != 0;
        if (access == ACCESS_FETCH && nxe && pde < 0 /* XD */) {
            throw pageFault(lin, PF_P, access, user);
        }
        if ((pde & PTE_PS) != 0) {
            checkRights(lin, (int) pde, (int) pde, access, user, wp);
            boolean data = supervisorDataCacheable(lin, (int) pde, (int) pde, access, user);
            long newPde = pde | PTE_A | (write ? PTE_D : 0);
            if (newPde != pde) {
                writePhys64(pdeAddr, newPde);
            }
            int phys = ((int) (pde & 0xFFE00000L) | (lin & 0x1FFFFF)) & a20Mask;
            largePageRegion[largeRegion(lin)] = true;
            fill(lin, phys, access, (newPde & PTE_D) != 0 && writeAllowed((int) pde, (int) pde, user, wp),
                    (pde & PTE_G) != 0, data);
            return phys;
        }
        int pteAddr = (int) (pde & 0xFFFFF000L) | (((lin >>> 12) & 0x1FF) << 3);
        long pte = readPhys64(pteAddr);
        if ((pte & PTE_P) == 0) {
            throw pageFault(lin, 0, access, user);
        }
        if (access == ACCESS_FETCH && nxe && pte < 0 /* XD */) {
            throw pageFault(lin, PF_P, access, user);
        }
        checkRights(lin, (int) pde, (int) pte, access, user, wp);
        boolean data = supervisorDataCacheable(lin, (int) pde, (int) pte, access, user);
        if ((pde & PTE_A) == 0) {
            writePhys64(pdeAddr, pde | PTE_A);
        }
        long newPte = pte | PTE_A | (write ? PTE_D : 0);
        if (newPte != pte) {
            writePhys64(pteAddr, newPte);
        }
        int phys = ((int) (pte & 0xFFFFF000L) | (lin & 0xFFF)) & a20Mask;
        fill(lin, phys, access, (newPte & PTE_D) != 0 && writeAllowed((int) pde, (int) pte, user, wp),
                (pte & PTE_G) != 0, data);
        return phys;
    }

    private long readPhys64(int phys) {
        return (mem.read32(phys & a20Mask) & 0xFFFFFFFFL) | ((long) mem.read32((phys + 4) & a20Mask) << 32);
    }

    private void writePhys64(int phys, long v) {
        mem.write32(phys & a20Mask, (int) v);
        mem.write32((phys + 4) & a20Mask, (int) (v >>> 32));
    }

    private static boolean writeAllowed(int pde, int pte, boolean user, boolean wp) {
        boolean rw = (pde & pte & PTE_RW) != 0;
        return rw || (!user && !wp);
    }

    private void checkRights(int lin, int pde, int pte, int access, boolean user, boolean wp) {
        boolean us = (pde & pte & PTE_US) != 0;
        if (user && !us) {
            throw pageFault(lin, PF_P, access, true);
        }
        if (access == ACCESS_WRITE && !writeAllowed(pde, pte, user, wp)) {
            throw pageFault(lin, PF_P, access, user);
        }
    }

    /**
     * SMAP (SDM Vol. 3A, 4.6.1): with CR4.SMAP set, a supervisor-mode data access to a page that
     * user mode may access faults, unless EFLAGS.AC is set at CPL < 3 (an implicit supervisor
     * access at CPL 3 faults whatever AC says). Returns whether the page may enter the TLB for
     * data accesses: not such a page, since AC changes without a TLB flush and the TLB's probe
     * does not look at it (fetches are not data accesses: their entry is kept).
     */
    private boolean supervisorDataCacheable(int lin, int pde, int pte, int access, boolean user) {
        if (user || (cpu.cr4() & Cr4.SMAP) == 0 || (pde & pte & PTE_US) == 0) {
            return true;
        }
        if (access != ACCESS_FETCH && ((noFill && cpu.userMode()) || !cpu.alignmentCheckFlag())) {
            throw pageFault(lin, PF_P, access, false);
        }
        return false;
    }

    private RuntimeException pageFault(int lin, int present, int access, boolean user) {
        int ec = present | (access == ACCESS_WRITE ? PF_W : 0) | (user ? PF_U : 0);
        // I/D: an instruction fetch, reported where fetches can be refused: PAE paging with EFER.NXE (Vol. 3A, 4.7).
        if (access == ACCESS_FETCH && (cpu.cr4() & Cr4.PAE) != 0 && (cpu.efer() & Efer.NXE) != 0) {
            ec |= PF_I;
        }
        return cpu.pageFault(lin, ec);
    }

    private void fill(int lin, int phys, int access, boolean writable, boolean isGlobal) {
        fill(lin, phys, access, writable, isGlobal, true);
    }

    /** {@code data} false: only an instruction fetch's entry (see supervisorDataCacheable). */
    private void fill(int lin, int phys, int access, boolean writable, boolean isGlobal, boolean data) {
        if (noFill) {
            return;
        }
        int e = mem.pageEntry(phys);
        int i = (lin >>> PAGE_SHIFT) & TLB_MASK;
        Tlb t = current;
        int linPage = lin & ~(PAGE_SIZE - 1);
        int physPage = phys & ~(PAGE_SIZE - 1);
        if (t.fetchTag[i] != linPage || t.phys[i] != physPage) {
            t.fetchTag[i] = INVALID;
        }
        if (access == ACCESS_FETCH) {
            // Fetches from MMIO and unmapped space are translated too: the decoder reads them byte by byte.
            t.fetchTag[i] = linPage;
            t.phys[i] = physPage;
            t.setGlobal(i, isGlobal);
        }
        if (!data) {
            t.read[i] = INVALID_ENTRY;
            t.write[i] = INVALID_ENTRY;
            return;
        }
        if (e < 0 || watch != null && watch.watchesPage(lin)) { // MMIO, nothing, or RAM on demand
            return;
        }
        long entry = entry(linPage, (e & ~(PAGE_SIZE - 1)) - linPage);
        if (t.read[i] != entry) {
            t.write[i] = INVALID_ENTRY;
        }
        t.read[i] = entry;
        t.phys[i] = physPage;
        t.setGlobal(i, isGlobal);
        if (writable && (e & PhysicalMemory.MAP_READONLY) == 0 && !mem.isCodePage(phys)) {
            t.write[i] = entry;
        }
    }

    // ---- slow paths called by translated code on a TLB miss

    public int read8(int lin) {
        if (watch != null) {
            watch.accessed(lin, 1, ACCESS_READ);
        }
        return mem.read8(translate(lin, ACCESS_READ));
    }

    public int read16(int lin) {
        if (watch != null) {
            watch.accessed(lin, 2, ACCESS_READ);
        }
        if ((lin & (PAGE_SIZE - 1)) > PAGE_SIZE - 2) {
            return read8(lin) | read8(lin + 1) << 8;
        }
        return mem.read16(translate(lin, ACCESS_READ));
    }

    public int read32(int lin) {
        if (watch != null) {
            watch.accessed(lin, 4, ACCESS_READ);
        }
        if ((lin & (PAGE_SIZE - 1)) > PAGE_SIZE - 4) {
            // Both pages are checked before any byte is read (an access is all or nothing).
            int p0 = translate(lin, ACCESS_READ);
            int p1 = translate((lin + 3) & ~(PAGE_SIZE - 1), ACCESS_READ);
            int v = 0;
            for (int k = 0; k < 4; k++) {
                int a = lin + k;
                int p = ((a ^ lin) & ~(PAGE_SIZE - 1)) == 0 ? p0 + k : p1 + (a & (PAGE_SIZE - 1));
                v |= mem.read8(p) << (8 * k);
            }
            return v;
        }
        return mem.read32(translate(lin, ACCESS_READ));
    }

    /**
     * Prepares a write of {@code size} bytes (at most a page) at {@code lin} that an instruction
     * makes only after it has changed other state: raises its page fault now, and reports now
     * the code the write will overwrite, so that a restart of the instruction alone (when it
     * writes into its own block) happens before the instruction has changed anything.
     */
    public void prepareWrite(int lin, int size) {
        int p0 = translate(lin, ACCESS_WRITE);
        int last = lin + size - 1;
        if (((lin ^ last) & ~(PAGE_SIZE - 1)) == 0) {
            checkCode(p0, size);
            return;
        }
        int p1 = translate(last & ~(PAGE_SIZE - 1), ACCESS_WRITE);
        int first = PAGE_SIZE - (lin & (PAGE_SIZE - 1));
        checkCode(p0, first);
        checkCode(p1, size - first);
    }

    public void write8(int lin, int v) {
        if (watch != null) {
            watch.accessed(lin, 1, ACCESS_WRITE);
        }
        int p = translate(lin, ACCESS_WRITE);
        checkCode(p, 1);
        mem.write8(p, v);
    }

    public void write16(int lin, int v) {
        writeN(lin, v, 2);
    }

    public void write32(int lin, int v) {
        writeN(lin, v, 4);
    }

    private void writeN(int lin, int v, int size) {
        if (watch != null) {
            watch.accessed(lin, size, ACCESS_WRITE);
        }
        if ((lin & (PAGE_SIZE - 1)) > PAGE_SIZE - size) {
            int p0 = translate(lin, ACCESS_WRITE);
            int p1 = translate((lin + size - 1) & ~(PAGE_SIZE - 1), ACCESS_WRITE);
            for (int k = 0; k < size; k++) {
                int a = lin + k;
                int p = ((a ^ lin) & ~(PAGE_SIZE - 1)) == 0 ? p0 + k : p1 + (a & (PAGE_SIZE - 1));
                checkCode(p, 1);
                mem.write8(p, v >>> (8 * k));
            }
            return;
        }
        int p = translate(lin, ACCESS_WRITE);
        checkCode(p, size);
        if (size == 4) {
            mem.write32(p, v);
        } else {
            mem.write16(p, v);
        }
    }

    private void checkCode(int phys, int size) {
        if (mem.isCodePage(phys)) {
            codeWriteListener.codeWritten(phys, size);
        }
    }

    /** Instruction fetch of one byte for the decoder. */
    public int fetch8(int lin) {
        return mem.read8(translateFetch(lin));
    }

    /** Physical address of an instruction byte, for keying translations: the fetch TLB, else a walk. */
    public int translateFetch(int lin) {
        Tlb t = current;
        int i = (lin >>> PAGE_SHIFT) & TLB_MASK;
        if (t.fetchTag[i] == (lin & ~(PAGE_SIZE - 1))) {
            return t.phys[i] | (lin & (PAGE_SIZE - 1));
        }
        return translate(lin, ACCESS_FETCH);
    }
}
