package dev.jvmx.translator.exec;

/**
 * Why a run ended. The runner maps the kind to its process exit code; {@link #value} carries
 * what the guest or the host supplied with it (the value written to isa-debug-exit, a signal
 * number), 0 otherwise.
 */
public final class StopReason {
    public enum Kind {
        /** The guest wrote {@link #value} to isa-debug-exit. */
        DEBUG_EXIT,
        /** HLT with interrupts disabled (nothing can wake the CPU). */
        HALTED,
        /** The guest turned itself off (ACPI S5). */
        POWER_OFF,
        TRIPLE_FAULT,
        TIMEOUT,
        /** The guest kept resetting the machine. */
        RESET_LOOP,
        /** The guest put the machine to sleep (ACPI S3); the machine resumes it on a wake event. */
        SUSPENDED,
        /** The user asked to quit (Ctrl-A x). */
        USER_QUIT,
        /** The host sent signal {@link #value}. */
        SIGNAL,
        /** A harness's instruction limit. */
        INSTRUCTION_LIMIT,
        /**
         * A debugger's stop (breakpoint, watchpoint, single step, interrupt request): the guest is
         * stopped between instructions and may be run on (see {@link DebugControl}).
         */
        DEBUG,
        INTERNAL_ERROR
    }

    public final Kind kind;
    public final int value;
    public final String message;

    public StopReason(Kind kind, int value, String message) {
        this.kind = kind;
        this.value = value;
        this.message = message;
    }

    public static StopReason of(Kind kind, String message) {
        return new StopReason(kind, 0, message);
    }

    @Override
    public String toString() {
        return kind + (value != 0 ? " (" + value + ")" : "") + ": " + message;
    }
}
