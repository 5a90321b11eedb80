package dev.jvmx.guestimages;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The committed guest images, available as classpath resources
 * {@code dev/jvmx/guestimages/<file>} of this module's jar. Each has an
 * {@code .expected} file describing how it is loaded and what it prints.
 */
public enum GuestImage {
    /** 64 KiB BIOS ROM: load with --bios; prints on COM1 and halts. */
    FIRST_GUEST("first-guest.rom", "first-guest.expected"),
    /** Multiboot v1 ELF32 kernel: greeting and memory sizes, debug-exit 0x10. */
    HELLO("hello.elf", "hello.expected"),
    /** Multiboot v1 ELF32 kernel: the first guest's workload on 0xE9, debug-exit 0. */
    CRC_MB("crc-mb.elf", "crc-mb.expected");

    /** Classpath directory that holds the images. */
    public static final String RESOURCE_DIR = "dev/jvmx/guestimages/";

    private final String fileName;
    private final String expectedFileName;

    GuestImage(String fileName, String expectedFileName) {
        this.fileName = fileName;
        this.expectedFileName = expectedFileName;
    }

    public String fileName() {
        return fileName;
    }

    public String expectedFileName() {
        return expectedFileName;
    }

    /** Classpath resource name of the image, e.g. {@code dev/jvmx/guestimages/hello.elf}. */
    public String resourceName() {
        return RESOURCE_DIR + fileName;
    }

    /** The image's bytes. */
    public byte[] bytes() {
        return readResource(RESOURCE_DIR + fileName);
    }

    /** What the image is expected to print and how it ends. */
    public Expected expected() {
        return Expected.parse(readResource(RESOURCE_DIR + expectedFileName));
    }

    private static byte[] readResource(String name) {
        try (InputStream in = GuestImage.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("guest image resource missing from the classpath: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read guest image resource " + name, e);
        }
    }
}
