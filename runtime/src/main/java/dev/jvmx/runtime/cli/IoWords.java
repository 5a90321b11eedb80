package dev.jvmx.runtime.cli;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** What went wrong with a file or a socket, said in words (never a bare path or Java's message). */
final class IoWords {
    private IoWords() { }

    /** The reason part of a message: "permission denied", "the directory /x does not exist", ... */
    static String why(IOException e, Path file) {
        if (e instanceof NoSuchFileException) {
            Path parent = file == null ? null : file.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                return "the directory " + parent + " does not exist";
            }
            return "there is no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "a part of the path is not a directory";
        }
        if (e instanceof BindException) {
            return "the address is in use or cannot be used (" + lower(e.getMessage()) + ")";
        }
        if (e instanceof ConnectException) {
            return "nothing accepts connections there (" + lower(e.getMessage()) + ")";
        }
        if (e instanceof UnknownHostException) {
            return "unknown host";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return lower(fse.getReason());
        }
        String m = e.getMessage();
        if (m == null || m.isBlank() || (file != null && m.contains(file.toString()))) {
            return "an I/O error (" + e.getClass().getSimpleName() + ")";
        }
        return lower(m);
    }

    private static String lower(String s) {
        if (s == null || s.isEmpty()) {
            return "no reason given";
        }
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    /**
     * Checks before the run that {@code file} can be written at its end: not a directory, its
     * directory exists, and it can be created or opened for writing (an existing file is left as it is).
     * Returns null when it can, else the problem in words.
     */
    static String unwritable(Path file) {
        if (Files.isDirectory(file)) {
            return "it is a directory";
        }
        boolean existed = Files.exists(file);
        try (var out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            return null;
        } catch (IOException e) {
            return why(e, file);
        } finally {
            if (!existed) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // only a probe
                }
            }
        }
    }
}
