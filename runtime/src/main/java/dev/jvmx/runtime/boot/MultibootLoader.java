package dev.jvmx.runtime.boot;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.helpers.Segmentation;
import dev.jvmx.translator.mem.PhysicalMemory;
import dev.jvmx.translator.mem.TlbFlush;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads a Multiboot (version 1) ELF32 kernel and enters it as a Multiboot loader must
 * (Multiboot Specification 0.6.96, section 3.2): 32-bit protected mode, paging off, flat
 * CS and data segments, EAX = 0x2BADB002, EBX = the physical address of the Multiboot
 * information structure with the memory sizes and a memory map.
 */
public final class MultibootLoader {
    public static final int HEADER_MAGIC = 0x1BADB002;
    public static final int BOOT_MAGIC = 0x2BADB002;
    private static final int SEARCH_LIMIT = 8192;
    // What the loader builds goes in low memory (above the IVT/BDA, below the EBDA), wherever the
    // kernel's segments are not: the flat GDT at 0x500, then the information structure, the memory
    // map, the command line and the loader name in one block (see infoBlockAddress).
    private static final int GDT_ADDR = 0x500;
    private static final int GDT_END = 0x518;
    /** Where the block goes when nothing is loaded there (as jvmx always did). */
    static final int PREFERRED_INFO_ADDR = 0x9000;
    private static final int LOW_MEMORY_END = 0x9FC00;
    /** The stack the kernel is entered with grows down from here. */
    private static final int STACK_TOP = 0x7C00;
    private static final int STACK_RESERVE = 0x1000;
    private static final int MBI_SIZE = 88;
    private static final int MMAP_ENTRY = 24;
    private static final int MMAP_ENTRIES = 6;
    private static final long FIRMWARE_RESERVED = 128 * 1024;
    /** The largest kernel file read (read whole before it is parsed; kernels are a few MiB). */
    public static final long MAX_KERNEL_BYTES = 256L << 20;

    private MultibootLoader() { }

    /** Parsed and checked kernel, ready to load. */
    public static final class Kernel {
        final byte[] image;
        final Path file;
        final int entry;
        final ByteBuffer elf;

