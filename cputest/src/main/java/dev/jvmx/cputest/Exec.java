package dev.jvmx.cputest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A child process run to completion: its exit code, standard output (bytes) and standard error. */
final class Exec {
    final int code;
    final byte[] out;
    final String err;

    private Exec(int code, byte[] out, String err) {
        this.code = code;
        this.out = out;
        this.err = err;
    }

    /**
     * Runs {@code cmd} in {@code dir}. A program that cannot be started at all (not found)
     * throws {@link IOException}; the caller words it.
     */
    static Exec run(Path dir, List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).start();
        p.getOutputStream().close();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread t = new Thread(() -> {
            try (InputStream in = p.getErrorStream()) {
                in.transferTo(err);
            } catch (IOException ignored) {
                // the process died; its exit code tells
            }
        }, "exec-stderr");
        t.setDaemon(true);
        t.start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out after 120 s: " + String.join(" ", cmd));
            }
            t.join();
        } catch (InterruptedException ex) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
        return new Exec(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
    }

    static Exec run(Path dir, String... cmd) throws IOException {
        return run(dir, List.of(cmd));
    }

    /** The last non-empty line of standard error, or "" (for one-line messages). */
    String lastErrLine() {
        String[] l = err.strip().split("\n");
        return l[l.length - 1].strip();
    }

    static void deleteTree(Path d) {
        try (var s = Files.walk(d)) {
            List<Path> l = new ArrayList<>();
            s.forEach(l::add);
            for (int i = l.size() - 1; i >= 0; i--) {
                Files.deleteIfExists(l.get(i));
            }
        } catch (IOException ignored) {
            // a temporary directory left behind is not worth failing a run for
        }
    }
}
