package dev.jvmx.runtime.boot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reading an image the user named: its size is looked at before a byte is read, and the read
 * takes at most that many bytes, so a huge or growing file costs one stat, not the heap.
 */
public final class ImageFiles {
    private ImageFiles() { }

    /** The size of a regular file, checked against {@code maxBytes}; {@code what} names it in messages. */
    public static long checkSize(Path file, String what, long maxBytes) throws ImageException {
        if (Files.isDirectory(file)) {
            throw new ImageException(what + " " + file + " is a directory, not a file");
        }
        if (!Files.isRegularFile(file)) {
            throw new ImageException(what + " not found: " + file);
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new ImageException("cannot read " + what + " " + file + ": " + reason(e));
        }
        if (size > maxBytes) {
            throw new ImageException(String.format("%s %s is %s; it can be at most %s", what, file, bytes(size), bytes(maxBytes)));
        }
        return size;
    }

    /** The whole file, at most {@code maxBytes} of it (checked first). */
    public static byte[] read(Path file, String what, long maxBytes) throws ImageException {
        long size = checkSize(file, what, maxBytes);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes((int) size);
            if (b.length != size || in.read() >= 0) {
                throw new ImageException(what + " " + file + " changed its size while it was read");
            }
            return b;
        } catch (IOException e) {
            throw new ImageException("cannot read " + what + " " + file + ": " + reason(e));
        }
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A size in the largest binary unit below it, e.g. "3 GiB", "1.5 MiB", "1000 bytes". */
    public static String bytes(long n) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        double v = n;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        if (u == 0) {
            return n + " bytes";
        }
        return (v == Math.rint(v) ? String.valueOf((long) v) : String.format(java.util.Locale.ROOT, "%.1f", v)) + " " + units[u];
    }
}