        Kernel(Path file, byte[] image, int entry) {
            this.file = file;
            this.image = image;
            this.entry = entry;
            this.elf = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    public static Kernel read(Path file) throws ImageException {
        byte[] img = ImageFiles.read(file, "kernel image", MAX_KERNEL_BYTES);
        int hdr = findHeader(img);
        if (hdr < 0) {
            throw new ImageException(file + " is not a Multiboot kernel: no Multiboot header (magic 0x1BADB002) "
                    + "with a valid checksum in its first 8 KiB");
        }
        ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
        int flags = b.getInt(hdr + 4);
        if ((flags & 0xFFFC) != 0 && (flags & 0x10000) == 0) {
            // Bits 2-15 are requirements a loader must refuse when it does not understand them.
            if ((flags & 0x0004) != 0) {
                throw new ImageException(file + " requires a video mode (Multiboot flag 2), which jvmx does not provide");
            }
        }
        if (img.length < 52 || img[0] != 0x7F || img[1] != 'E' || img[2] != 'L' || img[3] != 'F') {
            if ((flags & 0x10000) != 0) {
                throw new ImageException(file + ": a.out-kludge Multiboot kernels (flag 16) are not supported; use ELF32");
            }
            throw new ImageException(file + " is not an ELF file");
        }
        if (img[4] != 1 || img[5] != 1) {
            throw new ImageException(file + " is not a 32-bit little-endian ELF file (ELFCLASS32, ELFDATA2LSB)");
        }
        int type = b.getShort(16) & 0xFFFF;
        int machine = b.getShort(18) & 0xFFFF;
        if (type != 2 || machine != 3) {
            throw new ImageException(file + " is not an i386 executable (e_type " + type + ", e_machine " + machine + ")");
        }
        return new Kernel(file, img, b.getInt(24));
    }

    private static int findHeader(byte[] img) {
        ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
        for (int off = 0; off + 12 <= Math.min(img.length, SEARCH_LIMIT); off += 4) {
            if (b.getInt(off) == HEADER_MAGIC && b.getInt(off) + b.getInt(off + 4) + b.getInt(off + 8) == 0) {
                return off;
            }
        }
        return -1;
    }

    /** Copies the PT_LOAD segments, builds the information structure and sets the CPU state. */
    public static void load(Kernel k, PhysicalMemory mem, Cpu cpu, String cmdline) throws ImageException {
        ByteBuffer b = k.elf;
        int phoff = b.getInt(28);
        int phentsize = b.getShort(42) & 0xFFFF;
        int phnum = b.getShort(44) & 0xFFFF;
        if (phnum == 0 || phoff <= 0 || phoff + (long) phnum * phentsize > k.image.length || phentsize < 32) {
            throw new ImageException(k.file + ": malformed ELF program header table");
        }
        int loaded = 0;
        java.util.List<long[]> segments = new java.util.ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int ph = phoff + i * phentsize;
            if (b.getInt(ph) != 1) { // PT_LOAD
                continue;
            }
            int off = b.getInt(ph + 4);
            int paddr = b.getInt(ph + 12);
            int filesz = b.getInt(ph + 16);
            int memsz = b.getInt(ph + 20);
            if (off < 0 || filesz < 0 || memsz < filesz || (long) off + filesz > k.image.length) {
                throw new ImageException(k.file + ": malformed ELF segment " + i);
            }
            if (Integer.toUnsignedLong(paddr) + Integer.toUnsignedLong(memsz) > mem.ramSize || Integer.compareUnsigned(paddr, 0x100000) < 0 && memsz > 0 && paddr + memsz > 0xA0000) {
                throw new ImageException(String.format("%s: segment %d at %#x..%#x does not fit in guest RAM (%d MiB); try a larger -m",
                        k.file, i, paddr, paddr + memsz, mem.ramSize >> 20));
            }
            mem.load(paddr, k.image, off, filesz);
            mem.load(paddr + filesz, new byte[memsz - filesz], 0, memsz - filesz);
            segments.add(new long[] {Integer.toUnsignedLong(paddr), Integer.toUnsignedLong(paddr) + Integer.toUnsignedLong(memsz)});
            loaded++;
        }
        if (loaded == 0) {
            throw new ImageException(k.file + ": no loadable (PT_LOAD) segment");
        }
        for (long[] seg : segments) {
            if (seg[0] < GDT_END && seg[1] > GDT_ADDR) {
                throw new ImageException(String.format("%s: a segment at %#x..%#x covers the loader's GDT at %#x",
                        k.file, seg[0], seg[1], GDT_ADDR));
            }
        }
        // The command line starts with the kernel's file name, then --append's text, as QEMU's
        // Multiboot loader builds it: a kernel finds its arguments from argv[1] on.
        String cl = k.file + " " + (cmdline == null ? "" : cmdline);
        int size = infoBlockSize(cl);
        long at = infoBlockAddress(segments, size, mem.ramSize);
        if (at < 0) {
            throw new ImageException(k.file + ": no room in guest RAM for the Multiboot information beside the kernel");
        }
        buildInfo(mem, cl, (int) at);
        enter(cpu, mem, k.entry, (int) at);
    }

    /** Bytes of the block: information structure, memory map, command line, loader name. */
    static int infoBlockSize(String cmdline) {
        return MBI_SIZE + MMAP_ENTRIES * MMAP_ENTRY + cmdline.getBytes(StandardCharsets.US_ASCII).length + 1 + 5;
    }

    /**
     * Where the information block goes: 0x9000 when free, else the lowest 256-byte-aligned place
     * in low memory that no segment and not the entry stack (the 4 KiB below 0x7C00) covers, else
     * the first page above the highest segment. -1 if nothing fits in RAM.
     */
    static long infoBlockAddress(java.util.List<long[]> segments, int size, long ramSize) {
        if (free(segments, PREFERRED_INFO_ADDR, size)) {
            return PREFERRED_INFO_ADDR;
        }
        for (long a = 0x1000; a + size <= LOW_MEMORY_END; a += 0x100) {
            if (free(segments, a, size)) {
                return a;
            }
        }
        long top = 0;
        for (long[] seg : segments) {
            top = Math.max(top, seg[1]);
        }
        long a = Math.max(0x100000, (top + 0xFFF) & ~0xFFFL);
        return a + size <= ramSize ? a : -1;
    }

    private static boolean free(java.util.List<long[]> segments, long a, int size) {
        long end = a + size;
        if (a < STACK_TOP && end > STACK_TOP - STACK_RESERVE) {
            return false;
        }
        for (long[] seg : segments) {
            if (a < seg[1] && end > seg[0]) {
                return false;
            }
        }
        return true;
    }

