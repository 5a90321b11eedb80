package dev.jvmx.vmx;

/**
 * Register and segment numbering shared by the exit-qualification and instruction-information
 * formats (SDM Vol. 3C: 0 = RAX/EAX ... 7 = RDI/EDI, 8-15 = R8-R15; segments 0 = ES ... 5 = GS).
 */
final class Registers {
    private static final String[] GPR32 = {"EAX", "ECX", "EDX", "EBX", "ESP", "EBP", "ESI", "EDI"};
    private static final String[] SEGMENTS = {"ES", "CS", "SS", "DS", "FS", "GS"};

    private Registers() { }

    /** IA-32 name of a general register number; R8-R15 only exist on Intel 64 but the field can hold them. */
    static String gpr(int n) {
        return n >= 0 && n < 8 ? GPR32[n] : "R" + n;
    }

    static String segment(int n) {
        return n >= 0 && n < SEGMENTS.length ? SEGMENTS[n] : "SEG" + n;
    }

    static int checkGpr(int n) {
        if (n < 0 || n > 15) throw new IllegalArgumentException("general register must be 0-15: " + n);
        return n;
    }
}
