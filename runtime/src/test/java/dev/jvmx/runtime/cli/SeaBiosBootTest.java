package dev.jvmx.runtime.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's SeaBIOS boots guest-images' boot disk from the IDE drive. The expected serial
 * output is QEMU's (images/bootdisk.expected, recorded with SeaBIOS under QEMU); the banner
 * is SeaBIOS's own first line. Skipped where the seabios package is not installed.
 */
class SeaBiosBootTest {
    static final Path BIOS = Path.of("/usr/share/seabios/bios.bin");
    static final Path VGABIOS = Path.of("/usr/share/seabios/vgabios.bin");
    private static final Pattern INSNS = Pattern.compile("after (\\d+) instructions");

    @TempDir
    Path tmp;

    private static void assumeSeaBios() {
        assumeTrue(Files.isRegularFile(BIOS), "Debian's seabios is not installed (" + BIOS + " missing); skipped");
    }

    /** A private copy of the boot disk, so a run never touches the committed image. */
    private Path disk() throws IOException {
        Path d = tmp.resolve("bootdisk.img");
        Files.copy(CliRun.image("bootdisk.img"), d);
        return d;
    }

    private static String expectedSerial() throws IOException {
        String text = Files.readString(CliRun.image("bootdisk.expected"));
        return text.substring(text.indexOf("\n\n") + 2);
    }

    @Test
    void seaBiosBootsTheDiskAndTheImageExitsThroughIsaDebugExit() throws IOException {
        assumeSeaBios();
        assumeTrue(Files.isRegularFile(VGABIOS), VGABIOS + " missing; skipped");
        CliRun r = CliRun.of("boot", "--bios", BIOS.toString(), "--drive", "file=" + disk() + ",format=raw",
                "--display", "text", "--timeout", "300");
        assertEquals(33, r.exitCode, r.toString());               // qemu-exit-status in bootdisk.expected
        String serial = expectedSerial();
        assertTrue(r.out.startsWith(serial), "serial output differs from QEMU's\n" + r);
        String screen = r.out.substring(serial.length());
        // On the VGA text screen (INT 10h through the VGA BIOS): SeaBIOS's banner, then the image's lines.
        assertTrue(screen.contains("SeaBIOS (version "), r.toString());
        assertTrue(screen.contains("Booting from Hard Disk..."), r.toString());
        for (String line : serial.replace("\r", "").strip().split("\n")) {
            assertTrue(screen.contains(line + "\n"), "screen lacks '" + line + "'\n" + r);
        }
        assertTrue(screen.indexOf("SeaBIOS (version ") < screen.indexOf("bootdisk: stage 1"), r.toString());
    }

    /**
     * With external interrupts as VM exits, SeaBIOS (which mostly runs with IF clear and waits
     * with STI; HLT) boots the disk as before: the VMM injects each interrupt, holding those that
     * arrive while IF is clear for an interrupt-window exit.
     */
    @Test
    void seaBiosBootsWithExternalInterruptsAsVmExits() throws IOException {
        assumeSeaBios();
        CliRun r = CliRun.of("boot", "--bios", BIOS.toString(), "--drive", "file=" + disk() + ",format=raw",
                "--display", "text", "--external-interrupt-exiting", "--exit-stats", "--timeout", "300");
        assertEquals(33, r.exitCode, r.toString());
        assertTrue(r.out.startsWith(expectedSerial()), "serial output differs from QEMU's\n" + r);
        assertTrue(r.err.matches("(?s).*\\n\\s*EXTERNAL_INTERRUPT\\s+[1-9].*"), r.err);
        assertTrue(r.err.matches("(?s).*\\n\\s*INTERRUPT_WINDOW\\s+[1-9].*"), r.err);
    }

    @Test
    void twoVirtualClockBootsAreIdentical() throws IOException {
        assumeSeaBios();
        Path d = disk();
        Path log1 = tmp.resolve("fw1.log");
        Path log2 = tmp.resolve("fw2.log");
        CliRun a = CliRun.of("boot", "--bios", BIOS.toString(), "--drive", "file=" + d + ",format=raw,readonly=on",
                "--clock", "virtual", "--display", "text", "--firmware-log", log1.toString(), "--timeout", "300");
        CliRun b = CliRun.of("boot", "--bios", BIOS.toString(), "--drive", "file=" + d + ",format=raw,readonly=on",
                "--clock", "virtual", "--display", "text", "--firmware-log", log2.toString(), "--timeout", "300");
        assertEquals(33, a.exitCode, a.toString());
        assertEquals(33, b.exitCode, b.toString());
        assertEquals(a.out, b.out);
        assertEquals(Files.readString(log1), Files.readString(log2));
        assertTrue(Files.readString(log1).startsWith("SeaBIOS (version "), Files.readString(log1));
        Matcher ma = INSNS.matcher(a.err);
        Matcher mb = INSNS.matcher(b.err);
        assertTrue(ma.find() && mb.find(), a.err + b.err);
        assertEquals(ma.group(1), mb.group(1), "guest instruction counts differ");
        System.out.println("SeaBIOS boot under --clock virtual: " + ma.group(1) + " guest instructions, both runs");
    }
}
