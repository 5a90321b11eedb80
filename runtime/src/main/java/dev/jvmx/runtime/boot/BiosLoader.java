package dev.jvmx.runtime.boot;

import dev.jvmx.translator.mem.PhysicalMemory;

import java.nio.file.Path;

/**
 * Maps a BIOS ROM the way a PC (and QEMU's -bios) does: the whole image ends at 4 GiB, and
 * its last 128 KiB (or all of it, if smaller) is aliased to end at 1 MiB, where the CPU's
 * first instruction at F000:FFF0 finds it.
 */
public final class BiosLoader {
    public static final int ISA_ALIAS_MAX = 128 * 1024;

    private BiosLoader() { }

    /** The largest ROM: the ROM space below 4 GiB. */
    public static final int MAX_BYTES = 16 << 20;

    public static byte[] read(Path file) throws ImageException {
        byte[] rom = ImageFiles.read(file, "BIOS image", MAX_BYTES);
        if (rom.length == 0 || rom.length % 65536 != 0) {
            throw new ImageException("BIOS image " + file + " has size " + rom.length
                    + " bytes; it must be a non-zero multiple of 64 KiB, at most 16 MiB");
        }
        return rom;
    }

    /** Maps the ROM; returns its offset in the memory array (for shadowing). */
    public static int map(PhysicalMemory mem, byte[] rom) {
        int off = mem.loadRom(-rom.length, rom);
        int alias = Math.min(rom.length, ISA_ALIAS_MAX);
        mem.mapReadOnly(0x100000 - alias, off + rom.length - alias, alias);
        return off;
    }
}
