package dev.jvmx.runtime.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** `jvmx` as a process of its own (Main on this test's class path), for signals, exit codes and wall time as a user sees them. */
final class JvmxRun {
    final Process process;
    final long startNanos = System.nanoTime();

    private JvmxRun(Process p) {
        this.process = p;
    }

    static List<String> command(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xss16m");
        cmd.add("-XX:+UseParallelGC");
        cmd.addAll(hugePages());
        cmd.add("-Djvmx.home=" + CliRun.home());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * The launcher's transparent huge pages, where the kernel offers them: zeroing a 512 MiB
     * guest's RAM in 4 KiB pages took seconds on a loaded 2-core machine, past a 3 s timeout.
     */
    static List<String> hugePages() {
        try {
            String thp = Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"));
            return thp.contains("[madvise]") || thp.contains("[always]") ? List.of("-XX:+UseTransparentHugePages") : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Starts jvmx; standard output and error go to files (standard output may be left unread with {@code pipeOut}). */
    static JvmxRun start(Path out, Path err, boolean pipeOut, List<String> jvmOptions, String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(jvmOptions, args));
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        if (!pipeOut) {
            pb.redirectOutput(out.toFile());
        }
        pb.redirectError(err.toFile());
        return new JvmxRun(pb.start());
    }

    /** Waits at most {@code seconds}; -1 if still running (then it is killed). */
    int waitFor(double seconds) throws InterruptedException {
        if (!process.waitFor((long) (seconds * 1000), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            return -1;
        }
        return process.exitValue();
    }

    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    void signal(String name) throws IOException, InterruptedException {
        Process k = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        k.waitFor(10, TimeUnit.SECONDS);
    }

    /** Runs jvmx to its end (at most {@code limitSeconds}); standard output and error kept in {@code dir}. */
    static Result run(Path dir, double limitSeconds, String... args) throws IOException, InterruptedException {
        return run(dir, limitSeconds, List.of(), args);
    }

    /** As {@link #run(Path, double, String...)}, with options for jvmx's JVM (e.g. -Xmx, as ./jvmx gives). */
    static Result run(Path dir, double limitSeconds, List<String> jvmOptions, String... args)
            throws IOException, InterruptedException {
        Path out = java.nio.file.Files.createTempFile(dir, "out", ".txt");
        Path err = java.nio.file.Files.createTempFile(dir, "err", ".txt");
        JvmxRun p = start(out, err, false, jvmOptions, args);
        int code = p.waitFor(limitSeconds);
        return new Result(code, read(out), read(err), p.seconds());
    }

    /** How a process run ended. */
    record Result(int exitCode, String out, String err, double seconds) {
        @Override
        public String toString() {
            return String.format("exit %d after %.2f s%n--- stdout%n%s%n--- stderr%n%s", exitCode, seconds, out, err);
        }
    }

    static String read(Path p) throws IOException {
        return java.nio.file.Files.exists(p) ? java.nio.file.Files.readString(p, StandardCharsets.ISO_8859_1) : "";
    }
}
