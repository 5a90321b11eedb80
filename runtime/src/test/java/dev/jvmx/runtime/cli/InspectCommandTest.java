package dev.jvmx.runtime.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `jvmx inspect`: the block table of a run, one hot block beside its bytecode, and help for every column. */
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

        CliRun help = CliRun.of("inspect", "--help");
        for (String column : header.trim().split("\\s+")) {
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
