package dev.jvmx.runtime;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;

/**
 * Adds HotSpot compiler directives at run time: the launcher's file keeps C2 off the code
 * generator (ASM and jvmx's emitters). They run on the translation worker, where C1's code is
 * fast enough; in the first 6 s of a Linux boot C2 spent 1.35 s on them, as much as on the
 * translated code itself, which meanwhile waited in C2's queue (bench/RESULTS.md). It keeps C2
 * off three methods of the guest's thread as well (the decoder, the decoding of blocks for
 * translation and the element-by-element REP string path), whose long, repeated C2 compiles
 * held up the regions' compiles more than their code saved.
 *
 * <p>Through the diagnostic command {@code Compiler.directives_add}, because the
 * {@code -XX:CompilerDirectivesFile} flag prints "1 compiler directives added" on standard output
 * at every start, where the guest's console is. The command is reached without the platform
 * MBean server, whose start costs about 250 ms of CPU: through the JDK's own command object,
 * whose packages the launcher opens. Without them (java -jar), or on a JVM without the command,
 * nothing changes: the directives only move compile work.
 */
public final class CompilerDirectives {
    private CompilerDirectives() { }

    /** Adds the directives of {@code file} on a thread of its own, so that start-up does not wait for it. */
    public static void addInBackground(String file) {
        adder(file).start();
    }

    /** The thread {@link #addInBackground} starts, not started (see {@link #loadClasses}). */
    static Thread adder(String file) {
        Thread t = new Thread(() -> {
            try {
                add(file);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // Not this JVM, or not opened by the launcher: compile as HotSpot would.
            }
        }, "jvmx-directives");
        t.setDaemon(true);
        return t;
    }

    /** Adds the directives of {@code file}; returns HotSpot's report ("1 compiler directives added"). */
    public static String add(String file) throws ReflectiveOperationException {
        return diagnosticCommand("Compiler.directives_add " + file);
    }

    /**
     * Loads the classes {@link #add} uses and links {@link #addInBackground}'s lambda (for the
     * start-up cache's training run), adding nothing.
     */
    public static void loadClasses() {
        adder("");
        try {
            diagnosticCommand("VM.version");
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // as in addInBackground
        }
    }

    /** Runs one of HotSpot's diagnostic commands (as jcmd would) and returns its output. */
    static String diagnosticCommand(String command) throws ReflectiveOperationException {
        // The command object's native methods live in the library this class loads.
        Class.forName("com.sun.management.internal.PlatformMBeanProviderImpl");
        Object vm = Class.forName("sun.management.ManagementFactoryHelper").getMethod("getVMManagement").invoke(null);
        Class<?> impl = Class.forName("com.sun.management.internal.DiagnosticCommandImpl");
        Constructor<?> c = impl.getDeclaredConstructor(Class.forName("sun.management.VMManagement"));
        c.setAccessible(true);
        Method execute = impl.getDeclaredMethod("executeDiagnosticCommand", String.class);
        execute.setAccessible(true);
        return (String) execute.invoke(c.newInstance(vm), command);
    }
}
