package dev.jvmx.runtime.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The storage options of `jvmx boot` (IMAGE, -hda..-hdd, -cdrom, -drive, -boot): a disk
 * boots in one command through SeaBIOS, and every bad storage input of issues 17 and 18
 * is one line on stderr and exit code 2, never a stack trace.
 */
class StorageOptionsTest {
    @TempDir
    Path tmp;

    private static void assertOneLineError(CliRun r, String fragment) {
        assertEquals(2, r.exitCode, r.toString());
        assertEquals(1, r.err.strip().lines().count(), r.toString());
        assertTrue(r.err.startsWith("jvmx: "), r.toString());
        assertTrue(r.err.contains(fragment), r.toString());
        assertFalse(r.err.contains("Exception") || r.err.contains("\tat "), r.toString());
    }

    private Path image(String name, int bytes) throws IOException {
        return Files.write(tmp.resolve(name), new byte[bytes]);
    }

    private Path bootDisk() throws IOException {
        Path d = tmp.resolve("bootdisk.img");
        Files.copy(CliRun.image("bootdisk.img"), d);
        return d;
    }

    private static String expectedSerial() throws IOException {
        String text = Files.readString(CliRun.image("bootdisk.expected"));
        return text.substring(text.indexOf("\n\n") + 2);
    }

    @Test
    void aDiskImageBootsInOneCommandThroughSeaBios() throws IOException {
        assumeTrue(DriveOptions.seaBios() != null, "Debian's seabios is not installed; skipped");
        Path disk = bootDisk();
        for (List<String> args : List.of(List.of(disk.toString()), List.of("-hda", disk.toString()),
                List.of("-drive", "file=" + disk + ",format=raw"), List.of("--drive", "file=" + disk))) {
            List<String> cmd = new java.util.ArrayList<>(List.of("boot", "--timeout", "300"));
            cmd.addAll(args);
            CliRun r = CliRun.of(cmd.toArray(new String[0]));
            assertEquals(33, r.exitCode, args + "\n" + r);       // bootdisk.expected: qemu-exit-status 33
            assertTrue(r.out.startsWith(expectedSerial()), args + ": serial output differs from QEMU's\n" + r);
        }
    }

    @Test
    void missingImages() {
        String nope = tmp.resolve("nope.img").toString();
        assertOneLineError(CliRun.of("boot", nope), "jvmx: disk image not found: " + nope);
        assertOneLineError(CliRun.of("boot", "-hda", nope), "-hda: disk image not found");
        assertOneLineError(CliRun.of("boot", "-hdd", nope), "-hdd: disk image not found");
        assertOneLineError(CliRun.of("boot", "-cdrom", nope), "-cdrom: CD-ROM image not found");
        assertOneLineError(CliRun.of("boot", "-drive", "file=" + nope + ",format=raw"), "-drive: disk image not found");
        assertOneLineError(CliRun.of("boot", "-drive", "file=" + nope + ",media=cdrom"), "-drive: CD-ROM image not found");
    }

    @Test
    void aDirectoryIsNotAnImage() {
        assertOneLineError(CliRun.of("boot", "-hda", tmp.toString()), "disk image is not a regular file: " + tmp);
        assertOneLineError(CliRun.of("boot", "-cdrom", tmp.toString()), "CD-ROM image is not a regular file: " + tmp);
        assertOneLineError(CliRun.of("boot", tmp.toString()), "not a regular file");
    }

    @Test
    void unknownFormats() throws IOException {
        Path img = image("disk.img", 4096);
        assertOneLineError(CliRun.of("boot", "-drive", "file=" + img + ",format=qcow2"), "only format=raw is supported, got 'qcow2'");
        assertOneLineError(CliRun.of("boot", "-drive", "file=" + img + ",format=vdi"), "qemu-img convert");
        // A qcow2 header ("QFI" FBh, version 3) given without a format: QEMU would probe it; jvmx says what it is.
        byte[] qcow = new byte[4096];
        qcow[0] = 'Q';
        qcow[1] = 'F';
        qcow[2] = 'I';
        qcow[3] = (byte) 0xFB;
        qcow[7] = 3;
        Path q = Files.write(tmp.resolve("q.qcow2"), qcow);
        assertOneLineError(CliRun.of("boot", "-hda", q.toString()), "is a qcow2 image; jvmx reads raw images only");
    }

