package dev.jvmx.devices.fwcfg;

/** Little-endian encoders for fw_cfg items (fw_cfg numbers are little-endian). */
final class Le {
    private Le() { }

    static byte[] le16(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8)};
    }

    static byte[] le32(int v) {
        byte[] b = new byte[4];
        put32(b, 0, v);
        return b;
    }

    static byte[] le64(long v) {
        byte[] b = new byte[8];
        put64(b, 0, v);
        return b;
    }

    static void put32(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    static void put64(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }
}
