package dev.jvmx.runtime.kut;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The suite's i386 build: the shared source tarball unpacked into a build directory outside
 * git, configured with --arch=i386 and made (the tests are x86/*.flat). A stamp file records a
 * finished build of that tarball, so later runs reuse it.
 */
public final class KutSuite {
    public static final String TARBALL = "kvm-unit-tests-1da1819e.tar.gz";
    public static final String TREE = "kvm-unit-tests";
    private static final String STAMP = ".jvmx-built";

    /** A build that could not be done, with what to do about it. */
    public static final class BuildException extends Exception {
        public BuildException(String message) {
            super(message);
        }
    }

    private KutSuite() { }

    /** The shared tarball beside a worktree (../shared/third-party), or null. */
    public static Path defaultTarball(Path home) {
        for (Path p : List.of(home.resolve("..").resolve("shared"), home.resolve("..").resolve("..").resolve("shared"),
                Path.of("/work/shared"))) {
            Path t = p.resolve("third-party").resolve(TARBALL).normalize();
            if (Files.isRegularFile(t)) {
                return t;
            }
        }
        return null;
    }

    /** The tree under {@code buildDir} when a finished build of {@code tarball} is there, else null. */
    public static Path built(Path tarball, Path buildDir) {
        Path tree = buildDir.resolve(TREE);
        try {
            Path stamp = tree.resolve(STAMP);
            if (Files.isRegularFile(stamp) && Files.readString(stamp).strip().equals(tarball.getFileName().toString())) {
                return tree;
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** Unpacks, configures and makes the i386 tests unless already built; returns the tree. */
    public static Path build(Path tarball, Path buildDir) throws BuildException {
        Path done = built(tarball, buildDir);
        if (done != null) {
            return done;
        }
        if (!Files.isRegularFile(tarball)) {
            throw new BuildException("kvm-unit-tests source not found: " + tarball);
        }
        Path tree = buildDir.resolve(TREE);
        Path log = buildDir.resolve("build.log");
        try {
            Files.createDirectories(buildDir);
            if (Files.exists(tree)) {
                run(buildDir, log, 120, "rm", "-rf", TREE);
            }
            run(buildDir, log, 300, "tar", "xzf", tarball.toAbsolutePath().toString());
            run(tree, log, 120, "./configure", "--arch=i386");
            run(tree, log, 1800, "make", "-j" + Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
            Files.writeString(tree.resolve(STAMP), tarball.getFileName().toString() + "\n");
        } catch (IOException e) {
            throw new BuildException("building kvm-unit-tests in " + buildDir + ": " + e.getMessage());
        }
        return tree;
    }

    private static void run(Path dir, Path log, long seconds, String... cmd) throws BuildException, IOException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new BuildException("cannot run " + cmd[0] + ": " + e.getMessage());
        }
        try {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new BuildException(String.join(" ", cmd) + " did not finish in " + seconds + " s (see " + log + ")");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BuildException("interrupted");
        }
        if (p.exitValue() != 0) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
            String hint = tail.contains("-m32") || tail.contains("gnu/stubs-32.h") || tail.contains("libgcc")
                    ? "\n(gcc cannot build 32-bit code here: install Debian's gcc-multilib)" : "";
            throw new BuildException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "; log " + log + "):\n"
                    + tail + hint);
        }
    }
}
