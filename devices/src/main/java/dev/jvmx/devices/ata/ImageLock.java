package dev.jvmx.devices.ata;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Image locking on the bytes QEMU's raw file driver uses, so that jvmx refuses an image a
 * QEMU (or another jvmx) is using, and QEMU refuses one jvmx is using. QEMU (7.2, seen in
 * /proc/locks) holds one-byte read locks at 100 + p for each permission p it takes and at
 * 200 + p for each permission it will not share, p being 0 consistent read, 1 write,
 * 3 resize: a writable disk holds 100, 101 and 201; a read-only one (a CD-ROM, snapshot=on)
 * holds 100, 201 and 203.
 *
 * <p>Java has fcntl record locks but no F_GETLK to test one, so jvmx takes the bytes that
 * decide a conflict exclusively: a writer holds 101 and 201 exclusively (no other writer,
 * and no reader that forbids writers), a reader holds 100, 201 and 203 shared, as QEMU does,
 * and first tests 101 (a QEMU writer's byte, shared) with a short-lived exclusive lock.
 * Between two jvmx processes every conflict is decided by one atomic lock; against a QEMU
 * starting at the same instant as a jvmx reader there is a short window.
 */
final class ImageLock {
    static final long PERM_CONSISTENT_READ = 100;
    static final long PERM_WRITE = 101;
    static final long UNSHARED_WRITE = 201;
    static final long UNSHARED_RESIZE = 203;

    private ImageLock() { }

    /** Takes the locks of a writer (writable) or a reader on an open image; they last as long as the channel. */
    static void acquire(Path path, FileChannel ch, boolean writable) {
        try {
            if (writable) {
                take(path, ch, PERM_WRITE, false);
                take(path, ch, UNSHARED_WRITE, false);
                take(path, ch, PERM_CONSISTENT_READ, true);
            } else {
                take(path, ch, UNSHARED_WRITE, true);
                take(path, ch, PERM_CONSISTENT_READ, true);
                take(path, ch, UNSHARED_RESIZE, true);
            }
        } catch (OverlappingFileLockException e) {
            throw sameMachine(path);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot lock image " + path + ": " + e.getMessage());
        }
    }

    private static void take(Path path, FileChannel ch, long at, boolean shared) throws IOException {
        if (ch.tryLock(at, 1, shared) == null) {
            throw inUse(path, !shared);
        }
    }

    /**
     * A reader refuses an image someone writes. Done before this process opens the image for
     * good: closing any descriptor of a file drops every fcntl lock the process holds on it.
     * Skipped where the file cannot be opened for writing (an exclusive lock needs that).
     */
    static void checkNoWriter(Path path) {
        if (!java.nio.file.Files.isWritable(path)) {
            return;
        }
        try (FileChannel probe = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock l = probe.tryLock(PERM_WRITE, 1, false);
            if (l == null) {
                throw inUse(path, false);
            }
            l.release();
        } catch (OverlappingFileLockException e) {
            throw sameMachine(path);
        } catch (IOException e) {
            // cannot probe (e.g. a read-only file system): the shared locks still keep a jvmx writer out
        }
    }

    private static IllegalArgumentException inUse(Path path, boolean forWriting) {
        return new IllegalArgumentException("image " + path + " is in use by another process (jvmx or QEMU hold a lock on it);"
                + (forWriting ? " refusing to open it read-write" : " refusing to open it while it may be written"));
    }

    private static IllegalArgumentException sameMachine(Path path) {
        return new IllegalArgumentException("image " + path + " is already open in this process (given for two drives?)");
    }
}
