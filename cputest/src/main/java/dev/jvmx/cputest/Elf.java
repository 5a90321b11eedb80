package dev.jvmx.cputest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Bytes at virtual addresses from the PT_LOAD segments of an ELF file (32- or 64-bit, little-endian). */
final class Elf {
    private static final int PT_LOAD = 1;

    private Elf() { }

    static byte[] read(byte[] elf, long addr, int len) {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        boolean is64 = elf[4] == 2; // EI_CLASS: 1 = ELFCLASS32, 2 = ELFCLASS64
        long phoff = is64 ? b.getLong(32) : b.getInt(28) & 0xFFFFFFFFL;
        int phentsize = b.getShort(is64 ? 54 : 42) & 0xFFFF;
        int phnum = b.getShort(is64 ? 56 : 44) & 0xFFFF;
        for (int i = 0; i < phnum; i++) {
            int ph = (int) (phoff + (long) i * phentsize);
            if (b.getInt(ph) != PT_LOAD) {
                continue;
            }
            long off = is64 ? b.getLong(ph + 8) : b.getInt(ph + 4) & 0xFFFFFFFFL;
            long vaddr = is64 ? b.getLong(ph + 16) : b.getInt(ph + 8) & 0xFFFFFFFFL;
            long filesz = is64 ? b.getLong(ph + 32) : b.getInt(ph + 16) & 0xFFFFFFFFL;
            if (addr >= vaddr && addr + len <= vaddr + filesz) {
                int from = (int) (off + addr - vaddr);
                return Arrays.copyOfRange(elf, from, from + len);
            }
        }
        throw new IllegalStateException(String.format("address %08x not in the program's loadable segments", addr));
    }
}
