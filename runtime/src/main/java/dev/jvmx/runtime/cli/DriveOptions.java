package dev.jvmx.runtime.cli;

import dev.jvmx.runtime.MachineConfig;
import dev.jvmx.runtime.board.BootSpec;
import dev.jvmx.runtime.board.DriveSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The storage options of `jvmx boot`, spelled as QEMU's: a bare disk image, {@code -hda}..
 * {@code -hdd}, {@code -cdrom}, {@code -drive} (also {@code --drive}) and {@code -boot}. A
 * machine with drives and neither --bios nor --kernel boots them through Debian's SeaBIOS.
 */
public final class DriveOptions {
    /** Where Debian installs SeaBIOS (package seabios), and QEMU's link to it (a test may point it elsewhere). */
    static List<Path> seabiosCandidates = List.of(Path.of("/usr/share/seabios/bios.bin"), Path.of("/usr/share/qemu/bios.bin"));

    @Parameters(arity = "0..1", paramLabel = "IMAGE",
            description = "A raw disk image to boot, as the primary master (as with qemu IMAGE, which is -hda IMAGE).")
    Path image;

    @Option(names = "-hda", paramLabel = "FILE", description = "Raw disk image as IDE index 0 (primary master).")
    Path hda;

    @Option(names = "-hdb", paramLabel = "FILE", description = "Raw disk image as IDE index 1 (primary slave).")
    Path hdb;

    @Option(names = "-hdc", paramLabel = "FILE", description = "Raw disk image as IDE index 2 (secondary master).")
    Path hdc;

    @Option(names = "-hdd", paramLabel = "FILE", description = "Raw disk image as IDE index 3 (secondary slave).")
    Path hdd;

    @Option(names = "-cdrom", paramLabel = "FILE", description = "CD-ROM image (ISO 9660, El Torito boot) in an ATAPI drive at IDE index 2.")
    Path cdrom;

    @Option(names = {"-drive", "--drive"}, paramLabel = "SPEC",
            description = "An IDE drive: file=PATH[,format=raw][,if=ide][,index=0..3][,media=disk|cdrom][,readonly=on][,snapshot=on]."
                    + " Repeatable; without index, the first free one.")
    List<String> drive = new ArrayList<>();

    @Option(names = "-boot", paramLabel = "ORDER",
            description = "Boot order by letter, as QEMU: [order=]LETTERS[,menu=on|off]; c first disk, d first CD-ROM (default: cad).")
    String boot;

    /** The drives in the order QEMU gives them indexes: IMAGE and -hda..-hdd, -cdrom, then each -drive. */
    List<DriveSpec> specs() {
        List<DriveSpec> d = new ArrayList<>();
        if (image != null) {
            d.add(DriveSpec.disk("IMAGE", image, 0));
        }
        Path[] hd = {hda, hdb, hdc, hdd};
        for (int i = 0; i < hd.length; i++) {
            if (hd[i] != null) {
                d.add(DriveSpec.disk("-hd" + (char) ('a' + i), hd[i], i));
            }
        }
        if (cdrom != null) {
            d.add(DriveSpec.cdrom(cdrom));
        }
        for (String s : drive) {
            d.add(DriveSpec.parse(s));
        }
        return d;
    }

    /** Fills the storage part of the configuration; a bad drive or boot order is an IllegalArgumentException. */
    void apply(MachineConfig cfg) {
        cfg.drives.addAll(specs());
        DriveSpec.assign(cfg.drives); // index clashes and too many drives are found here, before anything opens
        if (boot != null) {
            cfg.boot = BootSpec.parse(boot);
        }
    }

    boolean any() {
        return image != null || hda != null || hdb != null || hdc != null || hdd != null || cdrom != null || !drive.isEmpty();
    }

    /** Debian's SeaBIOS, or null when it is not installed. */
    static Path seaBios() {
        for (Path p : seabiosCandidates) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    static String seaBiosMissing() {
        return "booting a disk or CD-ROM needs a PC BIOS, and Debian's SeaBIOS is not installed (" + seabiosCandidates.get(0)
                + "): install it with 'apt-get install seabios', or give one with --bios FILE";
    }
}
