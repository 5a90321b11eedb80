package dev.jvmx.devices.ata;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class AtaDiskTest {
    @TempDir
    Path dir;

    private String failure(Path p, boolean readOnly) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AtaDisk.open(p, readOnly));
        assertFalse(e.getMessage().contains("\n"));
        return e.getMessage();
    }

    @Test
    void missingFile() {
        assertTrue(failure(dir.resolve("nope.img"), true).contains("not found"));
    }

    @Test
    void directoryIsNotAnImage() {
        assertTrue(failure(dir, true).contains("not a regular file"));
    }

    @Test
    void smallerThanOneSector() throws IOException {
        Path p = Files.write(dir.resolve("a.img"), new byte[511]);
        assertTrue(failure(p, true).contains("511 bytes"));
    }

    @Test
    void notAWholeNumberOfSectors() throws IOException {
        Path p = Files.write(dir.resolve("a.img"), new byte[1000]);
        assertTrue(failure(p, false).contains("not a multiple of"));
    }

    @Test
    void readWriteOnAReadOnlyFile() throws IOException {
        Path p = Files.write(dir.resolve("a.img"), new byte[512]);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("r--r--r--"));
        assumeFalse(Files.isWritable(p), "running as root: every file is writable");
        assertTrue(failure(p, false).contains("not writable"));
        AtaDisk.open(p, true).close();
    }

    @Test
    void sizeAndGeometry() throws IOException {
        Path p = Files.write(dir.resolve("a.img"), new byte[512 * 20160]);
        try (AtaDisk d = AtaDisk.open(p, true)) {
            assertEquals(20160, d.sectorCount());
            assertEquals(new AtaGeometry(20, 16, 63), d.geometry()); // 20160 = 20 * 16 * 63
        }
    }

    @Test
    void geometryCapsAt16383Cylinders() {
        assertEquals(new AtaGeometry(16383, 16, 63), AtaGeometry.forSectors(100_000_000L));
    }

    @Test
    void tinyImageStillHasACylinder() {
        AtaGeometry g = AtaGeometry.forSectors(1);
        assertEquals(new AtaGeometry(1, 1, 1), g);
        assertEquals(1, g.capacity());
    }

    @Test
    void readOnlyDiskRefusesWrites() throws IOException {
        Path p = Files.write(dir.resolve("a.img"), new byte[1024]);
        try (AtaDisk d = AtaDisk.open(p, true)) {
            assertThrows(IOException.class, () -> d.write(0, new byte[512], 0, 1));
        }
    }
}
