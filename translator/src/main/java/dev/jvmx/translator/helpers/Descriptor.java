package dev.jvmx.translator.helpers;

/**
 * A segment or gate descriptor as two dwords (SDM Vol. 3A, 3.4.5 and 6.11), with accessors
 * for its fields. Immutable view; {@link Segmentation} reads it from the GDT or LDT.
 */
public final class Descriptor {
    public final int low;
    public final int high;

    public Descriptor(int low, int high) {
        this.low = low;
        this.high = high;
    }

    public int base() {
        return (low >>> 16) | ((high & 0xFF) << 16) | (high & 0xFF000000);
    }

    /** Limit in bytes, scaled by G. */
    public int limit() {
        int raw = (low & 0xFFFF) | (high & 0x000F0000);
        return (high & (1 << 23)) != 0 ? (raw << 12) | 0xFFF : raw;
    }

    /** The SegmentCache access-rights encoding: bits 8..23 of the high dword. */
    public int access() {
        return (high >>> 8) & 0xF0FF;
    }

    public int type() {
        return (high >>> 8) & 0xF;
    }

    public boolean system() {
        return (high & (1 << 12)) == 0;
    }

    public int dpl() {
        return (high >>> 13) & 3;
    }

    public boolean present() {
        return (high & (1 << 15)) != 0;
    }

    public boolean code() {
        return !system() && (type() & 8) != 0;
    }

    public boolean conforming() {
        return code() && (type() & 4) != 0;
    }

    public boolean readable() {
        return !code() || (type() & 2) != 0;
    }

    public boolean writableData() {
        return !system() && !code() && (type() & 2) != 0;
    }

    // Gates
    public int gateSelector() {
        return low >>> 16;
    }

    public int gateOffset() {
        return (low & 0xFFFF) | (high & 0xFFFF0000);
    }

    public int gateParamCount() {
        return high & 0x1F;
    }
}
