package dev.jvmx.vmx;

/**
 * The 4 KiB MSR bitmap (SDM Vol. 3C, "MSR-Bitmap Address"): read bitmap for low MSRs
 * (00000000-00001FFF) at byte 0, read high (C0000000-C0001FFF) at 1024, write low at 2048,
 * write high at 3072. An MSR outside both ranges always causes an exit.
 */
public final class MsrBitmap {
    private static final int BITMAP_BYTES = 4096;
    private static final int READ_LOW = 0, READ_HIGH = 1024, WRITE_LOW = 2048, WRITE_HIGH = 3072;

    private final byte[] map = new byte[BITMAP_BYTES];
    private final Runnable onChange;

    /** A bitmap of {@link ExecutionControls}, which hears of every change through {@code onChange}. */
    MsrBitmap(Runnable onChange) { this.onChange = onChange; }

    /** Bit offset of msr in the bitmap, or -1 outside the two covered ranges. */
    private static int bitIndex(int msr, boolean write) {
        int base;
        if (msr >= 0 && msr <= 0x1FFF) base = write ? WRITE_LOW : READ_LOW;
        else if (msr >= 0xC0000000 && msr <= 0xC0001FFF) base = write ? WRITE_HIGH : READ_HIGH;
        else return -1;
        return base * 8 + (msr & 0x1FFF);
    }

    public void setRead(int msr, boolean exit) { set(msr, false, exit); }

    public void setWrite(int msr, boolean exit) { set(msr, true, exit); }

    private void set(int msr, boolean write, boolean exit) {
        int bit = bitIndex(msr, write);
        if (bit < 0) throw new IllegalArgumentException(String.format("MSR 0x%X is outside the MSR bitmap", msr));
        if (exit) map[bit >>> 3] |= (byte) (1 << (bit & 7));
        else map[bit >>> 3] &= (byte) ~(1 << (bit & 7));
        onChange.run();
    }

    public void setAll(boolean exit) {
        java.util.Arrays.fill(map, exit ? (byte) 0xFF : 0);
        onChange.run();
    }

    /** True if RDMSR (write false) or WRMSR (write true) of msr exits, assuming MSR bitmaps are in use. */
    public boolean exits(int msr, boolean write) {
        int bit = bitIndex(msr, write);
        return bit < 0 || (map[bit >>> 3] & (1 << (bit & 7))) != 0;
    }
}
