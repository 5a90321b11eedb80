package dev.jvmx.runtime;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.helpers.SystemOps;
import dev.jvmx.translator.mem.PhysicalMemory;

import java.nio.charset.StandardCharsets;

/**
 * jvmx's CPU as a QEMU {@code -cpu} option, so that QEMU, the comparison and second opinion,
 * boots a guest on the same CPU model: the same vendor, signature, brand string, and features of
 * leaves 1, 7 and 80000001H (the Linux guest test compares /proc/cpuinfo; the boot benchmarks run
 * both on it).
 */
public final class QemuCpuModel {
    private QemuCpuModel() { }

    /** CPUID leaf 1 EDX bits and QEMU's names for them. */
    private static final String[] EDX_FEATURES = {
        "fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", null, "sep", "mtrr", "pge", "mca", "cmov",
        "pat", "pse36", "pn", "clflush", null, "ds", "acpi", "mmx", "fxsr", "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe"};
    /** CPUID leaf 1 ECX bits QEMU's TCG knows. */
    private static final String[] ECX_FEATURES = {
        "pni", "pclmulqdq", null, "monitor", null, null, null, null, null, "ssse3", null, null, "fma", "cx16", null, null,
        null, null, null, "sse4.1", "sse4.2", null, "movbe", "popcnt", null, "aes", "xsave", null, "avx", null, "rdrand", null};
    /** CPUID leaf 7 sub-leaf 0 ECX bits jvmx reports, and QEMU's names for them. */
    private static final String[] LEAF7_ECX_FEATURES = {null, null, "umip"};
    /** CPUID leaf 7 sub-leaf 0 EBX bits jvmx reports, and QEMU's names for them. */
    private static final String[] LEAF7_EBX_FEATURES = {
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, "smap"};
    /** CPUID leaf 80000001H EDX bits jvmx reports, and QEMU's names for them. */
    private static final String[] EXT_EDX_FEATURES = {
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, "nx", null, null, null, null, null, null, "rdtscp"};

    /**
     * QEMU's "base" model (no features) with jvmx's vendor, signature, levels, brand string and
     * leaf-1 features, read from jvmx's own CPUID (of a bare CPU with the default model's features:
     * the machine's local APIC, on at reset, is added here).
     */
    public static String option() {
        Cpu cpu = new Cpu(new PhysicalMemory(1 << 20, 0));
        cpu.features = new MachineConfig().cpuFeatures; // the default model's: MMX, SSE, SSE2, CLFLUSH
        int[] l0 = cpuid(cpu, 0), l1 = cpuid(cpu, 1), l7 = cpuid(cpu, 7), x0 = cpuid(cpu, 0x80000000),
                x1 = cpuid(cpu, 0x80000001);
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
                + ",model-id=" + brand.toString().strip()
                // No topology leaf 0BH, which jvmx does not have. (QEMU's TCG reports nothing
                // in leaf 15H, where jvmx reports the TSC's frequency.)
                + ",cpuid-0xb=off");
        // A bare Cpu has no local APIC linked, so its CPUID lacks the APIC bit that jvmx's
        // machine reports (its APIC is enabled at reset): QEMU's CPU gets it as the machine has it.
        int edx = l1[3] | SystemOps.CPUID_EDX_APIC;
        for (int b = 0; b < 32; b++) {
            if ((edx & (1 << b)) != 0 && EDX_FEATURES[b] != null) {
                c.append(",+").append(EDX_FEATURES[b]);
            }
            if ((l1[2] & (1 << b)) != 0 && ECX_FEATURES[b] != null) {
                c.append(",+").append(ECX_FEATURES[b]);
            }
        }
        features(c, l7[1], LEAF7_EBX_FEATURES);
        features(c, l7[2], LEAF7_ECX_FEATURES);
        features(c, x1[3], EXT_EDX_FEATURES);
        return c.toString();
    }

    /** QEMU's {@code +name} for every set bit of {@code reg}; a bit without a name is a jvmx feature QEMU is not told of. */
    private static void features(StringBuilder c, int reg, String[] names) {
        for (int b = 0; b < names.length; b++) {
            if ((reg & (1 << b)) != 0 && names[b] != null) {
                c.append(",+").append(names[b]);
            }
        }
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
