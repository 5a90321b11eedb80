package dev.jvmx.devices.vga;

/** The text buffer as the VGA sees it: bytes from guest physical 0xB8000 on. */
public interface TextMemory {
    /** The byte at {@code offset} from 0xB8000 (0 .. 0x7FFF). */
    int read8(int offset);

    /** A view of {@code memory} whose byte {@code base} is physical 0xB8000. */
    static TextMemory of(byte[] memory, int base) {
        return offset -> {
            int i = base + offset;
            return i >= 0 && i < memory.length ? memory[i] & 0xFF : 0;
        };
    }
}
