package dev.jvmx.cputest;

import java.util.List;

/** How the host fuzzer's native programs are built and run. */
public enum HostMode {
    /** 32-bit static programs ({@code gcc -m32}): the host runs the very bytes jvmx runs. */
    IA32("32-bit", List.of("-m32"), "int $0x80"),
    /**
     * 64-bit static programs: each IA-32 instruction assembled for 64-bit mode with the same
     * operand size and 32-bit addresses (see {@link FuzzGenerator}); what 64-bit mode lacks
     * is in {@link LongModeGap}.
     */
    X86_64("64-bit", List.of("-m64"), "syscall");

    public final String label;
    final List<String> gccFlags;
    final String syscall;

    HostMode(String label, List<String> gccFlags, String syscall) {
        this.label = label;
        this.gccFlags = gccFlags;
        this.syscall = syscall;
    }
}
