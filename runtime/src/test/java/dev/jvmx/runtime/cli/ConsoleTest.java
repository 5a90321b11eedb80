package dev.jvmx.runtime.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.jvmx.runtime.cli.TestImages.bytes;
import static dev.jvmx.runtime.cli.TestImages.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The consoles people expect: the firmware on COM1 when there is no display (QEMU's
 * -nographic, QEMU as the oracle), QEMU's tcp server,wait / nowait, and keys typed on a
 * terminal reaching the guest's 8042 with --display text.
 */
class ConsoleTest {
    static final Path BIOS = Path.of("/usr/share/seabios/bios.bin");

    @TempDir
    Path tmp;

    private static boolean have(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * With no display jvmx tells SeaBIOS so (fw_cfg NOGRAPHIC), and SeaBIOS puts its console on
     * COM1: what reaches the serial port up to the boot line is byte for byte what QEMU's
     * -nographic prints (with -net none: jvmx has no network card, so no iPXE banner).
     */
    @Test
    void firmwareConsoleIsOnTheSerialPortAsWithQemuNographic() throws Exception {
        assumeTrue(Files.isRegularFile(BIOS), "Debian's seabios is not installed; skipped");
        assumeTrue(have("qemu-system-i386", "--version"), "qemu-system-i386 is not installed; skipped");
        Path d1 = tmp.resolve("q.img");
        Path d2 = tmp.resolve("j.img");
        Files.copy(CliRun.image("bootdisk.img"), d1);
        Files.copy(CliRun.image("bootdisk.img"), d2);
        Process q = new ProcessBuilder("qemu-system-i386", "-nographic", "-net", "none", "-bios", BIOS.toString(),
                "-drive", "file=" + d1 + ",format=raw", "-device", "isa-debug-exit,iobase=0xf4,iosize=4")
                .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        byte[] qemuOut = q.getInputStream().readAllBytes();
        assumeTrue(q.waitFor(120, TimeUnit.SECONDS), "qemu did not finish");
        CliRun r = CliRun.of("boot", "-bios", BIOS.toString(), "--drive", "file=" + d2 + ",format=raw", "--timeout", "120");
        assertEquals(33, r.exitCode, r.toString());
        String qemu = new String(qemuOut, StandardCharsets.ISO_8859_1);
        String boot = "Booting from Hard Disk...\r\n";
        int end = qemu.indexOf(boot);
        assertTrue(end > 0 && qemu.startsWith("\033c"), qemu);
        String prefix = qemu.substring(0, end + boot.length());
        assertTrue(prefix.contains("SeaBIOS (version "), prefix);
        assertEquals(prefix, r.out.substring(0, Math.min(r.out.length(), prefix.length())), r.toString());
    }

    /** QEMU's server,wait: the guest starts when the client connects, so it sees the guest's first byte. */
    @Test
    void serverWaitHoldsTheGuestUntilTheClientConnects() throws Exception {
        int port = freePort();
        Path err = tmp.resolve("wait.err");
        JvmxRun p = JvmxRun.start(tmp.resolve("wait.out"), err, false, List.of(),
                "boot", "-serial", "tcp:127.0.0.1:" + port + ",server", "--timeout", "120");
        waitForLine(err, "waiting for a client on tcp:127.0.0.1:" + port, p);
        Thread.sleep(1000); // the guest would have printed everything by now if it had not waited
        String first;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(60_000);
            first = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        assertEquals(0, p.waitFor(60), JvmxRun.read(err));
        String expected = Files.readString(CliRun.image("first-guest.expected"), StandardCharsets.ISO_8859_1);
        expected = expected.substring(expected.indexOf("\n\n") + 2);
        assertEquals(expected, first);
    }

    /** QEMU's nowait: the guest runs at once; what it printed before the client came is kept for it. */
    @Test
    void nowaitKeepsOutputUntilAClientConnects() throws Exception {
        int port = freePort();
        // "hello\r\n" to COM1, then spin.
        byte[] code = new byte[0];
        for (char c : "hello\r\n".toCharArray()) {
            code = concat(code, bytes(0xB0, c, 0xBA, 0xF8, 0x03, 0x00, 0x00, 0xEE)); // mov al, c; mov edx, 0x3F8; out dx, al
        }
        Path k = TestImages.kernel(tmp, "hello.elf", concat(code, bytes(0xEB, 0xFE)));
        Path err = tmp.resolve("nowait.err");
        JvmxRun p = JvmxRun.start(tmp.resolve("nowait.out"), err, false, List.of(),
                "boot", "-serial", "tcp:127.0.0.1:" + port + ",server,nowait", "-kernel", k.toString(), "--timeout", "20");
        waitForLine(err, "listening on tcp:127.0.0.1:" + port, p);
        Thread.sleep(1500);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(20_000);
            assertArrayEquals("hello\r\n".getBytes(StandardCharsets.US_ASCII), s.getInputStream().readNBytes(7));
        }
        p.process.destroy();
        assertEquals(143, p.waitFor(20));
    }

