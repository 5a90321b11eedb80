package dev.jvmx.runtime.cli;

import dev.jvmx.runtime.inspect.InspectReport;
import dev.jvmx.runtime.fuzz.MultibootImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every bad input named in issues 17 and 18 (front door and resources): one line on standard
 * error that names the problem, exit code 2, no stack trace, and nothing run.
 */
class BadInputTest {
    @TempDir
    Path tmp;

    /** One line, the exit code, the words, no Java in sight. */
    static void assertOneLine(CliRun r, int code, String fragment) {
        assertEquals(code, r.exitCode, r.toString());
        List<String> lines = r.err.strip().lines().toList();
        assertEquals(1, lines.size(), r.toString());
        assertTrue(lines.get(0).startsWith("jvmx: "), r.toString());
        assertTrue(lines.get(0).contains(fragment), "no '" + fragment + "' in\n" + r);
        assertFalse(r.err.contains("Exception") || r.err.contains("\tat ") || r.err.contains("Usage:"), r.toString());
        assertEquals("", r.out, r.toString());
    }

    static void refused(String fragment, String... args) {
        assertOneLine(CliRun.of(args), 2, fragment);
    }

    @Test
    void unknownAndQemuOptionsAreOneLineNeverHelp() {
        refused("unknown option '--frobnicate'", "boot", "--frobnicate");
        refused("-usb is a QEMU option that jvmx does not support", "boot", "-usb");
        refused("--usb is a QEMU option that jvmx does not support", "boot", "--usb");
        refused("-vga is a QEMU option that jvmx does not support", "boot", "-vga", "std");
        refused("-monitor is a QEMU option that jvmx does not support: jvmx has no QEMU monitor", "boot", "-monitor", "stdio");
        refused("-enable-kvm is a QEMU option", "boot", "-enable-kvm");
        refused("unexpected argument 'x'", "cpu-test", "--fuzz", "1", "x");
        refused("missing command", new String[0]);
    }

    @Test
    void versionEverywhere() {
        for (String[] args : List.of(new String[] {"--version"}, new String[] {"boot", "--version"},
                new String[] {"cpu-test", "-V"}, new String[] {"inspect", "--version"}, new String[] {"fuzz", "--version"},
                new String[] {"fuzz", "guests", "--version"}, new String[] {"train", "--version"},
                new String[] {"kvm-unit-tests", "--version"})) {
            CliRun r = CliRun.of(args);
            assertEquals(0, r.exitCode, r.toString());
            assertEquals(Version.TEXT, r.out.strip(), String.join(" ", args) + ": " + r);
        }
    }

    @Test
    void memorySizesInWords() {
        refused("-m abc: not a size", "boot", "-m", "abc");
        refused("between 2 and 2031 MiB", "boot", "-m", "2047");
        refused("between 2 and 2031 MiB", "boot", "-m", "2032");
        refused("between 2 and 2031 MiB", "boot", "-m", "4G");
        refused("whole number of MiB", "boot", "-m", "1000K");
        refused("memory hotplug", "boot", "-m", "64M,slots=2,maxmem=1G");
    }

    @Test
    void timeoutMustBeAFiniteNumber() {
        for (String t : List.of("-1", "NaN", "Infinity", "abc", "1e400", "")) {
            refused("--timeout must be a number of seconds", "boot", "--timeout", t);
        }
    }

    @Test
    void filesWrittenAtTheEndAreCheckedBeforeTheRun() {
        refused("--screenshot " + tmp + ": cannot write it there: it is a directory", "boot", "--screenshot", tmp.toString());
        Path nowhere = tmp.resolve("no/such/dir/x.png");
        refused("the directory " + nowhere.getParent() + " does not exist", "boot", "--screenshot", nowhere.toString());
        refused("--dump-cache", "boot", "--dump-cache", tmp.toString());
        refused("-D " + tmp, "boot", "-d", "int", "-D", tmp.toString());
        refused("cannot write", "boot", "--serial", "file:" + nowhere);
        refused("cannot write", "boot", "--firmware-log", nowhere.toString());
    }

