package dev.jvmx.devices.fwcfg;

import dev.jvmx.devices.IoDevice;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * QEMU's firmware configuration interface, I/O port variant, as described in QEMU's
 * docs/specs/fw_cfg: a 16-bit selector register at 0x510 and an 8-bit data register at 0x511.
 * Writing the selector rewinds the item's offset to 0; each data read returns the next byte,
 * and reads past the end of the item (or of an item that does not exist) return 0. With
 * {@link #enableDma} also the DMA interface: the big-endian address of a FWCfgDmaAccess
 * structure written to 0x514 (high half) and 0x518 (low half, which starts the transfer),
 * the registers reading as the signature "QEMU CFG".
 */
public final class FwCfg implements IoDevice {
    public static final int PORT_SELECTOR = 0x510;
    public static final int PORT_DATA = 0x511;
    /** The DMA address register: 0x514 high half, 0x518 low half, big-endian. */
    public static final int PORT_DMA = 0x514;
    public static final int DMA_PORTS = 8;
    /** FWCfgDmaAccess control bits. */
    public static final int DMA_ERROR = 0x01, DMA_READ = 0x02, DMA_SKIP = 0x04, DMA_SELECT = 0x08, DMA_WRITE = 0x10;
    private static final byte[] DMA_SIGNATURE = "QEMU CFG".getBytes(StandardCharsets.US_ASCII);

    public static final int FW_CFG_SIGNATURE = 0x00;
    public static final int FW_CFG_ID = 0x01;
    public static final int FW_CFG_UUID = 0x02;
    public static final int FW_CFG_RAM_SIZE = 0x03;
    public static final int FW_CFG_NOGRAPHIC = 0x04;
    public static final int FW_CFG_NB_CPUS = 0x05;
    public static final int FW_CFG_MACHINE_ID = 0x06;
    public static final int FW_CFG_KERNEL_ADDR = 0x07;
    public static final int FW_CFG_KERNEL_SIZE = 0x08;
    public static final int FW_CFG_KERNEL_CMDLINE = 0x09;
    public static final int FW_CFG_INITRD_ADDR = 0x0A;
    public static final int FW_CFG_INITRD_SIZE = 0x0B;
    public static final int FW_CFG_BOOT_DEVICE = 0x0C;
    public static final int FW_CFG_NUMA = 0x0D;
    public static final int FW_CFG_BOOT_MENU = 0x0E;
    public static final int FW_CFG_MAX_CPUS = 0x0F;
    public static final int FW_CFG_KERNEL_ENTRY = 0x10;
    public static final int FW_CFG_KERNEL_DATA = 0x11;
    public static final int FW_CFG_INITRD_DATA = 0x12;
    public static final int FW_CFG_CMDLINE_ADDR = 0x13;
    public static final int FW_CFG_CMDLINE_SIZE = 0x14;
    public static final int FW_CFG_CMDLINE_DATA = 0x15;
    public static final int FW_CFG_SETUP_ADDR = 0x16;
    public static final int FW_CFG_SETUP_SIZE = 0x17;
    public static final int FW_CFG_SETUP_DATA = 0x18;
    public static final int FW_CFG_FILE_DIR = 0x19;
    public static final int FW_CFG_FILE_FIRST = 0x20;

    /** Selector bit that marked the (now obsolete) write channel; writes to data are ignored. */
    public static final int FW_CFG_WRITE_CHANNEL = 0x4000;
    /** Selector bit that selects the architecture-specific item space. */
    public static final int FW_CFG_ARCH_LOCAL = 0x8000;

    /** A file directory entry: size (4) + select (2) + reserved (2) + name (56). */
    public static final int FILE_ENTRY_SIZE = 64;
    public static final int FILE_NAME_SIZE = 56;

    /** FW_CFG_ID bit 0: the traditional interface; bit 1: the DMA interface ({@link #enableDma}). */
    public static final int ID_TRADITIONAL = 1;
    public static final int ID_DMA = 2;

    /** Guest physical memory as the DMA interface reaches it. */
    public interface DmaMemory {
        void read(long address, byte[] into);

        void write(long address, byte[] from);
    }

    private DmaMemory dma;
    private long dmaHigh;

    private static final int KEY_SPACE = 0x10000;

    private final byte[][] items = new byte[KEY_SPACE][];
    private final List<String> fileNames = new ArrayList<>();
    private int selector;
    private int offset;

    public FwCfg() {
        setItem(FW_CFG_SIGNATURE, "QEMU".getBytes(StandardCharsets.US_ASCII));
        setLe32(FW_CFG_ID, ID_TRADITIONAL);
        rebuildFileDir();
    }

    /** Sets (or replaces) a numbered item; the key includes FW_CFG_ARCH_LOCAL if wanted. */
    public void setItem(int key, byte[] data) {
        int k = key & 0xFFFF;
        if (k == FW_CFG_FILE_DIR || (k & FW_CFG_ARCH_LOCAL) == 0 && (k & 0x3FFF) >= FW_CFG_FILE_FIRST) {
            throw new IllegalArgumentException(String.format("fw_cfg key %#x is reserved for files", k));
        }
        items[k] = data.clone();
    }

    public void setLe16(int key, int value) {
        setItem(key, Le.le16(value));
    }

    public void setLe32(int key, int value) {
        setItem(key, Le.le32(value));
    }

    public void setLe64(int key, long value) {
        setItem(key, Le.le64(value));
    }

    /** FW_CFG_RAM_SIZE: the guest RAM size in bytes, little-endian 64-bit. */
    public void setRamSize(long bytes) {
        setLe64(FW_CFG_RAM_SIZE, bytes);
    }

    /** FW_CFG_NB_CPUS and FW_CFG_MAX_CPUS, little-endian 16-bit each. */
    public void setCpus(int count, int max) {
        setLe16(FW_CFG_NB_CPUS, count);
        setLe16(FW_CFG_MAX_CPUS, max);
    }

    /**
     * Adds a named file; it gets the next select key from FW_CFG_FILE_FIRST on and an entry
     * in FW_CFG_FILE_DIR. Returns the select key.
     */
    public int addFile(String name, byte[] data) {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length == 0 || nameBytes.length >= FILE_NAME_SIZE) {
            throw new IllegalArgumentException("fw_cfg file name must be 1.." + (FILE_NAME_SIZE - 1) + " characters: " + name);
        }
        if (fileNames.contains(name)) {
            throw new IllegalArgumentException("fw_cfg file added twice: " + name);
        }
        int select = FW_CFG_FILE_FIRST + fileNames.size();
        if (select >= FW_CFG_WRITE_CHANNEL) {
            throw new IllegalArgumentException("fw_cfg file directory full");
        }
        fileNames.add(name);
        items[select] = data.clone();
        rebuildFileDir();
        return select;
    }

    /** etc/boot-fail-wait: how long SeaBIOS waits before rebooting after no boot device (ms). */
    public int addBootFailWait(int milliseconds) {
        return addFile("etc/boot-fail-wait", Le.le32(milliseconds));
    }

    /** The item a key currently selects, or null; for the machine and tests. */
    public byte[] item(int key) {
        byte[] d = items[key & 0xFFFF];
        return d == null ? null : d.clone();
    }

    private void rebuildFileDir() {
        int n = fileNames.size();
        byte[] dir = new byte[4 + n * FILE_ENTRY_SIZE];
        Be.put32(dir, 0, n);
        for (int i = 0; i < n; i++) {
            int e = 4 + i * FILE_ENTRY_SIZE;
            int select = FW_CFG_FILE_FIRST + i;
            Be.put32(dir, e, items[select].length);
            Be.put16(dir, e + 4, select);
            byte[] name = fileNames.get(i).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(name, 0, dir, e + 8, name.length);
        }
        items[FW_CFG_FILE_DIR] = dir;
    }

    /** Offers the DMA interface (FW_CFG_ID bit 1), moving data through {@code memory}. */
    public void enableDma(DmaMemory memory) {
        this.dma = memory;
        setLe32(FW_CFG_ID, ID_TRADITIONAL | ID_DMA);
    }

    @Override
    public int ioRead(int port, int size) {
        if (dma != null && port >= PORT_DMA && port < PORT_DMA + DMA_PORTS) {
            int v = 0;
            for (int i = 0; i < size && port + i < PORT_DMA + DMA_PORTS; i++) {
                v |= (DMA_SIGNATURE[port + i - PORT_DMA] & 0xFF) << (8 * i);
            }
            return v;
        }
        if (port != PORT_DATA) {
            return 0; // the selector register is write-only
        }
        // A wider access reads consecutive bytes, lowest address first.
        int v = 0;
        for (int i = 0; i < size; i++) {
            v |= nextByte() << (8 * i);
        }
        return v;
    }

    private int nextByte() {
        byte[] d = items[selector & ~FW_CFG_WRITE_CHANNEL];
        if (d == null || offset >= d.length) {
            return 0;
        }
        return d[offset++] & 0xFF;
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        // The selector is a 16-bit register; data writes are ignored (no write channel).
        if (port == PORT_SELECTOR && size == 2) {
            selector = value & 0xFFFF;
            offset = 0;
        } else if (dma != null && port == PORT_DMA && size == 4) {
            dmaHigh = Integer.reverseBytes(value) & 0xFFFFFFFFL;
        } else if (dma != null && port == PORT_DMA + 4 && size == 4) {
            long address = dmaHigh << 32 | (Integer.reverseBytes(value) & 0xFFFFFFFFL);
            dmaHigh = 0;
            dmaTransfer(address);
        }
    }

    /**
     * Runs the FWCfgDmaAccess at {@code address} (big-endian control, length, address): select an
     * item if SELECT, then READ (bytes past the item's end read as 0) or SKIP {@code length} bytes;
     * WRITE fails, no item being writable. The control word is written back: 0, or ERROR.
     */
    private void dmaTransfer(long address) {
        byte[] access = new byte[16];
        dma.read(address, access);
        int control = Be.get32(access, 0);
        long length = Be.get32(access, 4) & 0xFFFFFFFFL;
        long target = (Be.get32(access, 8) & 0xFFFFFFFFL) << 32 | (Be.get32(access, 12) & 0xFFFFFFFFL);
        if ((control & DMA_SELECT) != 0) {
            selector = (control >>> 16) & 0xFFFF;
            offset = 0;
        }
        int result = 0;
        if ((control & DMA_WRITE) != 0) {
            result = DMA_ERROR;
        } else if ((control & (DMA_READ | DMA_SKIP)) != 0) {
            byte[] d = items[selector & ~FW_CFG_WRITE_CHANNEL];
            int available = d == null ? 0 : Math.max(0, d.length - offset);
            int n = (int) Math.min(length, available);
            if ((control & DMA_READ) != 0) {
                if (n > 0) {
                    dma.write(target, java.util.Arrays.copyOfRange(d, offset, offset + n));
                }
                // Past the item's end the guest's buffer is zero-filled, in bounded pieces.
                byte[] zeros = new byte[(int) Math.min(length - n, 1 << 16)];
                for (long at = n; at < length; at += zeros.length) {
                    dma.write(target + at, at + zeros.length <= length ? zeros : new byte[(int) (length - at)]);
                }
            }
            offset += n;
        }
        byte[] done = new byte[4];
        Be.put32(done, 0, result);
        dma.write(address, done);
    }
}
