package dev.jvmx.devices.testdev;

import dev.jvmx.devices.IoDevice;
import dev.jvmx.devices.IrqLine;

/**
 * QEMU's ISA test device {@code pc-testdev}, which kvm-unit-tests uses, with the behaviour QEMU
 * documents for it:
 * <ul>
 * <li>0xE0-0xE3: a 32-bit data register; an access of N bytes at port 0xE0 + k reads or writes
 *     byte lanes k..k+N-1 of it;</li>
 * <li>0xE4-0xE7: "flush page": a dword write names a guest-physical page whose host mapping QEMU
 *     drops, so that a hypervisor's next access faults in again. A guest cannot see the effect;
 *     jvmx has no host mapping to drop, so the write is accepted and does nothing. Reads 0;</li>
 * <li>0xE8-0xEB: the same data register, accessed a byte at a time;</li>
 * <li>0x2000-0x2017: interrupt lines: writing V to port 0x2000 + n drives line n high (V != 0)
 *     or low (V = 0), a byte a time; lines 0-15 are the ISA IRQs, 16-23 the I/O APIC's other
 *     pins. Reads 0;</li>
 * <li>a 64 KiB memory area at 0xFF000000 ({@link #IOMEM_BASE}) that behaves as RAM but is not
 *     RAM: every access to it is a device access ({@link #iomemRead}, {@link #iomemWrite}).</li>
 * </ul>
 * Register it for ports 0xE0 (12 ports) and 0x2000 (24 ports).
 */
public final class PcTestDev implements IoDevice {
    public static final int DATA_PORT = 0xE0;
    public static final int FLUSH_PORT = 0xE4;
    public static final int DATA_BYTE_PORT = 0xE8;
    public static final int IRQ_PORT = 0x2000;
    public static final int IRQ_LINES = 24;
    public static final long IOMEM_BASE = 0xFF000000L;
    public static final int IOMEM_SIZE = 0x10000;

    private final IrqLine[] lines;
    private final byte[] iomem = new byte[IOMEM_SIZE];
    private int data;

    /** {@code lines} are the 24 interrupt lines the IRQ ports drive. */
    public PcTestDev(IrqLine[] lines) {
        if (lines.length != IRQ_LINES) {
            throw new IllegalArgumentException("pc-testdev drives " + IRQ_LINES + " lines");
        }
        this.lines = lines.clone();
    }

    @Override
    public synchronized int ioRead(int port, int size) {
        if (port >= DATA_PORT && port < DATA_PORT + 4 || port >= DATA_BYTE_PORT && port < DATA_BYTE_PORT + 4) {
            int v = 0;
            for (int i = 0; i < size; i++) {
                int lane = (port + i) & 3;
                v |= ((data >>> (8 * lane)) & 0xFF) << (8 * i);
            }
            return v;
        }
        return 0;
    }

    @Override
    public synchronized void ioWrite(int port, int size, int value) {
        if (port >= DATA_PORT && port < DATA_PORT + 4 || port >= DATA_BYTE_PORT && port < DATA_BYTE_PORT + 4) {
            for (int i = 0; i < size; i++) {
                int lane = (port + i) & 3;
                data = (data & ~(0xFF << (8 * lane))) | (((value >>> (8 * i)) & 0xFF) << (8 * lane));
            }
        } else if (port >= IRQ_PORT && port < IRQ_PORT + IRQ_LINES) {
            // The lines take byte accesses: a wider OUT reaches consecutive lines with its
            // consecutive bytes, as QEMU splits it (realmode's "outl %eax, $0x200b" sets IRQ11
            // and clears IRQ12-14).
            for (int i = 0; i < size && port + i < IRQ_PORT + IRQ_LINES; i++) {
                lines[port + i - IRQ_PORT].set(((value >>> (8 * i)) & 0xFF) != 0);
            }
        }
        // FLUSH_PORT: nothing to flush (see the class comment).
    }

    /** A read of 1, 2 or 4 bytes at {@code offset} in the memory area, little-endian. */
    public synchronized int iomemRead(int offset, int size) {
        int v = 0;
        for (int i = 0; i < size; i++) {
            v |= (iomem[(offset + i) & (IOMEM_SIZE - 1)] & 0xFF) << (8 * i);
        }
        return v;
    }

    public synchronized void iomemWrite(int offset, int size, int value) {
        for (int i = 0; i < size; i++) {
            iomem[(offset + i) & (IOMEM_SIZE - 1)] = (byte) (value >>> (8 * i));
        }
    }
}
