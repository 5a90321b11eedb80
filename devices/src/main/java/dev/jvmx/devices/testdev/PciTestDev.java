package dev.jvmx.devices.testdev;

import dev.jvmx.devices.pci.PciConfigSpace;
import dev.jvmx.devices.pci.PciFunction;

import java.nio.charset.StandardCharsets;

/**
 * QEMU's {@code pci-testdev} (1B36:0005, class FF00, no interrupt pin), with the behaviour QEMU
 * documents for it: BAR0 a 4 KiB memory region, BAR1 a 256-byte I/O region. Both decode the
 * same small machine, a byte at a time: writing T to offset 0 selects test T (0 no-eventfd,
 * 1 wildcard-eventfd, 2 datamatch-eventfd) of the region written (memory tests 0-2, I/O tests
 * 3-5) and zeroes its counter; a byte written at the test's offset then counts, in the
 * data-matching tests only when it equals the test's data byte. Reads return the bytes of the
 * selected test's header:
 * <pre>
 *   0 test (u8), 1 width (u8, 1), 4 offset (u32), 8 data (u8: FA matching, CE wildcard),
 *   12 count (u32), 16 name ("mmio-no-eventfd", ... NUL-terminated)
 * </pre>
 * where offset = (2048 for memory, 128 for I/O) + test number. With no test selected, or past
 * the header, reads return 0.
 */
public final class PciTestDev extends PciFunction {
    public static final int VENDOR = 0x1B36;
    public static final int DEVICE = 0x0005;
    public static final int MEMORY_SIZE = 4096;
    public static final int IO_SIZE = 256;
    private static final String[] TESTS = {"no-eventfd", "wildcard-eventfd", "datamatch-eventfd"};
    private static final int DATAMATCH = 0xFA, NOMATCH = 0xCE;

    private final byte[][] headers = new byte[6][];
    private int current = -1;
    private Runnable mappingListener = () -> { };

    public PciTestDev() {
        super(new PciConfigSpace(VENDOR, DEVICE, 0xFF0000, 0x00, 0));
        config.setWritable(PciConfigSpace.COMMAND, 2, 0x0507); // I/O, memory, bus master, SERR#, INTx disable
        config.set16(PciConfigSpace.STATUS, 0x0000);
        config.set32(PciConfigSpace.BAR0, 0x00000000);          // 32-bit memory, not prefetchable
        config.setWritable(PciConfigSpace.BAR0, 4, ~(MEMORY_SIZE - 1));
        config.set32(PciConfigSpace.BAR0 + 4, 0x00000001);      // I/O
        config.setWritable(PciConfigSpace.BAR0 + 4, 4, ~(IO_SIZE - 1));
        config.set16(0x2C, 0x1AF4);                             // subsystem vendor: QEMU's
        config.set16(0x2E, 0x1100);
        config.set8(PciConfigSpace.INTERRUPT_PIN, 0);
        for (int i = 0; i < 6; i++) {
            boolean memory = i < 3;
            String name = (memory ? "mmio-" : "portio-") + TESTS[i % 3];
            byte[] nb = name.getBytes(StandardCharsets.US_ASCII);
            byte[] h = new byte[16 + nb.length + 1];
            h[0] = (byte) i;
            h[1] = 1;
            int offset = (memory ? MEMORY_SIZE / 2 : IO_SIZE / 2) + i;
            h[4] = (byte) offset;
            h[5] = (byte) (offset >>> 8);
            h[8] = (byte) (i % 3 == 1 ? NOMATCH : DATAMATCH);
            System.arraycopy(nb, 0, h, 16, nb.length);
            headers[i] = h;
        }
    }

    /** Called after the guest changed a BAR or the command register (the machine re-maps). */
    public void setMappingListener(Runnable listener) {
        mappingListener = listener == null ? () -> { } : listener;
    }

    @Override
    protected void configWritten(int offset, int size) {
        if (offset < PciConfigSpace.BAR0 + 8 && offset + size > PciConfigSpace.COMMAND) {
            mappingListener.run();
        }
    }

    /** BAR0's address while memory decoding is on, else -1. */
    public long memoryBase() {
        return (config.get16(PciConfigSpace.COMMAND) & 2) != 0
                ? Integer.toUnsignedLong(config.get32(PciConfigSpace.BAR0) & ~(MEMORY_SIZE - 1)) : -1;
    }

    /** BAR1's port while I/O decoding is on, else -1. */
    public int ioBase() {
        return (config.get16(PciConfigSpace.COMMAND) & 1) != 0
                ? config.get32(PciConfigSpace.BAR0 + 4) & 0xFFFF & ~(IO_SIZE - 1) : -1;
    }

    /** A read of {@code size} bytes at {@code offset} in either BAR, byte by byte. */
    public synchronized int read(int offset, int size) {
        int v = 0;
        for (int i = 0; i < size; i++) {
            v |= readByte(offset + i) << (8 * i);
        }
        return v;
    }

    /** A write at {@code offset} in BAR1 ({@code io}) or BAR0, byte by byte. */
    public synchronized void write(boolean io, int offset, int size, int value) {
        for (int i = 0; i < size; i++) {
            writeByte(io, offset + i, (value >>> (8 * i)) & 0xFF);
        }
    }

    private int readByte(int addr) {
        if (current < 0) {
            return 0;
        }
        byte[] h = headers[current];
        return addr + 1 >= h.length ? 0 : h[addr] & 0xFF;
    }

    private void writeByte(boolean io, int addr, int value) {
        if (addr == 0) {
            current = -1;
            if (value < 3) {
                current = (io ? 3 : 0) + value;
                setCount(0);
            }
            return;
        }
        if (current < 0) {
            return;
        }
        byte[] h = headers[current];
        int offset = (h[4] & 0xFF) | (h[5] & 0xFF) << 8;
        if (addr != offset) {
            return;
        }
        boolean match = current % 3 != 1;
        if (match && value != (h[8] & 0xFF)) {
            return;
        }
        setCount(count() + 1);
    }

    private int count() {
        byte[] h = headers[current];
        return (h[12] & 0xFF) | (h[13] & 0xFF) << 8 | (h[14] & 0xFF) << 16 | (h[15] & 0xFF) << 24;
    }

    private void setCount(int c) {
        byte[] h = headers[current];
        for (int i = 0; i < 4; i++) {
            h[12 + i] = (byte) (c >>> (8 * i));
        }
    }
}
