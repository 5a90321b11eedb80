package dev.jvmx.bench.compare;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InitcallTimesTest {
    private static final String BOOT = String.join("\n",
            "[    1.629935] calling  oom_init+0x0/0x42 @ 1",
            "[    1.876466] initcall oom_init+0x0/0x42 returned 0 after 244000 usecs",
            "[    5.032154] initcall crypto_kdf108_init+0x0/0x13a returned 0 after 871742 usecs",
            "[    5.100000] initcall init_module+0x0/0x10 [e1000] returned -19 after 12 usecs",
            "[    5.200000] initcall oom_init+0x0/0x42 returned 0 after 1000 usecs",
            "[    5.300000] Run /init as init process");

    @Test
    void parsesEachInitcallsTimeWithoutItsOffsetAndModule() {
        Map<String, Long> t = InitcallTimes.parse(BOOT);
        assertEquals(List.of("oom_init", "crypto_kdf108_init", "init_module"), List.copyOf(t.keySet()));
        assertEquals(245000L, t.get("oom_init"), "an initcall reported twice counts both");
        assertEquals(871742L, t.get("crypto_kdf108_init"));
        assertEquals(12L, t.get("init_module"), "a failing module initcall still took its time");
    }

    @Test
    void tableOrdersByHowFarJvmxIsBehindAndTakesMedians() {
        List<Map<String, Long>> jvmx = List.of(Map.of("a", 1000L, "b", 9000L), Map.of("a", 3000L, "b", 7000L),
                Map.of("a", 2000L, "b", 8000L));
        List<Map<String, Long>> qemu = List.of(Map.of("a", 1000L, "b", 2000L, "c", 500L), Map.of("a", 1000L, "b", 2000L),
                Map.of("a", 1000L, "b", 2000L));
        List<String> rows = InitcallTimes.table(jvmx, qemu, 2);
        assertEquals(List.of(
                "| initcall | jvmx ms | qemu ms | jvmx - qemu ms | jvmx/qemu |",
                "|---|---:|---:|---:|---:|",
                "| b | 8.0 | 2.0 | 6.0 | 4.0 |",
                "| a | 2.0 | 1.0 | 1.0 | 2.0 |",
                "| **all 3 initcalls** | 10.0 | 3.0 | 7.0 | 3.3 |"), rows);
    }
}
