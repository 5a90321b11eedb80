package dev.jvmx.runtime.cli;

import dev.jvmx.translator.arch.CpuFeatures;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * QEMU's -cpu in QEMU's spelling: {@code MODEL[,+FEATURE|,-FEATURE|,FEATURE=on|off]...}. jvmx has
 * one model, {@link #MODEL}, with every optional feature on (QEMU's names: {@code mmx}, {@code sse},
 * {@code sse2}, {@code clflush}), as QEMU's default 32-bit CPU has them; the option turns them off
 * or on again in order, and an instruction of a feature that is off is #UD.
 */
final class CpuOption {
    /** jvmx's CPU model. */
    static final String MODEL = "jvmx";

    /** QEMU's names of the optional features and their CPUID.01H:EDX bits. */
    private static final Map<String, Integer> FEATURES = new LinkedHashMap<>();

    static {
        FEATURES.put("mmx", CpuFeatures.MMX);
        FEATURES.put("sse", CpuFeatures.SSE);
        FEATURES.put("sse2", CpuFeatures.SSE2);
        FEATURES.put("clflush", CpuFeatures.CLFSH);
    }

    private CpuOption() { }

    /** The feature bits (arch.CpuFeatures) {@code value} asks for; IllegalArgumentException with the reason otherwise. */
    static int parse(String value) {
        String[] parts = value.split(",", -1);
        if (!parts[0].equals(MODEL)) {
            throw new IllegalArgumentException("unknown CPU model '" + parts[0] + "' (jvmx has one: " + MODEL + ")");
        }
        int features = CpuFeatures.ALL;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            String name;
            boolean on;
            if (p.startsWith("+") || p.startsWith("-")) {
                name = p.substring(1);
                on = p.startsWith("+");
            } else if (p.endsWith("=on") || p.endsWith("=off")) {
                name = p.substring(0, p.lastIndexOf('='));
                on = p.endsWith("=on");
            } else {
                throw new IllegalArgumentException("'" + p + "' is neither +FEATURE, -FEATURE nor FEATURE=on|off");
            }
            Integer bit = FEATURES.get(name);
            if (bit == null) {
                throw new IllegalArgumentException("unknown CPU feature '" + name + "' (jvmx's optional features: "
                        + String.join(", ", FEATURES.keySet()) + ")");
            }
            features = on ? features | bit : features & ~bit;
        }
        return features;
    }
}
