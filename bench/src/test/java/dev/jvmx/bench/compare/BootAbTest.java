package dev.jvmx.bench.compare;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** bench/boot-ab's summary of alternating pairs, and the sign test behind its p-value. */
class BootAbTest {
    @Test
    void theSignTestIsTheChanceOfASplitAtLeastThatUneven() {
        assertEquals(2.0 / 16384, Stats.signTest(14, 14), 1e-12); // 14 of 14: both tails, 1/2^14 each
        assertEquals(2.0 / 16384, Stats.signTest(0, 14), 1e-12);
        assertEquals(2 * 9.0 / 256, Stats.signTest(7, 8), 1e-12); // 7 or 8 of 8: (8 + 1) / 256 per tail
        assertEquals(1.0, Stats.signTest(4, 8), 1e-12); // an even split says nothing
        assertEquals(1.0, Stats.signTest(0, 0), 1e-12);
    }

    @Test
    void pairsAreComparedWithinThemselvesAndTiesCountForNeither() {
        // A host that slows down through the run: B's times are A's less 5%, but B's median is above
        // A's first pairs; every pair says B, but one, which is a tie.
        BootAb.Result r = new BootAb.Result(List.of(200L, 220L, 300L, 400L, 250L),
                List.of(190L, 209L, 285L, 400L, 237L));
        assertEquals(4, r.bFaster());
        assertEquals(1, r.ties());
        List<String> lines = r.summary().lines().toList();
        assertEquals("A median 250 ms, B median 237 ms", lines.get(0));
        assertEquals("B/A: per-pair median 0.950, geometric mean 0.959; B faster in 4 of 5 pairs (sign test p = 0.125)",
                lines.get(1));
    }
}
