package dev.jvmx.runtime.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --drive, --display, --screenshot and --vga-rom on good and bad input. */
class DriveAndDisplayOptionsTest {
    @TempDir
    Path tmp;

    private static void assertOneLineError(CliRun r, String fragment) {
        assertEquals(2, r.exitCode, r.toString());
        assertEquals(1, r.err.strip().lines().count(), r.toString());
        assertTrue(r.err.contains(fragment), r.toString());
    }

    @Test
    void missingDiskImageIsAClearError() {
        CliRun r = CliRun.of("boot", "--drive", "file=" + tmp.resolve("nope.img") + ",format=raw");
        assertOneLineError(r, "disk image not found");
    }

    @Test
    void diskImageSmallerThanASectorIsAClearError() throws IOException {
        Path small = tmp.resolve("small.img");
        Files.write(small, new byte[100]);
        CliRun r = CliRun.of("boot", "--drive", "file=" + small + ",format=raw");
        assertOneLineError(r, "at least one 512-byte sector");
    }

    @Test
    void diskImageOfPartialSectorsIsAClearError() throws IOException {
        Path odd = tmp.resolve("odd.img");
        Files.write(odd, new byte[1000]);
        assertOneLineError(CliRun.of("boot", "--drive", "file=" + odd), "not a multiple of the 512-byte sector size");
    }

    @Test
    void badDriveSpecificationsAreClearErrors() throws IOException {
        Path img = tmp.resolve("disk.img");
        Files.write(img, new byte[512]);
        assertOneLineError(CliRun.of("boot", "--drive", "file=" + img + ",format=qcow2"), "only format=raw");
        assertOneLineError(CliRun.of("boot", "--drive", "file=" + img + ",readonly=yes"), "readonly must be on or off");
        assertOneLineError(CliRun.of("boot", "--drive", "format=raw"), "file=PATH is required");
        assertOneLineError(CliRun.of("boot", "--drive", "file=" + img + ",cache=none"), "unknown key 'cache'");
        assertOneLineError(CliRun.of("boot", "--display", "sdl"), "--display must be none or text");
    }

    @Test
    void vgaRomThatIsNotAnOptionRomIsAClearError() throws IOException {
        Path junk = tmp.resolve("vga.bin");
        Files.write(junk, new byte[1024]);
        CliRun r = CliRun.of("boot", "--bios", CliRun.image("first-guest.rom").toString(), "--vga-rom", junk.toString());
        assertOneLineError(r, "not an option ROM");
    }

    @Test
    void screenshotIsA640x400Png() throws IOException {
        Path png = tmp.resolve("screen.png");
        CliRun r = CliRun.of("boot", "--serial", "none", "--timeout", "120", "--screenshot", png.toString());
        assertEquals(0, r.exitCode, r.toString());
        byte[] b = Files.readAllBytes(png);
        // PNG signature (PNG spec 5.2): 89 50 4E 47 0D 0A 1A 0A.
        assertEquals(0x89, b[0] & 0xFF);
        assertEquals("PNG", new String(b, 1, 3, java.nio.charset.StandardCharsets.US_ASCII));
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img);
        assertEquals(640, img.getWidth());   // 80 columns x 8 pixels
        assertEquals(400, img.getHeight());  // 25 rows x 16 pixels
    }

    @Test
    void displayTextPrintsTheFinalScreenFramed() {
        CliRun r = CliRun.of("boot", "--serial", "none", "--timeout", "120", "--display", "text");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.startsWith("---- screen ----\n"), r.toString());
        assertTrue(r.out.endsWith("---- end of screen ----\n"), r.toString());
        assertTrue(r.err.matches("(?s).*after \\d+ instructions.*"), r.toString());
    }
}
