package dev.jvmx.devices.pci;

/**
 * The 256-byte configuration space of one PCI function (PCI Local Bus 3.0, chapter 6).
 * Each bit is read-only, read/write, or write-one-to-clear, as set up by the device;
 * a guest write changes only the writable bits and clears the RW1C bits it writes as one.
 * All multi-byte fields are little-endian.
 */
public final class PciConfigSpace {
    public static final int SIZE = 256;

    public static final int VENDOR_ID = 0x00;
    public static final int DEVICE_ID = 0x02;
    public static final int COMMAND = 0x04;
    public static final int STATUS = 0x06;
    public static final int REVISION_ID = 0x08;
    public static final int PROG_IF = 0x09;
    public static final int SUBCLASS = 0x0A;
    public static final int CLASS_CODE = 0x0B;
    public static final int CACHE_LINE_SIZE = 0x0C;
    public static final int LATENCY_TIMER = 0x0D;
    public static final int HEADER_TYPE = 0x0E;
    public static final int BAR0 = 0x10;
    public static final int INTERRUPT_LINE = 0x3C;
    public static final int INTERRUPT_PIN = 0x3D;

    /** Header type bit 7: the device has more than one function. */
    public static final int HEADER_MULTI_FUNCTION = 0x80;

    private final byte[] data = new byte[SIZE];
    private final byte[] writable = new byte[SIZE];
    private final byte[] writeOneToClear = new byte[SIZE];

    /**
     * A type 0 header with the identification registers set; the latency timer, cache
     * line size and interrupt line are writable, as in most functions.
     */
    public PciConfigSpace(int vendorId, int deviceId, int classCode, int revision, int headerType) {
        set16(VENDOR_ID, vendorId);
        set16(DEVICE_ID, deviceId);
        set8(REVISION_ID, revision);
        set8(PROG_IF, classCode);
        set8(SUBCLASS, classCode >>> 8);
        set8(CLASS_CODE, classCode >>> 16);
        set8(HEADER_TYPE, headerType);
        setWritable(CACHE_LINE_SIZE, 1, 0xFF);
        setWritable(LATENCY_TIMER, 1, 0xFF);
        setWritable(INTERRUPT_LINE, 1, 0xFF);
    }

    // ---------------------------------------------------------------- set-up by the device

    public void set8(int offset, int value) {
        data[offset] = (byte) value;
    }

    public void set16(int offset, int value) {
        set8(offset, value);
        set8(offset + 1, value >>> 8);
    }

    public void set32(int offset, int value) {
        set16(offset, value);
        set16(offset + 2, value >>> 16);
    }

    /** Marks which bits of a {@code size}-byte field at {@code offset} a guest may write. */
    public void setWritable(int offset, int size, int mask) {
        if (size < 1 || size > 4) {
            throw new IllegalArgumentException("field size must be 1..4: " + size);
        }
        for (int i = 0; i < size; i++) {
            writable[offset + i] = (byte) (mask >>> (8 * i));
        }
    }

    /** Makes every bit of {@code length} bytes from {@code offset} writable (plain storage registers). */
    public void setWritableBytes(int offset, int length) {
        for (int i = 0; i < length; i++) {
            writable[offset + i] = (byte) 0xFF;
        }
    }

    /** Marks status-style bits that a guest clears by writing one. */
    public void setWriteOneToClear(int offset, int size, int mask) {
        for (int i = 0; i < size; i++) {
            writeOneToClear[offset + i] = (byte) (mask >>> (8 * i));
        }
    }

    public int get8(int offset) {
        return data[offset] & 0xFF;
    }

    public int get16(int offset) {
        return get8(offset) | get8(offset + 1) << 8;
    }

    public int get32(int offset) {
        return get16(offset) | get16(offset + 2) << 16;
    }

    private byte[][] powerOn;

    /** Remembers the registers and their masks as they are now: the state a reset returns to. */
    public void capturePowerOn() {
        powerOn = new byte[][] {data.clone(), writable.clone(), writeOneToClear.clone()};
    }

    /** A reset: registers and masks as {@link #capturePowerOn} saw them. */
    public void restorePowerOn() {
        if (powerOn != null) {
            System.arraycopy(powerOn[0], 0, data, 0, SIZE);
            System.arraycopy(powerOn[1], 0, writable, 0, SIZE);
            System.arraycopy(powerOn[2], 0, writeOneToClear, 0, SIZE);
        }
    }

    // ---------------------------------------------------------------- guest access

    /** A guest read of 1, 2 or 4 bytes; bytes past the end read as 0. */
    public int read(int offset, int size) {
        int v = 0;
        for (int i = 0; i < size; i++) {
            int o = offset + i;
            v |= (o < SIZE ? data[o] & 0xFF : 0) << (8 * i);
        }
        return v;
    }

    /** A guest write of 1, 2 or 4 bytes, through the writable and RW1C masks. */
    public void write(int offset, int size, int value) {
        for (int i = 0; i < size; i++) {
            int o = offset + i;
            if (o >= SIZE) {
                break;
            }
            int b = (value >>> (8 * i)) & 0xFF;
            int w = writable[o] & 0xFF;
            int c = writeOneToClear[o] & 0xFF;
            int old = data[o] & 0xFF;
            data[o] = (byte) (((old & ~w) | (b & w)) & ~(b & c));
        }
    }
}