    private static void buildInfo(PhysicalMemory mem, String cmdline, int mbi) {
        int mmapAddr = mbi + MBI_SIZE;
        int cmdlineAddr = mmapAddr + MMAP_ENTRIES * MMAP_ENTRY;
                // The map a PC firmware reports (and so what QEMU's -kernel passes on): a 1 KiB EBDA
        // below 640 KiB, the BIOS area, and the top 128 KiB of RAM kept by the firmware.
        long top = mem.ramSize - FIRMWARE_RESERVED;
        long[][] map = {
            {0, 0x9FC00, 1},
            {0x9FC00, 0x400, 2},
            {0xF0000, 0x10000, 2},
            {0x100000, top - 0x100000L, 1},
            {top, FIRMWARE_RESERVED, 2},
            {0xFFFC0000L, 0x40000, 2},
        };
        // Every field not written below is zero: no modules (mods_count, mods_addr), no symbols.
        mem.load(mbi, new byte[MBI_SIZE], 0, MBI_SIZE);
        int p = mmapAddr;
        for (long[] e : map) {
            mem.write32(p, 20);
            mem.write32(p + 4, (int) e[0]);
            mem.write32(p + 8, (int) (e[0] >>> 32));
            mem.write32(p + 12, (int) e[1]);
            mem.write32(p + 16, (int) (e[1] >>> 32));
            mem.write32(p + 20, (int) e[2]);
            p += 24;
        }
        byte[] cl = (cmdline + "\0").getBytes(StandardCharsets.US_ASCII);
        mem.load(cmdlineAddr, cl, 0, cl.length);
        int loaderNameAddr = cmdlineAddr + cl.length;
        byte[] name = "jvmx\0".getBytes(StandardCharsets.US_ASCII);
        mem.load(loaderNameAddr, name, 0, name.length);
        int flags = 1 /* mem */ | 4 /* cmdline */ | 0x40 /* mmap */ | 0x200 /* boot loader name */;
        mem.write32(mbi, flags);
        mem.write32(mbi + 4, 639);              // mem_lower: KiB below the EBDA
        mem.write32(mbi + 8, (int) (top / 1024) - 1024); // mem_upper: KiB from 1 MiB to the first hole
        mem.write32(mbi + 16, cmdlineAddr);
        mem.write32(mbi + 20, 0);               // mods_count
        mem.write32(mbi + 24, 0);               // mods_addr
        mem.write32(mbi + 44, p - mmapAddr);    // mmap_length
        mem.write32(mbi + 48, mmapAddr);        // mmap_addr
        mem.write32(mbi + 64, loaderNameAddr);
    }

    private static void enter(Cpu cpu, PhysicalMemory mem, int entry, int mbi) {
        // A flat GDT so that a kernel reloading its segment registers before its own LGDT still works.
        mem.write32(GDT_ADDR, 0);
        mem.write32(GDT_ADDR + 4, 0);
        mem.write32(GDT_ADDR + 8, 0x0000FFFF);
        mem.write32(GDT_ADDR + 12, 0x00CF9B00);  // 0x08: code, base 0, limit 4 GiB, 32-bit
        mem.write32(GDT_ADDR + 16, 0x0000FFFF);
        mem.write32(GDT_ADDR + 20, 0x00CF9300);  // 0x10: data, base 0, limit 4 GiB
        cpu.gdtrBase = GDT_ADDR;
        cpu.gdtrLimit = 23;
        cpu.cr0 = (cpu.cr0 | Cr0.PE) & ~Cr0.PG;
        Segmentation.loadFlat32(cpu, 0x08, 0x10);
        cpu.setEflags(Eflags.FIXED1);
        cpu.regs[Cpu.EAX] = BOOT_MAGIC;
        cpu.regs[Cpu.EBX] = mbi;
        cpu.regs[Cpu.ECX] = cpu.regs[Cpu.EDX] = cpu.regs[Cpu.ESI] = cpu.regs[Cpu.EDI] = cpu.regs[Cpu.EBP] = 0;
        cpu.regs[Cpu.ESP] = 0x7C00;
        cpu.eip = entry;
        cpu.setCpl(0);
        cpu.mmu.flushAll(TlbFlush.STATE_LOADED);
    }
}
