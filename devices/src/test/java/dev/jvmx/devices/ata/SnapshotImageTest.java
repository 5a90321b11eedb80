package dev.jvmx.devices.ata;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class SnapshotImageTest {
    @TempDir
    Path dir;

    @Test
    void writesStayInMemoryAndReadBack() throws IOException {
        byte[] base = new byte[4096];
        for (int i = 0; i < base.length; i++) {
            base[i] = (byte) (i * 7);
        }
        Path p = Files.write(dir.resolve("a.img"), base);
        try (SnapshotImage s = new SnapshotImage(RawImage.open(p, true))) {
            assertFalse(s.isReadOnly());
            byte[] data = new byte[700];
            Arrays.fill(data, (byte) 0xEE);
            s.write(300, data, 0, 700);                 // crosses blocks 0 and 1, partly
            byte[] back = new byte[4096];
            s.read(0, back, 0, 4096);
            byte[] expect = base.clone();
            System.arraycopy(data, 0, expect, 300, 700);
            assertArrayEquals(expect, back);
            assertEquals(2, s.blocksWritten());
            s.flush();
            assertThrows(IOException.class, () -> s.write(4000, data, 0, 700));
        }
        assertArrayEquals(base, Files.readAllBytes(p));  // the file never changed
    }
}
