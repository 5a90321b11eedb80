package dev.jvmx.runtime.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * QEMU as the oracle: `jvmx boot --serial none --debugcon stdio --kernel K` prints what
 * `qemu-system-i386 ... -debugcon stdio -device isa-debug-exit ... -kernel K` prints and
 * exits with the same code. Skipped where qemu-system-i386 is not installed.
 */
class QemuEquivalenceTest {
    private static boolean haveQemu() {
        try {
            Process p = new ProcessBuilder("qemu-system-i386", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void multibootKernelsBehaveAsUnderQemu() throws Exception {
        assumeTrue(haveQemu(), "qemu-system-i386 is not installed (Debian package qemu-system-x86)");
        for (String k : List.of("hello.elf", "crc-mb.elf")) {
            Path kernel = CliRun.image(k);
            Process q = new ProcessBuilder("qemu-system-i386", "-display", "none", "-serial", "none", "-debugcon", "stdio",
                    "-device", "isa-debug-exit,iobase=0xf4,iosize=4", "-kernel", kernel.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] qemuOut = q.getInputStream().readAllBytes();
            assumeTrue(q.waitFor(300, TimeUnit.SECONDS), "qemu did not finish");
            CliRun r = CliRun.of("boot", "--serial", "none", "--debugcon", "stdio", "--kernel", kernel.toString(),
                    "--timeout", "300");
            assertEquals(q.exitValue(), r.exitCode, k + ": " + r);
            assertArrayEquals(qemuOut, r.out.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), k + ": " + r);
        }
    }
}
