package dev.jvmx.guestimages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rebuilds every image with make into a temporary directory and checks the
 * result is byte-identical to the committed files in images/. The .expected
 * files of first-guest and crc-mb are rebuilt too: make runs the workload
 * natively on the host (the oracle), so this also checks that the host CPU
 * prints what the committed expectations say.
 *
 * <p>Skipped (not failed) when make, as, ld, objcopy or a gcc with -m32 are
 * missing, or when the toolchain differs from the one in images/toolchain.txt.
 */
class ReproducibleBuildTest {
    private static final String[] BUILT_FILES = {
        "first-guest.rom", "hello.elf", "crc-mb.elf", "first-guest.expected", "crc-mb.expected",
        "systest-prot.elf", "systest-paging.elf", "systest-v86.elf", "systest-real.elf", "workload-flat.elf", "workload-paged.elf", "bootdisk.img",
        "cdboot.bin", "diskwriter.elf",
    };

    @TempDir
    Path tmp;

    private static Path moduleDir() {
        String dir = System.getProperty("guestImages.moduleDir", System.getProperty("user.dir"));
        return Path.of(dir).toAbsolutePath();
    }

    private record Result(int exit, String output) {}

    private static Result run(Path dir, List<String> command, long timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            // output is small; read it fully, then wait
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    private void assumeToolchain(Path module) throws IOException {
        for (String tool : new String[] {"make", "as", "ld", "gcc", "objcopy"}) {
            Result r = run(module, List.of(tool, "--version"), 30);
            assumeTrue(r.exit() == 0, "skipped: '" + tool + "' not available (" + r.output().strip() + ")");
        }
        Path probe = tmp.resolve("probe.c");
        Files.writeString(probe, "int probe(int x) { return x + 1; }\n");
        Result r = run(tmp, List.of("gcc", "-m32", "-ffreestanding", "-c", "-o", "probe.o", "probe.c"), 60);
        assumeTrue(r.exit() == 0, "skipped: gcc cannot generate 32-bit code (-m32): " + r.output().strip());
    }

    @Test
    void rebuiltImagesAreByteIdenticalToTheCommittedOnes() throws IOException {
        Path module = moduleDir();
        assertTrue(Files.isRegularFile(module.resolve("Makefile")), "no Makefile in " + module);
        assumeToolchain(module);

        Path out = tmp.resolve("images");
        List<String> make = new ArrayList<>(List.of("make", "-s", "--no-print-directory",
                "OUT=" + out, "BUILD=" + tmp.resolve("build"), "all"));
        Result r = run(module, make, 300);
        assertEquals(0, r.exit(), "make failed:\n" + r.output());

        String committedToolchain = Files.readString(module.resolve("images/toolchain.txt"));
        String localToolchain = Files.readString(out.resolve("toolchain.txt"));
        assumeTrue(committedToolchain.equals(localToolchain),
                "skipped: images were built with\n" + committedToolchain + "but this machine has\n"
                        + localToolchain + "(byte-identical output is only expected with the same toolchain)");

        for (String name : BUILT_FILES) {
            byte[] committed = Files.readAllBytes(module.resolve("images").resolve(name));
            byte[] rebuilt = Files.readAllBytes(out.resolve(name));
            assertArrayEquals(committed, rebuilt, name + " differs from the committed images/" + name
                    + " (rebuild with `make` in guest-images and review the change)");
        }

        // The benchmark suite's Multiboot images, without and with paging (`make bench` builds
        // them with the .expected files, which need a host that runs 32-bit programs; the
        // images alone do not).
        List<String> bench = new ArrayList<>();
        for (String program : BENCH_PROGRAMS) {
            bench.add("bench/" + program + ".elf");
            bench.add("bench/paged/" + program + ".elf");
        }
        List<String> makeBench = new ArrayList<>(List.of("make", "-s", "--no-print-directory",
                "OUT=" + out, "BUILD=" + tmp.resolve("build")));
        bench.forEach(name -> makeBench.add(out.resolve(name).toString()));
        r = run(module, makeBench, 300);
        assertEquals(0, r.exit(), "make failed:\n" + r.output());
        for (String name : bench) {
            assertArrayEquals(Files.readAllBytes(module.resolve("images").resolve(name)),
                    Files.readAllBytes(out.resolve(name)), name + " differs from the committed images/" + name
                    + " (rebuild with `make -C guest-images bench` and review the change)");
        }
    }

    /** The suite's programs (BENCH_PROGRAMS in the Makefile). */
    private static final String[] BENCH_PROGRAMS = {
        "crc32", "sieve", "qsort", "matmul", "interp", "fib", "memops", "listwalk", "bignum", "nbody", "nbody-ld",
        "whetstone", "nbody-sse2", "whetstone-sse2",
    };
}
