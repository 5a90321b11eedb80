package dev.jvmx.runtime.boot;

import dev.jvmx.devices.fwcfg.FwCfg;
import dev.jvmx.runtime.board.MemoryMap;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.mem.PhysicalMemory;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Linux boot protocol loader against the kernel's Documentation/arch/x86/boot.rst and
 * zero-page.rst, with synthetic bzImages whose header fields are set by hand. Expected values
 * are the documents' (offsets, the 32-bit entry state) and QEMU's documented -kernel layout for
 * the fw_cfg path (setup at 0x10000, command line at 0x20000, kernel at 0x100000).
 */
class LinuxLoaderTest {
    static final Path FILE = Path.of("test-bzImage");
    static final int RAM = 64 << 20;

    /** A bzImage: {@code setupSects} setup sectors, a protected-mode part of {@code kernelBytes}. */
    static byte[] image(int protocol, int setupSects, int kernelBytes) {
        byte[] b = new byte[(setupSects + 1) * 512 + kernelBytes];
        b[BzImage.SETUP_SECTS] = (byte) setupSects;
        put16(b, BzImage.BOOT_FLAG, 0xAA55);
        b[BzImage.JUMP] = (byte) 0xEB;
        b[BzImage.JUMP + 1] = 0x6A;                      // header ends at 0x202 + 0x6A = 0x26C
        put32(b, BzImage.HEADER, 0x53726448);            // "HdrS"
        put16(b, BzImage.VERSION, protocol);
        b[BzImage.LOADFLAGS] = (byte) (BzImage.LOADED_HIGH | BzImage.QUIET_FLAG);
        put32(b, BzImage.CODE32_START, 0x100000);
        put32(b, BzImage.SYSSIZE, (kernelBytes + 15) / 16);
        put32(b, BzImage.INITRD_ADDR_MAX, 0x7FFFFFFF);
        put32(b, BzImage.KERNEL_ALIGNMENT, 0x1000);
        put32(b, BzImage.CMDLINE_SIZE, 2047);
        put16(b, BzImage.VID_MODE, 0xFFFF);
        for (int i = 0; i < kernelBytes; i++) {
            b[(setupSects + 1) * 512 + i] = (byte) (i * 7 + 1);
        }
        return b;
    }

    static void put16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    static void put32(byte[] b, int off, int v) {
        put16(b, off, v);
        put16(b, off + 2, v >>> 16);
    }

    private static PhysicalMemory mem() {
        return new PhysicalMemory(RAM, 0);
    }

    private static String cString(PhysicalMemory m, int addr) {
        StringBuilder sb = new StringBuilder();
        for (int a = addr; m.read8(a) != 0; a++) {
            sb.append((char) m.read8(a));
        }
        return sb.toString();
    }

    // ---- the header checks: one line each, exit 2 from the command line

    @Test
    void protocolOlderThan202IsRefused() {
        ImageException e = assertThrows(ImageException.class, () -> BzImage.parse(FILE, image(0x0201, 4, 4096)));
        assertTrue(e.getMessage().contains("protocol 2.01") && e.getMessage().contains("2.02 or later"), e.getMessage());
    }

