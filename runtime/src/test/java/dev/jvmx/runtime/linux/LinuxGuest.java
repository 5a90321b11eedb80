package dev.jvmx.runtime.linux;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.helpers.SystemOps;
import dev.jvmx.translator.mem.PhysicalMemory;

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
                "-Xss16m", "-XX:+UseParallelGC", "-Djvmx.home=" + HOME,
                "-cp", System.getProperty("java.class.path"), "dev.jvmx.runtime.cli.Main",
                "boot", "--kernel", KERNEL.toString(), "--initrd", INITRD.toString(), "--append", CMDLINE,
                "-m", Integer.toString(RAM_MIB), "--serial", "stdio"));
        if (bios) {
            c.addAll(List.of("--bios", SEABIOS.toString()));
        }
        c.addAll(List.of(extra));
        return c;
    }

    /** qemu-system-i386 -kernel with the same images, RAM and command line, and jvmx's CPU. */
    static List<String> qemu() {
        return List.of("qemu-system-i386", "-accel", "tcg", "-display", "none", "-serial", "stdio", "-no-reboot",
                "-m", Integer.toString(RAM_MIB), "-cpu", qemuCpu(),
                "-kernel", KERNEL.toString(), "-initrd", INITRD.toString(), "-append", CMDLINE);
    }

    /** CPUID leaf 1 EDX bits and QEMU's names for them. */
    private static final String[] EDX_FEATURES = {
        "fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", null, "sep", "mtrr", "pge", "mca", "cmov",
        "pat", "pse36", "pn", "clflush", null, "ds", "acpi", "mmx", "fxsr", "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe"};
    /** CPUID leaf 1 ECX bits QEMU's TCG knows. */
    private static final String[] ECX_FEATURES = {
        "pni", "pclmulqdq", null, "monitor", null, null, null, null, null, "ssse3", null, null, "fma", "cx16", null, null,
        null, null, null, "sse4.1", "sse4.2", null, "movbe", "popcnt", null, "aes", "xsave", null, "avx", null, "rdrand", null};

    /**
     * QEMU's "base" model (no features) with jvmx's vendor, signature, levels, brand string and
     * leaf-1 features, read from jvmx's own CPUID. The kernel's setup refuses a CPU without an
     * FPU, so "fpu" is always on for QEMU (jvmx's CPUID gets it with its x87).
     */
    static String qemuCpu() {
        Cpu cpu = new Cpu(new PhysicalMemory(1 << 20, 0));
        int[] l0 = cpuid(cpu, 0), l1 = cpuid(cpu, 1), x0 = cpuid(cpu, 0x80000000);
        StringBuilder brand = new StringBuilder();
        for (int leaf = 0x80000002; leaf <= 0x80000004; leaf++) {
            for (int r : cpuid(cpu, leaf)) {
                for (int i = 0; i < 4; i++) {
                    char ch = (char) ((r >>> (8 * i)) & 0xFF);
                    if (ch != 0) {
                        brand.append(ch);
                    }
                }
            }
        }
        String vendor = str(l0[1]) + str(l0[3]) + str(l0[2]);
        int sig = l1[0];
        int family = (sig >> 8) & 0xF, model = (sig >> 4) & 0xF, stepping = sig & 0xF;
        StringBuilder c = new StringBuilder("base,vendor=" + vendor + ",family=" + family + ",model=" + model
                + ",stepping=" + stepping + ",level=" + l0[0] + ",xlevel=" + String.format("0x%x", x0[0])
                + ",model-id=" + brand.toString().strip());
        // A bare Cpu has no local APIC linked, so its CPUID lacks the APIC bit that jvmx's
        // machine reports (its APIC is enabled at reset): QEMU's CPU gets it as the machine has it.
        int edx = l1[3] | 1 | SystemOps.CPUID_EDX_APIC; // fpu: see above
        for (int b = 0; b < 32; b++) {
            if ((edx & (1 << b)) != 0 && EDX_FEATURES[b] != null) {
                c.append(",+").append(EDX_FEATURES[b]);
            }
            if ((l1[2] & (1 << b)) != 0 && ECX_FEATURES[b] != null) {
                c.append(",+").append(ECX_FEATURES[b]);
            }
        }
        return c.toString();
    }

    private static int[] cpuid(Cpu cpu, int leaf) {
        cpu.regs[Cpu.EAX] = leaf;
        cpu.regs[Cpu.ECX] = 0;
        SystemOps.cpuid(cpu);
        return new int[] {cpu.regs[Cpu.EAX], cpu.regs[Cpu.EBX], cpu.regs[Cpu.ECX], cpu.regs[Cpu.EDX]};
    }

    private static String str(int r) {
        return new String(new byte[] {(byte) r, (byte) (r >>> 8), (byte) (r >>> 16), (byte) (r >>> 24)}, StandardCharsets.US_ASCII);
    }
}
