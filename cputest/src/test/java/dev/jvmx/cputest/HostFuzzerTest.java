package dev.jvmx.cputest;

import dev.jvmx.translator.bare.BareMachine;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Bounded differential fuzz runs against the host CPU (longer runs: {@code jvmx cpu-test
 * --fuzz N --seed S}). The 64-bit path needs only gcc and binutils, so it runs on every
 * machine CI uses (.ci/run fails the build if it was skipped); the 32-bit path runs where
 * the host runs 32-bit programs and is skipped, saying why, elsewhere.
 */
class HostFuzzerTest {
    static final long N = Long.getLong("jvmx.fuzz.n", 4000);
    static final long SEED = Long.getLong("jvmx.fuzz.seed", 20240601L);

    private static NativeOracle.Choice oracle(NativeOracle.Request r) {
        NativeOracle.Choice c = NativeOracle.choose(r);
        assumeTrue(c.mode != null, "host fuzzing unavailable: " + c.unavailableReason());
        return c;
    }

    private static void agrees(NativeOracle.Choice oracle) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        CpuTestReport r = HostFuzzer.run(N, SEED, oracle, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String text = buf.toString(StandardCharsets.UTF_8);
        System.out.print(text.lines().filter(l -> !l.startsWith(" ") && !l.startsWith("MISMATCH")).reduce("", (a, b) -> a + b + "\n"));
        assertEquals(N, r.passed + r.failed);
        assertEquals(0, r.failed, text.length() > 30000 ? text.substring(0, 30000) : text);
    }

    @Test
    void jvmxAgreesWithTheHostCpuIn64BitMode() {
        agrees(oracle(NativeOracle.Request.X86_64));
    }

    @Test
    void jvmxAgreesWithTheHostCpuRunning32BitPrograms() {
        agrees(oracle(NativeOracle.Request.IA32));
    }

    /** The comparison can fail: a case whose native result is corrupted must be reported, with a test to paste. */
    @Test
    void aCorruptedNativeResultIsAMismatch() throws Exception {
        NativeOracle.Choice oracle = oracle(NativeOracle.Request.X86_64);
        FuzzProgram p = FuzzProgram.build(oracle, 1, 0, 5, false);
        p.results.putInt(0, p.results.getInt(0) ^ 0x10000); // EAX of case 0 as the host left it, one bit flipped
        CpuTestReport r = new CpuTestReport();
        HostFuzzer.compare(p, new BareMachine(), r, BareMachine.TIERS);
        assertEquals(1, r.failed, "flipped EAX bit not detected");
        String report = r.details.get("fuzz").get(0);
        assertTrue(report.contains("eax    native"), report);
        assertTrue(report.contains("HostCase.expect(r, new int[] {0x"), report);
    }

    /** On the 64-bit path nothing 64-bit mode lacks reaches the host, and what was left out is counted. */
    @Test
    void the64BitPathCountsWhatItLeavesToOtherOracles() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        CpuTestReport r = HostFuzzer.run(600, 7, oracle(NativeOracle.Request.X86_64), new PrintStream(buf, true, StandardCharsets.UTF_8));
        String text = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, r.failed, text);
        assertTrue(r.coveredElsewhere.getOrDefault(LongModeGap.BCD_ADJUST, 0L) > 0, text);
        assertTrue(r.coveredElsewhere.getOrDefault(LongModeGap.PUSH_POP_32, 0L) > 0, text);
        assertTrue(r.hostInstructions > 600, text);
        assertTrue(text.contains("drawn that 64-bit mode lacks"), text);
        assertTrue(text.endsWith("600 passed, 0 failed\n"), text);
    }
}
