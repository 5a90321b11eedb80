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
    void namesBlocksAfterTheGuestFunctionsOfASymbolTable() throws Exception {
        Path dump = tmp.resolve("first-guest.dump");
        CliRun boot = CliRun.of("boot", "--serial", "none", "--dump-cache", dump.toString(), "--timeout", "120");
        assertEquals(0, boot.exitCode, boot.toString());
        CliRun table = CliRun.of("inspect", dump.toString(), "--top", "1");
        int hottest = (int) Long.parseLong(table.out.split("\n")[1].trim().split("\\s+")[0], 16);
        CliRun sites = CliRun.of("inspect", dump.toString(), "--first-tier", "--top", "1");
        String[] topSite = sites.out.lines().filter(l -> l.matches("^[0-9a-f]{8}  .*")).findFirst().orElseThrow()
                .trim().split("\\s+");
        int firstTierTop = (int) Long.parseLong(topSite[0], 16);
        long topSiteInsns = Long.parseLong(topSite[4]);

        // A symbol 4 bytes below the hottest block names it, at an offset; a data symbol between does not.
        Path map = tmp.resolve("System.map");
        Files.writeString(map, String.format("%08x T hot_loop%n%08x D some_data%n", hottest - 4, hottest - 2));
        CliRun named = CliRun.of("inspect", dump.toString(), "--top", "1", "--symbols", map.toString());
        assertEquals(0, named.exitCode, named.toString());
        assertTrue(named.out.split("\n")[0].trim().endsWith("FUNCTION"), named.out);
        assertTrue(named.out.split("\n")[1].trim().endsWith("  hot_loop+0x4"), named.out);

        // The first tier's busiest block start, named: its function has at least that site's instructions.
        Path kallsyms = tmp.resolve("kallsyms");
        Files.writeString(kallsyms, String.format("%08x t busy_start%n", firstTierTop));
        CliRun byFunction = CliRun.of("inspect", dump.toString(), "--first-tier", "--symbols", kallsyms.toString());
        assertEquals(0, byFunction.exitCode, byFunction.toString());
        assertTrue(byFunction.out.contains("The same instructions by guest function"), byFunction.out);
        String busy = byFunction.out.lines().dropWhile(l -> !l.contains("SITES  FUNCTION"))
                .filter(l -> l.endsWith("  busy_start")).findFirst().orElseThrow(() -> new AssertionError(byFunction.out));
        assertTrue(Long.parseLong(busy.trim().split("\\s+")[0]) >= topSiteInsns, byFunction.out);

        CliRun missing = CliRun.of("inspect", dump.toString(), "--symbols", tmp.resolve("nope.map").toString());
        assertEquals(2, missing.exitCode, missing.toString());
        assertTrue(missing.err.contains("symbol file not found"), missing.toString());
        Path junk = tmp.resolve("junk.map");
        Files.writeString(junk, "hello\n");
        CliRun bad = CliRun.of("inspect", dump.toString(), "--symbols", junk.toString());
        assertEquals(2, bad.exitCode, bad.toString());
        assertTrue(bad.err.contains("no text symbols"), bad.toString());
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
