package dev.jvmx.vmx;

/**
 * Exit qualification for task switches (SDM Vol. 3C, table "Exit Qualification for Task Switch"):
 * bits 15:0 TSS selector, bits 31:30 source of the task switch.
 */
public final class TaskSwitchQualification {
    public static final int SOURCE_CALL = 0;
    public static final int SOURCE_IRET = 1;
    public static final int SOURCE_JMP = 2;
    public static final int SOURCE_IDT_TASK_GATE = 3;

    private static final String[] SOURCE_NAMES = {"CALL", "IRET", "JMP", "task gate in IDT"};

    private TaskSwitchQualification() { }

    public static long encode(int selector, int source) {
        if (source < 0 || source > 3) throw new IllegalArgumentException("task-switch source must be 0-3: " + source);
        return (selector & 0xFFFF) | ((long) source << 30);
    }

    public static int selector(long q) { return (int) q & 0xFFFF; }
    public static int source(long q) { return (int) (q >>> 30) & 3; }

    /** "CALL", "IRET", "JMP" or "task gate in IDT". */
    public static String sourceName(int source) { return SOURCE_NAMES[source & 3]; }

    public static String describe(long q) {
        return String.format("task switch to TSS 0x%04X by %s", selector(q), SOURCE_NAMES[source(q)]);
    }
}
