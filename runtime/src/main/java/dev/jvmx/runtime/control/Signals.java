package dev.jvmx.runtime.control;

import dev.jvmx.devices.chr.StdioBackend;
import dev.jvmx.translator.exec.StopReason;

/**
 * SIGINT, SIGTERM and SIGHUP end a run as its other stops do: the machine stops at the next
 * block boundary, the disk is flushed, the last line is printed, and the exit code is 128 +
 * the signal number (130, 143, 129), as a shell reports a process its signal ended. A second
 * signal, or one before any run started, ends the process at once with the same line and code.
 */
public final class Signals {
    private Signals() { }

    /** Installs the handlers (for the jvmx process only; never in a test's JVM). */
    public static void install() {
        handle("INT", 2);
        handle("TERM", 15);
        handle("HUP", 1);
    }

    private static void handle(String name, int number) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> received(name, number));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // The JVM keeps this signal (e.g. -Xrs): its default handling stays.
        }
    }

    private static void received(String name, int number) {
        RunControl rc = RunControl.current();
        if (rc != null && rc.pending() == null) {
            rc.requestStop(new StopReason(StopReason.Kind.SIGNAL, number, "stopped by SIG" + name));
            return;
        }
        StdioBackend.restoreTerminal();
        System.err.println("jvmx: stopped by SIG" + name + (rc == null ? "" : " while stopping"));
        System.err.flush();
        Runtime.getRuntime().halt(128 + number); // as a shell reports the signal
    }
}
