package dev.jvmx.devices.ata;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Opening images and sizing disks: every refusal is one line for the user. */
class AtaDiskTest {
    @TempDir
    Path dir;

    private static String oneLine(IllegalArgumentException e) {
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    private String openFailure(Path p, boolean readOnly) {
        return oneLine(assertThrows(IllegalArgumentException.class, () -> RawImage.open(p, readOnly)));
    }

    private String diskFailure(Path p) throws IOException {
        try (RawImage img = RawImage.open(p, true)) {
            return oneLine(assertThrows(IllegalArgumentException.class, () -> new AtaDisk(img)));
        }
    }

    @Test
    void missingFile() {
        assertTrue(openFailure(dir.resolve("nope.img"), true).contains("not found"));
    }

    @Test
    void directoryIsNotAnImage() {
        assertTrue(openFailure(dir, true).contains("not a regular file"));
        assertTrue(openFailure(dir, false).contains("not a regular file"));
    }

    @Test
    void smallerThanOneSector() throws IOException {
        Path p = Files.write(dir.resolve("a.img"), new byte[511]);
        assertTrue(diskFailure(p).contains("511 bytes"));
    }

    @Test
    void notAWholeNumberOfSectors() throws IOException {
        Path p = Files.write(dir.resolve("a.img"), new byte[1000]);
        assertTrue(diskFailure(p).contains("not a multiple of the 512-byte sector size"));
    }

    @Test
    void cdromImageMustBeWholeCdSectors() throws IOException {
        Path p = Files.write(dir.resolve("a.iso"), new byte[2048 * 3 + 512]);
        try (RawImage img = RawImage.open(p, true)) {
            String m = oneLine(assertThrows(IllegalArgumentException.class, () -> new AtapiCdrom(img)));
            assertTrue(m.contains("not a multiple of the 2048-byte CD sector size"), m);
        }
    }

    @Test
    void readWriteOnAReadOnlyFile() throws IOException {
        Path p = Files.write(dir.resolve("a.img"), new byte[512]);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("r--r--r--"));
        assumeFalse(Files.isWritable(p), "running as root: every file is writable");
        assertTrue(openFailure(p, false).contains("not writable"));
        RawImage.open(p, true).close();
    }

    @Test
    void sizeAndGeometry() throws IOException {
        Path p = Files.write(dir.resolve("a.img"), new byte[512 * 20160]);
        try (RawImage img = RawImage.open(p, true)) {
            AtaDisk d = new AtaDisk(img);
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
    void readOnlyImageRefusesWrites() throws IOException {
        Path p = Files.write(dir.resolve("a.img"), new byte[1024]);
        try (RawImage img = RawImage.open(p, true)) {
            assertThrows(IOException.class, () -> img.write(0, new byte[512], 0, 512));
        }
    }

    @Test
    void theSameImageTwiceInOneProcessIsRefused() throws IOException {
        Path p = Files.write(dir.resolve("a.img"), new byte[1024]);
        try (RawImage img = RawImage.open(p, false)) {
            assertTrue(openFailure(p, false).contains("already open in this process"));
        }
        try (RawImage img = RawImage.open(p, true)) {
            assertTrue(openFailure(p, false).contains("already open in this process"));
        }
    }

    @Test
    void locksAreQemusBytes() throws IOException {
        // A writer holds bytes 101 and 201 exclusively: a shared lock on either, from another
        // process, fails. In one JVM the overlap shows as OverlappingFileLockException instead,
        // so this test only checks which bytes are held, through that exception.
        Path p = Files.write(dir.resolve("a.img"), new byte[1024]);
        try (RawImage img = RawImage.open(p, false);
             java.nio.channels.FileChannel other = java.nio.channels.FileChannel.open(p,
                     java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            for (long b : new long[] {100, 101, 201}) {
                assertThrows(java.nio.channels.OverlappingFileLockException.class, () -> other.tryLock(b, 1, true), "byte " + b);
            }
            assertNotNull(other.tryLock(102, 1, true));
            assertNotNull(other.tryLock(200, 1, true));
            assertNotNull(other.tryLock(203, 1, true));
        }
    }
}
