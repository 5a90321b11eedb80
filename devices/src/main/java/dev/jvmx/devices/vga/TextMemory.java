package dev.jvmx.devices.vga;

/** The text buffer as the VGA sees it: bytes from guest physical 0xB8000 on. */
public interface TextMemory {
    /** The byte at {@code offset} from 0xB8000 (0 .. 0x7FFF). */
    int read8(int offset);

    /**
     * A view of the array {@code memory} gives, whose byte {@code base} is physical 0xB8000: read
     * from the array it gives at each access, since a machine may replace its RAM array.
     */
    static TextMemory of(java.util.function.Supplier<byte[]> memory, int base) {
        return offset -> {
            byte[] m = memory.get();
            int i = base + offset;
            return i >= 0 && i < m.length ? m[i] & 0xFF : 0;
        };
    }
}
