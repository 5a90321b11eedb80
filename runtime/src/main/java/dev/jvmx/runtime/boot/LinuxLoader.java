package dev.jvmx.runtime.boot;

import dev.jvmx.devices.fwcfg.FwCfg;
import dev.jvmx.runtime.board.MemoryMap;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.cpu.SegmentCache;
import dev.jvmx.translator.mem.PhysicalMemory;
import dev.jvmx.translator.mem.TlbFlush;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Boots a Linux bzImage by the kernel's boot protocol (Documentation/arch/x86/boot.rst), in one
 * of two ways:
 * <ul>
 * <li>{@link #loadDirect}: no firmware. The protected-mode kernel and the initrd go into RAM,
 * the loader builds a zero page (struct boot_params: the setup header copied from the image,
 * the e820 map, screen_info, command line and initrd) and enters the 32-bit boot protocol:
 * flat __BOOT_CS (0x10) / __BOOT_DS (0x18), paging and interrupts off, ESI = the zero page,
 * EBX = EBP = EDI = 0, EIP = the load address.</li>
 * <li>{@link #handToFirmware}: with a BIOS. The setup code, kernel, initrd and command line
 * are fw_cfg items laid out as QEMU lays them out for its linuxboot option ROM, with the header
 * fields a loader writes already patched; the ROM (a fw_cfg "genroms/" file) copies them into
 * place and runs the kernel's real-mode setup under the BIOS.</li>
 * </ul>
 */
public final class LinuxLoader {
    /** type_of_loader: boot.rst asks loaders without an assigned ID to write 0xFF. */
    public static final int LOADER_ID_UNDEFINED = 0xFF;
    /** type_of_loader QEMU writes (0xB: QEMU, version 0): the fw_cfg path does what QEMU does. */
    public static final int LOADER_ID_QEMU = 0xB0;
    /** The boot protocol's segment selectors for the 32-bit entry. */
    public static final int BOOT_CS = 0x10, BOOT_DS = 0x18;

    // The zero page (Documentation/arch/x86/zero-page.rst).
    static final int ZP_SIZE = 4096;
    static final int ZP_EXT_MEM_K = 0x002;
    static final int ZP_ORIG_VIDEO_MODE = 0x006;
    static final int ZP_ORIG_VIDEO_COLS = 0x007;
    static final int ZP_ORIG_VIDEO_EGA_BX = 0x00A;
    static final int ZP_ORIG_VIDEO_LINES = 0x00E;
    static final int ZP_ORIG_VIDEO_ISVGA = 0x00F;
    static final int ZP_ORIG_VIDEO_POINTS = 0x010;
    static final int ZP_ACPI_RSDP_ADDR = 0x070;
    static final int ZP_ALT_MEM_K = 0x1E0;
    static final int ZP_E820_ENTRIES = 0x1E8;
    static final int ZP_E820_TABLE = 0x2D0;
    static final int E820_MAX_ENTRIES = 128;

    /** Where QEMU's -kernel puts the pieces for its option ROM (hw/i386/x86.c's layout for 2.02+ bzImages). */
    public static final int FW_REAL_ADDR = 0x10000, FW_CMDLINE_ADDR = 0x20000;
    /** RAM at the top that the firmware keeps for its tables; QEMU keeps the initrd below it. */
    public static final int FW_HIGH_RESERVED = 0x20000;
    /** QEMU's option ROM for fw_cfg with DMA (linuxboot.bin is the same over port I/O). */
    public static final String OPTION_ROM = "linuxboot_dma.bin";

    private LinuxLoader() { }

    /** What a direct boot put where (for the run's log and for tests). */
    public record Placement(long kernel, long kernelEnd, long initrd, long initrdSize, int zeroPage, int cmdline, int gdt) { }

    /** The command line as the kernel gets it (NUL-terminated), checked against cmdline_size. */
    static byte[] commandLine(BzImage k, String cmdline) throws ImageException {
        byte[] cl = (cmdline == null ? "" : cmdline).getBytes(StandardCharsets.US_ASCII);
        if (cl.length > k.cmdlineSize()) {
            throw new ImageException(String.format("the command line is %d bytes; %s accepts at most %d",
                    cl.length, k.file, k.cmdlineSize()));
        }
        byte[] z = new byte[cl.length + 1];
        System.arraycopy(cl, 0, z, 0, cl.length);
        return z;
    }

    /**
     * The initrd's address: as high as possible, page-aligned, below {@code limit} and at most
     * initrd_addr_max (boot.rst: "as high in memory as possible ... never above
     * initrd_addr_max"), and not below {@code floor}. The page below the highest byte allowed,
     * as QEMU computes it, so the option ROM sees the same numbers under both.
     */
    static long initrdAddress(BzImage k, long size, long floor, long limit) throws ImageException {
        long max = Math.min(limit - 1, k.initrdAddrMax());
        long addr = (max - size) & ~0xFFFL;
        if (size >= max || addr < floor) {
            throw new ImageException(String.format("the initrd (%d bytes) does not fit between %#x and %#x"
                    + " (below the kernel's initrd_addr_max %#x and the top of RAM); try a larger -m",
                    size, floor, max + 1, k.initrdAddrMax()));
        }
        return addr;
    }

    // ---- direct boot (no firmware)

    public static Placement loadDirect(BzImage k, byte[] initrd, String cmdline, PhysicalMemory mem, Cpu cpu,
            MemoryMap map, long rsdpAddress) throws ImageException {
        byte[] cl = commandLine(k, cmdline);
        long need = Math.max(k.kernelSize(), k.initSize());
        long load = BzImage.HIGH_LOAD_ADDRESS;
        long pref = k.prefAddress();
        long align = k.kernelAlignment();
        // boot.rst: a relocating loader "should attempt to load at this address if possible".
        if (k.relocatable() && pref != 0 && (align == 0 || pref % align == 0) && map.isRam(pref, need)) {
            load = pref;
        }
        if (!map.isRam(load, k.kernelSize())) {
            throw new ImageException(String.format("%s (%d bytes at %#x) does not fit in guest RAM (%d MiB); try a larger -m",
                    k.file, k.kernelSize(), load, mem.ramSize >> 20));
        }
        long kernelEnd = load + need;
        long initrdAddr = 0;
        if (initrd != null) {
            long top = map.ramTop();
            initrdAddr = initrdAddress(k, initrd.length, load >= MemoryMap.HIGH_MEMORY ? kernelEnd : MemoryMap.HIGH_MEMORY, top);
        }
        // The loader's own structures go into conventional memory the image and initrd do not use.
        LowMemory low = new LowMemory(map);
        low.occupy(load, kernelEnd);
        if (initrd != null) {
            low.occupy(initrdAddr, initrdAddr + initrd.length);
        }
        int zp = low.allocate(ZP_SIZE, ZP_SIZE);
        int clAddr = low.allocate(cl.length, 16);
        int gdt = low.allocate(32, 16);

        mem.load((int) load, k.bytes, k.setupSize, k.kernelSize());
        if (initrd != null) {
            mem.load((int) initrdAddr, initrd, 0, initrd.length);
        }
        mem.load(clAddr, cl, 0, cl.length);
        mem.load(zp, zeroPage(k, map, mem.ramSize, load, clAddr, initrdAddr, initrd == null ? 0 : initrd.length, rsdpAddress),
                0, ZP_SIZE);
        enter32(cpu, mem, gdt, zp, (int) load);
        return new Placement(load, kernelEnd, initrdAddr, initrd == null ? 0 : initrd.length, zp, clAddr, gdt);
    }

    /** struct boot_params for the 32-bit boot protocol. */
    static byte[] zeroPage(BzImage k, MemoryMap map, long ramBytes, long load, int cmdline, long initrd, int initrdSize,
            long rsdp) {
        byte[] zp = new byte[ZP_SIZE];
        // The setup header as the image has it, then what a loader must or may write (boot.rst).
        System.arraycopy(k.bytes, BzImage.SETUP_SECTS, zp, BzImage.SETUP_SECTS, k.headerEnd() - BzImage.SETUP_SECTS);
        zp[BzImage.TYPE_OF_LOADER] = (byte) LOADER_ID_UNDEFINED;
        zp[BzImage.LOADFLAGS] &= (byte) ~(BzImage.QUIET_FLAG | BzImage.KEEP_SEGMENTS | BzImage.CAN_USE_HEAP);
        put32(zp, BzImage.CODE32_START, (int) load);
        put32(zp, BzImage.CMD_LINE_PTR, cmdline);
        put32(zp, BzImage.RAMDISK_IMAGE, (int) initrd);
        put32(zp, BzImage.RAMDISK_SIZE, initrdSize);
        // screen_info: 80x25 colour text (mode 3) on a VGA, cursor at the top left, 16-line font.
        zp[ZP_ORIG_VIDEO_MODE] = 3;
        zp[ZP_ORIG_VIDEO_COLS] = 80;
        zp[ZP_ORIG_VIDEO_LINES] = 25;
        zp[ZP_ORIG_VIDEO_ISVGA] = 1;
        put16(zp, ZP_ORIG_VIDEO_EGA_BX, 0x0003); // BH 0: colour; BL 3: 256 KiB of video memory
        put16(zp, ZP_ORIG_VIDEO_POINTS, 16);
        long extKiB = Math.max(0, ramBytes - MemoryMap.HIGH_MEMORY) >> 10;
        put16(zp, ZP_EXT_MEM_K, (int) Math.min(extKiB, 0xFFFF));
        put32(zp, ZP_ALT_MEM_K, (int) Math.min(extKiB, 0xFFFFFFFFL));
        if (rsdp != 0 && k.protocol >= 0x020E) {
            put32(zp, ZP_ACPI_RSDP_ADDR, (int) rsdp); // 2.14+: where the RSDP is
        }
        List<MemoryMap.Range> e820 = map.ranges();
        int n = Math.min(e820.size(), E820_MAX_ENTRIES);
        zp[ZP_E820_ENTRIES] = (byte) n;
        for (int i = 0; i < n; i++) {
            MemoryMap.Range r = e820.get(i);
            int e = ZP_E820_TABLE + 20 * i;
            put32(zp, e, (int) r.base());
            put32(zp, e + 4, (int) (r.base() >>> 32));
            put32(zp, e + 8, (int) r.length());
            put32(zp, e + 12, (int) (r.length() >>> 32));
            put32(zp, e + 16, r.type());
        }
        return zp;
    }

    /** The 32-bit boot protocol's machine state (boot.rst, "32-bit BOOT PROTOCOL"). */
    private static void enter32(Cpu cpu, PhysicalMemory mem, int gdt, int zeroPage, int entry) {
        // GDT: null, unused, __BOOT_CS (0x10) 4 GiB execute/read, __BOOT_DS (0x18) 4 GiB read/write.
        mem.write32(gdt, 0);
        mem.write32(gdt + 4, 0);
        mem.write32(gdt + 8, 0);
        mem.write32(gdt + 12, 0);
        mem.write32(gdt + 16, 0x0000FFFF);
        mem.write32(gdt + 20, 0x00CF9B00);
        mem.write32(gdt + 24, 0x0000FFFF);
        mem.write32(gdt + 28, 0x00CF9300);
        cpu.gdtrBase = gdt;
        cpu.gdtrLimit = 31;
        cpu.cr0 = (cpu.cr0 | Cr0.PE) & ~Cr0.PG;
        int code = SegmentCache.AR_P | SegmentCache.AR_S | 0xB | SegmentCache.AR_DB | SegmentCache.AR_G;
        int data = SegmentCache.AR_P | SegmentCache.AR_S | 0x3 | SegmentCache.AR_DB | SegmentCache.AR_G;
        for (int s = 0; s < 6; s++) {
            cpu.seg[s].set(s == 1 ? BOOT_CS : BOOT_DS, 0, 0xFFFFFFFF, s == 1 ? code : data);
        }
        cpu.setEflags(Eflags.FIXED1);
        java.util.Arrays.fill(cpu.regs, 0);
        cpu.regs[Cpu.ESI] = zeroPage;
        cpu.regs[Cpu.ESP] = zeroPage; // not used by the protocol; below the zero page, never into it
        cpu.eip = entry;
        cpu.setCpl(0);
        cpu.halted = false;
        cpu.mmu.flushAll(TlbFlush.STATE_LOADED);
    }

    // ---- with a BIOS: fw_cfg for the linuxboot option ROM

    /**
     * Hands the kernel to the firmware through fw_cfg as QEMU does: the setup (real-mode part)
     * with its header patched for {@link #FW_REAL_ADDR}, the protected-mode kernel for 0x100000,
     * the initrd as high as the kernel and the firmware's reserved top of RAM allow, the command
     * line at {@link #FW_CMDLINE_ADDR}.
     */
    public static void handToFirmware(BzImage k, byte[] initrd, String cmdline, FwCfg fw, long ramBytes) throws ImageException {
        byte[] cl = commandLine(k, cmdline);
        byte[] setup = java.util.Arrays.copyOf(k.bytes, k.setupSize);
        setup[BzImage.TYPE_OF_LOADER] = (byte) LOADER_ID_QEMU;
        put32(setup, BzImage.CMD_LINE_PTR, FW_CMDLINE_ADDR);
        if (k.protocol >= 0x0201) {
            // The heap reaches up to the command line, which sits 0x10000 above the setup.
            setup[BzImage.LOADFLAGS] |= (byte) BzImage.CAN_USE_HEAP;
            put16(setup, BzImage.HEAP_END_PTR, FW_CMDLINE_ADDR - FW_REAL_ADDR - 0x200);
        }
        if (initrd != null) {
            long addr = initrdAddress(k, initrd.length, BzImage.HIGH_LOAD_ADDRESS + k.kernelSize(),
                    ramBytes - FW_HIGH_RESERVED);
            put32(setup, BzImage.RAMDISK_IMAGE, (int) addr);
            put32(setup, BzImage.RAMDISK_SIZE, initrd.length);
            fw.setLe32(FwCfg.FW_CFG_INITRD_ADDR, (int) addr);
            fw.setLe32(FwCfg.FW_CFG_INITRD_SIZE, initrd.length);
            fw.setItem(FwCfg.FW_CFG_INITRD_DATA, initrd);
        }
        if (BzImage.HIGH_LOAD_ADDRESS + (long) k.kernelSize() > ramBytes - FW_HIGH_RESERVED) {
            throw new ImageException(String.format("%s (%d bytes at 0x100000) does not fit in guest RAM (%d MiB); try a larger -m",
                    k.file, k.kernelSize(), ramBytes >> 20));
        }
        fw.setLe32(FwCfg.FW_CFG_CMDLINE_ADDR, FW_CMDLINE_ADDR);
        fw.setLe32(FwCfg.FW_CFG_CMDLINE_SIZE, cl.length);
        fw.setItem(FwCfg.FW_CFG_CMDLINE_DATA, cl);
        fw.setLe32(FwCfg.FW_CFG_KERNEL_ADDR, BzImage.HIGH_LOAD_ADDRESS);
        fw.setLe32(FwCfg.FW_CFG_KERNEL_SIZE, k.kernelSize());
        fw.setItem(FwCfg.FW_CFG_KERNEL_DATA, java.util.Arrays.copyOfRange(k.bytes, k.setupSize, k.bytes.length));
        fw.setLe32(FwCfg.FW_CFG_SETUP_ADDR, FW_REAL_ADDR);
        fw.setLe32(FwCfg.FW_CFG_SETUP_SIZE, setup.length);
        fw.setItem(FwCfg.FW_CFG_SETUP_DATA, setup);
    }

    /**
     * First-fit allocation in conventional memory (RAM below the EBDA, above the real-mode
     * interrupt vectors and BIOS data area), around the ranges a boot already uses.
     */
    static final class LowMemory {
        private static final long FIRST = 0x1000;
        private final long end;
        private final List<long[]> used = new ArrayList<>();

        LowMemory(MemoryMap map) {
            long e = FIRST;
            for (MemoryMap.Range r : map.ranges()) {
                if (r.type() == MemoryMap.E820_RAM && r.base() <= FIRST) {
                    e = Math.max(e, Math.min(r.end(), MemoryMap.EBDA_START));
                }
            }
            this.end = e;
        }

        void occupy(long from, long to) {
            used.add(new long[] {from, to});
        }

        int allocate(int size, int align) throws ImageException {
            long a = FIRST;
            boolean moved = true;
            while (moved) {
                moved = false;
                a = (a + align - 1) & -(long) align;
                for (long[] u : used) {
                    if (a < u[1] && a + size > u[0]) {
                        a = u[1];
                        moved = true;
                    }
                }
            }
            if (a + size > end) {
                throw new ImageException("no room below 640 KiB for the boot structures (the kernel and initrd fill it)");
            }
            used.add(new long[] {a, a + size});
            return (int) a;
        }
    }

    static int get32(byte[] b, int off) {
        return BzImage.u32(b, off);
    }

    static void put16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    static void put32(byte[] b, int off, int v) {
        put16(b, off, v);
        put16(b, off + 2, v >>> 16);
    }
}
