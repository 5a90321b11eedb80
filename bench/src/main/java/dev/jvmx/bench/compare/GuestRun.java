package dev.jvmx.bench.compare;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of one benchmark program as a child process. The program's marker lines
 * ({@code round N begin}, {@code round N end CHECKSUM}, {@code done CHECKSUM}; see
 * guest-images/src/bench/bench.h) are timestamped on the host as they arrive, so the
 * same measurement works for jvmx, QEMU and the native build.
 */
final class GuestRun {
    private static final Pattern BEGIN = Pattern.compile("round (\\d+) begin");
    private static final Pattern END = Pattern.compile("round (\\d+) end ([0-9a-f]{8})");
    private static final Pattern DONE = Pattern.compile("done ([0-9a-f]{8}|MISMATCH)");

    /** Wall time of the whole child process, launch to exit. */
    long wallNanos;
    /** Duration of each round as seen on the host (end line minus begin line). */
    final List<Long> roundNanos = new ArrayList<>();
    /** The checksum every round printed (null until a round ended). */
    final List<String> checksums = new ArrayList<>();
    String done;
    int exitCode;
    boolean timedOut;
    /** The child's standard error, for messages when the run fails. */
    String stderr = "";

    static GuestRun run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        GuestRun r = new GuestRun();
        ProcessBuilder pb = new ProcessBuilder(command);
        long t0 = System.nanoTime();
        Process p = pb.start();
        p.getOutputStream().close();
        StringBuilder err = new StringBuilder();
        Thread errPump = new Thread(() -> drain(p.getErrorStream(), err), "stderr");
        errPump.setDaemon(true);
        errPump.start();
        Thread outPump = new Thread(() -> r.readMarkers(p.getInputStream()), "stdout");
        outPump.setDaemon(true);
        outPump.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
            r.timedOut = true;
        }
        r.wallNanos = System.nanoTime() - t0;
        outPump.join(5_000);
        errPump.join(5_000);
        r.exitCode = p.exitValue();
        synchronized (err) {
            r.stderr = err.toString().trim();
        }
        return r;
    }

    private void readMarkers(InputStream in) {
        long begin = -1;
        try (BufferedReader br = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1))) {
            String line;
            while ((line = br.readLine()) != null) {
                long now = System.nanoTime();
                line = line.trim();
                Matcher m;
                if (BEGIN.matcher(line).matches()) {
                    begin = now;
                } else if ((m = END.matcher(line)).matches()) {
                    synchronized (this) {
                        if (begin >= 0) {
                            roundNanos.add(now - begin);
                        }
                        checksums.add(m.group(2));
                    }
                    begin = -1;
                } else if ((m = DONE.matcher(line)).matches()) {
                    synchronized (this) {
                        done = m.group(1);
                    }
                }
            }
        } catch (IOException e) {
            // the child went away; what was read is what we have
        }
    }

    private static void drain(InputStream in, StringBuilder sb) {
        try (BufferedReader br = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = br.readLine()) != null) {
                synchronized (sb) {
                    if (sb.length() < 4000) {
                        sb.append(line).append('\n');
                    }
                }
            }
        } catch (IOException e) {
            // nothing more to read
        }
    }

    /** Median round time of rounds 2..R (round 1 includes translation and warm-up); -1 if too few. */
    synchronized long steadyNanos() {
        if (roundNanos.size() < 2) {
            return -1;
        }
        return Stats.median(roundNanos.subList(1, roundNanos.size()));
    }

    /**
     * Why this run does not count, or null if it is good: it must end with the expected exit
     * code, print the expected number of rounds, and every checksum must equal {@code oracle}
     * (null: only check the rounds agree with each other).
     */
    synchronized String problem(int expectedExit, int rounds, String oracle) {
        if (timedOut) {
            return "timed out";
        }
        if (checksums.size() < rounds || done == null) {
            return "stopped after " + checksums.size() + " of " + rounds + " rounds, exit code " + exitCode
                    + (stderr.isEmpty() ? "" : ": " + lastLine(stderr));
        }
        String want = oracle != null ? oracle : checksums.get(0);
        for (int i = 0; i < checksums.size(); i++) {
            if (!checksums.get(i).equals(want)) {
                return "round " + (i + 1) + " checksum " + checksums.get(i) + ", expected " + want;
            }
        }
        if (!done.equals(want)) {
            return "done " + done + ", expected " + want;
        }
        if (exitCode != expectedExit) {
            return "exit code " + exitCode + ", expected " + expectedExit
                    + (stderr.isEmpty() ? "" : ": " + lastLine(stderr));
        }
        return null;
    }

    private static String lastLine(String s) {
        int i = s.lastIndexOf('\n');
        return i >= 0 ? s.substring(i + 1) : s;
    }
}
