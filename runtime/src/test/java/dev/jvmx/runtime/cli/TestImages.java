package dev.jvmx.runtime.cli;

import dev.jvmx.runtime.fuzz.MultibootImage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small guests for tests, written out as files: real-mode ROMs and Multiboot kernels from machine code. */
final class TestImages {
    private TestImages() { }

    static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    static byte[] le32(int v) {
        return bytes(v, v >> 8, v >> 16, v >>> 24);
    }

    /** A 64 KiB ROM: {@code code} at F000:0000 and JMP FAR F000:0000 at the reset vector. */
    static Path rom(Path dir, String name, byte[] code) throws IOException {
        byte[] rom = new byte[65536];
        System.arraycopy(code, 0, rom, 0, code.length);
        byte[] jmp = bytes(0xEA, 0x00, 0x00, 0x00, 0xF0);
        System.arraycopy(jmp, 0, rom, 0xFFF0, jmp.length);
        Path p = dir.resolve(name);
        Files.write(p, rom);
        return p;
    }

    /** A Multiboot kernel whose body (at {@link MultibootImage#BODY}, the entry) is {@code body}. */
    static Path kernel(Path dir, String name, byte[] body) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, MultibootImage.of(body));
        return p;
    }
}
