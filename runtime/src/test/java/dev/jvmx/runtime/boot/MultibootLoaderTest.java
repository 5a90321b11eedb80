package dev.jvmx.runtime.boot;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.mem.PhysicalMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loader's own structures go where the kernel is not (Multiboot Specification 0.6.96, 3.3:
 * the information structure "may be placed anywhere in memory by the boot loader"), and the
 * fields of absent information are zero.
 */
class MultibootLoaderTest {
    @TempDir
    Path dir;

    /** An ELF32 i386 executable: one PT_LOAD of {@code size} bytes at {@code addr}, the Multiboot header first. */
    static byte[] kernel(int addr, int size) {
        ByteBuffer b = ByteBuffer.allocate(0x1000 + size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7F, 'E', 'L', 'F', 1, 1, 1});
        b.putShort(16, (short) 2);       // ET_EXEC
        b.putShort(18, (short) 3);       // EM_386
        b.putInt(20, 1);
        b.putInt(24, addr + 12);         // entry: after the header
        b.putInt(28, 52);                // e_phoff
        b.putShort(40, (short) 52);
        b.putShort(42, (short) 32);      // e_phentsize
        b.putShort(44, (short) 1);       // e_phnum
        b.putInt(52, 1);                 // PT_LOAD
        b.putInt(56, 0x1000);            // p_offset
        b.putInt(60, addr);
        b.putInt(64, addr);
        b.putInt(68, size);
        b.putInt(72, size);
        b.putInt(76, 5);
        b.putInt(0x1000, MultibootLoader.HEADER_MAGIC);
        b.putInt(0x1004, 0);
        b.putInt(0x1008, -MultibootLoader.HEADER_MAGIC);
        for (int i = 12; i < size; i++) {
            b.put(0x1000 + i, (byte) 0xF4); // hlt
        }
        return b.array();
    }

    Cpu load(int addr, int size, String append) throws Exception {
        Path f = dir.resolve("k.elf");
        Files.write(f, kernel(addr, size));
        PhysicalMemory mem = new PhysicalMemory(32 << 20, 0);
        Cpu cpu = new Cpu(mem);
        MultibootLoader.load(MultibootLoader.read(f), mem, cpu, append);
        return cpu;
    }

    static String string(PhysicalMemory m, int a) {
        StringBuilder s = new StringBuilder();
        for (int c; (c = m.read8(a++)) != 0; ) {
            s.append((char) c);
        }
        return s.toString();
    }

    static void outside(int start, int end, int lo, int hi) {
        assertTrue(end <= lo || start >= hi, String.format("%#x..%#x overlaps the kernel at %#x..%#x", start, end, lo, hi));
    }

    @Test
    void kernelAt0x8000KeepsItsCode() throws Exception {
        Cpu cpu = load(0x8000, 0x5A30, "one two");
        PhysicalMemory m = cpu.memory;
        int mbi = cpu.regs[Cpu.EBX];
        assertEquals(MultibootLoader.BOOT_MAGIC, cpu.regs[Cpu.EAX]);
        assertEquals(0x8000 + 12, cpu.eip);
        outside(mbi, mbi + 88, 0x8000, 0xDA30);
        int flags = m.read32(mbi);
        assertEquals(0x245, flags, "mem, cmdline, mmap, loader name: no modules (bit 3)");
        assertEquals(0, m.read32(mbi + 20), "mods_count");
        assertEquals(0, m.read32(mbi + 24), "mods_addr");
        int cmdline = m.read32(mbi + 16);
        assertEquals(dir.resolve("k.elf") + " one two", string(m, cmdline), "FILE ARGS, as QEMU builds it");
        outside(cmdline, cmdline + 64, 0x8000, 0xDA30);
        int mmap = m.read32(mbi + 48), len = m.read32(mbi + 44);
        outside(mmap, mmap + len, 0x8000, 0xDA30);
        assertEquals(6 * 24, len);
        assertEquals(20, m.read32(mmap), "entry size");
        assertEquals("jvmx", string(m, m.read32(mbi + 64)));
        for (int a = 0x8000 + 12; a < 0x8000 + 0x5A30; a += 0x400) {
            assertEquals(0xF4, m.read8(a), "kernel byte at " + Integer.toHexString(a));
        }
    }

    @Test
    void usualPlaceWhenFree() throws Exception {
        Cpu cpu = load(0x100000, 0x2000, null);
        assertEquals(MultibootLoader.PREFERRED_INFO_ADDR, cpu.regs[Cpu.EBX]);
        assertEquals(dir.resolve("k.elf") + " ", string(cpu.memory, cpu.memory.read32(cpu.regs[Cpu.EBX] + 16)));
    }

    @Test
    void placementSearch() {
        int size = MultibootLoader.infoBlockSize("x");
        // Low memory all taken (but the GDT): above the kernel.
        assertEquals(0x1FF000, MultibootLoader.infoBlockAddress(List.of(new long[] {0x600, 0x9FC00},
                new long[] {0x100000, 0x1FF000}), size, 32 << 20));
        // 0x9000 taken: the lowest free 256-byte slot from 0x1000, not under the entry stack.
        assertEquals(0x1000, MultibootLoader.infoBlockAddress(List.<long[]>of(new long[] {0x8000, 0xDA30}), size, 32 << 20));
        assertEquals(0x7C00, MultibootLoader.infoBlockAddress(List.of(new long[] {0x1000, 0x6B80},
                new long[] {0x8000, 0xDA30}), size, 32 << 20));
        assertEquals(-1, MultibootLoader.infoBlockAddress(List.<long[]>of(new long[] {0x600, 0x1FFFF80}), size, 32 << 20));
    }
}
