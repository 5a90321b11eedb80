package dev.jvmx.runtime.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * El Torito CD boot through SeaBIOS and the ATAPI CD-ROM, against QEMU on the same ISO. The
 * ISO is made here with Debian's xorriso: guest-images' cdboot.bin as a no-emulation boot
 * image and a HELLO.TXT whose byte sum the test computes itself. Also the boot order
 * between a disk and a CD, snapshot=on and a read-only disk.
 */
class CdromBootTest {
    private static final String HELLO_FIRST_LINE = "hello from the jvmx test ISO";

    @TempDir
    Path tmp;

    private static boolean have(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static void assumeSeaBios() {
        assumeTrue(DriveOptions.seaBios() != null, "Debian's seabios is not installed; skipped");
    }

    /** The test ISO; the HELLO.TXT contents are returned through {@code hello}. */
    private Path makeIso(byte[][] hello) throws Exception {
        assumeTrue(have("xorriso", "-version"), "xorriso is not installed (Debian package xorriso); skipped");
        Path root = Files.createDirectories(tmp.resolve("iso-root"));
        Files.copy(CliRun.image("cdboot.bin"), root.resolve("cdboot.bin"));
        StringBuilder text = new StringBuilder(HELLO_FIRST_LINE + "\n");
        for (int i = 1; i <= 3000; i++) {
            text.append("line ").append(i).append('\n');   // about 26 KiB: one 13-sector READ
        }
        hello[0] = text.toString().getBytes(StandardCharsets.US_ASCII);
        Files.write(root.resolve("hello.txt"), hello[0]);
        Path iso = tmp.resolve("test.iso");
        Process p = new ProcessBuilder("xorriso", "-as", "mkisofs", "-quiet", "-o", iso.toString(), "-V", "JVMXTEST",
                "-b", "cdboot.bin", "-no-emul-boot", "-boot-load-size", "4", root.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "xorriso failed: " + out);
        return iso;
    }

    /** The serial output from the boot image's first line on (the firmware's own lines differ by design). */
    private static String fromCdboot(String serial) {
        int i = serial.indexOf("cdboot: ");
        return i < 0 ? serial : serial.substring(i);
    }

    @Test
    void anIsoBootsAsUnderQemu() throws Exception {
        assumeSeaBios();
        byte[][] hello = new byte[1][];
        Path iso = makeIso(hello);
        long sum = 0;
        for (byte b : hello[0]) {
            sum += b & 0xFF;
        }
        CliRun j = CliRun.of("boot", "-cdrom", iso.toString(), "--timeout", "300");
        assertEquals(33, j.exitCode, j.toString());
        String ours = fromCdboot(j.out);
        assertTrue(ours.contains("cdboot: bytes per sector 0800\r\n"), j.toString());
        assertTrue(ours.contains("cdboot: volume |JVMXTEST                        |\r\n"), j.toString());
        assertTrue(ours.contains("cdboot: HELLO.TXT: " + HELLO_FIRST_LINE + "\r\n"), j.toString());
        assertTrue(ours.contains(String.format("cdboot: byte sum %08x\r\n", sum)), j.toString());
        assertTrue(ours.endsWith("cdboot: done, exiting through isa-debug-exit\r\n"), j.toString());
        if (QemuRun.available()) {
            QemuRun q = QemuRun.of(120, "-serial", "stdio", "-cdrom", iso.toString());
            assertEquals(33, q.exitCode, q.out);
            assertEquals(fromCdboot(q.out), ours, "serial output differs from QEMU's");
        }
        // The same drive as the secondary slave, through -drive.
        CliRun slave = CliRun.of("boot", "-drive", "file=" + iso + ",media=cdrom,index=3", "--timeout", "300");
        assertEquals(33, slave.exitCode, slave.toString());
        assertEquals(ours, fromCdboot(slave.out));
    }

    @Test
    void bootOrderBetweenDiskAndCdromIsQemus() throws Exception {
        assumeSeaBios();
        Path iso = makeIso(new byte[1][]);
        Path disk = tmp.resolve("bootdisk.img");
        Files.copy(CliRun.image("bootdisk.img"), disk);
        // QEMU's default order is cad: the disk first; -boot d puts the CD first.
        CliRun first = CliRun.of("boot", "-hda", disk.toString(), "-cdrom", iso.toString(), "--timeout", "300");
        assertEquals(33, first.exitCode, first.toString());
        assertTrue(first.out.startsWith("bootdisk: stage 1"), first.toString());
        CliRun cd = CliRun.of("boot", "-hda", disk.toString(), "-cdrom", iso.toString(), "-boot", "d", "--timeout", "300");
        assertEquals(33, cd.exitCode, cd.toString());
        assertTrue(cd.out.startsWith("cdboot: "), cd.toString());
        if (QemuRun.available()) {
            QemuRun q = QemuRun.of(120, "-serial", "stdio", "-drive", "file=" + disk + ",format=raw", "-cdrom", iso.toString());
            assertTrue(q.out.startsWith("bootdisk: stage 1"), q.out);
            QemuRun qd = QemuRun.of(120, "-serial", "stdio", "-drive", "file=" + disk + ",format=raw", "-cdrom", iso.toString(),
                    "-boot", "d");
            assertTrue(qd.out.startsWith("cdboot: "), qd.out);
        }
        // An empty CD-ROM drive beside the disk changes nothing.
        CliRun empty = CliRun.of("boot", "-hda", disk.toString(), "-drive", "media=cdrom,index=2", "-boot", "dc", "--timeout", "300");
        assertEquals(33, empty.exitCode, empty.toString());
        assertTrue(empty.out.startsWith("bootdisk: stage 1"), empty.toString());
    }

    @Test
    void snapshotKeepsWritesInMemory() throws IOException {
        Path img = tmp.resolve("snap.img");
        byte[] before = new byte[256 * 1024];
        Files.write(img, before);
        CliRun r = CliRun.of("boot", "--kernel", CliRun.image("diskwriter.elf").toString(), "--append", "once",
                "-drive", "file=" + img + ",format=raw,snapshot=on", "--timeout", "120");
        assertEquals(33, r.exitCode, r.toString());
        assertTrue(r.out.contains("flushed 1 511\ndone\n"), r.toString());   // 512 sectors, all written and flushed
        assertArrayEquals(before, Files.readAllBytes(img));
    }

    @Test
    void aReadOnlyDiskAbortsWrites() throws IOException {
        Path img = tmp.resolve("ro.img");
        Files.write(img, new byte[64 * 1024]);
        CliRun r = CliRun.of("boot", "--kernel", CliRun.image("diskwriter.elf").toString(),
                "-drive", "file=" + img + ",format=raw,readonly=on", "--timeout", "120");
        assertEquals(37, r.exitCode, r.toString());
        // ABRT (04h) at once, before any data: DRDY DSC ERR (51h), the task file untouched (LBA 1).
        assertTrue(r.out.contains("error write status=51 error=04 lba=1 pass=1 at=1\n"), r.toString());
        assertArrayEquals(new byte[64 * 1024], Files.readAllBytes(img));
    }
}
