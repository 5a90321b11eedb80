package dev.jvmx.bench.compare;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bench/boot-times' table: the ratio of the medians and each round's own ratio. */
class BootTimesTest {
    private static BootTimes.Sample wall(long ms) {
        return new BootTimes.Sample(ms, 2 * ms, Map.of(), "");
    }

    @Test
    void eachRoundIsComparedWithTheQemuRunBesideIt() {
        // Round 1 on a slow host (both slow), round 3 on a fast one: the medians pair a slow jvmx
        // with a fast QEMU (1.93), the rounds themselves read 2.24, 2.19 and 1.74.
        Map<String, List<BootTimes.Sample>> r = Map.of(
                "linux/jvmx", List.of(wall(15472), wall(12151), wall(13320)),
                "linux/qemu", List.of(wall(6900), wall(5560), wall(7649)));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        BootTimes.print(r, new PrintStream(b, true, StandardCharsets.UTF_8));
        String row = b.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("| Linux")).findFirst()
                .orElseThrow();
        assertEquals("| Linux to the shell prompt (jvmx direct, QEMU -kernel) | 13320 | 6900 | 1.93 | 2.19 (1.74-2.24)"
                + " | 26640 | 13800 | 1.93 |", row);
    }

    @Test
    void aRunToAMarkIsTimedToItAndEndedThere() throws Exception {
        // A "boot" that prints the mark after about 0.3 s and would then run on for a minute.
        BootTimes runner = BootTimes.runner(Path.of("."), 30);
        long t0 = System.nanoTime();
        BootTimes.Sample s = runner.toMark(List.of("sh", "-c", "echo Decompressing; sleep 0.3; echo 'Linux version 6.1';"
                + " exec sleep 60"), Map.of(), "Linux version");
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(s.wallMs() >= 250 && s.wallMs() < 10_000, "timed " + s.wallMs() + " ms");
        assertTrue(tookMs < 20_000, "waited " + tookMs + " ms: the process was not ended at the mark");
        assertTrue(s.console().contains("Decompressing"), s.console());
    }

    @Test
    void aRunThatEndsWithoutItsMarkSaysSo() {
        BootTimes runner = BootTimes.runner(Path.of("."), 30);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> runner.toMark(List.of("sh", "-c", "echo Kernel panic"), Map.of(), "Linux version"));
        assertTrue(e.getMessage().contains("no 'Linux version' (process ended)"), e.getMessage());
        assertTrue(e.getMessage().contains("Kernel panic"), e.getMessage());
    }

    /** The lines {@link BootTimes#print} writes for {@code r}. */
    private static List<String> printed(Map<String, List<BootTimes.Sample>> r) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        BootTimes.print(r, new PrintStream(b, true, StandardCharsets.UTF_8));
        return b.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** A Linux sample whose every busybox program took {@code runs} seconds, run after run. */
    private static BootTimes.Sample programs(long ms, Double... runs) {
        Map<String, List<Double>> p = new LinkedHashMap<>();
        BootTimes.PROGRAMS.keySet().forEach(k -> p.put(k, List.of(runs)));
        return new BootTimes.Sample(ms, ms, p, "");
    }

    @Test
    void laterRunsOfAProgramAreComparedApartFromItsFirst() {
        // jvmx's first run pays for translating (3 s against 1), its later runs do not (1.5, 2.5
        // and 1.0 s: median 1.5, against QEMU's 1.0): first 3.00, later runs 1.50.
        List<String> lines = printed(Map.of(
                "linux/jvmx", List.of(programs(10_000, 3.0, 1.5, 2.5, 1.0)),
                "linux/qemu", List.of(programs(5_000, 1.0, 1.0, 1.0, 1.0))));
        assertTrue(lines.contains("| gzip -c /tmp/f > /tmp/f.gz | 3.00 | 1.00 | 3.00 | 1.50 | 1.00 | 1.50 |"), lines::toString);
        assertTrue(lines.contains("| **geometric mean** | | | **3.00** | | | **1.50** |"), lines::toString);
    }

    @Test
    void oneRunOfEachProgramKeepsTheShortTable() {
        List<String> lines = printed(Map.of(
                "linux/jvmx", List.of(programs(10_000, 2.0)),
                "linux/qemu", List.of(programs(5_000, 1.0))));
        assertTrue(lines.contains("| gzip -c /tmp/f > /tmp/f.gz | 2.00 | 1.00 | 2.00 |"), lines::toString);
        assertTrue(lines.contains("| **geometric mean** | | | **2.00** |"), lines::toString);
    }

    @Test
    void pairedRatiosStopAtTheShorterList() {
        List<Double> r = Stats.pairedRatios(List.of(10L, 30L, 50L), List.of(5L, 10L));
        assertEquals(List.of(2.0, 3.0), r);
        assertTrue(Stats.pairedRatios(List.of(), List.of(1L)).isEmpty());
    }
}
