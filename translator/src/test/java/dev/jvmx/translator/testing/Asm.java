package dev.jvmx.translator.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Guest code for tests, assembled by GNU as (Intel syntax) and extracted with objcopy: the
 * bytes come from a real assembler, never from our own encoder.
 */
public final class Asm {
    private Asm() { }

    public static boolean available() {
        return run(List.of("as", "--version")) && run(List.of("objcopy", "--version"));
    }

    /** Assembles 32-bit code (or 16-bit with {@code code16}) starting at {@code origin}. */
    public static byte[] assemble(String source, boolean code16, int origin) {
        try {
            Path dir = Files.createTempDirectory("jvmx-asm");
            Path s = dir.resolve("t.s"), o = dir.resolve("t.o"), b = dir.resolve("t.bin"), l = dir.resolve("t.elf");
            Files.writeString(s, ".intel_syntax noprefix\n" + (code16 ? ".code16\n" : ".code32\n")
                    + ".text\n.globl _start\n_start:\n" + source + "\n");
            check(List.of("as", "--32", "-o", o.toString(), s.toString()), "as");
            check(List.of("ld", "-m", "elf_i386", "-Ttext", String.format("0x%x", origin), "-e", "_start",
                    "--build-id=none", "-o", l.toString(), o.toString()), "ld");
            check(List.of("objcopy", "-O", "binary", "-j", ".text", l.toString(), b.toString()), "objcopy");
            byte[] bytes = Files.readAllBytes(b);
            for (Path p : new Path[] {s, o, b, l}) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
            return bytes;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] assemble32(String source) {
        return assemble(source, false, GuestRunner.CODE_BASE);
    }

    public static byte[] assemble16(String source) {
        return assemble(source, true, GuestRunner.CODE_BASE);
    }

    private static void check(List<String> cmd, String what) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(what + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
