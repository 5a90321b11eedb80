package dev.jvmx.translator.exec;

/** Why a run ended, with the process exit code the runner uses for it. */
public final class StopReason {
    public enum Kind { DEBUG_EXIT, HALTED, TRIPLE_FAULT, TIMEOUT, RESET_LOOP, USER_QUIT, INSTRUCTION_LIMIT, INTERNAL_ERROR }

    public final Kind kind;
    public final int exitCode;
    public final String message;

    public StopReason(Kind kind, int exitCode, String message) {
        this.kind = kind;
        this.exitCode = exitCode;
        this.message = message;
    }

    @Override
    public String toString() {
        return kind + " (" + exitCode + "): " + message;
    }
}
