package dev.jvmx.runtime;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** GNU as, ld and objcopy for tests that assemble their guest code (a test without them is skipped). */
public final class GnuBinutils {
    private GnuBinutils() { }

    /** Whether {@code as} runs here. */
    public static boolean installed() {
        try {
            Process p = new ProcessBuilder("as", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception ex) {
            return false;
        }
    }

    /** Runs each command in turn; one that fails or takes over 30 s throws with its output. */
    public static void run(List<List<String>> commands) throws Exception {
        for (List<String> cmd : commands) {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(cmd + ": " + out);
            }
        }
    }
}
