package dev.jvmx.translator.mem;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

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

    // Little-endian RAM accesses for generated code. A translated block calls these rather than
    // the VarHandles: until HotSpot compiles the block, its bytecode runs in the interpreter, where
    // a VarHandle access links through several guard frames per call, while a call to one of these
    // (compiled early, since every block shares them) is one static call; compiled, both inline alike.

    /** The 16-bit value at {@code i}, zero-extended. */
    public static int ram16(byte[] ram, int i) {
        return (short) VH16.get(ram, i) & 0xFFFF;
    }

    public static int ram32(byte[] ram, int i) {
        return (int) VH32.get(ram, i);
    }

    public static void setRam16(byte[] ram, int i, int v) {
        VH16.set(ram, i, (short) v);
    }

    public static void setRam32(byte[] ram, int i, int v) {
        VH32.set(ram, i, v);
    }

    public static final int PAGE_SHIFT = 12;
    public static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    /** pageMap entry bits (the offset is page aligned, so the low bits are free). */
    public static final int MAP_READONLY = 1;
    public static final int UNMAPPED = -1;

    /** RAM followed by ROM images. */
    public final byte[] array;
    public final int ramSize;
    private int romTop;
    private final int[] pageMap = new int[1 << 20];
    /** Per physical page: translated code lies on it, so writes there take the slow path. */
    private final boolean[] codePage = new boolean[1 << 20];
    private final MmioDevice[] mmio = new MmioDevice[1 << 20];
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
     * {@link #arrayLength arrayLength(ramBytes, romBytes)} bytes made beforehand (so that its
     * allocation can overlap other start-up work), else a new one.
     */
    public PhysicalMemory(int ramBytes, int romBytes, byte[] zeroed) {
        if (ramBytes <= 0 || (ramBytes & (PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException("RAM size must be a positive multiple of 4 KiB: " + ramBytes);
        }
        this.ramSize = ramBytes;
        int length = arrayLength(ramBytes, romBytes);
        this.array = zeroed != null && zeroed.length == length ? zeroed : new byte[length];
        this.romTop = ramBytes;
        Arrays.fill(pageMap, UNMAPPED);
        for (int p = 0; p < ramBytes >>> PAGE_SHIFT; p++) {
            pageMap[p] = p << PAGE_SHIFT;
        }
    }

    /** The length of the array holding {@code ramBytes} of RAM and {@code romBytes} of ROM space. */
    public static int arrayLength(int ramBytes, int romBytes) {
        return ramBytes + ((romBytes + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));
    }

    /**
     * Places a ROM image at physical address {@code phys} (read-only), returning its offset in
     * the array so aliases can map the same bytes.
     */
    public int loadRom(int phys, byte[] image) {
        int size = (image.length + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
        if (romTop + size > array.length) {
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
            setPage((phys + i) >>> PAGE_SHIFT, UNMAPPED);
            mmio[(phys + i) >>> PAGE_SHIFT] = device;
        }
    }

    private void setPage(int page, int entry) {
        boolean inWindows = page < ramSize >>> PAGE_SHIFT
                && (page < LOW_RAM_TOP >>> PAGE_SHIFT || page >= HIGH_RAM_BASE >>> PAGE_SHIFT);
        if (inWindows) {
            remappedRam += (isOwnRam(page, entry) ? 0 : 1) - (isOwnRam(page, pageMap[page]) ? 0 : 1);
        }
        pageMap[page] = entry;
    }

    /** The entry maps the page to its own place in the array, writable. */
    private static boolean isOwnRam(int page, int entry) {
        return entry == page << PAGE_SHIFT;
    }

    /**
     * True while every page of RAM below {@link #LOW_RAM_TOP} and from {@link #HIGH_RAM_BASE}
     * to {@link #ramSize} is writable RAM at its own place: there, the array index of a physical
     * address is the address.
     */
    public boolean windowsDirect() {
        return remappedRam == 0;
    }

    public int pageEntry(int phys) {
        return pageMap[phys >>> PAGE_SHIFT];
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

    public void clearCodePages() {
        Arrays.fill(codePage, false);
    }

    // ---- physical accesses (slow path, device DMA, loaders)

    public int read8(int phys) {
        int e = pageMap[phys >>> PAGE_SHIFT];
        if (e == UNMAPPED) {
            MmioDevice d = mmio[phys >>> PAGE_SHIFT];
            return d == null ? 0xFF : d.mmioRead(phys, 1) & 0xFF;
        }
        return array[(e & ~(PAGE_SIZE - 1)) + (phys & (PAGE_SIZE - 1))] & 0xFF;
    }

    public void write8(int phys, int v) {
        int e = pageMap[phys >>> PAGE_SHIFT];
        if (e == UNMAPPED) {
            MmioDevice d = mmio[phys >>> PAGE_SHIFT];
            if (d != null) {
                d.mmioWrite(phys, 1, v & 0xFF);
            }
            return;
        }
        if ((e & MAP_READONLY) == 0) {
            array[e + (phys & (PAGE_SIZE - 1))] = (byte) v;
        }
    }

    public int read32(int phys) {
        int e = pageMap[phys >>> PAGE_SHIFT];
        if (e != UNMAPPED && (phys & (PAGE_SIZE - 1)) <= PAGE_SIZE - 4) {
            return (int) VH32.get(array, (e & ~(PAGE_SIZE - 1)) + (phys & (PAGE_SIZE - 1)));
        }
        if (e == UNMAPPED && mmio[phys >>> PAGE_SHIFT] != null && (phys & 3) == 0) {
            return mmio[phys >>> PAGE_SHIFT].mmioRead(phys, 4);
        }
        return read8(phys) | read8(phys + 1) << 8 | read8(phys + 2) << 16 | read8(phys + 3) << 24;
    }

    public void write32(int phys, int v) {
        int e = pageMap[phys >>> PAGE_SHIFT];
        if (e != UNMAPPED && (e & MAP_READONLY) == 0 && (phys & (PAGE_SIZE - 1)) <= PAGE_SIZE - 4) {
            VH32.set(array, e + (phys & (PAGE_SIZE - 1)), v);
            return;
        }
        if (e == UNMAPPED && mmio[phys >>> PAGE_SHIFT] != null && (phys & 3) == 0) {
            mmio[phys >>> PAGE_SHIFT].mmioWrite(phys, 4, v);
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

    /** Copies bytes into physical memory, ROM included (loaders only). */
    public void load(int phys, byte[] data, int off, int len) {
        for (int i = 0; i < len; i++) {
            int a = phys + i;
            int e = pageMap[a >>> PAGE_SHIFT];
            if (e == UNMAPPED) {
                throw new IllegalArgumentException(String.format("load to unmapped physical address %#x", a));
            }
            array[(e & ~(PAGE_SIZE - 1)) + (a & (PAGE_SIZE - 1))] = data[off + i];
        }
    }
}
