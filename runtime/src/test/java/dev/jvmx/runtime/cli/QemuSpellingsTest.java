package dev.jvmx.runtime.cli;

import dev.jvmx.runtime.Machine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.jvmx.runtime.cli.TestImages.bytes;
import static dev.jvmx.runtime.cli.TestImages.concat;
import static dev.jvmx.runtime.cli.TestImages.le32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** QEMU's spellings mean what they mean in QEMU; where QEMU is installed, it is the oracle. */
class QemuSpellingsTest {
    @TempDir
    Path tmp;

    private static boolean haveQemu() {
        try {
            Process p = new ProcessBuilder("qemu-system-i386", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** QEMU's exit code and debug-console output for a kernel. */
    private static Object[] qemu(Path kernel, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("qemu-system-i386", "-accel", "tcg", "-display", "none", "-serial", "none",
                "-debugcon", "stdio"));
        cmd.addAll(List.of(extra));
        cmd.addAll(List.of("-kernel", kernel.toString()));
        Process q = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = q.getInputStream().readAllBytes();
        assumeTrue(q.waitFor(120, TimeUnit.SECONDS), "qemu did not finish");
        return new Object[] {q.exitValue(), out};
    }

    @Test
    void memorySizesAsQemuReadsThem() throws Exception {
        assertEquals(64, MemorySize.parseMiB("64"));
        assertEquals(64, MemorySize.parseMiB("64M"));
        assertEquals(64, MemorySize.parseMiB("64m"));
        assertEquals(64, MemorySize.parseMiB("65536K"));
        assertEquals(64, MemorySize.parseMiB("size=64M"));
        assertEquals(1024, MemorySize.parseMiB("1G"));
        assertEquals(512, MemorySize.parseMiB("0.5G"));
        assertEquals(2031, MemorySize.parseMiB("2031"));
        // Past the long-arithmetic spellings: the same answers and messages, exactly.
        assertEquals(2, MemorySize.parseMiB("2097152B"));
        assertEquals(2, MemorySize.parseMiB("2097152.0B"));
        assertEquals(1024, MemorySize.parseMiB("0000001024"));
        assertEquals(2, MemorySize.parseMiB("0.001953125G"));
        for (String[] bad : new String[][] {{"1000K", "round it (e.g. -m 1)"}, {"1.5M", "round it (e.g. -m 2)"},
                {"1000000T", "between 2 and 2031"}, {"999999T", "between 2 and 2031"}, {"1", "between 2 and 2031"},
                {"1.M", "not a size"}, {"1..5G", "not a size"}, {"-5", "not a size"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MemorySize.parseMiB(bad[0]));
            assertTrue(e.getMessage().startsWith("-m " + bad[0] + ": ") && e.getMessage().contains(bad[1]), e.getMessage());
        }
        // hello.elf prints the Multiboot memory sizes: the same with -m 64M as under QEMU.
        Path hello = CliRun.image("hello.elf");
        CliRun r = CliRun.of("boot", "-m", "64M", "-serial", "none", "-debugcon", "stdio", "-kernel", hello.toString(),
                "--timeout", "60");
        assertEquals(33, r.exitCode, r.toString());
        assertTrue(r.out.contains("mem_upper="), r.out);
        if (haveQemu()) {
            Object[] q = qemu(hello, "-m", "64M", "-device", "isa-debug-exit,iobase=0xf4,iosize=4");
            assertEquals(q[0], r.exitCode);
            assertEquals(new String((byte[]) q[1], StandardCharsets.ISO_8859_1), r.out);
        }
    }

    @Test
    void theRamArrayIsSizedAheadFromTheBootCommandLine(@TempDir Path dir) throws IOException {
        int mib = 1 << 20, rom = Machine.ROM_SPACE_MIN;
        // The array starts with at most 16 MiB of RAM, 2 MiB with firmware (a disk, --bios, no
        // --kernel), the rest on demand with up to 1 MiB of slots for its first pages written,
        // unless there is an initrd; then the ROM space, where there is firmware: the --bios
        // file's size in 64 KiB units, at least 256 KiB (a missing file, or the default firmware).
        assertEquals(3 * mib + rom, BootCommand.ramArrayLength(new String[] {"boot", "x.img"}));
        assertEquals(3 * mib + rom, BootCommand.ramArrayLength(new String[] {"boot", "-m", "64M", "x.img"}));
        assertEquals(3 * mib + rom, BootCommand.ramArrayLength(new String[] {"boot", "--memory=8M"}));
        assertEquals(2 * mib + rom, BootCommand.ramArrayLength(new String[] {"boot", "-m", "2"})); // none on demand
        assertEquals(3 * mib + rom, BootCommand.ramArrayLength(new String[] {"boot", "-m", "8", "--memory", "32"}));
        assertEquals(17 * mib, BootCommand.ramArrayLength(new String[] {"boot", "--kernel", "k.elf"}));
        assertEquals(8 * mib, BootCommand.ramArrayLength(new String[] {"boot", "-kernel", "k.elf", "-m", "8"}));
        assertEquals(128 * mib, BootCommand.ramArrayLength(new String[] {"boot", "--kernel=bzImage", "-initrd", "i.gz"}));
        assertEquals(1024 * mib + rom, BootCommand.ramArrayLength(new String[] {"boot", "--bios", "b.bin", "-initrd", "i", "-m", "1G"}));
        assertEquals(3 * mib + rom, BootCommand.ramArrayLength(new String[] {"boot", "-kernel", "bzImage", "--bios", "b.bin"}));
        Path big = Files.write(dir.resolve("big.bin"), new byte[mib + 1]); // not a BIOS, but its size is read ahead
        assertEquals(4 * mib + 64 * 1024, BootCommand.ramArrayLength(new String[] {"boot", "--bios", big.toString()}));
        assertEquals(4 * mib + 64 * 1024, BootCommand.ramArrayLength(new String[] {"boot", "-bios=" + big}));
        assertEquals(-1, BootCommand.ramArrayLength(new String[] {"boot", "-m", "lots"}));
        assertEquals(-1, BootCommand.ramArrayLength(new String[] {"cpu-test", "-m", "64"}));
        assertEquals(-1, BootCommand.ramArrayLength(new String[0]));
    }

    @Test
    void boardOptionsQemuUsersPassAreAccepted() {
        CliRun r = CliRun.of("boot", "-accel", "tcg", "-machine", "pc,accel=tcg", "-smp", "1", "-nic", "none",
                "-net", "none", "-no-acpi", "-name", "t", "-parallel", "none", "-display", "none",
                "-serial", "none", "-debugcon", "stdio", "-kernel", CliRun.image("hello.elf").toString(), "--timeout", "60");
        assertEquals(33, r.exitCode, r.toString());
        CliRun n = CliRun.of("boot", "-nographic", "-debugcon", "file:" + tmp.resolve("d.txt"),
                "-kernel", CliRun.image("hello.elf").toString(), "--timeout", "60");
        assertEquals(33, n.exitCode, n.toString());
        // --debugcon stdio alone takes standard output from the default serial port, as QEMU's default serial port is not stdio.
        CliRun d = CliRun.of("boot", "--debugcon", "stdio", "--kernel", CliRun.image("hello.elf").toString(), "--timeout", "60");
        assertEquals(33, d.exitCode, d.toString());
        CliRun h = CliRun.of("boot", "-d", "help");
        assertEquals(0, h.exitCode);
        assertTrue(h.out.contains("cpu_reset") && h.out.contains("guest_errors"), h.out);
    }

    /** A word or dword to isa-debug-exit: (V << 1) | 1, of which the process returns the low 8 bits, as QEMU's. */
    @Test
    void debugExitOfADwordReturnsWhatAProcessCan() throws Exception {
        Path k = TestImages.kernel(tmp, "dword.elf", bytes(0xB8, 0x78, 0x56, 0x34, 0x12, 0xE7, 0xF4, 0xF4)); // mov eax, 0x12345678; out 0xF4, eax
        CliRun r = CliRun.of("boot", "--serial", "none", "--kernel", k.toString(), "--timeout", "60");
        assertEquals(((0x12345678 << 1) | 1) & 0xFF, r.exitCode, r.toString());
        assertTrue(r.err.contains("isa-debug-exit (value 0x12345678, (V << 1) | 1 = 0x2468acf1): exit code 241, the low 8 bits"), r.err);
        if (haveQemu()) {
            assertEquals(241, qemu(k, "-device", "isa-debug-exit,iobase=0xf4,iosize=4")[0]);
        }
    }

    /** -device isa-debug-exit,iobase=0x501: it is there and only there (port 0xF4 then ends nothing), as under QEMU. */
    @Test
    void isaDebugExitWhereTheDeviceOptionPutsIt() throws Exception {
        Path k = TestImages.kernel(tmp, "at501.elf", bytes(
                0xB0, 0x07, 0xE6, 0xF4,                       // mov al, 7; out 0xF4, al (no device there now)
                0x66, 0xB8, 0x10, 0x00,                       // mov ax, 0x10
                0x66, 0xBA, 0x01, 0x05,                       // mov dx, 0x501
                0x66, 0xEF,                                   // out dx, ax
                0xF4));
        CliRun r = CliRun.of("boot", "--serial", "none", "-device", "isa-debug-exit,iobase=0x501,iosize=2",
                "--kernel", k.toString(), "--timeout", "60");
        assertEquals(33, r.exitCode, r.toString());
        if (haveQemu()) {
            assertEquals(33, qemu(k, "-device", "isa-debug-exit,iobase=0x501,iosize=2")[0]);
        }
    }

    /** -no-reboot: the guest's reset (8042 command 0xFE) ends the run with exit code 0. */
    @Test
    void noRebootEndsTheRunAtAReset() throws Exception {
        Path rom = TestImages.rom(tmp, "reset.rom", bytes(0xB0, 0xFE, 0xE6, 0x64, 0xF4)); // mov al, 0xFE; out 0x64, al; hlt
        CliRun r = CliRun.of("boot", "--bios", rom.toString(), "-no-reboot", "--timeout", "30");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.err.contains("-no-reboot: the run ends"), r.err);
        assertTrue(!r.err.contains("restarting the firmware"), r.err);
    }

    @Test
    void logItems() throws Exception {
        // The virtual clock, and a PIT count of 4: 3.4 us of virtual time, about 3,400 faults before
        // the interrupt. On the host's clock a busy host could spend the timer's millisecond before
        // the first UD2, and the log then had no #UD.
        Path k = TestImages.kernel(tmp, "udirq.elf", RunControlTest.udLoopKernel(true, true, 0x4000000, 4));
        Path log = tmp.resolve("int.log");
        CliRun r = CliRun.of("boot", "--serial", "none", "--clock", "virtual", "-d", "int,cpu_reset", "-D", log.toString(),
                "--kernel", k.toString(), "--timeout", "60");
        assertEquals(85, r.exitCode, r.toString());
        String text = Files.readString(log);
        assertTrue(text.startsWith("CPU Reset (CPU 0)\n"), text.substring(0, Math.min(400, text.length())));
        // #UD from the UD2 at body + 66, through the trap gate, and IRQ 0 at vector 0x20.
        assertTrue(text.contains(": v=06 e=0000 i=0 cpl=0 IP=0008:00101042 pc=00101042 SP=0010:"),
                text.substring(0, Math.min(600, text.length())));
        assertTrue(text.matches("(?s).*: v=20 e=0000 i=0 cpl=0 IP=0008:00101042 .*"), text.substring(Math.max(0, text.length() - 600)));

        Path unimp = TestImages.kernel(tmp, "unimp.elf", concat(bytes(0xB0, 0x5A, 0x66, 0xBA), bytes(0x34, 0x12), bytes(0xEE, 0xF4)));
        CliRun u = CliRun.of("boot", "--serial", "none", "-d", "unimp", "--kernel", unimp.toString(), "--timeout", "60");
        assertTrue(u.err.contains("unassigned I/O write of 1 bytes to port 0x1234: 0x5a"), u.err);

        Path tf = TestImages.kernel(tmp, "tf.elf", concat(bytes(0x0F, 0x01, 0x1D), le32(0x101000 + 16), bytes(0x0F, 0x0B, 0, 0, 0, 0, 0, 0, 0),
                bytes(0, 0, 0, 0, 0, 0))); // lidt with limit 0; ud2
        CliRun g = CliRun.of("boot", "--serial", "none", "-d", "guest_errors", "--kernel", tf.toString(), "--timeout", "60");
        assertEquals(3, g.exitCode, g.toString());
        assertTrue(g.err.contains("guest error: triple fault") && g.err.contains("EIP=00101007"), g.err);
    }
}
