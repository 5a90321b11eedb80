package dev.jvmx.runtime;

import dev.jvmx.translator.exec.HotSpotCompiles;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Adds HotSpot compiler directives at run time: the launcher's file keeps C2 off the code
 * generator (ASM and jvmx's emitters). They run on the translation worker, where C1's code is
 * fast enough; in the first 6 s of a Linux boot C2 spent 1.35 s on them, as much as on the
 * translated code itself, which meanwhile waited in C2's queue (bench/RESULTS.md). It keeps C2
 * off four methods of the guest's thread as well (the decoder, the decoding of blocks for
 * translation, the element-by-element REP string path and the execution loop's boundary between
 * blocks), whose long, repeated C2 compiles held up the regions' compiles more than their code
 * saved.
 *
 * <p>Not by the {@code -XX:CompilerDirectivesFile} flag, which prints "1 compiler directives
 * added" on standard output at every start, where the guest's console is: through WhiteBox's
 * {@code addCompilerDirective} where the launcher binds WhiteBox (exec.HotSpotCompiles), else
 * through the diagnostic command {@code Compiler.directives_add}, reached without the platform
 * MBean server, whose start costs about 250 ms of CPU: through the JDK's own command object, whose
 * packages the launcher opens. Without either (java -jar), nothing changes: the directives only
 * move compile work.
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

    /**
     * Adds the directives of {@code file}; returns HotSpot's report ("1 compiler directives
     * added"). Through WhiteBox where the launcher has bound it: the diagnostic command's way
     * loads the management classes and spins method handles for its reflection, about 15 ms
     * of CPU beside the guest's start.
     */
    public static String add(String file) throws ReflectiveOperationException {
        try {
            int added = HotSpotCompiles.addCompilerDirectives(Files.readString(Path.of(file)));
            if (added > 0) {
                return added + " compiler directives added";
            }
        } catch (IOException e) {
            // the diagnostic command reports it in HotSpot's words
        }
        return diagnosticCommand("Compiler.directives_add " + file);
    }

    /**
     * Links {@link #addInBackground}'s lambda (for the start-up cache's training run), adding
     * nothing. The diagnostic command's classes stay out of the cache: only a JVM without
     * WhiteBox uses them, and every start maps and links every class the cache holds.
     */
    public static void loadClasses() {
        adder("");
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
