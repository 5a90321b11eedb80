package dev.jvmx.runtime;

import dev.jvmx.runtime.cli.Main;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The system-architecture guests of guest-images/src/systest (issue 4), booted through the
 * jvmx command line. Each guest checks itself against the SDM and prints "PASS name" or
 * "FAIL name: ..." on COM1, then "DONE". This test fails on any FAIL line, on a missing DONE,
 * and on any check named in the guest's source that did not print its PASS line.
 */
class SystemGuestsTest {
    private static final Pattern CHECK_NAME =
            Pattern.compile("\\b(?:check|expect_fault|expect_pf)\\(\\s*\"([^\"]+)\"");

    static Path home() {
        return Path.of(System.getProperty("jvmx.home", "..")).toAbsolutePath().normalize();
    }

    @ParameterizedTest
    @ValueSource(strings = {"prot", "paging", "v86", "real"})
    void guestPassesEveryCheck(String name, @TempDir Path tmp) throws IOException {
        Path image = home().resolve("guest-images/images/systest-" + name + ".elf");
        Path source = home().resolve("guest-images/src/systest/" + name + ".c");
        Path serial = tmp.resolve("serial.txt");
        int code = Main.execute("boot", "--kernel", image.toString(), "--serial", "file:" + serial,
                "--timeout", "120");
        String out = Files.exists(serial) ? Files.readString(serial, StandardCharsets.ISO_8859_1) : "";
        List<String> lines = List.of(out.split("\r?\n"));
        List<String> failures = new ArrayList<>();
        Set<String> passed = new LinkedHashSet<>();
        for (String l : lines) {
            if (l.startsWith("FAIL")) {
                failures.add(l);
            } else if (l.startsWith("PASS ")) {
                passed.add(l.substring(5).trim());
            }
        }
        Set<String> missing = new LinkedHashSet<>();
        Matcher m = CHECK_NAME.matcher(Files.readString(source));
        while (m.find()) {
            if (!passed.contains(m.group(1))) {
                missing.add(m.group(1));
            }
        }
        if (!failures.isEmpty() || !missing.isEmpty() || !lines.contains("DONE")) {
            fail("systest-" + name + ": " + failures.size() + " FAIL line(s), missing PASS " + missing
                    + ", exit " + code + "\n" + String.join("\n", failures) + "\n--- serial\n" + out);
        }
        assertTrue(passed.size() >= 10, "too few checks ran: " + passed);
        // isa-debug-exit with 0 exits with status (0 << 1) | 1.
        assertEquals(1, code, "exit status");
    }

    /** The paging benchmark's two kernels compute what the first guest's workload computes. */
    @ParameterizedTest
    @ValueSource(strings = {"workload-flat", "workload-paged"})
    void workloadKernelsMatchTheNativeOracle(String name, @TempDir Path tmp) throws IOException {
        Path image = home().resolve("guest-images/images/" + name + ".elf");
        Path expected = home().resolve("guest-images/images/crc-mb.expected");
        Path debug = tmp.resolve("debugcon.txt");
        int code = Main.execute("boot", "--kernel", image.toString(), "--serial", "none",
                "--debugcon", "file:" + debug, "--timeout", "300");
        String want = Files.readString(expected, StandardCharsets.ISO_8859_1);
        want = want.substring(want.indexOf("\n\n") + 2);
        assertEquals(want, Files.readString(debug, StandardCharsets.ISO_8859_1), name + " output");
        assertEquals(1, code, "exit status");
    }
}
