package dev.jvmx.runtime.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.jvmx.runtime.cli.TestImages.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Signals end a run as its other stops do: the last line on standard error and 128 + the
 * signal's number, within a second. And when the CPU thread cannot stop (blocked writing to a
 * pipe no one reads), the watchdog still ends the process on time.
 */
class SignalsTest {
    @TempDir
    Path tmp;

    private Path loopKernel() throws Exception {
        return TestImages.kernel(tmp, "loop.elf", bytes(0xEB, 0xFE)); // jmp $
    }

    /** Starts jvmx, waits until the guest runs (the watchdog needs the run started), signals it. */
    private void signalled(String signal, int code, String... args) throws Exception {
        Path out = tmp.resolve(signal + ".out");
        Path err = tmp.resolve(signal + ".err");
        JvmxRun p = JvmxRun.start(out, err, false, List.of(), args);
        Thread.sleep(2500);
        assertTrue(p.process.isAlive(), JvmxRun.read(err));
        long t0 = System.nanoTime();
        p.signal(signal);
        int exit = p.waitFor(30);
        double secs = (System.nanoTime() - t0) / 1e9;
        String e = JvmxRun.read(err);
        assertEquals(code, exit, e);
        assertTrue(secs < 1.0, secs + " s after SIG" + signal + "\n" + e);
        String[] lines = e.strip().split("\n");
        assertTrue(lines[lines.length - 1].matches("jvmx: stopped by SIG" + signal + ".*"), e);
        assertTrue(!e.contains("Exception"), e);
    }

    /**
     * Whether this JVM was started with {@code signal} ignored, which jvmx, its child, inherits: a
     * non-interactive shell starts its background jobs with SIGINT ignored, and a JVM leaves an
     * ignored signal alone (Signals keeps the default, which is then to ignore it).
     */
    private static boolean inheritedIgnored(int signal) throws Exception {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) >>> (signal - 1) & 1) != 0;
            }
        }
        return false;
    }

    @Test
    void sigtermAndSigintEndTheRunWithTheLastLine() throws Exception {
        String k = loopKernel().toString();
        signalled("TERM", 143, "boot", "--serial", "none", "--kernel", k);
        assumeFalse(inheritedIgnored(2), "SIGINT is ignored by this test's own process (a background job of a"
                + " non-interactive shell?), so jvmx would ignore it too: run the tests in the foreground");
        signalled("INT", 130, "boot", "--serial", "none", "--kernel", k);
        signalled("HUP", 129, "boot", "--serial", "none", "--kernel", k);
    }

    /** While QEMU's server,wait holds the guest back, a signal still ends the process in words. */
    @Test
    void signalWhileWaitingForASerialClient() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        signalled("TERM", 143, "boot", "-serial", "tcp:127.0.0.1:" + port + ",server,wait", "--kernel", loopKernel().toString());
    }

    /**
     * A guest printing to a standard output nobody reads blocks the CPU thread in write(); the
     * watchdog prints the last line itself and exits at the timeout (plus its grace).
     */
    @Test
    void blockedOutputCannotHoldTheProcessPastItsTimeout() throws Exception {
        Path k = TestImages.kernel(tmp, "spam.elf", bytes(
                0xBA, 0xF8, 0x03, 0x00, 0x00,   // mov edx, 0x3F8
                0xB0, 0x41,                     // mov al, 'A'
                0xEE,                           // out dx, al
                0xEB, 0xFD));                   // jmp back to the OUT
        Path err = tmp.resolve("blocked.err");
        JvmxRun p = JvmxRun.start(null, err, true, List.of(), "boot", "--kernel", k.toString(), "--timeout", "2");
        int exit = p.waitFor(30);
        String e = JvmxRun.read(err);
        assertEquals(124, exit, e);
        assertTrue(p.seconds() <= 4.0, p.seconds() + " s\n" + e);
        assertTrue(e.contains("jvmx: timeout after 2.0 s after "), e);
        assertTrue(!Files.exists(tmp.resolve("never")));
    }
}