    @Test
    void consolesAsQemuTakesThem() throws IOException {
        refused("QEMU refuses two stdio devices too", "boot", "--serial", "stdio", "--debugcon", "stdio");
        refused("QEMU refuses two stdio devices too", "boot", "-serial", "mon:stdio", "-debugcon", "stdio");
        refused("jvmx has one serial port", "boot", "-serial", "none", "-serial", "none");
        refused("'99999' is not a TCP port", "boot", "--serial", "tcp:127.0.0.1:99999");
        refused("'abc' is not a TCP port", "boot", "-serial", "tcp::abc,server,nowait");
        refused("unknown tcp option 'fast'", "boot", "-serial", "tcp::0,server,fast");
        refused("a QEMU character device that jvmx does not support", "boot", "-serial", "pty");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refused("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": the address is in use",
                    "boot", "-serial", "tcp:127.0.0.1:" + taken.getLocalPort() + ",server,nowait");
        }
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        refused("cannot connect to 127.0.0.1:" + closed + ": nothing accepts connections there",
                "boot", "-serial", "tcp:127.0.0.1:" + closed);
    }

    @Test
    void optionsThatNeedAnotherOption() {
        refused("--append needs a kernel", "boot", "--append", "console=ttyS0");
        refused("--initrd needs --kernel", "boot", "-initrd", "x.img");
        refused("--vga-rom is handed to the firmware", "boot", "--vga-rom", "/usr/share/seabios/vgabios.bin");
        refused("--bios with a Multiboot --kernel", "boot", "-kernel", CliRun.image("hello.elf").toString(),
                "-bios", CliRun.image("first-guest.rom").toString());
        refused("-nographic cannot be used with -display", "boot", "-nographic", "-display", "none");
    }

    @Test
    void qemuBoardOptionsOnlyForWhatJvmxIs() {
        refused("-accel kvm: jvmx translates guest code itself", "boot", "-accel", "kvm");
        refused("jvmx is QEMU's pc machine", "boot", "-M", "q35");
        refused("jvmx has 1 to 16 processors, not 17", "boot", "-smp", "17");
        refused("jvmx's processors are packages of one core and one thread", "boot", "-smp", "2,cores=2");
        refused("jvmx has no CPU hot-plug", "boot", "-smp", "cpus=2,maxcpus=4");
        refused("the VMM's injection is modelled for one processor", "boot", "-smp", "2", "--external-interrupt-exiting");
        refused("-smp two: cpus=two is not a number", "boot", "-smp", "two");
        refused("-cpu host: unknown CPU model 'host' (jvmx has one: jvmx)", "boot", "-cpu", "host");
        refused("-cpu jvmx,+avx2: unknown CPU feature 'avx2'", "boot", "-cpu", "jvmx,+avx2");
        refused("jvmx takes no machine property 'hpet=off'", "boot", "-machine", "pc,hpet=off");
        refused("jvmx has no network card", "boot", "-nic", "user");
        refused("a graphical display", "boot", "-display", "sdl");
        refused("--display must be none or text", "boot", "--display", "colour");
        refused("-d in_asm: a QEMU log item that jvmx does not support", "boot", "-d", "in_asm");
        refused("-d nonsense: not a log item", "boot", "-d", "int,nonsense");
        refused("jvmx has no device 'e1000'", "boot", "-device", "e1000");
        refused("iobase must be a number", "boot", "-device", "isa-debug-exit,iobase=zz");
        refused("has no property 'colour'", "boot", "-device", "isa-debug-exit,colour=red");
        refused("I/O port 0x3f8 is already taken", "boot", "-device", "isa-debug-exit,iobase=0x3f8,iosize=1");
    }

    @Test
    void imagesAreSizedBeforeTheyAreRead() throws IOException {
        Path huge = tmp.resolve("huge.bin");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(3L << 30); // sparse: 3 GiB that take no room
        }
        long t0 = System.nanoTime();
        refused("kernel image " + huge + " is 3 GiB; it can be at most 256 MiB", "boot", "--kernel", huge.toString());
        refused("BIOS image " + huge + " is 3 GiB; it can be at most 16 MiB", "boot", "--bios", huge.toString());
        refused("VGA option ROM " + huge + " is 3 GiB; it can be at most 1 MiB", "boot",
                "--bios", CliRun.image("first-guest.rom").toString(), "--vga-rom", huge.toString());
        refused("initrd " + huge + " is 3 GiB and does not fit in the guest's 128 MiB of RAM", "boot",
                "--kernel", CliRun.image("hello.elf").toString(), "--initrd", huge.toString());
        assertTrue((System.nanoTime() - t0) / 1e9 < 10, "refusing took long: the file was read");
        refused("kernel image " + tmp + " is a directory", "boot", "--kernel", tmp.toString());
        refused("kernel image not found: " + tmp.resolve("nope.elf"), "boot", "--kernel", tmp.resolve("nope.elf").toString());
    }

    /**
     * The Multiboot information block (command line included) goes where the kernel is not: a
     * long --append is carried whole, and one that fits nowhere in guest RAM is refused in words
     * (before, past 1023 characters it was overwritten by the loader name, and a 1.2 MB one
     * overwrote the kernel).
     */
    @Test
    void longCommandLinesAreCarriedOrRefusedNeverCut() throws IOException {
        String k = CliRun.image("hello.elf").toString();
        CliRun ok = CliRun.of("boot", "--serial", "none", "--kernel", k, "--append", "z".repeat(100_000), "--timeout", "60");
        assertEquals(33, ok.exitCode, ok.toString());
        Path argfile = tmp.resolve("args");
        Files.writeString(argfile, "--append " + "y".repeat(1_200_000) + "\n");
        refused("no room in guest RAM for the Multiboot information", "boot", "-m", "2", "--serial", "none", "--kernel", k,
                "@" + argfile);
    }

    /** A kernel segment over the GDT the loader builds would be overwritten: refused. */
    @Test
    void kernelOverTheLoadersGdtIsRefused() throws IOException {
        byte[] elf = MultibootImage.of(new byte[] {(byte) 0xF4});
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(elf).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(60, 0x400).putInt(64, 0x400); // p_vaddr, p_paddr: over the GDT at 0x500
        Path k = tmp.resolve("low.elf");
        Files.write(k, elf);
        refused("covers the loader's GDT", "boot", "--kernel", k.toString());
    }

    @Test
    void cpuTestWithNothingToRunIsAnError() throws IOException {
        Files.write(tmp.resolve("00.jsonl.gz"), new byte[0]);
        refused("--opcode expects a hex opcode key", "cpu-test", "--singlestep", tmp.toString(), "--opcode", "ZZ");
        refused("no single-step test file for opcode F6", "cpu-test", "--singlestep", tmp.toString(), "--opcode", "F6");
        refused("not a directory of single-step tests", "cpu-test", "--singlestep", tmp.resolve("nope").toString());
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        CliRun r = CliRun.of("cpu-test", "--singlestep", empty.toString());
        assertEquals(2, r.exitCode, r.toString());
        assertTrue(r.err.contains("jvmx: no test ran, so nothing passed"), r.toString());
    }

    /** A mistyped command is named as a command, with the list of commands; an option stays an option. */
    @Test
    void unknownCommandListsTheCommands() {
        CliRun r = CliRun.of("bot", "disk.img");
        assertEquals(2, r.exitCode, r.toString());
        assertTrue(r.err.contains("jvmx: unknown command 'bot': the commands are boot, cpu-test,"), r.toString());
        CliRun o = CliRun.of("--bogus");
        assertEquals(2, o.exitCode, o.toString());
        assertTrue(o.err.contains("jvmx: unknown option '--bogus'"), o.toString());
    }

    /** Help is wrapped by picocli alone: no line of it is longer than its width, and inspect's summary is whole. */
    @Test
    void helpIsWrappedOnce() {
        for (String cmd : List.of("boot", "cpu-test", "inspect", "fuzz", "train", "kvm-unit-tests")) {
            CliRun r = CliRun.of(cmd, "--help");
            assertEquals(0, r.exitCode, r.toString());
            for (String line : r.out.split("\n")) {
                assertTrue(line.length() <= 80, cmd + ": " + line);
            }
            assertFalse(r.out.contains("(V\n"), r.out);
        }
        String inspect = CliRun.of("inspect", "--help").out;
        for (String legend : String.format(InspectReport.COLUMNS).split("\n")) {
            assertTrue(inspect.contains(legend + "\n"), "inspect's legend re-wrapped at: " + legend + "\n" + inspect);
        }
        CliRun top = CliRun.of("--help");
        String words = top.out.replaceAll("\\s+", " ");
        assertTrue(words.contains("inspect Shows the translated blocks of a run (from 'jvmx boot --dump-cache')."), top.out);
    }
}
