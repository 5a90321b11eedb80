package dev.jvmx.cputest;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The hardware-captured 80286 tests through the translator. JUnit runs a deterministic
 * sample, the first {@link #SAMPLE} tests of every file (the whole set, ~325,000 tests,
 * takes ~80 s more and runs with {@code jvmx cpu-test --singlestep DIR} or
 * {@code -Djvmx.ss286.sample=0}). The data is found at {@code -Djvmx.ss286=DIR} or
 * ../../shared/tests/ss286 relative to the module.
 */
class SingleStepSuiteTest {
    static final int SAMPLE = Integer.getInteger("jvmx.ss286.sample", 200);

    static Path dataDir() {
        String p = System.getProperty("jvmx.ss286");
        if (p != null) {
            return Path.of(p);
        }
        for (String c : new String[]{"../../shared/tests/ss286", "../shared/tests/ss286"}) {
            if (Files.isDirectory(Path.of(c))) {
                return Path.of(c);
            }
        }
        return Path.of("../../shared/tests/ss286");
    }

    @Test
    void passesTheHardwareCapturedTests() {
        Path dir = dataDir();
        assumeTrue(Files.isDirectory(dir), "ss286 test data not found at " + dir.toAbsolutePath()
                + " (set -Djvmx.ss286=DIR); skipping");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        CpuTestReport r = SingleStepSuite.run(dir, null, SAMPLE <= 0 ? Integer.MAX_VALUE : SAMPLE,
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        String text = buf.toString(StandardCharsets.UTF_8);
        System.out.println(text.lines().filter(l -> !l.startsWith(" ") && !l.startsWith("FAIL")).reduce("", (a, b) -> a + b + "\n"));
        assertTrue(r.passed > 0, "no test ran");
        assertTrue(r.passRate() >= 0.999, String.format("pass rate %.4f%% < 99.9%%:%n%s", r.passRate() * 100,
                text.length() > 20000 ? text.substring(text.length() - 20000) : text));
    }

    /** The harness itself: a passing and a failing test built by hand from the format's rules. */
    @Test
    void harnessPassesAndFailsWhereItShould(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        // INC AX (40) at 1000:0100, then HLT. AX 0x00FF -> 0x0100: AF set (carry out of bit 3),
        // PF set (low byte 00 has even parity), ZF SF OF clear, CF kept (clear). IP ends past the HLT.
        String pass = "{\"idx\":0,\"name\":\"inc ax\",\"bytes\":[64,244],\"initial\":{\"regs\":{\"ax\":255,\"bx\":0,\"cx\":0,"
                + "\"dx\":0,\"cs\":4096,\"ss\":0,\"ds\":0,\"es\":0,\"sp\":256,\"bp\":0,\"si\":0,\"di\":0,\"ip\":256,\"flags\":2},"
                + "\"ram\":[[65792,64],[65793,244]]},\"final\":{\"regs\":{\"ax\":256,\"ip\":258,\"flags\":22},\"ram\":[]},"
                + "\"hash\":\"aa\"}";
        // The same with a wrong expected AX: must fail.
        String fail = pass.replace("\"ax\":256", "\"ax\":257").replace("\"aa\"", "\"bb\"");
        // A revoked test must be counted as neither.
        String revoked = pass.replace("\"aa\"", "\"cc\"");
        try (PrintStream w = new PrintStream(new GZIPOutputStream(Files.newOutputStream(tmp.resolve("40.jsonl.gz"))))) {
            w.println(pass);
            w.println(fail);
            w.println(revoked);
        }
        Files.writeString(tmp.resolve("revocation_list.txt"), "# bad\ncc\n");
        CpuTestReport r = SingleStepSuite.run(tmp, "40", new PrintStream(new ByteArrayOutputStream()));
        assertEquals(1, r.passed);
        assertEquals(1, r.failed);
        assertEquals(1, r.revoked);
    }
}
