package dev.jvmx.translator.fpu;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * A host-CPU oracle: {@code src/test/native/NAME.c} built with the host's gcc ({@code -O1}) as a
 * 64-bit program into {@code target/NAME}, fed records on its standard input and answering with
 * one result of the same size per record (each C file gives its record layout).
 */
final class HostProgram {
    private final String name;
    private Path binary;
    private String unavailable;

    HostProgram(String name) {
        this.name = name;
    }

    /** Null when the oracle can run, else why not (not an x86-64 host, no gcc ...). */
    synchronized String unavailableReason() {
        if (binary == null && unavailable == null) {
            build();
        }
        return unavailable;
    }

    private void build() {
        String arch = System.getProperty("os.arch");
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            unavailable = "host is " + arch + ", not x86-64";
            return;
        }
        Path src = Paths.get("src/test/native/" + name + ".c").toAbsolutePath();
        if (!Files.exists(src)) {
            unavailable = "missing " + src;
            return;
        }
        Path out = Paths.get("target/" + name).toAbsolutePath();
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

    /** Runs the records (concatenated) and returns the results, as many bytes as the records. */
    byte[] run(byte[] records) throws IOException, InterruptedException {
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
            throw new IOException(name + " exited with " + p.exitValue());
        }
        return result;
    }

    /** The host CPU's vendor string from /proc/cpuinfo ("GenuineIntel", "AuthenticAMD"), or "unknown". */
    static String vendor() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
                if (line.startsWith("vendor_id")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }
}
