package dev.jvmx.runtime.gdb;

/**
 * Where the stub listens, in QEMU's spelling of {@code -gdb}: {@code tcp::PORT} (every local
 * address, as QEMU) or {@code tcp:HOST:PORT}; {@code -s} is {@code tcp::1234}.
 */
public record GdbAddress(String host, int port, String spec) {
    public static final String DEFAULT = "tcp::1234";

    /** Parses a -gdb argument; a malformed one is an IllegalArgumentException with one line that says why. */
    public static GdbAddress parse(String spec) {
        String usage = "-gdb takes tcp::PORT or tcp:HOST:PORT (as QEMU's -gdb), got '" + spec + "'";
        if (!spec.startsWith("tcp:")) {
            throw new IllegalArgumentException(usage);
        }
        String rest = spec.substring(4);
        int colon = rest.lastIndexOf(':');
        if (colon < 0 || rest.indexOf(',') >= 0) {
            throw new IllegalArgumentException(usage);
        }
        String host = rest.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(rest.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(usage);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("-gdb " + spec + ": the port must be between 1 and 65535");
        }
        return new GdbAddress(host.isEmpty() ? null : host, port, spec);
    }
}
