package dev.jvmx.runtime.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The front door: `jvmx boot` on good and bad input. */
class BootCommandTest {
    @TempDir
    Path tmp;

    /** The expected serial output of the first guest, from its native-oracle file. */
    private static List<String> expectedFirstGuestLines() throws IOException {
        String text = Files.readString(CliRun.image("first-guest.expected")).replace("\r", "");
        String body = text.substring(text.indexOf("\n\n") + 2);
        return List.of(body.strip().split("\n"));
    }

    @Test
    void defaultBootPrintsBannerAndChecksumsAndExitsZero() throws IOException {
        CliRun r = CliRun.of("boot", "--timeout", "120");
        assertEquals(0, r.exitCode, r.toString());
        String out = r.out.replace("\r", "");
        for (String line : expectedFirstGuestLines()) {
            assertTrue(out.contains(line + "\n"), "missing line '" + line + "'\n" + r);
        }
        assertTrue(r.err.contains("halted with interrupts disabled"), r.toString());
    }

    @Test
    void multibootKernelWritesDebugconAndExitsThroughIsaDebugExit() throws IOException {
        CliRun r = CliRun.of("boot", "--serial", "none", "--debugcon", "stdio",
                "--kernel", CliRun.image("hello.elf").toString(), "--timeout", "60");
        String expected = Files.readString(CliRun.image("hello.expected"));
        String body = expected.substring(expected.indexOf("\n\n") + 2);
        assertEquals(33, r.exitCode, r.toString());
        assertEquals(body.strip(), r.out.strip(), r.toString());
    }

    @Test
    void missingImageIsOneLineAndExitTwo() {
        CliRun r = CliRun.of("boot", "--kernel", tmp.resolve("nope.elf").toString());
        assertEquals(2, r.exitCode, r.toString());
        assertEquals(1, r.err.strip().lines().count(), r.toString());
        assertTrue(r.err.contains("not found"), r.toString());
    }

    @Test
    void malformedKernelIsOneLineAndExitTwo() throws IOException {
        Path junk = tmp.resolve("junk.elf");
        Files.write(junk, new byte[] {0x7F, 'E', 'L', 'F', 1, 1, 1, 0, 0, 0});
        CliRun r = CliRun.of("boot", "--kernel", junk.toString());
        assertEquals(2, r.exitCode, r.toString());
        assertTrue(r.err.contains("not a Multiboot kernel"), r.toString());
        assertFalse(r.err.contains("Exception"), r.toString());
    }

    @Test
    void biosOfWrongSizeIsRejected() throws IOException {
        Path rom = tmp.resolve("short.rom");
        Files.write(rom, new byte[1000]);
        CliRun r = CliRun.of("boot", "--bios", rom.toString());
        assertEquals(2, r.exitCode, r.toString());
        assertTrue(r.err.contains("multiple of 64 KiB"), r.toString());
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRun r = CliRun.of("boot", "--frobnicate");
        assertEquals(2, r.exitCode, r.toString());
        assertTrue(r.err.contains("Unknown option"), r.toString());
    }

    @Test
    void badSerialSpecIsAUsageError() {
        CliRun r = CliRun.of("boot", "--serial", "telepathy");
        assertEquals(2, r.exitCode, r.toString());
        assertTrue(r.err.contains("--serial"), r.toString());
    }

    /**
     * A ROM whose reset vector loads an empty IDT (limit 0) and executes UD2: #UD cannot be
     * delivered (#GP), nor can #GP (#DF), nor #DF: the processor shuts down.
     */
    @Test
    void tripleFaultStopsWithExitThree() throws IOException {
        byte[] rom = new byte[65536];
        int at = 0xFFF0;
        byte[] code = {0x2E, 0x0F, 0x01, 0x1E, (byte) 0xF8, (byte) 0xFF, // lidt cs:[0xFFF8]
            0x0F, 0x0B};                                               // ud2
        System.arraycopy(code, 0, rom, at, code.length);                // 0xFFF8: limit 0, base 0
        Path p = tmp.resolve("tf.rom");
        Files.write(p, rom);
        CliRun r = CliRun.of("boot", "--bios", p.toString(), "--timeout", "30");
        assertEquals(3, r.exitCode, r.toString());
        assertTrue(r.err.contains("triple fault"), r.toString());
    }

    /** A ROM that loops forever ends at the timeout with exit code 124. */
    @Test
    void timeoutStopsWithExit124() throws IOException {
        byte[] rom = new byte[65536];
        rom[0xFFF0] = (byte) 0xEB; // jmp $
        rom[0xFFF1] = (byte) 0xFE;
        Path p = tmp.resolve("loop.rom");
        Files.write(p, rom);
        CliRun r = CliRun.of("boot", "--bios", p.toString(), "--timeout", "1");
        assertEquals(124, r.exitCode, r.toString());
        assertTrue(r.err.contains("timeout"), r.toString());
    }

    /** Garbage (all 0xFF bytes) at the reset vector must end cleanly, never hang or crash. */
    @Test
    void garbageRomEndsCleanly() throws IOException {
        byte[] rom = new byte[65536];
        java.util.Arrays.fill(rom, (byte) 0xFF);
        Path p = tmp.resolve("ff.rom");
        Files.write(p, rom);
        CliRun r = CliRun.of("boot", "--bios", p.toString(), "--timeout", "2");
        assertTrue(r.exitCode == 3 || r.exitCode == 124, r.toString());
        assertFalse(r.err.contains("Exception"), r.toString());
    }
}
