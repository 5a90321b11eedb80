package dev.jvmx.cputest;

import org.junit.jupiter.api.Test;

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

    @Test
    void theKernelsErrnoInWords() {
        assertEquals("Exec format error", NativeOracle.Errno.text(8));
        assertEquals("errno 99", NativeOracle.Errno.text(99));
    }
}
