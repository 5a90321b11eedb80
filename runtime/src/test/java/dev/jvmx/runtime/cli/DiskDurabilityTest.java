package dev.jvmx.runtime.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Fault injection (issue 18): jvmx killed with SIGKILL in the middle of a write-and-flush
 * loop, a disk on a full file system, and two users of one image. The guest is
 * guest-images' diskwriter.elf, which reports each completed FLUSH CACHE on COM1, so the
 * test knows what must have survived.
 */
class DiskDurabilityTest {
    private static final long DISK_BYTES = 2L << 20;

    @TempDir
    Path tmp;

    private static String writer() {
        return CliRun.image("diskwriter.elf").toString();
    }

    private Path sparseImage(String name, long bytes) throws IOException {
        Path p = tmp.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(bytes);
        }
        return p;
    }

    /** Reads serial lines until {@code done} says so; fails after the time given. */
    private static String waitFor(JvmxProcess p, long seconds, java.util.function.Predicate<String> done) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            String l = p.nextLine(500);
            if (l == null) {
                continue;
            }
            if (JvmxProcess.EOF.equals(l)) {
                throw new AssertionError("jvmx ended early:\n" + p.stdout() + "\n--- stderr\n" + p.stderr());
            }
            if (done.test(l)) {
                return l;
            }
        }
        throw new AssertionError("no progress within " + seconds + " s:\n" + p.stdout() + "\n--- stderr\n" + p.stderr());
    }

    @Test
    void everyFlushedSectorSurvivesKill9() throws Exception {
        Path img = sparseImage("kill.img", DISK_BYTES);
        try (JvmxProcess p = JvmxProcess.start("boot", "--kernel", writer(), "-drive", "file=" + img + ",format=raw")) {
            // Into the second pass, so that flushed sectors of both passes are on the disk.
            waitFor(p, 240, l -> l.startsWith("flushed 2 ") && Long.parseLong(l.substring(10)) > 1000);
            p.kill9();
            assertEquals(137, p.process.exitValue(), "killed by SIGKILL (128 + 9)");
            long[] last = DiskWriterImage.lastFlush(p.stdout());
            assertTrue(last[0] >= 2, p.stdout());
            List<String> problems = DiskWriterImage.check(Files.readAllBytes(img), last[0], last[1]);
            assertEquals(List.of(), problems, "after the last report 'flushed " + last[0] + " " + last[1] + "'");
            System.out.println("kill -9 after 'flushed " + last[0] + " " + last[1] + "': every flushed sector intact");
        }
    }

    @Test
    void aSecondJvmxOnTheImageIsRefused() throws Exception {
        Path img = sparseImage("locked.img", DISK_BYTES);
        try (JvmxProcess first = JvmxProcess.start("boot", "--kernel", writer(), "-drive", "file=" + img + ",format=raw")) {
            waitFor(first, 120, l -> l.startsWith("flushed "));
            String hello = CliRun.image("hello.elf").toString();
            for (String drive : new String[] {"file=" + img + ",format=raw", "file=" + img + ",readonly=on", "file=" + img + ",snapshot=on"}) {
                CliRun r = CliRun.of("boot", "--kernel", hello, "--serial", "none", "-drive", drive);
                assertEquals(2, r.exitCode, drive + "\n" + r);
                assertEquals(1, r.err.strip().lines().count(), r.toString());
                assertTrue(r.err.contains("is in use by another process"), r.toString());
            }
            CliRun r = CliRun.of("boot", "-hda", img.toString());
            assertEquals(2, r.exitCode, r.toString());
            assertTrue(r.err.startsWith("jvmx: -hda: image " + img + " is in use"), r.toString());
            assertTrue(first.process.isAlive(), "the first user runs on");
        }
        // Once the first one is gone (even by SIGKILL) the kernel has dropped its locks.
        CliRun r = CliRun.of("boot", "--kernel", writer(), "--append", "once", "--serial", "none",
                "-drive", "file=" + img + ",format=raw", "--timeout", "120");
        assertEquals(33, r.exitCode, r.toString());
    }

    @Test
    void readersShareAnImageThatNoOneWrites() throws Exception {
        Path img = sparseImage("shared.img", 64 * 1024);
        Path other = sparseImage("other.img", DISK_BYTES);
        // A long-running jvmx that writes another disk and holds this one read-only (index 1).
        try (JvmxProcess reader = JvmxProcess.start("boot", "--kernel", writer(), "-drive", "file=" + other + ",format=raw",
                "-drive", "file=" + img + ",format=raw,readonly=on,index=1")) {
            waitFor(reader, 120, l -> l.startsWith("flushed "));
            String hello = CliRun.image("hello.elf").toString();
            CliRun ro = CliRun.of("boot", "--kernel", hello, "--serial", "none", "-drive", "file=" + img + ",readonly=on");
            assertEquals(33, ro.exitCode, ro.toString());
            CliRun cd = CliRun.of("boot", "--kernel", hello, "--serial", "none", "-drive", "file=" + img + ",media=cdrom");
            assertEquals(33, cd.exitCode, cd.toString());
            CliRun rw = CliRun.of("boot", "--kernel", hello, "--serial", "none", "-hda", img.toString());
            assertEquals(2, rw.exitCode, rw.toString());
            assertTrue(rw.err.contains("refusing to open it read-write"), rw.toString());
        }
    }

    @Test
    void jvmxAndQemuRefuseEachOther() throws Exception {
        assumeTrue(QemuRun.available(), "qemu-system-i386 not installed; skipped");
        Path img = sparseImage("qemu.img", DISK_BYTES);
        String hello = CliRun.image("hello.elf").toString();
        // QEMU holds the image (paused with -S): jvmx refuses it.
        Process qemu = new ProcessBuilder("qemu-system-i386", "-S", "-display", "none", "-monitor", "none", "-serial", "none",
                "-nic", "none", "-drive", "file=" + img + ",format=raw").redirectErrorStream(true).start();
        try {
            awaitLocks(img, qemu);
            CliRun r = CliRun.of("boot", "--kernel", hello, "--serial", "none", "-hda", img.toString());
            assertEquals(2, r.exitCode, r.toString());
            assertTrue(r.err.contains("is in use by another process"), r.toString());
            CliRun ro = CliRun.of("boot", "--kernel", hello, "--serial", "none", "-drive", "file=" + img + ",readonly=on");
            assertEquals(2, ro.exitCode, "a reader refuses an image QEMU writes\n" + ro);
            assertTrue(qemu.isAlive(), "QEMU runs on");
        } finally {
            qemu.destroyForcibly();
            qemu.waitFor();
        }
        // jvmx holds it: QEMU refuses, with its own words about a lock.
        try (JvmxProcess p = JvmxProcess.start("boot", "--kernel", writer(), "-drive", "file=" + img + ",format=raw")) {
            waitFor(p, 120, l -> l.startsWith("flushed "));
            for (String drive : new String[] {"file=" + img + ",format=raw", "file=" + img + ",format=raw,snapshot=on"}) {
                Process q = new ProcessBuilder("qemu-system-i386", "-S", "-display", "none", "-monitor", "none", "-serial", "none",
                        "-nic", "none", "-drive", drive).redirectErrorStream(true).start();
                boolean ended = q.waitFor(30, TimeUnit.SECONDS);
                String out = new String(q.getInputStream().readAllBytes());
                if (!ended) {
                    q.destroyForcibly();
                }
                assertTrue(ended, "QEMU started on an image jvmx writes (" + drive + ")");
                assertNotEquals(0, q.exitValue());
                assertTrue(out.contains("lock"), out);
            }
        }
    }

    /** A /proc/locks line ("1: OFDLCK ADVISORY READ pid maj:min:ino start end") covering the byte at on the inode. */
    private static boolean locksByte(String line, long ino, long at) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 8 || !f[5].endsWith(":" + ino)) {
            return false;
        }
        long start = Long.parseLong(f[6]);
        return start <= at && (f[7].equals("EOF") || at <= Long.parseLong(f[7]));
    }

    /** Waits until /proc/locks shows QEMU's write lock on the image (QEMU takes them once it has started). */
    private static void awaitLocks(Path img, Process holder) throws Exception {
        long ino = (Long) Files.getAttribute(img, "unix:ino");
        Path procLocks = Path.of("/proc/locks");
        for (int i = 0; i < 300; i++) {
            if (!holder.isAlive()) {
                throw new AssertionError("QEMU ended: " + new String(holder.getInputStream().readAllBytes()));
            }
            if (!Files.isReadable(procLocks)) {
                Thread.sleep(3000);
                return;
            }
            // QEMU takes its permission bytes in steps (read first, write when the drive is
            // attached): wait for the write byte jvmx tests, not merely any lock.
            for (String line : Files.readAllLines(procLocks)) {
                if (locksByte(line, ino, 101)) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("QEMU took no write lock (byte 101) on " + img + " within 30 s");
    }

    // ---------------------------------------------------------------- a full file system

    /** How this machine can give the test a small tmpfs: inside a user and mount namespace, or as root. */
    private static String tmpfsMethod(Path probeDir) throws Exception {
        if (run(List.of("unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k jvmx-probe '" + probeDir + "'")) == 0) {
            return "unshare";
        }
        if ("0".equals(idU()) && run(List.of("sh", "-c", "mount -t tmpfs -o size=64k jvmx-probe '" + probeDir
                + "' && umount '" + probeDir + "'")) == 0) {
            return "root";
        }
        return null;
    }

    private static String idU() throws Exception {
        Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
        String s = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor();
        return s;
    }

    private static int run(List<String> cmd) throws Exception {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1; // no such command
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    @Test
    void aFullFileSystemIsAnAtaErrorAndLosesNothingFlushed() throws Exception {
        Path mnt = Files.createDirectory(tmp.resolve("full"));
        String method = tmpfsMethod(mnt);
        if (method == null) {
            String why = "SKIPPED: the disk-full test needs a small tmpfs, and this machine allows neither a mount in a user"
                    + " namespace (unshare -rm) nor one as root (a loop device needs the same privilege)";
            System.err.println("DiskDurabilityTest: " + why);
            assumeTrue(false, why);
        }
        Path out = tmp.resolve("disk.img");
        Path disk = mnt.resolve("disk.img");
        List<String> java = JvmxProcess.command("boot", "--kernel", writer(), "--append", "once",
                "-drive", "file=" + disk + ",format=raw", "--timeout", "120");
        StringBuilder javaLine = new StringBuilder();
        for (String a : java) {
            javaLine.append(quote(a)).append(' ');
        }
        // 64 KiB of tmpfs under a 1 MiB sparse image: the guest's writes run out of space after
        // about 120 sectors. The image is copied out before the file system goes away.
        String script = "mount -t tmpfs -o size=64k jvmx-full " + quote(mnt.toString()) + " || exit 97\n"
                + "truncate -s 1M " + quote(disk.toString()) + " || exit 98\n"
                + javaLine + "\n"
                + "rc=$?\n"
                + "cp " + quote(disk.toString()) + " " + quote(out.toString()) + "\n"
                + (method.equals("root") ? "umount " + quote(mnt.toString()) + "\n" : "")
                + "exit $rc\n";
        List<String> cmd = new ArrayList<>(method.equals("unshare") ? List.of("unshare", "-rm", "sh", "-c", script)
                : List.of("sh", "-c", script));
        JvmxProcess p = new JvmxProcess(new ProcessBuilder(cmd));
        int exit = p.waitFor(180);
        String serial = p.stdout();
        String report = "exit " + exit + "\n--- serial\n" + serial + "\n--- stderr\n" + p.stderr();
        assertEquals(37, exit, "the guest saw an ATA error and wrote 0x12 to isa-debug-exit\n" + report);
        // ABRT (04h) with DRDY DSC ERR (51h): the device could not complete the write.
        assertTrue(serial.matches("(?s).*\nerror write status=51 error=04 lba=(\\d+) pass=1 at=\\1\n.*"), report);
        assertTrue(p.stderr().contains("write error reported to the guest: No space left on device"), report);
        assertTrue(p.stderr().matches("(?s).*0 read, [1-9]\\d* write and 0 flush errors were reported to the guest.*"), report);
        long[] last = DiskWriterImage.lastFlush(serial);
        assertTrue(last[0] == 1 && last[1] >= 8, "some batches were flushed before the disk filled\n" + report);
        byte[] image = Files.readAllBytes(out);
        assertEquals(List.of(), DiskWriterImage.check(image, 1, last[1]), report);
        assertFalse(p.stderr().contains("Exception"), report);
        System.out.println("disk full (tmpfs by " + method + "): ATA error after 'flushed 1 " + last[1] + "', nothing flushed lost");
    }
}
