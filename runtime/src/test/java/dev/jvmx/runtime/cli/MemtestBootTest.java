package dev.jvmx.runtime.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's memtest86+ ISO (guest-images/memtest/fetch, never committed) booted as a user would,
 * {@code jvmx boot -cdrom memtest86+ia32.iso --display text}: SeaBIOS, El Torito floppy
 * emulation, memtest's loader, then memtest in protected mode with paging (PAE) drawing its
 * screen in VGA text memory. The screen printed at the end must be memtest's own, with the
 * machine's RAM and no memory error.
 */
class MemtestBootTest {
    static final Path FETCH = CliRun.home().resolve("guest-images/memtest/fetch");
    static final Path ISO = CliRun.home().resolve("guest-images/memtest/out/memtest86+ia32.iso");
    /** memtest draws its first screen in about 10 s on a loaded 2-core machine; testing starts a few seconds later. */
    static final String TIMEOUT_S = "30";

    /** Null when the ISO is there (fetching it if needed), else why it cannot be. */
    private static String iso() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(FETCH.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("guest-images/memtest/fetch did not finish within 5 minutes");
        }
        if (p.exitValue() == 3) {
            return "guest-images/memtest/fetch cannot fetch Debian's memtest86+ here: " + log;
        }
        assertEquals(0, p.exitValue(), "guest-images/memtest/fetch failed: " + log);
        assertTrue(Files.isRegularFile(ISO), log);
        return null;
    }

    @Test
    void memtestReachesItsScreenFromTheCdrom() throws Exception {
        assumeTrue(DriveOptions.seaBios() != null, "Debian's seabios is not installed; skipped");
        String why = iso();
        assumeTrue(why == null, why);
        CliRun r = CliRun.of("boot", "-cdrom", ISO.toString(), "--display", "text", "--timeout", TIMEOUT_S);
        assertEquals(124, r.exitCode, r.toString());
        int from = r.out.lastIndexOf("---- screen ----");
        assertTrue(from >= 0, r.toString());
        String screen = r.out.substring(from);
        assertTrue(screen.contains("Memtest86+ v"), screen);
        assertTrue(screen.contains("jvmx virtual CPU"), "the CPUID brand string:\n" + screen);
        assertTrue(screen.contains("Memory  :  127MB"), "128 MiB less the BIOS's reserved areas:\n" + screen);
        assertTrue(screen.contains("<ESC> Exit"), "memtest's bottom line:\n" + screen);
        Matcher errors = Pattern.compile("Errors: *(\\d+)").matcher(screen);
        if (errors.find()) {
            assertEquals("0", errors.group(1), "memtest found memory errors:\n" + screen);
        }
    }
}
