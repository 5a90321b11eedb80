package dev.jvmx.runtime.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `jvmx inspect`: the block table of a run, one hot block beside its bytecode, where the first
 * tier's instructions went, and help for every column.
 */
class InspectCommandTest {
    @TempDir
    Path tmp;

    @Test
    void showsTheHottestBlocksGuestCodeBesideItsBytecode() throws Exception {
        Path dump = tmp.resolve("first-guest.dump");
        CliRun boot = CliRun.of("boot", "--serial", "none", "--dump-cache", dump.toString(), "--timeout", "120");
        assertEquals(0, boot.exitCode, boot.toString());
        assertTrue(Files.size(dump) > 0);

        CliRun table = CliRun.of("inspect", dump.toString(), "--top", "1");
        assertEquals(0, table.exitCode, table.toString());
        String[] lines = table.out.split("\n");
        String header = lines[0];
        String hottest = lines[1].trim().split("\\s+")[0];
        long execs = Long.parseLong(lines[1].trim().split("\\s+")[7]);
        assertTrue(execs > 1000, "the hottest block of the CPU workload runs often: " + table.out);

        CliRun detail = CliRun.of("inspect", dump.toString(), "--block", hottest);
        assertEquals(0, detail.exitCode, detail.toString());
        // A guest instruction line (address, bytes, mnemonic) and bytecode on the same row.
        assertTrue(detail.out.lines().anyMatch(l -> l.matches("^[0-9a-f]{8} [0-9a-f]+ +\\S+.*\\| .*(ILOAD|ISTORE|ICONST|BIPUSH).*")),
                detail.out);
        assertTrue(detail.out.contains("GETFIELD dev/jvmx/translator/cpu/Cpu.regs"), "prologue loads the registers");

        // Where the first tier's instructions went: the sites add up to what the run counted.
        CliRun sites = CliRun.of("inspect", dump.toString(), "--first-tier", "--top", "5");
        assertEquals(0, sites.exitCode, sites.toString());
        Matcher m = Pattern.compile("(\\d+) sites, (\\d+) instructions \\(runs times block length; the run counted (\\d+)\\)")
                .matcher(sites.out);
        assertTrue(m.find(), sites.out);
        long counted = Long.parseLong(m.group(3));
        assertTrue(counted > 0, "the first tier ran nothing: " + sites.out);
        assertTrue(Math.abs(Long.parseLong(m.group(2)) - counted) <= counted / 50, sites.out);
        assertTrue(sites.out.contains("GUEST     MODE"), sites.out);
        assertTrue(sites.out.contains("Instructions by runs per decode:"), sites.out);

        CliRun help = CliRun.of("inspect", "--help");
        String sitesHeader = sites.out.lines().filter(l -> l.startsWith("GUEST")).findFirst().orElseThrow();
        for (String column : (header.trim() + " " + sitesHeader.trim()).split("\\s+")) {
            assertTrue(help.out.contains(column), "help does not explain column " + column + "\n" + help.out);
        }
    }

    @Test
    void notADumpIsAClearError() throws Exception {
        Path junk = tmp.resolve("junk.dump");
        Files.writeString(junk, "hello");
        CliRun r = CliRun.of("inspect", junk.toString());
        assertEquals(2, r.exitCode, r.toString());
        assertTrue(r.err.contains("not a jvmx translation-cache dump"), r.toString());
    }
}
