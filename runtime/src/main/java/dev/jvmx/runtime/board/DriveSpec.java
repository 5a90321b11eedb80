package dev.jvmx.runtime.board;

import java.nio.file.Path;

/**
 * A QEMU-style {@code --drive} value: comma-separated {@code key=value} pairs, of which
 * {@code file=PATH} is required, {@code format=raw} the only format and {@code readonly=on|off}
 * optional. Anything else is a one-line IllegalArgumentException for the user.
 */
public final class DriveSpec {
    public final Path file;
    public final boolean readOnly;

    private DriveSpec(Path file, boolean readOnly) {
        this.file = file;
        this.readOnly = readOnly;
    }

    public static DriveSpec parse(String spec) {
        String file = null;
        boolean readOnly = false;
        for (String part : spec.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--drive: expected key=value, got '" + part + "' in '" + spec + "'");
            }
            String key = part.substring(0, eq);
            String value = part.substring(eq + 1);
            switch (key) {
                case "file":
                    if (value.isEmpty()) {
                        throw new IllegalArgumentException("--drive: file= needs a path");
                    }
                    file = value;
                    break;
                case "format":
                    if (!value.equals("raw")) {
                        throw new IllegalArgumentException("--drive: only format=raw is supported, got '" + value + "'");
                    }
                    break;
                case "readonly":
                    if (value.equals("on")) {
                        readOnly = true;
                    } else if (value.equals("off")) {
                        readOnly = false;
                    } else {
                        throw new IllegalArgumentException("--drive: readonly must be on or off, got '" + value + "'");
                    }
                    break;
                default:
                    throw new IllegalArgumentException("--drive: unknown key '" + key
                            + "' (known: file, format, readonly)");
            }
        }
        if (file == null) {
            throw new IllegalArgumentException("--drive: file=PATH is required, got '" + spec + "'");
        }
        return new DriveSpec(Path.of(file), readOnly);
    }
}
