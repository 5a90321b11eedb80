package dev.jvmx.runtime.linux;

import dev.jvmx.runtime.QemuCpuModel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Linux guest of guest-images/linux (Debian's 686 kernel, the project's busybox initramfs)
 * and the two machines that boot it: jvmx, run as its own process from this JVM's class path,
 * and QEMU (TCG) with a CPU model made from jvmx's CPUID, so that /proc/cpuinfo can match.
 */
final class LinuxGuest {
    static final Path HOME = Path.of(System.getProperty("jvmx.home", "..")).toAbsolutePath().normalize();
    static final Path OUT = HOME.resolve("guest-images/linux/out");
    static final Path KERNEL = OUT.resolve("vmlinuz");
    static final Path INITRD = OUT.resolve("initramfs.cpio.gz");
    static final Path BUILD = HOME.resolve("guest-images/linux/build");
    static final Path SEABIOS = Path.of("/usr/share/seabios/bios.bin");
    /**
     * earlyprintk: the decompressor, the real-mode setup and early boot print on the serial port
     * too; nokaslr: the same kernel layout on every boot (and jvmx's decompressor, until it has an
     * x87, would fault in KASLR's FPU probe).
     */
    static final String CMDLINE = "console=ttyS0 earlyprintk=serial,ttyS0,115200 nokaslr";
    static final int RAM_MIB = 128;

    private LinuxGuest() { }

    /**
     * Makes sure the kernel and initramfs exist, building them with guest-images/linux/build if
     * needed. Returns null when they are there, else why they cannot be (for a loud skip).
     */
    static synchronized String images() {
        if (Files.isRegularFile(KERNEL) && Files.isRegularFile(INITRD)) {
            return null;
        }
        try {
            Process p = new ProcessBuilder(BUILD.toString()).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return "guest-images/linux/build did not finish within 20 minutes";
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(KERNEL) || !Files.isRegularFile(INITRD)) {
                return "guest-images/linux/build could not build the Debian kernel and initramfs (exit "
                        + p.exitValue() + "): " + log.strip();
            }
            return null;
        } catch (IOException | InterruptedException e) {
            return "cannot run " + BUILD + ": " + e.getMessage();
        }
    }

    static boolean haveQemu() {
        try {
            Process p = new ProcessBuilder("qemu-system-i386", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** jvmx boot as its own process (stdin a pipe: --serial stdio feeds it to COM1). */
    static List<String> jvmx(boolean bios, String... extra) {
        List<String> c = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xss16m", "-XX:+UseParallelGC", "-Djvmx.home=" + HOME));
        c.addAll(whiteBox());
        c.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.jvmx.runtime.cli.Main",
                "boot", "--kernel", KERNEL.toString(), "--initrd", INITRD.toString(), "--append", CMDLINE,
                "-m", Integer.toString(RAM_MIB), "--serial", "stdio"));
        if (bios) {
            c.addAll(List.of("--bios", SEABIOS.toString()));
        }
        c.addAll(List.of(extra));
        return c;
    }

    /**
     * The launcher's WhiteBox options (translations wait for HotSpot's compile, see ./jvmx), so
     * that this boot runs the tiers as a user's does: none when the translator's WhiteBox jar
     * has not been built.
     */
    static List<String> whiteBox() {
        try (var jars = Files.newDirectoryStream(HOME.resolve("translator/target"), "translator-*-whitebox.jar")) {
            for (Path j : jars) {
                return List.of("-Xbootclasspath/a:" + j, "-XX:+UnlockDiagnosticVMOptions", "-XX:+WhiteBoxAPI",
                        "-XX:-DisplayVMOutput");
            }
        } catch (IOException e) {
            // no translator/target: none
        }
        return List.of();
    }

    /** qemu-system-i386 -kernel with the same images, RAM and command line, and jvmx's CPU. */
    static List<String> qemu() {
        return List.of("qemu-system-i386", "-accel", "tcg", "-display", "none", "-serial", "stdio", "-no-reboot",
                "-m", Integer.toString(RAM_MIB), "-cpu", qemuCpu(),
                "-kernel", KERNEL.toString(), "-initrd", INITRD.toString(), "-append", CMDLINE);
    }

    /** QEMU's -cpu option for jvmx's CPU (see QemuCpuModel). */
    static String qemuCpu() {
        return QemuCpuModel.option();
    }
}
