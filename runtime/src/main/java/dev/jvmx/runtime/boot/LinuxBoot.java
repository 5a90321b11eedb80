package dev.jvmx.runtime.boot;

import dev.jvmx.devices.fwcfg.FwCfg;
import dev.jvmx.runtime.board.MemoryMap;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.mem.PhysicalMemory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Linux boot as the configuration asks for it: the bzImage, the initrd and the command line,
 * read once and loaded again after each reset of a boot without firmware.
 */
public final class LinuxBoot {
    /** Where Debian's qemu-system-data puts QEMU's option ROMs. */
    public static final Path QEMU_ROM_DIR = Path.of("/usr/share/qemu");

    private final BzImage kernel;
    private final byte[] initrd;
    private final String cmdline;
    private LinuxLoader.Placement placement;

    private LinuxBoot(BzImage kernel, byte[] initrd, String cmdline) {
        this.kernel = kernel;
        this.initrd = initrd;
        this.cmdline = cmdline;
    }

    /** The Linux boot of {@code kernel}, or null if it is not a bzImage (a Multiboot kernel, say). */
    public static LinuxBoot probe(Path kernel, Path initrd, String cmdline) throws ImageException {
        if (!startsLikeBzImage(kernel)) {
            return null;
        }
        BzImage k = BzImage.read(kernel);
        byte[] rd = initrd == null ? null : BzImage.readFile(initrd, "initrd");
        return new LinuxBoot(k, rd, cmdline);
    }

    private static boolean startsLikeBzImage(Path file) throws ImageException {
        if (!Files.isRegularFile(file)) {
            throw new ImageException("kernel image not found: " + file);
        }
        byte[] head = new byte[0x208];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, head.length);
            return n == head.length && BzImage.isBzImage(head);
        } catch (IOException e) {
            throw new ImageException("cannot read kernel image " + file + ": " + e.getMessage());
        }
    }

    /** Boots without firmware (again after a reset); {@code rsdp} is where the machine put its ACPI RSDP. */
    public void loadDirect(PhysicalMemory mem, Cpu cpu, long rsdp) throws ImageException {
        placement = LinuxLoader.loadDirect(kernel, initrd, cmdline, mem, cpu, MemoryMap.pc(mem.ramSize), rsdp);
    }

    /** What the last direct boot put where. */
    public LinuxLoader.Placement placement() {
        return placement;
    }

    public void handToFirmware(FwCfg fw, long ramBytes) throws ImageException {
        LinuxLoader.handToFirmware(kernel, initrd, cmdline, fw, ramBytes);
    }

    /** QEMU's linuxboot option ROM: beside the BIOS image, else in /usr/share/qemu. */
    public static Path optionRom(Path bios) throws ImageException {
        Path beside = bios.toAbsolutePath().resolveSibling(LinuxLoader.OPTION_ROM);
        if (Files.isRegularFile(beside)) {
            return beside;
        }
        Path qemu = QEMU_ROM_DIR.resolve(LinuxLoader.OPTION_ROM);
        if (Files.isRegularFile(qemu)) {
            return qemu;
        }
        throw new ImageException("booting a Linux kernel through --bios needs QEMU's option ROM " + LinuxLoader.OPTION_ROM
                + " (beside the BIOS image or in " + QEMU_ROM_DIR + ": Debian's qemu-system-data); or boot without --bios");
    }
}
