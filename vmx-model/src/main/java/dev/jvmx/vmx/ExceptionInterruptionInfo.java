package dev.jvmx.vmx;

/**
 * The interruption-information format (SDM Vol. 3C, tables "Format of the VM-Exit
 * Interruption-Information Field", "Format of the IDT-Vectoring Information Field" and "Format of
 * the VM-Entry Interruption-Information Field", which share it): bits 7:0 vector, 10:8 type,
 * bit 11 error code valid (deliver error code, on entry), bit 12 NMI unblocking due to IRET (exit
 * field only; undefined in the IDT-vectoring field and 0 on entry), bit 31 valid. An exception or
 * NMI exit reports its event in the first, the event whose delivery an exit interrupted in the
 * second, and a VMM injects an event through the third.
 */
public final class ExceptionInterruptionInfo {
    public static final int TYPE_EXTERNAL_INTERRUPT = 0;
    public static final int TYPE_NMI = 2;
    public static final int TYPE_HARDWARE_EXCEPTION = 3;
    public static final int TYPE_SOFTWARE_INTERRUPT = 4;
    public static final int TYPE_PRIVILEGED_SOFTWARE_EXCEPTION = 5;
    public static final int TYPE_SOFTWARE_EXCEPTION = 6;

    public static final int ERROR_CODE_VALID = 1 << 11;
    public static final int NMI_UNBLOCKING_DUE_TO_IRET = 1 << 12;
    public static final int VALID = 1 << 31;

    private static final String[] TYPE_NAMES = {"external interrupt", "type 1", "NMI", "hardware exception",
        "software interrupt", "privileged software exception", "software exception", "type 7"};
    /** Exception mnemonics by vector (SDM Vol. 3A, "Exception and Interrupt Reference"). */
    private static final String[] EXCEPTION_NAMES = {"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
        "#DF", "coprocessor segment overrun", "#TS", "#NP", "#SS", "#GP", "#PF", "vector 15", "#MF", "#AC",
        "#MC", "#XM", "#VE", "#CP"};

    private ExceptionInterruptionInfo() { }

    /** A valid interruption-information word. */
    public static int encode(int vector, int type, boolean errorCodeValid) {
        if (type < 0 || type > 7) throw new IllegalArgumentException("interruption type must be 0-7: " + type);
        int info = (vector & 0xFF) | (type << 8) | VALID;
        return errorCodeValid ? info | ERROR_CODE_VALID : info;
    }

    public static int vector(long info) { return (int) info & 0xFF; }
    public static int type(long info) { return (int) (info >>> 8) & 7; }
    public static boolean isErrorCodeValid(long info) { return (info & ERROR_CODE_VALID) != 0; }
    private static boolean isNmiUnblockingDueToIret(long info) { return (info & NMI_UNBLOCKING_DUE_TO_IRET) != 0; }
    public static boolean isValid(long info) { return (info & VALID) != 0; }

    /**
     * Software interrupt (INT n), privileged software exception (INT1) or software exception (INT3,
     * INTO): delivered with the address of the next instruction, whose length the exit reports
     * and an injection gives (SDM Vol. 3C, 27.2.5 and "Event Injection").
     */
    public static boolean isSoftware(long info) {
        int type = type(info);
        return type == TYPE_SOFTWARE_INTERRUPT || type == TYPE_PRIVILEGED_SOFTWARE_EXCEPTION
                || type == TYPE_SOFTWARE_EXCEPTION;
    }

    /** The event in a few words: "#PF", "NMI", "#BP (software exception)", "vector 0x20 (external interrupt)". */
    public static String name(long info) {
        int type = type(info);
        if (type == TYPE_NMI) return "NMI";
        String what = what(info);
        return type == TYPE_HARDWARE_EXCEPTION ? what : what + " (" + TYPE_NAMES[type] + ")";
    }

    private static String what(long info) {
        int vector = vector(info);
        int type = type(info);
        boolean exception = type == TYPE_HARDWARE_EXCEPTION || type == TYPE_SOFTWARE_EXCEPTION
                || type == TYPE_PRIVILEGED_SOFTWARE_EXCEPTION;
        return exception && vector < EXCEPTION_NAMES.length ? EXCEPTION_NAMES[vector]
                : String.format("vector 0x%02X", vector);
    }

    /** The whole field in words, for logs: "#PF (hardware exception, error code)". */
    public static String describe(long info) {
        if (!isValid(info)) return "invalid";
        return what(info) + " (" + TYPE_NAMES[type(info)] + (isErrorCodeValid(info) ? ", error code" : "")
                + (isNmiUnblockingDueToIret(info) ? ", NMI unblocking due to IRET" : "") + ")";
    }
}
