package dev.jvmx.runtime.cli;

import dev.jvmx.runtime.MachineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --exception-bitmap} and {@code --nmi-exiting}: the list's bits are the vectors of the SDM
 * (Vol. 3A, Table 6-1: #DE 0, #DB 1, #BP 3, #OF 4, #UD 6, #DF 8, #GP 13, #PF 14, #AC 17, #MC 18), and
 * with every exception a VM exit the VMM's reflection leaves the guests of guest-images/src/systest,
 * which check their exceptions against the SDM, passing every check.
 */
class EventExitOptionsTest {
    private static final Pattern CHECK_NAME = Pattern.compile("\\b(?:check|expect_fault|expect_pf)\\(\\s*\"([^\"]+)\"");

    private static MachineConfig parse(String list) {
        MachineConfig c = new MachineConfig();
        ExceptionBitmapOption.apply(list, c);
        return c;
    }

    @Test
    void listsOfMnemonicsVectorsAndMasks() {
        assertEquals((1 << 14) | (1 << 13), parse("PF,GP").exceptionBitmap);
        assertEquals((1 << 6) | (1 << 3), parse("#UD, 3").exceptionBitmap);
        assertEquals((1 << 17) | (1 << 18), parse("ac,mc").exceptionBitmap);
        assertEquals(0xFFFFFFFF, parse("0xFFFFFFFF").exceptionBitmap);
        assertEquals(0, parse("none").exceptionBitmap);
        MachineConfig c = parse("PF,pfec-mask=0x1,pfec-match=1");
        assertEquals(1 << 14, c.exceptionBitmap);
        assertEquals(1, c.pfErrorCodeMask);
        assertEquals(1, c.pfErrorCodeMatch);
        assertThrows(IllegalArgumentException.class, () -> parse("NMI"));
        assertThrows(IllegalArgumentException.class, () -> parse("32"));
        assertThrows(IllegalArgumentException.class, () -> parse("XX"));
        assertThrows(IllegalArgumentException.class, () -> parse("pfec-mask=many"));
    }

    @Test
    void badListIsOneLineAndExitCode2() {
        CliRun r = CliRun.of("boot", "--exception-bitmap", "PF,XX");
        assertEquals(Main.EXIT_USAGE, r.exitCode, r.toString());
        assertEquals(1, r.err.lines().count(), r.toString());
        assertTrue(r.err.startsWith("jvmx: --exception-bitmap: unknown exception 'XX'"), r.toString());
        assertFalse(r.err.contains("Exception"), r.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"prot", "paging", "v86", "real"})
    void systemGuestsPassWithEveryExceptionAVmExit(String name, @TempDir Path tmp) throws IOException {
        Path image = CliRun.home().resolve("guest-images/images/systest-" + name + ".elf");
        Path source = CliRun.home().resolve("guest-images/src/systest/" + name + ".c");
        Path serial = tmp.resolve("serial.txt");
        CliRun r = CliRun.of("boot", "--kernel", image.toString(), "--serial", "file:" + serial, "--timeout", "120",
                "--exception-bitmap", "0xFFFFFFFF", "--nmi-exiting", "--exit-stats");
        String out = Files.exists(serial) ? Files.readString(serial, StandardCharsets.ISO_8859_1) : "";
        List<String> lines = List.of(out.split("\r?\n"));
        Set<String> passed = new LinkedHashSet<>();
        for (String l : lines) {
            assertFalse(l.startsWith("FAIL"), l + "\n--- serial\n" + out);
            if (l.startsWith("PASS ")) {
                passed.add(l.substring(5).trim());
            }
        }
        Matcher m = CHECK_NAME.matcher(Files.readString(source));
        while (m.find()) {
            assertTrue(passed.contains(m.group(1)), "missing PASS " + m.group(1) + "\n--- serial\n" + out);
        }
        assertTrue(lines.contains("DONE"), out);
        assertEquals(1, r.exitCode, "isa-debug-exit with 0: " + r);
        if (name.equals("prot")) {
            assertTrue(r.err.contains("EXCEPTION_OR_NMI #GP"), "#GP checks left as exits\n" + r.err);
        } else if (name.equals("paging")) {
            assertTrue(r.err.contains("EXCEPTION_OR_NMI #PF"), "#PF checks left as exits\n" + r.err);
        }
    }
}
