package dev.jvmx.vmx;

/**
 * A store of VMCS field values indexed densely by field. Writes are truncated to the field's
 * width; natural width is 32 bits on an IA-32 processor and 64 on one with Intel 64 architecture.
 */
public final class Vmcs {
    private static final VmcsField[] FIELDS = VmcsField.values();
    private final long[] values = new long[FIELDS.length];
    /** Each field's width mask, computed once: writes are on the exit path. */
    private final long[] masks = new long[FIELDS.length];
    private final long naturalMask;

    /** An IA-32 VMCS: natural-width fields hold 32 bits. */
    public Vmcs() { this(false); }

    public Vmcs(boolean intel64) {
        naturalMask = intel64 ? -1L : 0xFFFFFFFFL;
        for (VmcsField f : FIELDS) {
            masks[f.ordinal()] = mask(f);
        }
    }

    public long read(VmcsField f) { return values[f.ordinal()]; }

    public void write(VmcsField f, long value) {
        int i = f.ordinal();
        values[i] = value & masks[i];
    }

    /** The width mask of a field: 0xFFFF, 0xFFFFFFFF, all ones, or the natural width. */
    public long mask(VmcsField f) {
        switch (f.width()) {
            case BITS_16: return 0xFFFFL;
            case BITS_32: return 0xFFFFFFFFL;
            case BITS_64: return -1L;
            default: return naturalMask;
        }
    }

    /** VMREAD by encoding; a high-access encoding reads bits 63:32 of a 64-bit field. */
    public long readEncoding(int encoding) {
        VmcsField f = field(encoding);
        long v = read(f);
        return VmcsField.isHighAccess(encoding) ? v >>> 32 : v;
    }

    /** VMWRITE by encoding; a high-access encoding writes only bits 63:32 of a 64-bit field. */
    public void writeEncoding(int encoding, long value) {
        VmcsField f = field(encoding);
        if (VmcsField.isHighAccess(encoding)) {
            write(f, (read(f) & 0xFFFFFFFFL) | (value << 32));
        } else {
            write(f, value);
        }
    }

    private static VmcsField field(int encoding) {
        VmcsField f = VmcsField.ofEncoding(encoding);
        if (f == null) throw new IllegalArgumentException(String.format("unsupported VMCS component 0x%04X", encoding));
        return f;
    }

    /** Sets every field to 0. */
    public void clear() { java.util.Arrays.fill(values, 0); }
}
