package dev.jvmx.runtime.cli;

import dev.jvmx.runtime.Machine;
import dev.jvmx.runtime.inspect.CacheSnapshot;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the translation cache of a finished run for `jvmx inspect FILE`. */
final class CacheDump {
    private CacheDump() { }

    static void write(Machine m, Path file) throws IOException {
        CacheSnapshot s = CacheSnapshot.of(m.cache, m.memory, m.cpu.mmu, m.cpu.instructions, m.loop.interpretedInstructions());
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file))) {
            s.write(os);
        }
        System.err.println("jvmx: translation cache (" + s.blocks.size() + " blocks) written to " + file);
    }
}
