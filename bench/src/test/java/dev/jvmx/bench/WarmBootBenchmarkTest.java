package dev.jvmx.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jvmx.bench.compare.BootTimes;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The warm-boot benchmark's call boots SeaBIOS to bootdisk.img's exit, twice in one JVM as JMH calls it. */
class WarmBootBenchmarkTest {
    @Test
    void bootsSeabiosToItsExitAgain() {
        assumeTrue(Files.isRegularFile(BootTimes.SEABIOS), BootTimes.NO_SEABIOS + "; skipped");
        WarmBootBenchmark b = new WarmBootBenchmark();
        b.check();
        assertEquals(33, b.seabios()); // it throws on any other exit
        assertEquals(33, b.seabios()); // a second machine, the disk unchanged by the first (snapshot=on)
    }
}
