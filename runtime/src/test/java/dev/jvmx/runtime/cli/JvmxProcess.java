package dev.jvmx.runtime.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * jvmx in a process of its own (the test JVM's java and class path), for what needs two
 * processes or a kill: image locks, kill -9, a full file system. Its stdout (the guest's
 * serial port) arrives line by line; stderr is collected.
 */
final class JvmxProcess implements AutoCloseable {
    static final String EOF = "\u0000EOF";

    final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer stdout = new StringBuffer();
    private final StringBuffer stderr = new StringBuffer();
    private final Thread outReader;
    private final Thread errReader;

    /** The java command line that runs jvmx with these arguments. */
    static List<String> command(String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xss16m", "-XX:+UseSerialGC", "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), "-Djvmx.home=" + CliRun.home(),
                Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static JvmxProcess start(String... args) throws IOException {
        return new JvmxProcess(new ProcessBuilder(command(args)));
    }

    /** Runs any command (e.g. jvmx inside unshare) with the same line handling. */
    JvmxProcess(ProcessBuilder pb) throws IOException {
        process = pb.start();
        process.getOutputStream().close();
        outReader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.ISO_8859_1))) {
                for (String l; (l = r.readLine()) != null; ) {
                    stdout.append(l).append('\n');
                    lines.add(l);
                }
            } catch (IOException ignored) {
                // the process went away
            }
            lines.add(EOF);
        });
        errReader = new Thread(() -> {
            try {
                stderr.append(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the process went away
            }
        });
        outReader.setDaemon(true);
        errReader.setDaemon(true);
        outReader.start();
        errReader.start();
    }

    /** The next stdout line, EOF at the end, or null after the timeout. */
    String nextLine(long timeoutMillis) throws InterruptedException {
        String l = lines.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (EOF.equals(l)) {
            lines.add(EOF); // stays at the end
        }
        return l;
    }

    /** Waits for the exit (killing it after the timeout) and for both streams to end; returns the exit code. */
    int waitFor(long timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        outReader.join(10_000);
        errReader.join(10_000);
        return process.exitValue();
    }

    /** SIGKILL, as kill -9 (Process.destroyForcibly on Linux). */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
        outReader.join(10_000);
        errReader.join(10_000);
    }

    String stdout() {
        return stdout.toString();
    }

    String stderr() {
        return stderr.toString();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill9();
        }
    }
}
