package dev.jvmx.runtime.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `jvmx cpu-test`: bad input gets one line and exit 2, never "0 passed, 0 failed". */
class CpuTestCommandTest {
    @Test
    void anOpcodeThatIsNotHexIsOneLineAndExit2(@TempDir Path dir) {
        CliRun r = CliRun.of("cpu-test", "--singlestep", dir.toString(), "--opcode", "ZZ");
        assertEquals(2, r.exitCode, r.toString());
        assertEquals(1, r.err.strip().lines().count(), r.toString());
        assertTrue(r.err.contains("'ZZ'"), r.toString());
        assertFalse(r.out.contains("passed"), r.toString());
    }

    @Test
    void anOpcodeWithNoTestFileIsOneLineAndExit2(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("40.jsonl.gz"), new byte[0]);
        CliRun r = CliRun.of("cpu-test", "--singlestep", dir.toString(), "--opcode", "F6.6");
        assertEquals(2, r.exitCode, r.toString());
        assertEquals("jvmx: no single-step test file for opcode F6.6 in " + dir, r.err.strip(), r.toString());
    }

    @Test
    void aBadNativeModeIsExit2() {
        CliRun r = CliRun.of("cpu-test", "--fuzz", "10", "--native", "16");
        assertEquals(2, r.exitCode, r.toString());
        assertTrue(r.err.contains("--native expects auto, 32 or 64"), r.toString());
    }

    /** Where no native oracle can run, --fuzz says why in words (here: no compiler at all) and exits 2. */
    @Test
    void noNativeOracleSaysWhyAndExits2() {
        System.setProperty("jvmx.cc", "no-such-gcc");
        try {
            CliRun r = CliRun.of("cpu-test", "--fuzz", "10");
            assertEquals(2, r.exitCode, r.toString());
            assertEquals("jvmx: no native oracle: this host cannot build 32-bit programs (no-such-gcc not found)"
                    + " and building the 64-bit oracle failed: no-such-gcc not found", r.err.strip(), r.toString());
        } finally {
            System.clearProperty("jvmx.cc");
        }
    }
}
