package dev.jvmx.runtime.gdb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The gdb tests' guest (resources/gdb/gdbguest.s) assembled and linked by GNU binutils into a
 * Multiboot ELF with symbols, and the addresses of its labels as nm reports them.
 */
final class GdbGuest {
    final Path elf;
    private final Map<String, Integer> symbols = new HashMap<>();

    private GdbGuest(Path elf) {
        this.elf = elf;
    }

    static boolean toolsAvailable() {
        return run(List.of("as", "--version")) && run(List.of("ld", "--version")) && run(List.of("nm", "--version"));
    }

    /** Assembles and links the guest in dir (the test's own temporary directory, removed after it). */
    static GdbGuest build(Path dir) throws IOException {
        Path s = dir.resolve("gdbguest.s"), o = dir.resolve("gdbguest.o"), elf = dir.resolve("gdbguest.elf");
        try (InputStream in = GdbGuest.class.getResourceAsStream("/gdb/gdbguest.s")) {
            Files.write(s, in.readAllBytes());
        }
        check(List.of("as", "--32", "-o", o.toString(), s.toString()));
        check(List.of("ld", "-m", "elf_i386", "-N", "-Ttext", "0x100000", "-e", "_start", "--build-id=none",
                "-o", elf.toString(), o.toString()));
        GdbGuest g = new GdbGuest(elf);
        for (String line : output(List.of("nm", elf.toString())).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3) {
                g.symbols.put(f[2], (int) Long.parseLong(f[0], 16));
            }
        }
        return g;
    }

    int at(String symbol) {
        Integer a = symbols.get(symbol);
        if (a == null) {
            throw new IllegalArgumentException("no symbol " + symbol);
        }
        return a;
    }

    private static void check(List<String> cmd) throws IOException {
        output(cmd);
    }

    private static String output(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return out;
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
