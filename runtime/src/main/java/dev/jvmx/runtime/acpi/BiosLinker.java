package dev.jvmx.runtime.acpi;

import dev.jvmx.translator.mem.PhysicalMemory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * QEMU's BIOS linker/loader interface (fw_cfg file "etc/table-loader", QEMU's
 * hw/acpi/bios-linker-loader.c): firmware-independent commands that tell a firmware where to
 * put fw_cfg files and how to patch them once it knows their addresses. Each command is a
 * 128-byte entry, little-endian, file names NUL-padded to 56 bytes:
 * <pre>
 *   1 ALLOCATE     file, align (u32), zone (u8: 1 high memory, 2 the F-segment 0xE0000-0xFFFFF)
 *   2 ADD_POINTER  dest file, src file, offset (u32), size (u8): add src's address to the
 *                  size-byte little-endian value at dest+offset
 *   3 ADD_CHECKSUM file, offset (u32), start (u32), length (u32): subtract the byte sum of
 *                  [start, start+length) from the byte at offset
 * </pre>
 * SeaBIOS runs the list; a boot without firmware runs it here ({@link #install}), so both see
 * the same tables.
 */
public final class BiosLinker {
    public static final String TABLE_LOADER = "etc/table-loader";
    public static final int ENTRY_SIZE = 128;
    public static final int FILE_NAME_SIZE = 56;
    public static final int ALLOCATE = 1, ADD_POINTER = 2, ADD_CHECKSUM = 3;
    public static final int ZONE_HIGH = 1, ZONE_FSEG = 2;

    private record Allocation(String file, int align, int zone) { }

    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final List<Allocation> allocations = new ArrayList<>();
    private final List<byte[]> commands = new ArrayList<>();

    /** A file the firmware allocates (ALLOCATE) and later patches; its bytes as given. */
    public void allocate(String file, byte[] data, int align, int zone) {
        if (files.containsKey(file)) {
            throw new IllegalArgumentException("allocated twice: " + file);
        }
        files.put(file, data);
        allocations.add(new Allocation(file, align, zone));
        byte[] e = entry(ALLOCATE);
        putName(e, 4, file);
        put32(e, 4 + FILE_NAME_SIZE, align);
        e[4 + FILE_NAME_SIZE + 4] = (byte) zone;
        commands.add(e);
    }

    /** The pointer at {@code dest}+{@code offset} ({@code size} bytes) holds an offset in {@code src}. */
    public void addPointer(String dest, int offset, int size, String src) {
        check(dest, offset, size);
        check(src, 0, 0);
        byte[] e = entry(ADD_POINTER);
        putName(e, 4, dest);
        putName(e, 4 + FILE_NAME_SIZE, src);
        put32(e, 4 + 2 * FILE_NAME_SIZE, offset);
        e[4 + 2 * FILE_NAME_SIZE + 4] = (byte) size;
        commands.add(e);
    }

    /** The byte at {@code offset} makes [start, start+length) of {@code file} sum to 0. */
    public void addChecksum(String file, int offset, int start, int length) {
        check(file, offset, 1);
        check(file, start, length);
        byte[] e = entry(ADD_CHECKSUM);
        putName(e, 4, file);
        put32(e, 4 + FILE_NAME_SIZE, offset);
        put32(e, 4 + FILE_NAME_SIZE + 4, start);
        put32(e, 4 + FILE_NAME_SIZE + 8, length);
        commands.add(e);
    }

    /** The files and their contents, in allocation order (as fw_cfg files). */
    public Map<String, byte[]> files() {
        return files;
    }

    /** The content of "etc/table-loader". */
    public byte[] loaderBytes() {
        byte[] out = new byte[commands.size() * ENTRY_SIZE];
        for (int i = 0; i < commands.size(); i++) {
            System.arraycopy(commands.get(i), 0, out, i * ENTRY_SIZE, ENTRY_SIZE);
        }
        return out;
    }

    /**
     * Does what a firmware does with the commands: F-segment files from {@code fsegBase} up and
     * high-memory files after them (each aligned), pointers patched, checksums set, the results
     * written to memory. Returns each file's address.
     */
    public Map<String, Long> install(PhysicalMemory mem, long fsegBase, long fsegEnd) {
        Map<String, Long> addr = new LinkedHashMap<>();
        Map<String, byte[]> data = new LinkedHashMap<>();
        long next = fsegBase;
        for (int zone : new int[] {ZONE_FSEG, ZONE_HIGH}) {
            for (Allocation a : allocations) {
                if (a.zone == zone) {
                    next = (next + a.align - 1) / a.align * a.align;
                    addr.put(a.file, next);
                    data.put(a.file, files.get(a.file).clone());
                    next += files.get(a.file).length;
                }
            }
        }
        if (next > fsegEnd) {
            throw new IllegalStateException(String.format("ACPI tables need %d bytes; the BIOS area has %d",
                    next - fsegBase, fsegEnd - fsegBase));
        }
        for (byte[] e : commands) {
            int cmd = get32(e, 0);
            if (cmd == ADD_POINTER) {
                byte[] dest = data.get(name(e, 4));
                long src = addr.get(name(e, 4 + FILE_NAME_SIZE));
                int off = get32(e, 4 + 2 * FILE_NAME_SIZE);
                int size = e[4 + 2 * FILE_NAME_SIZE + 4];
                long v = 0;
                for (int i = 0; i < size; i++) {
                    v |= (dest[off + i] & 0xFFL) << (8 * i);
                }
                v += src;
                for (int i = 0; i < size; i++) {
                    dest[off + i] = (byte) (v >>> (8 * i));
                }
            } else if (cmd == ADD_CHECKSUM) {
                byte[] f = data.get(name(e, 4));
                int off = get32(e, 4 + FILE_NAME_SIZE);
                int start = get32(e, 4 + FILE_NAME_SIZE + 4);
                int len = get32(e, 4 + FILE_NAME_SIZE + 8);
                int sum = 0;
                for (int i = start; i < start + len; i++) {
                    sum += f[i];
                }
                f[off] = (byte) (f[off] - sum);
            }
        }
        for (Map.Entry<String, byte[]> f : data.entrySet()) {
            mem.load(addr.get(f.getKey()).intValue(), f.getValue(), 0, f.getValue().length);
        }
        return addr;
    }

    private void check(String file, int offset, int size) {
        byte[] f = files.get(file);
        if (f == null) {
            throw new IllegalArgumentException("not allocated: " + file);
        }
        if (offset < 0 || size < 0 || offset + size > f.length) {
            throw new IllegalArgumentException(String.format("%s: [%d, %d) is outside its %d bytes", file, offset, offset + size, f.length));
        }
    }

    private static byte[] entry(int command) {
        byte[] e = new byte[ENTRY_SIZE];
        put32(e, 0, command);
        return e;
    }

    private static void putName(byte[] e, int off, String name) {
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        if (b.length >= FILE_NAME_SIZE) {
            throw new IllegalArgumentException("fw_cfg file name too long: " + name);
        }
        System.arraycopy(b, 0, e, off, b.length);
    }

    private static String name(byte[] e, int off) {
        int n = 0;
        while (n < FILE_NAME_SIZE && e[off + n] != 0) {
            n++;
        }
        return new String(e, off, n, StandardCharsets.US_ASCII);
    }

    static void put32(byte[] b, int off, int v) {
        for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    static int get32(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }
}
