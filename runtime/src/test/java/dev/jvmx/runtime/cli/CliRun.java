package dev.jvmx.runtime.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/** Runs the jvmx command line in-process and captures what it prints. */
final class CliRun {
    final int exitCode;
    final String out;
    final String err;

    private CliRun(int exitCode, String out, String err) {
        this.exitCode = exitCode;
        this.out = out;
        this.err = err;
    }

    static synchronized CliRun of(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        java.io.InputStream oldIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            // --serial stdio reads standard input: give it none (the test JVM's is Surefire's channel).
            System.setIn(new java.io.ByteArrayInputStream(new byte[0]));
            System.setOut(new PrintStream(out, true));
            System.setErr(new PrintStream(err, true));
            int code = Main.execute(args);
            System.out.flush();
            return new CliRun(code, out.toString(), err.toString());
        } finally {
            System.setIn(oldIn);
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static Path home() {
        return Path.of(System.getProperty("jvmx.home", "..")).toAbsolutePath().normalize();
    }

    static Path image(String name) {
        return home().resolve("guest-images").resolve("images").resolve(name);
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
}
