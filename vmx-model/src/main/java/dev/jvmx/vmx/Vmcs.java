package dev.jvmx.vmx;

/**
 * A store of VMCS field values indexed densely by field. Writes are truncated to the field's
 * width; natural width is 32 bits, as on an IA-32 processor (64 with Intel 64 architecture).
 */
public final class Vmcs {
    private static final VmcsField[] FIELDS = VmcsField.values();
    private final long[] values = new long[FIELDS.length];
    /** Each field's width mask, computed once: writes are on the exit path. */
    private final long[] masks = new long[FIELDS.length];
    private static final long NATURAL_MASK = 0xFFFFFFFFL;

    /** An IA-32 VMCS: natural-width fields hold 32 bits. */
    public Vmcs() {
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
    private long mask(VmcsField f) {
        switch (f.width()) {
            case BITS_16: return 0xFFFFL;
            case BITS_32: return 0xFFFFFFFFL;
            case BITS_64: return -1L;
            default: return NATURAL_MASK;
        }
    }

    /**
     * The fields of one type, one a line with its SDM encoding and value
     * ("EXIT_REASON (0x4402) = 0x1E"), as KVM's dump_vmcs prints a VMCS: for reports.
     */
    public String dump(VmcsFieldType type) {
        StringBuilder sb = new StringBuilder();
        for (VmcsField f : FIELDS) {
            if (f.type() == type) {
                sb.append(String.format("%-30s (0x%04X) = 0x%X%n", f.name(), f.encoding(), read(f)));
            }
        }
        return sb.toString();
    }
}
