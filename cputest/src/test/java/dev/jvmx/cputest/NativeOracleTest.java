package dev.jvmx.cputest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Choosing the native oracle, and saying in words why none can run. */
class NativeOracleTest {
    @Test
    void withoutACompilerNeitherPathRunsAndTheReasonSaysSo() {
        NativeOracle.Choice c = NativeOracle.choose(NativeOracle.Request.AUTO, "no-such-cc", false);
        assertNull(c.mode);
        assertEquals("this host cannot build 32-bit programs (no-such-cc not found) and building the 64-bit oracle failed:"
                + " no-such-cc not found", c.unavailableReason());
        assertEquals("building the 64-bit oracle failed: no-such-cc not found",
                NativeOracle.choose(NativeOracle.Request.X86_64, "no-such-cc", false).unavailableReason());
    }

    /** JVMX_NO_32BIT: what CI machines are, simulated on a host that runs 32-bit programs. */
    @Test
    void withThe32BitPathDisabledAutoTakesThe64BitPath() {
        NativeOracle.Choice c = NativeOracle.choose(NativeOracle.Request.AUTO, NativeOracle.compiler(), true);
        assumeTrue(c.x64Problem == null, "no 64-bit oracle here: " + c.x64Problem);
        assertEquals(HostMode.X86_64, c.mode);
        assertTrue(c.ia32Problem.contains("JVMX_NO_32BIT"), c.ia32Problem);
        assertTrue(c.describe().contains("64-bit programs"), c.describe());
        assertNull(NativeOracle.choose(NativeOracle.Request.IA32, NativeOracle.compiler(), true).mode);
    }

    /**
     * "Cannot run" is the kernel's errno from execve, not the shell the JDK falls back to for a
     * file the kernel refuses: a file that starts like an ELF but is not one gets ENOEXEC.
     */
    @Test
    void theProbeReportsTheKernelsRefusal(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("p64.s"), NativeOracle.PROBE64);
        List<String> cmd = new ArrayList<>(NativeOracle.buildCommand(NativeOracle.compiler(), HostMode.X86_64));
        cmd.addAll(List.of("-o", "p64", "p64.s"));
        Exec built;
        try {
            built = Exec.run(dir, cmd);
        } catch (IOException e) {
            built = null;
        }
        assumeTrue(built != null && built.code == 0, "gcc cannot build a 64-bit static program here");
        Path bad = dir.resolve("bad");
        Files.write(bad, new byte[] {0x7F, 'E', 'L', 'F', 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, (byte) 0xEE, 0x7F});
        bad.toFile().setExecutable(true);
        Exec r = Exec.run(dir, dir.resolve("p64").toString(), bad.toString());
        assertEquals(100 + 8, r.code, "execve of a non-executable ELF: " + r.err);
        assertEquals("Exec format error", NativeOracle.Errno.text(r.code - 100));
        Exec self = Exec.run(dir, dir.resolve("p64").toString());
        assertTrue(self.code == 42 || self.code == 43, "probe without argument: exit " + self.code);
    }

    @Test
    void theKernelsErrnoInWords() {
        assertEquals("Exec format error", NativeOracle.Errno.text(8));
        assertEquals("errno 99", NativeOracle.Errno.text(99));
    }
}
