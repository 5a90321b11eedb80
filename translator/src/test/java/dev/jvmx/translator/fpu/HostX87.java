package dev.jvmx.translator.fpu;

import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The host-CPU oracle: src/test/native/x87oracle.c built with the host's gcc as a 64-bit program,
 * fed records of one x87 instruction each (see the C file for the record layout).
 */
final class HostX87 {
    static final int REC = 656;
    static final int STATE = 32, MEM = 144;

    private static Path binary;
    private static String unavailable;

    private HostX87() { }

    /** Null when the oracle can run, else why not. */
    static synchronized String unavailableReason() {
        if (binary == null && unavailable == null) {
            build();
        }
        return unavailable;
    }

    private static void build() {
        String arch = System.getProperty("os.arch");
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            unavailable = "host is " + arch + ", not x86-64";
            return;
        }
        Path src = Paths.get("src/test/native/x87oracle.c").toAbsolutePath();
        if (!Files.exists(src)) {
            unavailable = "missing " + src;
            return;
        }
        Path out = Paths.get("target/x87oracle").toAbsolutePath();
        try {
            Files.createDirectories(out.getParent());
            Process p = new ProcessBuilder("gcc", "-O1", "-o", out.toString(), src.toString())
                    .redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                unavailable = "gcc failed: " + text.trim();
                return;
            }
            binary = out;
        } catch (IOException e) {
            unavailable = "gcc not runnable: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailable = "interrupted";
        }
    }

    static String vendor() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
                if (line.startsWith("vendor_id")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }

    /** Runs the records (each REC bytes, concatenated) and returns the results. */
    static byte[] run(byte[] records) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(binary.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] result = new byte[records.length];
        Thread writer = new Thread(() -> {
            try (OutputStream o = p.getOutputStream()) {
                o.write(records);
            } catch (IOException ignored) {
                // the reader reports the short result
            }
        });
        writer.start();
        try (InputStream in = p.getInputStream()) {
            new DataInputStream(in).readFully(result);
        }
        writer.join();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("x87oracle exited with " + p.exitValue());
        }
        return result;
    }
}
