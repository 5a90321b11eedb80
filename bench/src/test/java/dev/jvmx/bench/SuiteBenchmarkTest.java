package dev.jvmx.bench;

import dev.jvmx.runtime.MachineConfig;
import dev.jvmx.bench.compare.CompareMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.annotations.Param;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The JMH suite covers the guest suite, and a rerun in one machine computes what the native build does. */
class SuiteBenchmarkTest {
    private static final Pattern DONE = Pattern.compile("(?m)^done ([0-9a-f]{8})$");

    @Test
    void itRunsEveryProgramOfTheSuite() throws NoSuchFieldException {
        Param p = SuiteBenchmark.class.getField("program").getAnnotation(Param.class);
        assertEquals(CompareMain.PROGRAMS, List.of(p.value()));
    }

    /**
     * An x87 program runs twice in one machine (the benchmark's reruns) and prints the checksum of
     * the native build both times ({@code .expected}, made by {@code make -C guest-images bench}).
     */
    @Test
    void anX87RerunPrintsTheNativeChecksum() throws IOException {
        rerun("whetstone");
    }

    /** The same for its SSE2 build: scalar arithmetic, conversions and compares on XMM registers. */
    @Test
    void anSse2RerunPrintsTheNativeChecksum() throws IOException {
        rerun("whetstone-sse2");
    }

    /**
     * The same for bignum, whose carry chains (ADD then ADC, CMP then SETB or CMOVAE) run in the
     * first tier, in translated blocks and in regions before the second run ends.
     */
    @Test
    void aBignumRerunPrintsTheNativeChecksum() throws IOException {
        rerun("bignum");
    }

    /**
     * bignum with paging on (bench/compare --paging): every access of its translated code then
     * goes through the TLB probe, its slow path and the page walk instead of straight to RAM.
     */
    @Test
    void aPagedBignumRerunPrintsTheNativeChecksum() throws IOException {
        rerun("bignum", "bench/paged/bignum.elf");
    }

    /** The same for the n-body programs: a minute or two each, so by request ({@code -Djvmx.slowTests=true}). */
    @ParameterizedTest
    @ValueSource(strings = {"nbody", "nbody-ld", "nbody-sse2"})
    @EnabledIfSystemProperty(named = "jvmx.slowTests", matches = "true")
    void anNbodyRerunPrintsTheNativeChecksum(String program) throws IOException {
        rerun(program);
    }

    private static void rerun(String program) throws IOException {
        rerun(program, "bench/" + program + ".elf");
    }

    private static void rerun(String program, String image) throws IOException {
        String expected = Files.readString(GuestHarness.image("bench/" + program + ".expected"));
        Matcher want = DONE.matcher(expected.substring(expected.indexOf("\n\n") + 2));
        assertNotNull(want.find() ? want.group(1) : null, program + ".expected has no done line");
        MachineConfig cfg = new MachineConfig();
        cfg.kernel = GuestHarness.image(image);
        cfg.serial = "none";
        StringBuilder out = new StringBuilder();
        try (GuestHarness guest = new GuestHarness(cfg, b -> out.append((char) (b & 0xFF)))) {
            for (int run = 1; run <= 2; run++) {
                out.setLength(0);
                if (run == 1) {
                    guest.runOnce();
                } else {
                    guest.rerunKernel();
                }
                Matcher got = DONE.matcher(out);
                assertEquals(want.group(1), got.find() ? got.group(1) : out.toString(), program + " run " + run);
            }
        }
    }
}
