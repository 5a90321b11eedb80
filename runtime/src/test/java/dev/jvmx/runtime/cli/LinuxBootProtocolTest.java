package dev.jvmx.runtime.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * `jvmx boot --kernel bzImage --initrd --append` with guest-images' bzprobe, a minimal bzImage
 * that prints what its loader handed it and powers off through the ACPI tables it finds.
 * Through SeaBIOS the report is QEMU's (images/bzprobe.expected, recorded with `qemu-system-i386
 * -kernel`), byte for byte; without firmware it is what boot.rst's 32-bit protocol and the
 * machine's memory map say, worked out by hand below.
 */
class LinuxBootProtocolTest {
    static final String CMDLINE = "console=ttyS0 bzprobe=1";
    static final Path BIOS = Path.of("/usr/share/seabios/bios.bin");

    @TempDir
    Path tmp;

    private static String hex(long v) {
        return String.format("%08x", v);
    }

    private static long byteSum(byte[] b, int from) {
        long s = 0;
        for (int i = from; i < b.length; i++) {
            s += b[i] & 0xFF;
        }
        return s & 0xFFFFFFFFL;
    }

    /** What bzprobe prints booted without firmware with {@code cmdline}, up to its FADT line. */
    private static String directReport(String cmdline) throws IOException {
        byte[] k = Files.readAllBytes(CliRun.image("bzprobe.bin"));
        byte[] i = Files.readAllBytes(CliRun.image("bzprobe-initrd.bin"));
        // Zero page, command line and GDT from the lowest free page up (the kernel is at 1 MiB);
        // the initrd's last byte at most at the top of 128 MiB of RAM, page-aligned below it.
        long initrdAt = (0x7FFFFFFL - i.length) & ~0xFFFL;
        return String.join("\n",
                "probe: entry cs=00000010 ds=00000018 es=00000018 ss=00000018 ebx=00000000 ebp=00000000 edi=00000000"
                        + " if=00000000 cr0.pg|pe=00000001",
                "probe: zero page 00001000",
                "probe: type_of_loader=000000ff loadflags=00000001 code32_start=00100000",
                "probe: cmdline 00002000 \"" + cmdline + "\"",
                "probe: initrd " + hex(initrdAt) + " size=" + hex(i.length) + " sum=" + hex(byteSum(i, 0)),
                "probe: kernel sum=" + hex(byteSum(k, 1024)),
                "probe: e820 entries 00000004",
                "probe: e820 0000000000000000 000000000009fc00 00000001",
                "probe: e820 000000000009fc00 0000000000000400 00000002",
                "probe: e820 00000000000e0000 0000000000020000 00000002",
                "probe: e820 0000000000100000 0000000007f00000 00000001",
                "probe: fadt sci=00000009 pm1a_cnt=00000604", "");
    }

    private static CliRun direct(String cmdline) {
        return CliRun.of("boot", "--kernel", CliRun.image("bzprobe.bin").toString(),
                "--initrd", CliRun.image("bzprobe-initrd.bin").toString(), "--append", cmdline,
                "--serial", "none", "--debugcon", "stdio", "--timeout", "120");
    }

    @Test
    void directBootEntersThe32BitProtocolWithAZeroPage() throws IOException {
        CliRun r = direct(CMDLINE);
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.err.contains("guest powered off"), r.toString());
        assertEquals(directReport(CMDLINE) + "probe: powering off\n", r.out);
    }

    @Test
    void directBootRebootsIntoTheKernelAgain() throws IOException {
        String cmdline = CMDLINE + " reboot";
        CliRun r = direct(cmdline);
        assertEquals(0, r.exitCode, r.toString());
        assertEquals(directReport(cmdline) + "probe: resetting\n" + directReport(cmdline)
                + "probe: booted again after the reset\nprobe: powering off\n", r.out);
        assertTrue(r.err.contains("booting the kernel again"), r.toString());
    }

    @Test
    void throughSeaBiosARebootIsQemus() throws IOException {
        assumeTrue(Files.isRegularFile(BIOS), "Debian's seabios is not installed (" + BIOS + "); skipped");
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/qemu/linuxboot.bin")),
                "QEMU's linuxboot.bin option ROM is not installed (qemu-system-data); skipped");
        String text = Files.readString(CliRun.image("bzprobe-reboot.expected"));
        CliRun r = CliRun.of("boot", "--bios", BIOS.toString(), "--kernel", CliRun.image("bzprobe.bin").toString(),
                "--initrd", CliRun.image("bzprobe-initrd.bin").toString(), "--append", CMDLINE + " reboot",
                "--serial", "none", "--debugcon", "stdio", "--timeout", "300");
        assertEquals(0, r.exitCode, r.toString());
        assertEquals(text.substring(text.indexOf("\n\n") + 2), r.out);
        assertTrue(r.err.contains("restarting the firmware"), r.toString());
    }

    @Test
    void throughSeaBiosTheBootIsQemus() throws IOException {
        assumeTrue(Files.isRegularFile(BIOS), "Debian's seabios is not installed (" + BIOS + "); skipped");
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/qemu/linuxboot.bin")),
                "QEMU's linuxboot.bin option ROM is not installed (qemu-system-data); skipped");
        String text = Files.readString(CliRun.image("bzprobe.expected"));
        String expected = text.substring(text.indexOf("\n\n") + 2);
        CliRun r = CliRun.of("boot", "--bios", BIOS.toString(), "--kernel", CliRun.image("bzprobe.bin").toString(),
                "--initrd", CliRun.image("bzprobe-initrd.bin").toString(), "--append", CMDLINE,
                "--serial", "none", "--debugcon", "stdio", "--timeout", "300");
        assertEquals(0, r.exitCode, r.toString());          // qemu-exit-status in bzprobe.expected
        assertEquals(expected, r.out);
        assertTrue(r.err.contains("guest powered off"), r.toString());
    }

    // ---- bad images: one line, exit 2

    private CliRun bad(String... extra) {
        String[] args = new String[extra.length + 5];
        args[0] = "boot";
        System.arraycopy(extra, 0, args, 1, extra.length);
        args[extra.length + 1] = "--serial";
        args[extra.length + 2] = "none";
        args[extra.length + 3] = "--timeout";
        args[extra.length + 4] = "30";
        CliRun r = CliRun.of(args);
        assertEquals(2, r.exitCode, r.toString());
        assertEquals(1, r.err.strip().lines().count(), "one line: " + r.err);
        assertTrue(r.err.startsWith("jvmx: "), r.err);
        return r;
    }

    @Test
    void truncatedBzImage() throws IOException {
        byte[] k = Files.readAllBytes(CliRun.image("bzprobe.bin"));
        Path cut = tmp.resolve("cut");
        Files.write(cut, java.util.Arrays.copyOf(k, k.length - 64));
        assertTrue(bad("--kernel", cut.toString()).err.contains("truncated"));
    }

    @Test
    void protocolTooOld() throws IOException {
        byte[] k = Files.readAllBytes(CliRun.image("bzprobe.bin"));
        k[0x206] = 0x01; // version 2.01
        Path old = tmp.resolve("old");
        Files.write(old, k);
        assertTrue(bad("--kernel", old.toString()).err.contains("boot protocol 2.01"));
    }

    @Test
    void initrdLargerThanRam() throws IOException {
        Path big = tmp.resolve("big-initrd");
        Files.write(big, new byte[20 << 20]);
        CliRun r = bad("-m", "16", "--kernel", CliRun.image("bzprobe.bin").toString(), "--initrd", big.toString());
        assertTrue(r.err.contains("initrd") && r.err.contains("does not fit"), r.err);
    }

    @Test
    void initrdNeedsALinuxKernel() {
        assertTrue(bad("--kernel", CliRun.image("hello.elf").toString(), "--initrd",
                CliRun.image("bzprobe-initrd.bin").toString()).err.contains("bzImage"));
        assertTrue(bad("--initrd", CliRun.image("bzprobe-initrd.bin").toString()).err.contains("--initrd needs --kernel"));
    }

    @Test
    void missingInitrd() {
        assertTrue(bad("--kernel", CliRun.image("bzprobe.bin").toString(), "--initrd", tmp.resolve("nope").toString())
                .err.contains("initrd not found"));
    }
}
