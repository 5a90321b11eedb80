package dev.jvmx.bench.compare;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void pairedRatiosStopAtTheShorterList() {
        List<Double> r = Stats.pairedRatios(List.of(10L, 30L, 50L), List.of(5L, 10L));
        assertEquals(List.of(2.0, 3.0), r);
        assertTrue(Stats.pairedRatios(List.of(), List.of(1L)).isEmpty());
    }
}
