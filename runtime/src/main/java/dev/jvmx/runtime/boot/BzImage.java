package dev.jvmx.runtime.boot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Linux/x86 kernel image in the bzImage format with its real-mode setup header (the kernel's
 * Documentation/arch/x86/boot.rst, "The Real-Mode Kernel Header"): the setup sectors, then the
 * protected-mode kernel, which is loaded high. Offsets below are the header's, in the file and
 * (from 0x1F1 on) in the zero page alike.
 */
public final class BzImage {
    public static final int SETUP_SECTS = 0x1F1;
    public static final int SYSSIZE = 0x1F4;
    public static final int VID_MODE = 0x1FA;
    public static final int BOOT_FLAG = 0x1FE;
    public static final int JUMP = 0x200;
    public static final int HEADER = 0x202;
    public static final int VERSION = 0x206;
    public static final int TYPE_OF_LOADER = 0x210;
    public static final int LOADFLAGS = 0x211;
    public static final int CODE32_START = 0x214;
    public static final int RAMDISK_IMAGE = 0x218;
    public static final int RAMDISK_SIZE = 0x21C;
    public static final int HEAP_END_PTR = 0x224;
    public static final int CMD_LINE_PTR = 0x228;
    public static final int INITRD_ADDR_MAX = 0x22C;
    public static final int KERNEL_ALIGNMENT = 0x230;
    public static final int RELOCATABLE_KERNEL = 0x234;
    public static final int CMDLINE_SIZE = 0x238;
    public static final int PREF_ADDRESS = 0x258;
    public static final int INIT_SIZE = 0x260;

    /** "HdrS". */
    public static final int HEADER_MAGIC = 0x53726448;
    public static final int BOOT_FLAG_MAGIC = 0xAA55;
    /** loadflags bit 0: the protected-mode code is loaded at 0x100000 (a bzImage). */
    public static final int LOADED_HIGH = 0x01;
    public static final int QUIET_FLAG = 0x20;
    public static final int KEEP_SEGMENTS = 0x40;
    public static final int CAN_USE_HEAP = 0x80;
    /** The oldest protocol jvmx boots: 2.02 (cmd_line_ptr in the header). */
    public static final int MIN_PROTOCOL = 0x0202;
    /** Where a bzImage's protected-mode code goes unless it is relocatable and prefers elsewhere. */
    public static final int HIGH_LOAD_ADDRESS = 0x100000;

    public final Path file;
    public final byte[] bytes;
    public final int protocol;
    /** Size of the real-mode part (boot sector + setup sectors) in bytes. */
    public final int setupSize;

    private BzImage(Path file, byte[] bytes, int protocol, int setupSize) {
        this.file = file;
        this.bytes = bytes;
        this.protocol = protocol;
        this.setupSize = setupSize;
    }

    /** True if {@code img} carries the real-mode kernel header (boot flag and "HdrS"). */
    public static boolean isBzImage(byte[] img) {
        return img.length >= 0x208 && u16(img, BOOT_FLAG) == BOOT_FLAG_MAGIC && u32(img, HEADER) == HEADER_MAGIC;
    }

    /** Checks the header: protocol 2.02 or later, loaded high, and the whole image present. */
    public static BzImage parse(Path file, byte[] img) throws ImageException {
        if (!isBzImage(img)) {
            throw new ImageException(file + " is not a Linux bzImage (no boot flag 0xAA55 and \"HdrS\" header)");
        }
        int protocol = u16(img, VERSION);
        if (protocol < MIN_PROTOCOL) {
            throw new ImageException(String.format("%s uses Linux boot protocol %d.%02d; jvmx needs 2.02 or later",
                    file, protocol >> 8, protocol & 0xFF));
        }
        if ((img[LOADFLAGS] & LOADED_HIGH) == 0) {
            throw new ImageException(file + " is a zImage (loaded below 1 MiB); jvmx boots bzImages only");
        }
        int sects = img[SETUP_SECTS] & 0xFF;
        if (sects == 0) {
            sects = 4; // boot.rst: "if this field is 0, the real value is 4"
        }
        int setupSize = (sects + 1) * 512;
        // syssize (2.04+): the protected-mode code in 16-byte paragraphs.
        long need = setupSize + (protocol >= 0x0204 ? 16L * (u32(img, SYSSIZE) & 0xFFFFFFFFL) : 1);
        int hdrEnd = JUMP + 2 + (img[JUMP + 1] & 0xFF);
        if (img.length < need || img.length < hdrEnd || img.length <= setupSize) {
            throw new ImageException(String.format("%s is truncated: %d bytes, its header says at least %d",
                    file, img.length, Math.max(need, Math.max(hdrEnd, setupSize + 1))));
        }
        return new BzImage(file, img, protocol, setupSize);
    }

    public static BzImage read(Path file) throws ImageException {
        return parse(file, readFile(file, "kernel image"));
    }

    static byte[] readFile(Path file, String what) throws ImageException {
        if (!Files.isRegularFile(file)) {
            throw new ImageException(what + " not found: " + file);
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ImageException("cannot read " + what + " " + file + ": " + e.getMessage());
        }
    }

    /** Offset in the file just past the setup header: 0x202 plus the jump's displacement byte. */
    public int headerEnd() {
        return JUMP + 2 + (bytes[JUMP + 1] & 0xFF);
    }

    /** Bytes of the protected-mode kernel (everything after the setup). */
    public int kernelSize() {
        return bytes.length - setupSize;
    }

    public boolean relocatable() {
        return protocol >= 0x0205 && bytes[RELOCATABLE_KERNEL] != 0;
    }

    /** The highest address the initrd may occupy (2.03+ says; before, 0x37FFFFFF). */
    public long initrdAddrMax() {
        return protocol >= 0x0203 ? u32(bytes, INITRD_ADDR_MAX) & 0xFFFFFFFFL : 0x37FFFFFFL;
    }

    /** The longest command line without its NUL (2.06+ says; before, 255). */
    public int cmdlineSize() {
        return protocol >= 0x0206 ? u32(bytes, CMDLINE_SIZE) : 255;
    }

    public long kernelAlignment() {
        return protocol >= 0x0205 ? u32(bytes, KERNEL_ALIGNMENT) & 0xFFFFFFFFL : 0;
    }

    /** The preferred load address of a relocatable kernel (2.10+), else 0. */
    public long prefAddress() {
        return protocol >= 0x020A ? ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(PREF_ADDRESS) : 0;
    }

    /** Memory the kernel needs from its load address before it has set up its own (2.10+), else 0. */
    public long initSize() {
        return protocol >= 0x020A ? u32(bytes, INIT_SIZE) & 0xFFFFFFFFL : 0;
    }

    static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    static int u32(byte[] b, int off) {
        return u16(b, off) | u16(b, off + 2) << 16;
    }
}
