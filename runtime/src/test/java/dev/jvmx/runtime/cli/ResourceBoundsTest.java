package dev.jvmx.runtime.cli;

import dev.jvmx.devices.IoDevice;
import dev.jvmx.runtime.DeviceRegistry;
import dev.jvmx.runtime.Machine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.jvmx.runtime.cli.TestImages.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Heap, errors and the fuzzers' CI sample: nothing ends as a Java trace, and nothing needs more than it says. */
class ResourceBoundsTest {
    @TempDir
    Path tmp;

    /** A small heap and a large -m: one line that says what to set, before anything is allocated. */
    @Test
    void tooSmallAHeapIsSaidInWords() throws Exception {
        Path out = tmp.resolve("o");
        Path err = tmp.resolve("e");
        JvmxRun p = JvmxRun.start(out, err, false, List.of("-Xmx256m"), "boot", "-m", "512");
        assertEquals(2, p.waitFor(60));
        String e = JvmxRun.read(err).strip();
        assertEquals(1, e.lines().count(), e);
        assertTrue(e.matches("jvmx: -m 512 needs a Java heap of about \\d+ MiB and this JVM may use \\d+ MiB: run with "
                + "JVMX_JAVA_OPTS=-Xmx1312m .*"), e);
    }

    /** The heap the launcher gives for -m is enough for the machine (the largest RAM jvmx takes needs most). */
    @Test
    void launcherHeapCoversTheMachine() {
        for (int m : new int[] {129, 512, 1024, MemorySize.MAX_MIB}) {
            long given = BootCommand.suggestedHeapMiB(m) << 20;
            long array = ((long) m << 20) + Machine.ROM_SPACE;
            // Runtime.maxMemory() under the parallel collector leaves out one survivor space (a
            // 24th of the heap with its default ratios); the old generation (two thirds) holds the array.
            assertTrue(given * 23 / 24 >= BootCommand.heapNeeded(m), "-m " + m);
            assertTrue(given * 2 / 3 >= array, "-m " + m);
        }
    }

    /** Any Error or unexpected exception in the run: one line, exit code 70, the trace only with JVMX_DEBUG. */
    @Test
    void internalErrorsAreOneLineAndExit70() throws Exception {
        DeviceRegistry.register("test-crash", (m, d) -> m.registerPorts(0x6F0, 1, new IoDevice() {
            @Override
            public int ioRead(int port, int size) {
                throw new IllegalStateException("device model bug");
            }

            @Override
            public void ioWrite(int port, int size, int value) {
                throw new AssertionError("device model error");
            }
        }, d.text));
        Path k = TestImages.kernel(tmp, "crash.elf", bytes(0x66, 0xBA, 0xF0, 0x06, 0xEE, 0xF4)); // mov dx, 0x6F0; out dx, al
        CliRun r = CliRun.of("boot", "--serial", "none", "-device", "test-crash", "--kernel", k.toString(), "--timeout", "60");
        assertEquals(70, r.exitCode, r.toString());
        assertEquals(1, r.err.strip().lines().count(), r.toString());
        assertTrue(r.err.startsWith("jvmx: internal error: java.lang.AssertionError: device model error (set JVMX_DEBUG=1"), r.err);
        assertFalse(r.err.contains("\tat "), r.err);
        Path k2 = TestImages.kernel(tmp, "crash2.elf", bytes(0x66, 0xBA, 0xF0, 0x06, 0xEC, 0xF4)); // mov dx, 0x6F0; in al, dx
        CliRun r2 = CliRun.of("boot", "--serial", "none", "-device", "test-crash", "--kernel", k2.toString(), "--timeout", "60");
        assertEquals(70, r2.exitCode, r2.toString());
        assertTrue(r2.err.contains("internal error: java.lang.IllegalStateException: device model bug"), r2.err);
    }

    /** CI's sample of the garbage-guest fuzzer (the long run is by command; see the README). */
    @Test
    void garbageGuestsSample() {
        CliRun r = CliRun.of("fuzz", "guests", "--count", "120", "--seed", "18", "--timeout", "0.3");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.matches("(?s).*internal errors: 0; runs past --timeout \\+ 1 s: 0 \\(and \\d+ not repeated on a re-run\\); hangs: 0;.*"), r.out);
    }

    /** CI's sample of the port fuzzer. */
    @Test
    void portTrafficSample() {
        CliRun r = CliRun.of("fuzz", "ports", "--count", "1000000", "--seed", "18");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.contains("host exceptions: 0"), r.out);
    }
}
