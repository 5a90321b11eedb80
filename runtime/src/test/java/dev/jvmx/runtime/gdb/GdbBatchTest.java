package dev.jvmx.runtime.gdb;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's gdb in batch mode against `jvmx boot -gdb ... -S` running the test guest
 * (gdbguest.s), in processes of their own, as a user runs them. The expected register values
 * are the ones the guest's code loads; the flags after its ADD follow from the SDM (0x11111111
 * + 0x33333333 = 0x44444444: no carry, not zero, positive, no overflow, no carry out of bit 3,
 * low byte 0x44 with two bits set, so PF alone; bit 1 is always set and Multiboot clears IF).
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GdbBatchTest {
    @TempDir
    static Path tmp;
    private static GdbGuest guest;

    @BeforeAll
    static void tools() throws Exception {
        assumeTrue(GdbGuest.toolsAvailable(), "GNU as, ld and nm are not installed");
        assumeTrue(run("gdb", "--version"), "gdb is not installed (apt-get install gdb)");
        guest = GdbGuest.build(tmp);
    }

    private static boolean run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** jvmx with the stub on a free port, started stopped; its stderr goes to a file. */
    private static final class Jvmx {
        final Process process;
        final Path stderr;
        final int port;

        Jvmx() throws Exception {
            port = freePort();
            stderr = Files.createTempFile(tmp, "jvmx", ".err");
            String java = ProcessHandle.current().info().command().orElse("java");
            String home = Path.of(System.getProperty("jvmx.home", "..")).toAbsolutePath().normalize().toString();
            process = new ProcessBuilder(java, "-XX:+UseSerialGC", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                    "-Djvmx.home=" + home, "dev.jvmx.runtime.cli.Main", "boot", "--kernel", guest.elf.toString(),
                    "--serial", "none", "-gdb", "tcp:127.0.0.1:" + port, "-S", "--timeout", "150")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile()).start();
            for (int i = 0; i < 600 && !err().contains("waiting for gdb"); i++) {
                Thread.sleep(50);
            }
            assertTrue(err().contains("waiting for gdb on tcp:127.0.0.1:" + port), err());
        }

        String err() throws IOException {
            return Files.readString(stderr);
        }

        int exit() throws Exception {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "jvmx did not end: " + err());
            return process.exitValue();
        }

        String lastLine() throws IOException {
            List<String> l = err().lines().toList();
            return l.isEmpty() ? "" : l.get(l.size() - 1);
        }
    }

    /** gdb -batch -nx [FILE] -ex ... ; stdout and stderr together. */
    private static Process gdb(Path file, Path out, String... commands) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("gdb", "-batch", "-nx"));
        if (file != null) {
            cmd.add(file.toString());
        }
        for (String c : commands) {
            cmd.add("-ex");
            cmd.add(c);
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    private static void contains(String text, String regex) {
        assertTrue(Pattern.compile(regex, Pattern.MULTILINE).matcher(text).find(), "no /" + regex + "/ in:\n" + text);
    }

    private static String hex(int v) {
        return String.format("0x%x", v);
    }

    /** The session issue 17 names: break, continue, info registers, x/4i $pc, stepi; then kill. */
    @Test
    void breakContinueRegistersDisassembleStepKill() throws Exception {
        Jvmx j = new Jvmx();
        Path out = Files.createTempFile(tmp, "gdb", ".out");
        int known = guest.at("known");
        Process g = gdb(null, out, "target remote 127.0.0.1:" + j.port, "break *" + hex(known), "continue",
                "info registers", "x/4i $pc", "stepi", "info registers eax eip eflags", "kill");
        assertTrue(g.waitFor(60, TimeUnit.SECONDS), "gdb did not end");
        String s = Files.readString(out);
        contains(s, "^Breakpoint 1, " + String.format("0x%08x", known));
        String[][] regs = {{"eax", "0x11111111"}, {"ecx", "0x33333333"}, {"edx", "0x44444444"}, {"ebx", "0x22222222"},
            {"esp", hex(guest.at("stack_top"))}, {"ebp", "0x77777777"}, {"esi", "0x55555555"}, {"edi", "0x66666666"}};
        for (String[] r : regs) {
            contains(s, "^" + r[0] + "\\s+" + r[1] + "\\s");
        }
        contains(s, "^eip\\s+" + hex(known) + "\\s");
        contains(s, "^=> " + hex(known) + ":\\s+add\\s+%ecx,%eax");
        // After the step: the ADD's result and flags, EIP at the next label.
        contains(s, "^eax\\s+0x44444444\\s");
        contains(s, "^eip\\s+" + hex(guest.at("after_add")) + "\\s");
        contains(s, "^eflags\\s+0x6\\s+\\[ PF \\]");
        contains(s, "\\[Inferior 1 \\(Remote target\\) killed\\]");
        // jvmx: killed, exit code 0 (as QEMU exits on gdb's kill), after the 8 loads, the ADD and nothing more.
        assertEquals(0, j.exit(), j.err());
        assertEquals("jvmx: killed from gdb after 9 instructions", j.lastLine(), j.err());
    }

    /**
     * Interrupt a hot loop (translated and formed into a region by then), break inside it,
     * watch writes and reads, read memory through the guest's paging, write memory, detach: the
     * guest runs on to its end.
     */
    @Test
    void interruptBreakInsideAHotLoopWatchPagingDetach() throws Exception {
        Jvmx j = new Jvmx();
        Path out = Files.createTempFile(tmp, "gdb", ".out");
        Process g = gdb(guest.elf, out, "target remote 127.0.0.1:" + j.port, "continue",
                "break inner", "continue", "p $pc == &inner", "p $ecx == *(int*)&counter", "delete",
                "set $t0 = *(int*)&total", "watch *(int*)&total", "continue", "p $pc == &check",
                "p *(int*)&total - $t0 == $ecx", "delete",
                "rwatch *(int*)&limit", "continue", "p $pc == &next", "delete",
                "p *(int*)(0x40000000 + (int)&counter) == *(int*)&counter", "x/wx 0x80000000",
                "set var *(int*)&limit = *(int*)&counter + 1000", "detach");
        // Let the loop run hot (it is a region within a few hundred thousand rounds), then Ctrl-C gdb.
        Thread.sleep(3000);
        assertTrue(g.isAlive(), "gdb ended before the interrupt: " + Files.readString(out));
        assertTrue(run("kill", "-INT", Long.toString(g.pid())), "could not send SIGINT to gdb");
        assertTrue(g.waitFor(60, TimeUnit.SECONDS), "gdb did not end: " + Files.readString(out));
        String s = Files.readString(out);
        contains(s, "^Program received signal SIGINT, Interrupt\\.");
        contains(s, "^Breakpoint 1, 0x[0-9a-f]+ in inner \\(\\)");
        contains(s, "^\\$1 = 1$");
        contains(s, "^\\$2 = 1$");
        contains(s, "^Hardware watchpoint 2: \\*\\(int\\*\\)&total");
        contains(s, "^Old value = ");
        contains(s, "^New value = ");
        contains(s, "^\\$3 = 1$");
        contains(s, "^\\$4 = 1$");
        contains(s, "^Hardware read watchpoint 3: \\*\\(int\\*\\)&limit");
        contains(s, "^Value = 2147483647");
        contains(s, "^\\$5 = 1$");
        contains(s, "^\\$6 = 1$");
        contains(s, "Cannot access memory at address 0x80000000");
        contains(s, "\\[Inferior 1 \\(Remote target\\) detached\\]");
        assertEquals(33, j.exit(), j.err());
        assertTrue(j.err().contains("jvmx: gdb: detached; the guest runs on"), j.err());
        assertTrue(j.lastLine().startsWith("jvmx: isa-debug-exit: exit code 33 after"), j.err());
    }
}
