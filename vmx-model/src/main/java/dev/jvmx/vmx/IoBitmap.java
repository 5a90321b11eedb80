package dev.jvmx.vmx;

/**
 * The I/O bitmaps (SDM Vol. 3C, "I/O-Bitmap Addresses"): bitmap A holds one bit per port
 * 0000-7FFF, bitmap B one bit per port 8000-FFFF, 4 KiB each, bit n of byte k for port 8k+n.
 */
public final class IoBitmap {
    private static final int BITMAP_BYTES = 4096;

    private final byte[] a = new byte[BITMAP_BYTES];
    private final byte[] b = new byte[BITMAP_BYTES];
    private final Runnable onChange;

    /** A bitmap of {@link ExecutionControls}, which hears of every change through {@code onChange}. */
    IoBitmap(Runnable onChange) { this.onChange = onChange; }

    private boolean isSet(int port) {
        port &= 0xFFFF;
        byte[] map = port < 0x8000 ? a : b;
        int bit = port & 0x7FFF;
        return (map[bit >>> 3] & (1 << (bit & 7))) != 0;
    }

    public void set(int port, boolean exit) {
        setQuietly(port, exit);
        onChange.run();
    }

    /** Sets ports first..last inclusive. */
    private void setRange(int first, int last, boolean exit) {
        for (int p = first; p <= last; p++) setQuietly(p, exit);
        onChange.run();
    }

    public void setAll(boolean exit) { setRange(0, 0xFFFF, exit); }

    private void setQuietly(int port, boolean exit) {
        port &= 0xFFFF;
        byte[] map = port < 0x8000 ? a : b;
        int bit = port & 0x7FFF;
        if (exit) map[bit >>> 3] |= (byte) (1 << (bit & 7));
        else map[bit >>> 3] &= (byte) ~(1 << (bit & 7));
    }

    /**
     * True if an access of size bytes at port exits: any of its ports has its bit set, or the
     * access wraps past FFFF to 0000, which the SDM makes exit unconditionally.
     */
    public boolean exits(int port, int size) {
        port &= 0xFFFF;
        if (port + size - 1 > 0xFFFF) return true;
        for (int i = 0; i < size; i++) {
            if (isSet(port + i)) return true;
        }
        return false;
    }
}
