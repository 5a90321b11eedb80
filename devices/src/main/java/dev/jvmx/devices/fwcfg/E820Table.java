package dev.jvmx.devices.fwcfg;

import java.io.ByteArrayOutputStream;

/**
 * Builds the content of the fw_cfg file "etc/e820": packed 20-byte entries, each base
 * (LE64), length (LE64) and type (LE32), the layout SeaBIOS reads as its e820 reservations.
 */
public final class E820Table {
    public static final String FILE_NAME = "etc/e820";
    public static final int ENTRY_SIZE = 20;

    public static final int E820_RAM = 1;
    public static final int E820_RESERVED = 2;
    public static final int E820_ACPI = 3;
    public static final int E820_NVS = 4;
    public static final int E820_UNUSABLE = 5;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public E820Table add(long base, long length, int type) {
        byte[] e = new byte[ENTRY_SIZE];
        Le.put64(e, 0, base);
        Le.put64(e, 8, length);
        Le.put32(e, 16, type);
        out.writeBytes(e);
        return this;
    }

    public E820Table addRam(long base, long length) {
        return add(base, length, E820_RAM);
    }

    public E820Table addReserved(long base, long length) {
        return add(base, length, E820_RESERVED);
    }

    public byte[] toBytes() {
        return out.toByteArray();
    }
}