    @Test
    void aCdromImageMustBeWholeCdSectors() throws IOException {
        Path iso = image("odd.iso", 2048 * 10 + 512);
        assertOneLineError(CliRun.of("boot", "-cdrom", iso.toString()), "20992 bytes, not a multiple of the 2048-byte CD sector size");
        Path odd = image("odd.img", 1000);
        assertOneLineError(CliRun.of("boot", "-hda", odd.toString()), "not a multiple of the 512-byte sector size");
    }

    @Test
    void moreThanFourDrivesAndIndexClashes() throws IOException {
        String a = image("a.img", 512).toString();
        String b = image("b.img", 512).toString();
        String c = image("c.img", 512).toString();
        String d = image("d.img", 512).toString();
        String e = image("e.img", 512).toString();
        assertOneLineError(CliRun.of("boot", "-hda", a, "-hdb", b, "-hdc", c, "-hdd", d, "-drive", "file=" + e),
                "more than four IDE drives (5 given)");
        assertOneLineError(CliRun.of("boot", "-drive", "file=" + a, "-drive", "file=" + b, "-drive", "file=" + c,
                "-drive", "file=" + d, "-drive", "file=" + e), "more than four IDE drives");
        assertOneLineError(CliRun.of("boot", "-hdc", a, "-cdrom", b), "-hdc and -cdrom both use IDE index 2 (secondary master)");
        assertOneLineError(CliRun.of("boot", "-drive", "file=" + a + ",index=1", "-hdb", b), "both use IDE index 1 (primary slave)");
        assertOneLineError(CliRun.of("boot", "-drive", "file=" + a + ",index=4"), "index must be 0..3");
        assertOneLineError(CliRun.of("boot", "-drive", "file=" + a + ",bus=2"), "bus must be 0..1");
        assertOneLineError(CliRun.of("boot", "-hda", a, "-hdb", a), "is given for two drives (primary master and primary slave)");
    }

    @Test
    void badDriveAndBootWords() throws IOException {
        String a = image("a.img", 512).toString();
        assertOneLineError(CliRun.of("boot", "-drive", "file=" + a + ",if=scsi"), "only if=ide is supported");
        assertOneLineError(CliRun.of("boot", "-drive", "file=" + a + ",media=floppy"), "media must be disk or cdrom");
        assertOneLineError(CliRun.of("boot", "-drive", "file=" + a + ",snapshot=yes"), "snapshot must be on or off");
        assertOneLineError(CliRun.of("boot", "-drive", "media=disk"), "file=PATH is required");
        assertOneLineError(CliRun.of("boot", "-hda", a, "-boot", "z"), "-boot: invalid boot device 'z'");
        assertOneLineError(CliRun.of("boot", "-hda", a, "-boot", "cdc"), "boot device 'c' given twice");
        assertOneLineError(CliRun.of("boot", "-hda", a, "-boot", "order=dc,splash=x.bmp"), "-boot: unknown key 'splash'");
    }

    @Test
    void noSeaBiosIsAClearMessage() throws IOException {
        String a = image("a.img", 512).toString();
        List<Path> saved = DriveOptions.seabiosCandidates;
        DriveOptions.seabiosCandidates = List.of(tmp.resolve("no-seabios/bios.bin"));
        try {
            assertOneLineError(CliRun.of("boot", "-hda", a), "apt-get install seabios");
            assertOneLineError(CliRun.of("boot", "-cdrom", image("x.iso", 2048).toString()), "or give one with --bios FILE");
        } finally {
            DriveOptions.seabiosCandidates = saved;
        }
    }
}
