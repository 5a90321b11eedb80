package dev.jvmx.devices.fwcfg;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the fw_cfg file "bootorder": one OpenFirmware-style device path per line
 * (for example {@code /pci@i0cf8/ide@1,1/drive@0/disk@0}), highest priority first.
 */
public final class BootOrder {
    public static final String FILE_NAME = "bootorder";

    private final List<String> paths = new ArrayList<>();

    public BootOrder add(String devicePath) {
        if (devicePath.isEmpty() || devicePath.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("boot device path must be one non-empty line: " + devicePath);
        }
        paths.add(devicePath);
        return this;
    }

    public int size() {
        return paths.size();
    }

    /** The lines joined by '\n', NUL-terminated as a C string for the firmware's parser. */
    public byte[] toBytes() {
        byte[] text = String.join("\n", paths).getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[text.length + 1];
        System.arraycopy(text, 0, b, 0, text.length);
        return b;
    }
}
