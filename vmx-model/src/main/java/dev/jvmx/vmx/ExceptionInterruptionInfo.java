package dev.jvmx.vmx;

/**
 * VM-exit interruption-information field (SDM Vol. 3C, table "Format of the VM-Exit
 * Interruption-Information Field"): bits 7:0 vector, 10:8 type, bit 11 error code valid,
 * bit 12 NMI unblocking due to IRET, bit 31 valid. The type numbers are those shared with the
 * IDT-vectoring and VM-entry interruption-information fields; the exit field itself only uses
 * external interrupt, NMI, hardware exception, privileged software exception and software exception.
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
    public static boolean isNmiUnblockingDueToIret(long info) { return (info & NMI_UNBLOCKING_DUE_TO_IRET) != 0; }
    public static boolean isValid(long info) { return (info & VALID) != 0; }

    public static String describe(long info) {
        if (!isValid(info)) return "invalid";
        int vector = vector(info);
        int type = type(info);
        boolean exception = type == TYPE_HARDWARE_EXCEPTION || type == TYPE_SOFTWARE_EXCEPTION
                || type == TYPE_PRIVILEGED_SOFTWARE_EXCEPTION;
        String what = exception && vector < EXCEPTION_NAMES.length ? EXCEPTION_NAMES[vector]
                : String.format("vector 0x%02X", vector);
        return what + " (" + TYPE_NAMES[type] + (isErrorCodeValid(info) ? ", error code" : "") + ")";
    }
}
