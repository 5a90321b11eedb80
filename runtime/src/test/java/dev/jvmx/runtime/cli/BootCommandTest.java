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
        assertTrue(r.err.contains("unknown option"), r.toString());
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

    /**
     * The same triple fault is a VM exit with basic reason 2 (SDM Vol. 3C, Appendix C), counted in
     * the exit statistics and left in the VMCS; the run ends as without the statistics.
     */
    @Test
    void tripleFaultIsCountedAsExitReasonTwo() throws IOException {
        byte[] rom = new byte[65536];
        byte[] code = {0x2E, 0x0F, 0x01, 0x1E, (byte) 0xF8, (byte) 0xFF, 0x0F, 0x0B}; // lidt cs:[0xFFF8]; ud2
        System.arraycopy(code, 0, rom, 0xFFF0, code.length);
        Path p = tmp.resolve("tf.rom");
        Files.write(p, rom);
        CliRun r = CliRun.of("boot", "--bios", p.toString(), "--timeout", "30", "--exit-stats");
        assertEquals(3, r.exitCode, r.toString());
        assertTrue(r.err.contains("jvmx: triple fault: #GP while delivering #DF at f000:0000fff6"), r.toString());
        assertTrue(r.err.matches("(?s).*\\n\\s*TRIPLE_FAULT\\s+1\\s.*"), r.toString());
        assertTrue(r.err.contains("last VM exit: TRIPLE_FAULT\n"), r.toString());
        assertTrue(r.err.contains("EXIT_REASON                    (0x4402) = 0x2\n"), r.toString());
        // The guest state the exit saved: RIP at the UD2 (F000:FFF6), and the shutdown state the VMM entered it in.
        assertTrue(r.err.contains("GUEST_RIP                      (0x681E) = 0xFFF6\n"), r.toString());
        assertTrue(r.err.contains("GUEST_ACTIVITY_STATE           (0x4826) = 0x2\n"), r.toString());
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

    /** A 64 KiB ROM: the given real-mode code at F000:0000 and a far jump to it at the reset vector. */
    private Path romWith(String name, int... code) throws IOException {
        byte[] rom = new byte[65536];
        for (int i = 0; i < code.length; i++) {
            rom[i] = (byte) code[i];
        }
        int[] jmp = {0xEA, 0x00, 0x00, 0x00, 0xF0}; // jmp far F000:0000
        for (int i = 0; i < jmp.length; i++) {
            rom[0xFFF0 + i] = (byte) jmp[i];
        }
        Path p = tmp.resolve(name);
        Files.write(p, rom);
        return p;
    }

    /**
     * 8042 command 0xFE resets the CPU; the runner restarts the firmware with RAM kept. The
     * ROM counts its boots at 0000:0500 and resets until the count is 3, then writes it to
     * isa-debug-exit: exit code (3 << 1) | 1 = 7.
     */
    @Test
    void keyboardControllerResetRestartsTheFirmwareWithRamKept() throws IOException {
        Path rom = romWith("reset3.rom",
                0x31, 0xC0,                         // xor ax, ax
                0x8E, 0xD8,                         // mov ds, ax
                0xFE, 0x06, 0x00, 0x05,             // inc byte [0x500]
                0x80, 0x3E, 0x00, 0x05, 0x03,       // cmp byte [0x500], 3
                0x73, 0x04,                         // jae +4
                0xB0, 0xFE,                         // mov al, 0xFE
                0xE6, 0x64,                         // out 0x64, al  (pulse the reset line)
                0xA0, 0x00, 0x05,                   // mov al, [0x500]
                0xE6, 0xF4,                         // out 0xF4, al
                0xF4);                              // hlt
        CliRun r = CliRun.of("boot", "--bios", rom.toString(), "--timeout", "30");
        assertEquals(7, r.exitCode, r.toString());
        assertEquals(2, r.err.lines().filter(l -> l.contains("restarting the firmware")).count(), r.toString());
    }

    /** A guest that resets forever is stopped with exit code 4 and says so. */
    @Test
    void resetLoopIsStopped() throws IOException {
        Path rom = romWith("resetloop.rom", 0xB0, 0xFE, 0xE6, 0x64, 0xF4); // mov al,0xFE; out 0x64,al; hlt
        CliRun r = CliRun.of("boot", "--bios", rom.toString(), "--timeout", "30");
        assertEquals(4, r.exitCode, r.toString());
        assertTrue(r.err.contains("reset loop"), r.toString());
    }
}