    @Test
    void truncatedImageIsRefused() {
        byte[] full = image(0x020F, 4, 8192);
        byte[] cut = java.util.Arrays.copyOf(full, full.length - 100);
        ImageException e = assertThrows(ImageException.class, () -> BzImage.parse(FILE, cut));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains(Integer.toString(full.length)), e.getMessage());
    }

    @Test
    void zImageIsRefused() {
        byte[] b = image(0x0202, 4, 4096);
        b[BzImage.LOADFLAGS] = 0;
        ImageException e = assertThrows(ImageException.class, () -> BzImage.parse(FILE, b));
        assertTrue(e.getMessage().contains("zImage"), e.getMessage());
    }

    @Test
    void setupSectsZeroMeansFour() throws Exception {
        byte[] b = image(0x0202, 4, 4096);
        b[BzImage.SETUP_SECTS] = 0;
        assertEquals(5 * 512, BzImage.parse(FILE, b).setupSize);
    }

    @Test
    void longCommandLineIsRefused() throws Exception {
        BzImage k = BzImage.parse(FILE, image(0x020F, 4, 4096));
        ImageException e = assertThrows(ImageException.class, () -> LinuxLoader.loadDirect(k, null, "x".repeat(2048),
                mem(), new Cpu(mem()), MemoryMap.pc(RAM), 0));
        assertTrue(e.getMessage().contains("2048 bytes") && e.getMessage().contains("at most 2047"), e.getMessage());
    }

    // ---- the 32-bit boot protocol

    @Test
    void directBootBuildsTheZeroPageAndEntersThe32BitProtocol() throws Exception {
        byte[] img = image(0x020F, 4, 8192);
        BzImage k = BzImage.parse(FILE, img);
        PhysicalMemory m = mem();
        Cpu cpu = new Cpu(m);
        byte[] initrd = new byte[10_000];
        initrd[0] = 0x42;
        initrd[9_999] = 0x43;
        LinuxLoader.Placement p = LinuxLoader.loadDirect(k, initrd, "console=ttyS0 quiet", m, cpu, MemoryMap.pc(RAM), 0xE0000);

        // Not relocatable: the protected-mode code at 0x100000, byte for byte.
        assertEquals(0x100000, p.kernel());
        for (int i = 0; i < 8192; i += 511) {
            assertEquals(img[5 * 512 + i] & 0xFF, m.read8(0x100000 + i), "kernel byte " + i);
        }
        // The initrd: page-aligned, as high as RAM allows (below the top of RAM and initrd_addr_max).
        long expectInitrd = ((RAM - 1) - 10_000) & ~0xFFFL;
        assertEquals(expectInitrd, p.initrd());
        assertEquals(0x42, m.read8((int) expectInitrd));
        assertEquals(0x43, m.read8((int) expectInitrd + 9_999));

        int zp = p.zeroPage();
        assertEquals(0, zp & 0xFFF, "zero page on a page boundary");
        // The setup header from 0x1F1 to its end (0x202 + 0x6A) is the image's, except what a loader writes.
        for (int off = 0x1F1; off < 0x26C; off++) {
            boolean written = off == 0x210 || off == 0x211 || (off >= 0x214 && off < 0x220) || (off >= 0x228 && off < 0x22C);
            if (!written) {
                assertEquals(img[off] & 0xFF, m.read8(zp + off), String.format("header byte %#x copied", off));
            }
        }
        assertEquals(0xFF, m.read8(zp + 0x210), "type_of_loader: undefined loader");
        assertEquals(BzImage.LOADED_HIGH, m.read8(zp + 0x211), "loadflags: QUIET cleared");
        assertEquals(0x100000, m.read32(zp + 0x214), "code32_start");
        assertEquals((int) expectInitrd, m.read32(zp + 0x218), "ramdisk_image");
        assertEquals(10_000, m.read32(zp + 0x21C), "ramdisk_size");
        assertEquals("console=ttyS0 quiet", cString(m, m.read32(zp + 0x228)), "cmd_line_ptr");
        assertEquals(0xE0000, m.read32(zp + 0x070), "acpi_rsdp_addr (protocol 2.14+)");
        // screen_info: mode 3, 80x25, VGA, 16-line font.
        assertEquals(3, m.read8(zp + 0x006));
        assertEquals(80, m.read8(zp + 0x007));
        assertEquals(25, m.read8(zp + 0x00E));
        assertEquals(1, m.read8(zp + 0x00F));
        assertEquals(16, m.read16(zp + 0x010));
        assertEquals((RAM >> 10) - 1024, m.read32(zp + 0x1E0), "alt_mem_k: KiB above 1 MiB");
        // e820: 640 KiB less the EBDA, the EBDA, the BIOS area, RAM from 1 MiB.
        long[][] e820 = {{0, 0x9FC00, 1}, {0x9FC00, 0x400, 2}, {0xE0000, 0x20000, 2}, {0x100000, RAM - 0x100000, 1}};
        assertEquals(e820.length, m.read8(zp + 0x1E8), "e820_entries");
        for (int i = 0; i < e820.length; i++) {
            int e = zp + 0x2D0 + 20 * i;
            assertEquals(e820[i][0], m.read32(e) & 0xFFFFFFFFL, "e820 base " + i);
            assertEquals(0, m.read32(e + 4));
            assertEquals(e820[i][1], m.read32(e + 8) & 0xFFFFFFFFL, "e820 size " + i);
            assertEquals(e820[i][2], m.read32(e + 16), "e820 type " + i);
        }

        // boot.rst: flat __BOOT_CS 0x10 execute/read, __BOOT_DS 0x18 read/write for DS, ES, SS;
        // paging and interrupts off; ESI the zero page; EBP, EDI, EBX zero.
        assertEquals(0x100000, cpu.eip);
        assertEquals(0x10, cpu.seg[Seg.CS].selector);
        for (int s : new int[] {Seg.DS, Seg.ES, Seg.SS}) {
            assertEquals(0x18, cpu.seg[s].selector);
            assertEquals(0, cpu.seg[s].base);
            assertEquals(0xFFFFFFFF, cpu.seg[s].limit);
        }
        int gdt = cpu.gdtrBase;
        assertEquals(0x00CF9B00, m.read32(gdt + 0x10 + 4), "GDT[0x10]: present code, execute/read, 4 KiB pages, 32-bit");
        assertEquals(0x0000FFFF, m.read32(gdt + 0x10));
        assertEquals(0x00CF9300, m.read32(gdt + 0x18 + 4), "GDT[0x18]: present data, read/write");
        assertEquals(0x0000FFFF, m.read32(gdt + 0x18));
        assertEquals(Cr0.PE, cpu.cr0 & (Cr0.PE | Cr0.PG));
        assertEquals(0, cpu.getEflags() & Eflags.IF);
        assertEquals(zp, cpu.regs[Cpu.ESI]);
        assertEquals(0, cpu.regs[Cpu.EBX]);
        assertEquals(0, cpu.regs[Cpu.EBP]);
        assertEquals(0, cpu.regs[Cpu.EDI]);
    }

    @Test
    void structuresGoWhereTheKernelIsNot() throws Exception {
        // A relocatable kernel preferring 0x1000, where the loader's structures would otherwise go.
        byte[] img = image(0x020F, 4, 0x6000);
        img[BzImage.RELOCATABLE_KERNEL] = 1;
        put32(img, BzImage.PREF_ADDRESS, 0x1000);
        put32(img, BzImage.INIT_SIZE, 0x8000);
        BzImage k = BzImage.parse(FILE, img);
        PhysicalMemory m = mem();
        Cpu cpu = new Cpu(m);
        LinuxLoader.Placement p = LinuxLoader.loadDirect(k, null, "root=/dev/ram0", m, cpu, MemoryMap.pc(RAM), 0);
        assertEquals(0x1000, p.kernel(), "loaded at pref_address (boot.rst: a relocating loader should)");
        assertEquals(0x1000, cpu.eip);
        long end = 0x1000 + 0x8000; // init_size from the load address
        for (int s : new int[] {p.zeroPage(), p.cmdline(), p.gdt()}) {
            assertTrue(s >= end, String.format("structure at %#x inside the kernel's %#x-%#x", s, 0x1000, end));
        }
        for (int i = 0; i < 0x6000; i += 97) {
            assertEquals(img[5 * 512 + i] & 0xFF, m.read8(0x1000 + i), "kernel byte " + i + " intact");
        }
        assertEquals("root=/dev/ram0", cString(m, m.read32(p.zeroPage() + 0x228)));
        assertEquals(0x1000, m.read32(p.zeroPage() + 0x214), "code32_start is the load address");
    }

    @Test
    void initrdMustFitBelowInitrdAddrMax() throws Exception {
        byte[] img = image(0x020F, 4, 4096);
        put32(img, BzImage.INITRD_ADDR_MAX, 0x00200FFF); // 2 MiB + 4 KiB - 1
        BzImage k = BzImage.parse(FILE, img);
        PhysicalMemory m = mem();
        // 0x1000 bytes whose last byte is at most 0x200FFF: the highest page-aligned start is 0x1FF000.
        LinuxLoader.Placement p = LinuxLoader.loadDirect(k, new byte[0x1000], "", m, new Cpu(m), MemoryMap.pc(RAM), 0);
        assertEquals(0x1FF000, p.initrd());
        assertTrue(p.initrd() + 0x1000 - 1 <= 0x00200FFF);
        ImageException e = assertThrows(ImageException.class,
                () -> LinuxLoader.loadDirect(k, new byte[0x200000], "", m, new Cpu(m), MemoryMap.pc(RAM), 0));
        assertTrue(e.getMessage().contains("does not fit") && e.getMessage().contains("initrd_addr_max 0x200fff"), e.getMessage());
    }

    @Test
    void initrdLargerThanRamIsRefused() throws Exception {
        BzImage k = BzImage.parse(FILE, image(0x020F, 4, 4096));
        PhysicalMemory m = mem();
        ImageException e = assertThrows(ImageException.class,
                () -> LinuxLoader.loadDirect(k, new byte[RAM], "", m, new Cpu(m), MemoryMap.pc(RAM), 0));
        assertTrue(e.getMessage().contains("the initrd (" + RAM + " bytes) does not fit"), e.getMessage());
    }

    // ---- with a BIOS: fw_cfg as QEMU fills it for linuxboot.bin

    @Test
    void firmwareGetsSetupKernelInitrdAndCommandLineThroughFwCfg() throws Exception {
        byte[] img = image(0x020F, 4, 8192);
        BzImage k = BzImage.parse(FILE, img);
        FwCfg fw = new FwCfg();
        byte[] initrd = new byte[5000];
        LinuxLoader.handToFirmware(k, initrd, "console=ttyS0", fw, RAM);
        // Initrd: below the top of RAM less the firmware's 128 KiB, page-aligned from the last byte allowed.
        int initrdAddr = (int) (((RAM - 0x20000 - 1) - 5000) & ~0xFFFL);
        assertEquals(initrdAddr, le32(fw.item(FwCfg.FW_CFG_INITRD_ADDR)));
        assertEquals(5000, le32(fw.item(FwCfg.FW_CFG_INITRD_SIZE)));
        assertArrayEquals(initrd, fw.item(FwCfg.FW_CFG_INITRD_DATA));
        assertEquals(0x20000, le32(fw.item(FwCfg.FW_CFG_CMDLINE_ADDR)));
        assertEquals(14, le32(fw.item(FwCfg.FW_CFG_CMDLINE_SIZE)), "with its NUL");
        assertEquals("console=ttyS0\0", new String(fw.item(FwCfg.FW_CFG_CMDLINE_DATA), java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(0x100000, le32(fw.item(FwCfg.FW_CFG_KERNEL_ADDR)));
        assertEquals(8192, le32(fw.item(FwCfg.FW_CFG_KERNEL_SIZE)));
        assertArrayEquals(java.util.Arrays.copyOfRange(img, 5 * 512, img.length), fw.item(FwCfg.FW_CFG_KERNEL_DATA));
        assertEquals(0x10000, le32(fw.item(FwCfg.FW_CFG_SETUP_ADDR)));
        assertEquals(5 * 512, le32(fw.item(FwCfg.FW_CFG_SETUP_SIZE)));
        byte[] setup = fw.item(FwCfg.FW_CFG_SETUP_DATA);
        assertEquals(5 * 512, setup.length);
        assertEquals(0xB0, setup[0x210] & 0xFF, "type_of_loader: QEMU's");
        assertEquals(BzImage.LOADED_HIGH | BzImage.QUIET_FLAG | BzImage.CAN_USE_HEAP, setup[0x211] & 0xFF, "loadflags |= CAN_USE_HEAP");
        assertEquals(0x20000 - 0x10000 - 0x200, (setup[0x224] & 0xFF) | (setup[0x225] & 0xFF) << 8, "heap_end_ptr");
        assertEquals(0x20000, LinuxLoader.get32(setup, 0x228), "cmd_line_ptr");
        assertEquals(initrdAddr, LinuxLoader.get32(setup, 0x218), "ramdisk_image");
        assertEquals(5000, LinuxLoader.get32(setup, 0x21C), "ramdisk_size");
    }

    private static int le32(byte[] b) {
        return LinuxLoader.get32(b, 0);
    }
}
