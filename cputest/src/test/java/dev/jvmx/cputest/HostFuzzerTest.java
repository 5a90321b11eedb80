package dev.jvmx.translator.cputest;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A bounded differential fuzz run against the host CPU (longer runs: {@code jvmx cpu-test
 * --fuzz N --seed S}). Skipped where gcc -m32 cannot build or the host cannot run a 32-bit
 * static program.
 */
class HostFuzzerTest {
    static final long N = Long.getLong("jvmx.fuzz.n", 4000);

    @Test
    void jvmxAgreesWithTheHostCpu() {
        String why = HostFuzzer.unavailableReason();
        assumeTrue(why == null, "host fuzzing unavailable: " + why);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        CpuTestReport r = HostFuzzer.run(N, Long.getLong("jvmx.fuzz.seed", 20240601L), new PrintStream(buf, true, StandardCharsets.UTF_8));
        String text = buf.toString(StandardCharsets.UTF_8);
        assertEquals(N, r.passed + r.failed);
        assertEquals(0, r.failed, text.length() > 30000 ? text.substring(0, 30000) : text);
    }

    /** The comparison can fail: a case whose native result is corrupted must be reported. */
    @Test
    void aCorruptedNativeResultIsAMismatch() throws Exception {
        String why = HostFuzzer.unavailableReason();
        assumeTrue(why == null, "host fuzzing unavailable: " + why);
        HostFuzzer.Program p = HostFuzzer.Program.build(1, 0, 5);
        p.results.putInt(0, p.results.getInt(0) ^ 0x10000); // EAX of case 0 as the host left it, one bit flipped
        CpuTestReport r = new CpuTestReport();
        p.compare(new FlatMachine(), r, new PrintStream(new ByteArrayOutputStream()));
        assertTrue(r.failed >= 1, "flipped EAX bit not detected");
        assertTrue(r.details.get("fuzz").get(0).contains("eax"), r.details.toString());
    }
}
