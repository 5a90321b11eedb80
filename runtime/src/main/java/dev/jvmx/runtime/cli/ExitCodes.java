package dev.jvmx.runtime.cli;

import dev.jvmx.translator.exec.StopReason;

/** The process exit code for each way a run ends (the README's table). */
public final class ExitCodes {
    public static final int HALTED = 0;
    public static final int USAGE = 2;
    public static final int TRIPLE_FAULT = 3;
    public static final int RESET_LOOP = 4;
    public static final int INTERNAL_ERROR = 70;
    public static final int TIMEOUT = 124;
    /** A signal N ends the process with 128 + N, as a shell reports it. */
    public static final int SIGNAL_BASE = 128;

    private ExitCodes() { }

    public static int of(StopReason r) {
        switch (r.kind) {
            case DEBUG_EXIT: return r.value;
            case HALTED: case POWER_OFF: case USER_QUIT: return HALTED;
            case TRIPLE_FAULT: return TRIPLE_FAULT;
            case RESET_LOOP: case INSTRUCTION_LIMIT: return RESET_LOOP;
            case TIMEOUT: return TIMEOUT;
            case SIGNAL: return SIGNAL_BASE + r.value;
            default: return INTERNAL_ERROR;
        }
    }
}