    /** -serial tcp:HOST:PORT without server connects out, as QEMU does. */
    @Test
    void tcpWithoutServerConnectsOut() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(60_000);
            Path err = tmp.resolve("client.err");
            JvmxRun p = JvmxRun.start(tmp.resolve("client.out"), err, false, List.of(),
                    "boot", "-serial", "tcp:127.0.0.1:" + server.getLocalPort(), "--timeout", "120");
            String got;
            try (Socket s = server.accept()) {
                got = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            }
            assertEquals(0, p.waitFor(60), JvmxRun.read(err));
            assertTrue(got.startsWith("jvmx first guest"), got);
        }
    }

    /**
     * --display text on a terminal (a pseudo-terminal from script(1)): 'a' and 'q' typed there
     * reach the guest's 8042 as set 1 codes through the controller's translation (1E 9E for a,
     * 10 for q). The guest echoes each byte it reads from port 0x60 to the debug console and
     * exits through isa-debug-exit at q.
     */
    @Test
    void keysTypedOnTheTerminalReachThe8042() throws Exception {
        assumeTrue(have("script", "--version"), "script(1) from util-linux is not installed; skipped");
        Path k = TestImages.kernel(tmp, "keys.elf", bytes(
                0xE4, 0x64,         // 0: in al, 0x64
                0xA8, 0x01,         // test al, 1 (OBF)
                0x74, 0xFA,         // jz 0
                0xE4, 0x60,         // in al, 0x60
                0xE6, 0xE9,         // out 0xE9, al
                0x3C, 0x10,         // cmp al, 0x10 (q pressed)
                0x75, 0xF2,         // jne 0
                0xB0, 0x10,         // mov al, 0x10
                0xE6, 0xF4,         // out 0xF4, al: exit code 33
                0xF4));
        Path dbg = tmp.resolve("keys.dbg");
        String cmd = String.join(" ", JvmxRun.command(List.of(), "boot", "--display", "text", "--serial", "none",
                "--debugcon", "file:" + dbg, "-kernel", k.toString(), "--timeout", "60").stream().map(ConsoleTest::quote).toList());
        Process p = new ProcessBuilder("script", "-qec", cmd, "/dev/null").redirectErrorStream(true)
                .redirectOutput(tmp.resolve("script.out").toFile()).start();
        OutputStream typed = p.getOutputStream();
        Thread.sleep(4000); // JVM start, raw mode
        typed.write('a');
        typed.flush();
        Thread.sleep(300);
        typed.write('q');
        typed.flush();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "no exit");
        typed.close();
        String out = Files.readString(tmp.resolve("script.out"), StandardCharsets.ISO_8859_1);
        assertEquals(33, p.exitValue(), out);
        assertArrayEquals(bytes(0x1E, 0x9E, 0x10), Files.readAllBytes(dbg), out);
    }

    /** Runs jvmx on a pseudo-terminal (script(1)), typing {@code typed} after {@code delayMillis}; returns what the terminal showed. */
    private String onTerminal(String name, String typed, long delayMillis, int expectedExit, String... args) throws Exception {
        assumeTrue(have("script", "--version"), "script(1) from util-linux is not installed; skipped");
        String cmd = String.join(" ", JvmxRun.command(List.of(), args).stream().map(ConsoleTest::quote).toList());
        Path shown = tmp.resolve(name + ".out");
        Process p = new ProcessBuilder("script", "-qec", cmd, "/dev/null").redirectErrorStream(true)
                .redirectOutput(shown.toFile()).start();
        OutputStream in = p.getOutputStream();
        if (typed != null) {
            Thread.sleep(delayMillis);
            in.write(typed.getBytes(StandardCharsets.ISO_8859_1));
            in.flush();
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "no exit");
        in.close();
        String out = Files.readString(shown, StandardCharsets.ISO_8859_1);
        assertEquals(expectedExit, p.exitValue(), out);
        return out;
    }

    /** Ctrl-A x on the terminal quits, with the last line and exit code 0. */
    @Test
    void ctrlAxQuitsFromTheTerminal() throws Exception {
        Path k = TestImages.kernel(tmp, "spin.elf", bytes(0xEB, 0xFE));
        String out = onTerminal("quit", "\u0001x", 4000, 0, "boot", "-kernel", k.toString(), "--timeout", "60");
        assertTrue(out.contains("jvmx: quit from the console (Ctrl-A x) after "), out);
    }

    /** A silent guest gets a progress line on a terminal's stderr, redrawn in place; never when stderr is a file. */
    @Test
    void progressLineOnlyOnATerminal() throws Exception {
        Path k = TestImages.kernel(tmp, "spin.elf", bytes(0xEB, 0xFE));
        String out = onTerminal("progress", null, 0, 124, "boot", "-kernel", k.toString(), "--timeout", "5");
        assertTrue(out.matches("(?s).*\r\\033\\[Kjvmx: running \\d+ s: [0-9.]+[kMG]? guest instructions, [0-9.]+[kMG]? exits/s.*"), out);
        assertTrue(out.contains("\r\033[Kjvmx: timeout after 5.0 s after "), out); // erased before the last line
        JvmxRun.Result r = JvmxRun.run(tmp, 60, "boot", "-kernel", k.toString(), "--timeout", "3");
        assertEquals(124, r.exitCode());
        assertTrue(!r.err().contains("running"), r.err());
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void waitForLine(Path err, String text, JvmxRun p) throws Exception {
        for (int i = 0; i < 3000; i++) {
            if (JvmxRun.read(err).contains(text)) {
                return;
            }
            assertTrue(p.process.isAlive(), JvmxRun.read(err));
            Thread.sleep(10);
        }
        throw new AssertionError("no '" + text + "' in\n" + JvmxRun.read(err));
    }

}
