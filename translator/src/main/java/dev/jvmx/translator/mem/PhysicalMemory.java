package dev.jvmx.translator.mem;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * The 4 GiB physical address space. RAM and ROM images live in one {@code byte[]} so that a
 * TLB entry is just an offset into it; {@link #pageMap} says, per 4 KiB physical page, where
 * in the array the page is and whether it is read-only. Addresses nothing decodes read as
 * all ones and ignore writes.
 */
public final class PhysicalMemory {
    public static final VarHandle VH16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    public static final VarHandle VH32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    public static final VarHandle VH64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    // Little-endian RAM accesses, for generated code and for jvmx's own (string instructions, the
    // page walk). A translated block calls these rather than the VarHandles: until HotSpot compiles
    // the block, its bytecode runs in the interpreter, where a VarHandle access links through
    // several guard frames per call, while a call to one of these (compiled early, since every
    // block shares them) is one static call.
    //
    // On a little-endian host they read and write the array through Unsafe after an explicit
    // bounds check (RawAccess): compiled, that is the same one load or store as the VarHandle's,
    // but where a region inlined eight methods for every memory access through the VarHandle (its
    // guard, access-mode check, index check, unaligned access and byte order), C2 now parses two
    // intrinsics. Its compile time on a Linux boot's regions fell by about a tenth
    // (bench/RESULTS.md).

    private static final sun.misc.Unsafe U = RawAccess.unsafe();
    private static final long BASE = U == null ? 0 : U.arrayBaseOffset(byte[].class);

    /** Whether the accessors below go through Unsafe (for tests). */
    static boolean rawAccess() {
        return U != null;
    }

    /** The 16-bit value at {@code i}, zero-extended. */
    public static int ram16(byte[] ram, int i) {
        if (U != null) {
            return U.getShort(ram, BASE + Objects.checkIndex(i, ram.length - 1)) & 0xFFFF;
        }
        return (short) VH16.get(ram, i) & 0xFFFF;
    }

    public static int ram32(byte[] ram, int i) {
        if (U != null) {
            return U.getInt(ram, BASE + Objects.checkIndex(i, ram.length - 3));
        }
        return (int) VH32.get(ram, i);
    }

    public static void setRam16(byte[] ram, int i, int v) {
        if (U != null) {
            U.putShort(ram, BASE + Objects.checkIndex(i, ram.length - 1), (short) v);
            return;
        }
        VH16.set(ram, i, (short) v);
    }

    public static void setRam32(byte[] ram, int i, int v) {
        if (U != null) {
            U.putInt(ram, BASE + Objects.checkIndex(i, ram.length - 3), v);
            return;
        }
        VH32.set(ram, i, v);
    }

    public static final int PAGE_SHIFT = 12;
    public static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    /** pageMap entry bits (the offset is page aligned, so the low bits are free). */
    public static final int MAP_READONLY = 1;
    public static final int UNMAPPED = -1;
    /**
     * pageMap entry of RAM that the array does not hold yet (RAM on demand, see {@link #grow}):
     * its bytes are in a page of their own until then. Like {@link #UNMAPPED} it is negative,
     * which no array offset is, so it never enters the TLB.
     */
    public static final int ON_DEMAND = -2;

    /**
     * RAM followed by ROM images, then (while RAM on demand is out of the array) the slots that its
     * first written pages take; replaced by a larger one when RAM on demand is taken in ({@link #grow}).
     */
    public byte[] array;
    public final int ramSize;
    /**
     * The end of the RAM the array holds at its own place: {@link #ramSize}, or less while RAM on
     * demand has not been taken in. The direct windows end here (translated code bakes it in).
     */
    private int directTop;
    /** RAM the array held from the start (less than {@link #ramSize} with RAM on demand). */
    public final int ramInArrayAtStart;
    /**
     * While RAM on demand is out of the array: the array offset of the slot each of its pages
     * took when first written, by page above directTop (0: none). A page in a slot is plain RAM
     * to the TLB and every fast path; only its page-map entry is not its own address.
     */
    private int[] slotOf;
    /** The slots, {@link #SLOT_PAGES} pages behind the ROM space: the next one free, and their end. */
    private int slotsNext, slotsEnd;
    /** While RAM on demand is out of the array: pages written after the slots ran out, by page above directTop. */
    private byte[][] onDemandPages;
    /** Byte accesses to RAM on demand, and its pages written, while it is out of the array (for --exit-stats). */
    private long onDemandAccesses;
    private int onDemandWritten;
    /**
     * When RAM on demand is worth taking in: after this many byte accesses through the slow path
     * (reads of pages never written, pages written once the slots ran out) or pages written.
     * SeaBIOS, which moves its init code and keeps its tables at the top of RAM, writes 54 pages
     * there in a boot and never pays for the whole array.
     */
    static final int GROW_AFTER_ACCESSES = 1 << 20, GROW_AFTER_PAGES = 256;
    /**
     * Slots in the array for the first pages of RAM on demand written, as many as are written
     * before it is worth taking in: until then those pages cost no slow path. SeaBIOS copies its
     * init code to the top of RAM and runs it there; through the slow path its REP MOVSB went
     * byte by byte (55,000 elements, an eighth of a boot's guest thread).
     */
    static final int SLOT_PAGES = GROW_AFTER_PAGES;
    private final int romSpace;
    /** RAM on demand is worth taking in: the execution loop calls {@link #grow} at its next boundary. */
    private boolean growWanted;
    private final java.util.List<Runnable> growRequests = new java.util.ArrayList<>();
    private final java.util.List<Runnable> arrayListeners = new java.util.ArrayList<>();
    private int romTop;
    /**
     * The page map, by page number's top ten bits then its low ten. Where nothing is mapped
     * (beyond RAM, but for ROM and devices) a slot holds {@link #UNMAPPED_LEAF}, shared, until
     * a page there is mapped: one flat table was 4 MiB for the JVM to zero and fill at every start.
     */
    private final int[][] pageMap = new int[1 << 10][];
    private static final int[] UNMAPPED_LEAF = new int[1 << 10];

    static {
        Arrays.fill(UNMAPPED_LEAF, UNMAPPED);
    }

    /** The page map's entry for page {@code page}. */
    private int entry(int page) {
        return pageMap[page >>> 10][page & 0x3FF];
    }

    /** Sets page {@code page}'s entry, giving its stretch of the map a leaf of its own first. */
    private void setEntry(int page, int e) {
        int[] leaf = pageMap[page >>> 10];
        if (leaf == UNMAPPED_LEAF) {
            leaf = pageMap[page >>> 10] = UNMAPPED_LEAF.clone();
        }
        leaf[page & 0x3FF] = e;
    }
    /** Per physical page: translated code lies on it, so writes there take the slow path. */
    private final boolean[] codePage = new boolean[1 << 20];
    /**
     * The device of each MMIO page, by page number's top ten bits then its low ten: a table of a
     * million entries was 4 MiB for the JVM to zero (on fresh pages) at every start, for the few
     * pages a board maps (the APICs, the HPET).
     */
    private final MmioDevice[][] mmio = new MmioDevice[1 << 10][];
    /**
     * Pages of RAM in the two direct windows (below {@link #LOW_RAM_TOP}, and from
     * {@link #HIGH_RAM_BASE} to the end of RAM) that a device mapped elsewhere (MMIO, another
     * array offset) or made read-only: while there are none, an access there may index the array
     * by its physical address (see {@link #windowsDirect}).
     */
    private int remappedRam;

    /**
     * The end of conventional memory: from here to {@link #HIGH_RAM_BASE} lie the VGA window
     * and the BIOS areas that PAM remaps, which never read directly.
     */
    public static final int LOW_RAM_TOP = 0xA0000;
    /** Where RAM above the BIOS areas starts (1 MiB). */
    public static final int HIGH_RAM_BASE = 0x100000;

    public PhysicalMemory(int ramBytes, int romBytes) {
        this(ramBytes, romBytes, null);
    }

    /**
     * Memory whose array is {@code zeroed} when that is a fresh array of
     * {@link #arrayLength arrayLength(ramBytes, romBytes, ramBytes)} bytes made beforehand (so that its
     * allocation can overlap other start-up work), else a new one.
     */
    public PhysicalMemory(int ramBytes, int romBytes, byte[] zeroed) {
        this(ramBytes, romBytes, zeroed, ramBytes);
    }

    /**
     * Memory whose array holds only the RAM below {@code inArray} at first, then the ROM space,
     * the rest of RAM on demand: a guest that does not use it does not pay for it. The JVM zeroes
     * a new array whole, and first touches of fresh memory were the largest part of a small
     * guest's start on the 2-core machines (bench/RESULTS.md).
     */
    public PhysicalMemory(int ramBytes, int romBytes, byte[] zeroed, int inArray) {
        if (ramBytes <= 0 || (ramBytes & (PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException("RAM size must be a positive multiple of 4 KiB: " + ramBytes);
        }
        if (inArray < ramBytes && (inArray < HIGH_RAM_BASE || (inArray & (PAGE_SIZE - 1)) != 0)) {
            throw new IllegalArgumentException("RAM on demand needs whole pages above 1 MiB in the array");
        }
        this.ramSize = ramBytes;
        this.directTop = Math.min(inArray, ramBytes);
        this.ramInArrayAtStart = directTop;
        int length = arrayLength(directTop, romBytes, ramBytes);
        this.array = zeroed != null && zeroed.length == length ? zeroed : new byte[length];
        this.romTop = directTop;
        this.romSpace = pages(romBytes);
        this.slotsNext = directTop + romSpace;
        this.slotsEnd = length;
        int ramPages = ramBytes >>> PAGE_SHIFT;
        int directPages = directTop >>> PAGE_SHIFT;
        for (int i = 0; i < pageMap.length; i++) {
            int first = i << 10;
            if (first >= ramPages) {
                pageMap[i] = UNMAPPED_LEAF;
                continue;
            }
            int[] leaf = pageMap[i] = new int[1 << 10];
            for (int k = 0; k < leaf.length; k++) {
                int page = first + k;
                leaf[k] = page >= ramPages ? UNMAPPED : page < directPages ? page << PAGE_SHIFT : ON_DEMAND;
            }
        }
        if (directTop < ramBytes) {
            onDemandPages = new byte[(ramBytes - directTop) >>> PAGE_SHIFT][];
            slotOf = new int[onDemandPages.length];
        }
    }

    /**
     * The length of the array that holds {@code inArray} bytes of a RAM of {@code ramBytes} at
     * first, {@code romBytes} of ROM space, and the slots of RAM on demand when there is any.
     */
    public static int arrayLength(int inArray, int romBytes, int ramBytes) {
        return inArray + pages(romBytes) + Math.min(ramBytes - inArray, SLOT_PAGES << PAGE_SHIFT);
    }

    private static int pages(int bytes) {
        return (bytes + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    }

    /**
     * Places a ROM image at physical address {@code phys} (read-only), returning its offset in
     * the array so aliases can map the same bytes.
     */
    public int loadRom(int phys, byte[] image) {
        int size = pages(image.length);
        if (romTop + size > directTop + romSpace) {
            throw new IllegalArgumentException("ROM space exhausted");
        }
        int off = romTop;
        System.arraycopy(image, 0, array, off, image.length);
        romTop += size;
        mapReadOnly(phys, off, size);
        return off;
    }

    /** Maps {@code size} bytes at physical {@code phys} to array offset {@code off}, read-only. */
    public void mapReadOnly(int phys, int off, int size) {
        for (int i = 0; i < size; i += PAGE_SIZE) {
            setPage((phys + i) >>> PAGE_SHIFT, (off + i) | MAP_READONLY);
        }
    }

    /** Maps {@code size} bytes at physical {@code phys} to array offset {@code off}, writable (shadow RAM). */
    public void mapReadWrite(int phys, int off, int size) {
        for (int i = 0; i < size; i += PAGE_SIZE) {
            setPage((phys + i) >>> PAGE_SHIFT, off + i);
        }
    }

    public void mapMmio(int phys, int size, MmioDevice device) {
        for (int i = 0; i < size; i += PAGE_SIZE) {
            int page = (phys + i) >>> PAGE_SHIFT;
            setPage(page, UNMAPPED);
            MmioDevice[] leaf = mmio[page >>> 10];
            if (leaf == null) {
                leaf = mmio[page >>> 10] = new MmioDevice[1 << 10];
            }
            leaf[page & 0x3FF] = device;
        }
    }

    private void setPage(int page, int entry) {
        if (isOwnRam(page, entry) && page >= directTop >>> PAGE_SHIFT && page < ramSize >>> PAGE_SHIFT) {
            // RAM given back to a page the array does not hold yet: its slot, if it took one
            int slot = slotOf[page - (directTop >>> PAGE_SHIFT)];
            entry = slot != 0 ? slot : ON_DEMAND;
        }
        if (inWindows(page)) {
            remappedRam += (isOwnRam(page, entry) ? 0 : 1) - (isOwnRam(page, entry(page)) ? 0 : 1);
        }
        setEntry(page, entry);
    }

    private boolean inWindows(int page) {
        return page < directTop >>> PAGE_SHIFT
                && (page < LOW_RAM_TOP >>> PAGE_SHIFT || page >= HIGH_RAM_BASE >>> PAGE_SHIFT);
    }

    /** The entry maps the page to its own place in the array, writable. */
    private static boolean isOwnRam(int page, int entry) {
        return entry == page << PAGE_SHIFT;
    }

    /**
     * True while every page of RAM below {@link #LOW_RAM_TOP} and from {@link #HIGH_RAM_BASE}
     * to {@link #directTop} is writable RAM at its own place: there, the array index of a
     * physical address is the address.
     */
    public boolean windowsDirect() {
        return remappedRam == 0;
    }

    /** Where the high direct window ends: the RAM the array holds at its own place. */
    public int directTop() {
        return directTop;
    }

    // ---- RAM on demand

    /** Called (on the guest's thread) once RAM on demand is worth taking in: the loop asks itself for a boundary. */
    public void onGrowWanted(Runnable request) {
        growRequests.add(request);
    }

    /** Called after {@link #grow} replaced {@link #array}, for those that keep it (each processor). */
    public void onArrayReplaced(Runnable listener) {
        arrayListeners.add(listener);
    }

    /** RAM on demand has been used enough ({@link #GROW_AFTER_ACCESSES}) and is not in the array yet. */
    public boolean growWanted() {
        return growWanted;
    }

    /**
     * Takes RAM on demand into a new array of all of RAM and the ROM space: what has been written
     * to it is copied to its place, the ROM moves up behind it (the page map's entries with it;
     * the TLB's must be dropped: see Cpu), and the direct windows reach the end of RAM. Only
     * where no block runs (the execution loop's boundary, a loader, a stopped guest), since a
     * running block keeps it in a local; translated code keeps it in its class, and the code
     * cache drops it (see {@link #onArrayReplaced}).
     */
    public void grow() {
        if (onDemandPages == null) {
            growWanted = false;
            return;
        }
        byte[] a = new byte[ramSize + romSpace];
        int oldTop = directTop, shift = ramSize - oldTop;
        System.arraycopy(array, 0, a, 0, oldTop);
        System.arraycopy(array, oldTop, a, ramSize, romSpace);
        int first = oldTop >>> PAGE_SHIFT;
        for (int i = 0; i < onDemandPages.length; i++) {
            int to = (first + i) << PAGE_SHIFT;
            if (slotOf[i] != 0) {
                System.arraycopy(array, slotOf[i], a, to, PAGE_SIZE);
                if (entry(first + i) == slotOf[i]) {
                    setEntry(first + i, ON_DEMAND); // to its own place, below
                }
            } else if (onDemandPages[i] != null) {
                System.arraycopy(onDemandPages[i], 0, a, to, PAGE_SIZE);
            }
        }
        for (int[] leaf : pageMap) {
            if (leaf == UNMAPPED_LEAF) {
                continue;
            }
            for (int k = 0; k < leaf.length; k++) {
                if (leaf[k] >= oldTop) { // the ROM space (RAM on demand is negative until below)
                    leaf[k] += shift;
                }
            }
        }
        romTop += shift;
        onDemandPages = null;
        slotOf = null;
        slotsNext = slotsEnd = 0;
        growWanted = false;
        array = a;
        directTop = ramSize;
        remappedRam = 0;
        for (int p = 0; p < ramSize >>> PAGE_SHIFT; p++) {
            if (entry(p) == ON_DEMAND) {
                setEntry(p, p << PAGE_SHIFT);
            } else if (inWindows(p) && !isOwnRam(p, entry(p))) {
                remappedRam++;
            }
        }
        for (Runnable l : arrayListeners) {
            l.run();
        }
    }

    private byte[] onDemandPage(int phys, boolean write) {
        int i = (phys >>> PAGE_SHIFT) - (directTop >>> PAGE_SHIFT);
        byte[] p = onDemandPages[i];
        if (p == null && write) {
            p = onDemandPages[i] = new byte[PAGE_SIZE];
            onDemandWritten++;
        }
        if (++onDemandAccesses > GROW_AFTER_ACCESSES || onDemandWritten > GROW_AFTER_PAGES) {
            wantGrowth();
        }
        return p;
    }

    private void wantGrowth() {
        if (!growWanted) {
            growWanted = true;
            for (Runnable r : growRequests) {
                r.run();
            }
        }
    }

    /** Byte accesses to RAM on demand while it was out of the array. */
    public long onDemandAccesses() {
        return onDemandAccesses;
    }

    /** Pages of RAM on demand written while it was out of the array. */
    public int onDemandPagesWritten() {
        return onDemandWritten;
    }

    /** Where the ROM space starts in the array: behind the RAM it holds (it moves when RAM on demand is taken in). */
    public int romBase() {
        return directTop;
    }

    private int onDemandRead8(int phys) {
        byte[] p = onDemandPage(phys, false);
        return p == null ? 0 : p[phys & (PAGE_SIZE - 1)] & 0xFF;
    }

    private void onDemandWrite8(int phys, int v) {
        int e = takeSlot(phys);
        if (e >= 0) {
            array[e + (phys & (PAGE_SIZE - 1))] = (byte) v;
        } else {
            onDemandPage(phys, true)[phys & (PAGE_SIZE - 1)] = (byte) v;
        }
    }

    /**
     * Gives a page of RAM on demand that is being written for the first time a slot in the array,
     * and returns its new page-map entry; {@link #ON_DEMAND} when the slots have run out (the page
     * then lives in a page of its own until RAM is taken in, which that asks for). Synchronised:
     * device models write guest RAM from their own threads too.
     */
    private int takeSlot(int phys) {
        // None left: no lock for each byte a loader writes there until RAM is taken in.
        return slotsNext == slotsEnd ? ON_DEMAND : takeSlotLocked(phys);
    }

    private synchronized int takeSlotLocked(int phys) {
        int page = phys >>> PAGE_SHIFT;
        int e = entry(page);
        if (e != ON_DEMAND) {
            return e; // another thread gave it one meanwhile
        }
        int i = page - (directTop >>> PAGE_SHIFT);
        if (slotsNext == slotsEnd || onDemandPages[i] != null) {
            return ON_DEMAND;
        }
        int slot = slotsNext;
        slotsNext += PAGE_SIZE;
        slotOf[i] = slot;
        setEntry(page, slot);
        onDemandWritten++; // no more slots than GROW_AFTER_PAGES: the next page written asks (onDemandPage)
        return slot;
    }

    /** The device mapped at physical address {@code phys}, or null. */
    private MmioDevice mmioAt(int phys) {
        int page = phys >>> PAGE_SHIFT;
        MmioDevice[] leaf = mmio[page >>> 10];
        return leaf == null ? null : leaf[page & 0x3FF];
    }

    public int pageEntry(int phys) {
        return entry(phys >>> PAGE_SHIFT);
    }

    // ---- code-page tracking for self-modifying code (DESIGN.md rule 8)

    /**
     * The code-page flags themselves, one per physical page, for translated code that stores to
     * RAM without the TLB ({@link dev.jvmx.translator.codegen.BlockMode#DIRECT_RAM}) and must
     * leave pages with translated code to the slow path. Read only.
     */
    public boolean[] codePageFlags() {
        return codePage;
    }

    public boolean isCodePage(int phys) {
        return codePage[phys >>> PAGE_SHIFT];
    }

    public void markCodePage(int phys) {
        codePage[phys >>> PAGE_SHIFT] = true;
    }

    public void unmarkCodePage(int phys) {
        codePage[phys >>> PAGE_SHIFT] = false;
    }

    // ---- physical accesses (slow path, device DMA, loaders)

    public int read8(int phys) {
        int e = entry(phys >>> PAGE_SHIFT);
        if (e == UNMAPPED) {
            MmioDevice d = mmioAt(phys);
            return d == null ? 0xFF : d.mmioRead(phys, 1) & 0xFF;
        }
        if (e == ON_DEMAND) {
            return onDemandRead8(phys);
        }
        return array[(e & ~(PAGE_SIZE - 1)) + (phys & (PAGE_SIZE - 1))] & 0xFF;
    }

    public void write8(int phys, int v) {
        int e = entry(phys >>> PAGE_SHIFT);
        if (e == UNMAPPED) {
            MmioDevice d = mmioAt(phys);
            if (d != null) {
                d.mmioWrite(phys, 1, v & 0xFF);
            }
            return;
        }
        if (e == ON_DEMAND) {
            onDemandWrite8(phys, v);
        } else if ((e & MAP_READONLY) == 0) {
            array[e + (phys & (PAGE_SIZE - 1))] = (byte) v;
        }
    }

    public int read32(int phys) {
        int e = entry(phys >>> PAGE_SHIFT);
        if (e >= 0 && (phys & (PAGE_SIZE - 1)) <= PAGE_SIZE - 4) {
            return ram32(array, (e & ~(PAGE_SIZE - 1)) + (phys & (PAGE_SIZE - 1)));
        }
        MmioDevice d;
        if (e == UNMAPPED && (d = mmioAt(phys)) != null && (phys & 3) == 0) {
            return d.mmioRead(phys, 4);
        }
        return read8(phys) | read8(phys + 1) << 8 | read8(phys + 2) << 16 | read8(phys + 3) << 24;
    }

    public void write32(int phys, int v) {
        int e = entry(phys >>> PAGE_SHIFT);
        if (e >= 0 && (e & MAP_READONLY) == 0 && (phys & (PAGE_SIZE - 1)) <= PAGE_SIZE - 4) {
            setRam32(array, e + (phys & (PAGE_SIZE - 1)), v);
            return;
        }
        MmioDevice d;
        if (e == UNMAPPED && (d = mmioAt(phys)) != null && (phys & 3) == 0) {
            d.mmioWrite(phys, 4, v);
            return;
        }
        for (int i = 0; i < 4; i++) {
            write8(phys + i, v >>> (8 * i));
        }
    }

    public int read16(int phys) {
        return read8(phys) | read8(phys + 1) << 8;
    }

    public void write16(int phys, int v) {
        write8(phys, v);
        write8(phys + 1, v >>> 8);
    }

    /**
     * Copies {@code len} bytes into physical memory from {@code phys} on as the bus writes them
     * (ROM stays ROM, a device gets its writes): device DMA. A page of RAM at a time.
     */
    public void write(int phys, byte[] from, int off, int len) {
        while (len > 0) {
            int n = Math.min(len, PAGE_SIZE - (phys & (PAGE_SIZE - 1)));
            int e = entry(phys >>> PAGE_SHIFT);
            if (e == ON_DEMAND) {
                e = takeSlot(phys);
            }
            if (e >= 0 && (e & MAP_READONLY) == 0) {
                System.arraycopy(from, off, array, e + (phys & (PAGE_SIZE - 1)), n);
            } else {
                for (int i = 0; i < n; i++) {
                    write8(phys + i, from[off + i]);
                }
            }
            phys += n;
            off += n;
            len -= n;
        }
    }

    /** Copies {@code len} bytes of physical memory from {@code phys} on into {@code into}, as the bus reads them: device DMA. */
    public void read(int phys, byte[] into, int off, int len) {
        while (len > 0) {
            int n = Math.min(len, PAGE_SIZE - (phys & (PAGE_SIZE - 1)));
            int e = entry(phys >>> PAGE_SHIFT);
            if (e >= 0) {
                System.arraycopy(array, (e & ~(PAGE_SIZE - 1)) + (phys & (PAGE_SIZE - 1)), into, off, n);
            } else {
                for (int i = 0; i < n; i++) {
                    into[off + i] = (byte) read8(phys + i);
                }
            }
            phys += n;
            off += n;
            len -= n;
        }
    }

    /** Copies bytes into physical memory, ROM included (loaders only). */
    public void load(int phys, byte[] data, int off, int len) {
        // A page at a time where the array holds it: a Linux kernel and its initrd are 8 MB, which
        // byte by byte took about 30 ms of the start, in code HotSpot had not compiled yet.
        int i = 0;
        while (i < len) {
            int a = phys + i;
            int e = entry(a >>> PAGE_SHIFT);
            if (e == UNMAPPED) {
                throw new IllegalArgumentException(String.format("load to unmapped physical address %#x", a));
            }
            if (e == ON_DEMAND) {
                // Byte by byte until the page has a slot (the first byte that is not zero takes one):
                // a loader's zeros (a kernel's .bss) on a fresh page change nothing.
                if (data[off + i] != 0 || onDemandPages[(a >>> PAGE_SHIFT) - (directTop >>> PAGE_SHIFT)] != null) {
                    onDemandWrite8(a, data[off + i]);
                }
                i++;
                continue;
            }
            int n = Math.min(len - i, PAGE_SIZE - (a & (PAGE_SIZE - 1)));
            System.arraycopy(data, off + i, array, (e & ~(PAGE_SIZE - 1)) + (a & (PAGE_SIZE - 1)), n);
            i += n;
        }
    }
}
