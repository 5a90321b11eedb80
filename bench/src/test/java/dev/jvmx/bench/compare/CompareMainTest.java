package dev.jvmx.bench.compare;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checksum oracle of bench/compare: the committed .expected files. */
class CompareMainTest {
    @Test
    void theChecksumIsTheDoneLineAfterTheHeader() {
        assertEquals("9404f497", CompareMain.expectedChecksum("image: bench/crc32.elf\noracle: x\n\nbench crc32 rounds 5\n"
                + "round 1 begin\nround 1 end 9404f497\ndone 9404f497\n"));
        assertNull(CompareMain.expectedChecksum("image: x\ndone 9404f497\n"), "a header line is not the output");
        assertNull(CompareMain.expectedChecksum("image: x\n\ndone MISMATCH\n"));
    }

    @Test
    void everyCommittedBenchImageHasOne() throws IOException {
        Path dir = Path.of(System.getProperty("jvmx.home", "..")).resolve("guest-images/images/bench");
        for (String p : CompareMain.PROGRAMS) {
            String sum = CompareMain.expectedChecksum(Files.readString(dir.resolve(p + ".expected")));
            assertEquals(8, sum == null ? 0 : sum.length(), p);
        }
    }

    /** --paging runs the builds under images/bench/paged, one for each program, beside the ones without paging. */
    @Test
    void everyProgramHasAPagedBuild() {
        Path home = Path.of(System.getProperty("jvmx.home", ".."));
        for (String p : CompareMain.PROGRAMS) {
            Path paged = CompareMain.image(home, p, true);
            assertEquals(home.resolve("guest-images/images/bench/paged/" + p + ".elf"), paged);
            assertTrue(Files.isRegularFile(paged), paged + " is missing (make -C guest-images bench)");
            assertEquals(home.resolve("guest-images/images/bench/" + p + ".elf"), CompareMain.image(home, p, false));
        }
    }
}
