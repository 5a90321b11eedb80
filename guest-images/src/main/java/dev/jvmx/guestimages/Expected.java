package dev.jvmx.guestimages;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A parsed {@code .expected} file: "key: value" header lines (US-ASCII), one
 * empty line, then the exact bytes the guest writes to its output channel.
 *
 * <p>Headers: {@code image}, {@code load}, {@code output} (serial or
 * debugcon), {@code end} (halt or debug-exit), {@code debug-exit-value} (the
 * byte written to port 0xF4), {@code qemu-exit-status} ((value &lt;&lt; 1) | 1),
 * {@code oracle} (where the expected bytes came from).
 */
public final class Expected {
    private final Map<String, String> headers;
    private final byte[] output;

    private Expected(Map<String, String> headers, byte[] output) {
        this.headers = Collections.unmodifiableMap(headers);
        this.output = output;
    }

    public static Expected parse(byte[] file) {
        Map<String, String> headers = new LinkedHashMap<>();
        int pos = 0;
        while (true) {
            int eol = indexOf(file, (byte) '\n', pos);
            if (eol < 0) {
                throw new IllegalArgumentException("malformed .expected file: no empty line after the headers");
            }
            String line = new String(file, pos, eol - pos, StandardCharsets.US_ASCII);
            pos = eol + 1;
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(": ");
            if (colon <= 0) {
                throw new IllegalArgumentException("malformed .expected header line: " + line);
            }
            headers.put(line.substring(0, colon), line.substring(colon + 2));
        }
        return new Expected(headers, Arrays.copyOfRange(file, pos, file.length));
    }

    private static int indexOf(byte[] b, byte value, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public String header(String key) {
        return headers.get(key);
    }

    /** The exact expected output bytes. */
    public byte[] output() {
        return output.clone();
    }

    /** The expected output as text (the guests print ASCII only). */
    public String outputText() {
        return new String(output, StandardCharsets.ISO_8859_1);
    }

    /** Byte written to the isa-debug-exit port 0xF4, if the guest ends that way. */
    public OptionalInt debugExitValue() {
        String v = headers.get("debug-exit-value");
        return v == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(v));
    }

    /** Exit status of qemu-system-i386 with isa-debug-exit, if the guest ends that way. */
    public OptionalInt qemuExitStatus() {
        String v = headers.get("qemu-exit-status");
        return v == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(v));
    }
}
