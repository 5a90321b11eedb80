package dev.jvmx.runtime.cli;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gdb stub's options: a bad one gets one line on stderr and exit code 2, before the guest runs. */
class GdbOptionsTest {
    private static void refused(String message, String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(Main.EXIT_USAGE, r.exitCode, r.toString());
        assertEquals(1, r.err.lines().count(), r.toString());
        assertTrue(r.err.startsWith("jvmx: " + message), r.toString());
        assertFalse(r.err.contains("Exception"), r.toString());
    }

    @Test
    void malformedSpecs() {
        refused("-gdb takes tcp::PORT or tcp:HOST:PORT", "boot", "-gdb", "1234");
        refused("-gdb takes tcp::PORT or tcp:HOST:PORT", "boot", "-gdb", "udp::1234");
        refused("-gdb tcp::99999: the port must be between 1 and 65535", "boot", "-gdb", "tcp::99999");
        refused("-S waits for gdb, so it needs -s or -gdb tcp::PORT", "boot", "-S");
    }

    @Test
    void aPortInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            refused("-gdb tcp:127.0.0.1:" + port + ": cannot listen on port " + port, "boot", "-gdb",
                    "tcp:127.0.0.1:" + port, "-S");
        }
    }

    @Test
    void helpListsTheOptions() {
        CliRun r = CliRun.of("boot", "--help");
        assertTrue(r.out.contains("-gdb=DEV") && r.out.contains("  -s ") && r.out.contains("  -S "), r.out);
    }
}
