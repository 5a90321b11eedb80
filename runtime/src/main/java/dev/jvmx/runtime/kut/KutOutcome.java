package dev.jvmx.runtime.kut;

/**
 * The result of one test: run_tests.sh's verdict from the exit status (the test's exit code
 * E reaches isa-debug-exit, so the machine exits with (E << 1) | 1: 1 is PASS, 77 SKIP, 124 a
 * timeout, anything else FAIL) and the checks counted from the report lines the test prints
 * (PASS:, FAIL:, SKIP:, XPASS:, XFAIL:).
 */
public record KutOutcome(Status status, int pass, int fail, int skip, int xfail, int xpass, String detail) {
    public enum Status { PASS, FAIL, SKIP }

    public static final int EXIT_PASS = 1;
    public static final int EXIT_SKIP = 77;
    public static final int EXIT_TIMEOUT = 124;

    public static KutOutcome skipped(String reason) {
        return new KutOutcome(Status.SKIP, 0, 0, 0, 0, 0, reason);
    }

    /** The verdict of a run that ended with {@code exitCode} after printing {@code log}. */
    public static KutOutcome of(int exitCode, String log, double timeoutSeconds) {
        int pass = 0, fail = 0, skip = 0, xfail = 0, xpass = 0;
        String summary = null;
        for (String raw : log.split("\n")) {
            String l = raw.replace("\r", "");
            if (l.startsWith("PASS:")) {
                pass++;
            } else if (l.startsWith("FAIL:")) {
                fail++;
            } else if (l.startsWith("SKIP:")) {
                skip++;
            } else if (l.startsWith("XFAIL:")) {
                xfail++;
            } else if (l.startsWith("XPASS:")) {
                xpass++;
            } else if (l.startsWith("SUMMARY: ")) {
                summary = l.substring("SUMMARY: ".length()).strip();
            }
        }
        Status s;
        String detail;
        if (exitCode == EXIT_PASS) {
            s = Status.PASS;
            detail = summary;
        } else if (exitCode == EXIT_SKIP) {
            s = Status.SKIP;
            detail = summary;
        } else if (exitCode == EXIT_TIMEOUT) {
            s = Status.FAIL;
            detail = String.format("timeout; duration=%.0fs", timeoutSeconds);
        } else {
            s = Status.FAIL;
            detail = summary != null ? summary : "exit status " + exitCode;
        }
        return new KutOutcome(s, pass, fail, skip, xfail, xpass, detail);
    }

    /** "12 pass, 1 fail, 2 skip" (expected failures and passes too, when any). */
    public String counts() {
        StringBuilder b = new StringBuilder().append(pass).append(" pass, ").append(fail).append(" fail, ")
                .append(skip).append(" skip");
        if (xfail > 0) {
            b.append(", ").append(xfail).append(" xfail");
        }
        if (xpass > 0) {
            b.append(", ").append(xpass).append(" xpass");
        }
        return b.toString();
    }

    /** One results-file line: name status pass fail skip. */
    public String resultLine(String name) {
        return name + " " + status + " " + pass + " " + fail + " " + skip;
    }

    /** Parses {@link #resultLine}: [name, status, pass, fail, skip]. */
    public static String[] parseResultLine(String line) {
        String[] f = line.strip().split("\\s+");
        return f.length >= 5 ? f : null;
    }
}
