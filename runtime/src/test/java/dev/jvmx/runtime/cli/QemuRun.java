package dev.jvmx.runtime.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** qemu-system-i386 as the second opinion: one run, its exit code and what it printed on stdout. */
final class QemuRun {
    final int exitCode;
    final String out;

    private QemuRun(int exitCode, String out) {
        this.exitCode = exitCode;
        this.out = out;
    }

    static boolean available() {
        try {
            Process p = new ProcessBuilder("qemu-system-i386", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs QEMU (TCG, no display, no NIC, isa-debug-exit at 0xF4) with these further arguments. */
    static QemuRun of(long timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("qemu-system-i386", "-accel", "tcg", "-display", "none", "-nic", "none",
                "-m", "128", "-device", "isa-debug-exit,iobase=0xf4,iosize=4"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
        }
        return new QemuRun(p.exitValue(), new String(out, StandardCharsets.ISO_8859_1));
    }
}
