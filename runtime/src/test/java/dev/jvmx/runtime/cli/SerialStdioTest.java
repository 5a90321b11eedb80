package dev.jvmx.runtime.cli;

import dev.jvmx.devices.chr.StdioBackend;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --serial stdio with standard input a pipe, as QEMU's -serial stdio takes one: what is written
 * reaches the guest's COM1 byte for byte (Ctrl-C, 0x03, included: it is the guest's), Ctrl-A
 * Ctrl-A sends one Ctrl-A, and Ctrl-A x quits at once. The guest is guest-images' serialecho,
 * which copies COM1 to port 0xE9 until it reads 'q' (QEMU prints the same for the same input);
 * the debug console goes to a file, since jvmx (as QEMU) refuses two devices on stdio. Input
 * larger than the serial input queue is not dropped from: a pipe waits for the guest.
 * jvmx runs as its own process, since this JVM's standard input is the test runner's.
 */
class SerialStdioTest {
    private record Run(int exitCode, String out, String err) { }

    private static Run jvmx(byte[] input) throws IOException, InterruptedException {
        Path debugcon = Files.createTempFile("jvmx-serialecho", ".txt");
        try {
            Run r = jvmx(input, debugcon);
            return new Run(r.exitCode, Files.readString(debugcon, StandardCharsets.ISO_8859_1), r.err);
        } finally {
            Files.deleteIfExists(debugcon);
        }
    }

    private static Run jvmx(byte[] input, Path debugcon) throws IOException, InterruptedException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xss16m",
                "-Djvmx.home=" + CliRun.home(), "-cp", System.getProperty("java.class.path"), "dev.jvmx.runtime.cli.Main",
                "boot", "--kernel", CliRun.image("serialecho.elf").toString(), "--serial", "stdio", "--debugcon", "file:" + debugcon,
                "--timeout", "120");
        Process p = new ProcessBuilder(cmd).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(input);
        }
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "jvmx did not end");
        return new Run(p.exitValue(), new String(out, StandardCharsets.ISO_8859_1), new String(err, StandardCharsets.ISO_8859_1));
    }

    @Test
    void pipedInputReachesTheGuestByteForByte() throws Exception {
        Run r = jvmx("hello\u0003world\u0001\u0001 q".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(33, r.exitCode, r.err);
        assertEquals("echo: ready\nhello\u0003world\u0001 \necho: done\n", r.out);
    }

    @Test
    void pipedInputLargerThanTheInputQueueArrivesWhole() throws Exception {
        StringBuilder data = new StringBuilder();
        for (int i = 0; data.length() < 5 * StdioBackend.INPUT_BOUND; i++) {
            data.append("line ").append(i).append(" abcdefghijklmnoprstuvwxyz\n"); // no 'q', no Ctrl-A
        }
        Run r = jvmx((data + "q").getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(33, r.exitCode, r.err);
        assertEquals("echo: ready\n" + data + "\necho: done\n", r.out);
        assertFalse(r.err.contains("dropped"), r.err);
    }

    @Test
    void ctrlAxQuitsAndNothingAfterItReachesTheGuest() throws Exception {
        Run r = jvmx("ab\u0001xzzzzq".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(0, r.exitCode, r.err);
        assertTrue(r.err.contains("quit from the console (Ctrl-A x)"), r.err);
        assertTrue("echo: ready\nab".startsWith(r.out) || r.out.equals("echo: ready\nab"), r.out);
        assertFalse(r.out.contains("z"), r.out);
    }
}
