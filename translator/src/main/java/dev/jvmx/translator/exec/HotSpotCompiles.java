package dev.jvmx.translator.exec;

import dev.jvmx.translator.codegen.CompiledBlock;
import dev.jvmx.translator.cpu.Cpu;

import jdk.test.whitebox.WhiteBox;

import java.lang.reflect.Method;

/**
 * Asks HotSpot to compile a translation's method now, and tells when it has (and adds the
 * launcher's compiler directives, runtime.CompilerDirectives): through HotSpot's
 * WhiteBox interface, which the launcher enables ({@code -XX:+WhiteBoxAPI} and jvmx's own
 * declaration of the class, {@code jdk.test.whitebox.WhiteBox}, on the boot class path).
 *
 * <p>Why: a new translation's method (a region's above all) otherwise runs in HotSpot's bytecode
 * interpreter until its counters reach C1's thresholds and C1's queue reaches it, several times
 * slower than the first tier runs the same blocks (1.2 s of a Linux boot's guest thread). With
 * this, the translation is queued for C1 when it is made and put in place only once compiled
 * (PendingInstall); its blocks stay in their tier meanwhile.
 *
 * <p>Absent (another launcher, a JVM without the interface) or turned off with
 * {@code -Djvmx.noCompileRequests=true}, {@link #available} is false and translations are put in
 * place at once, as before.
 */
public final class HotSpotCompiles {
    /** HotSpot's tier 3: C1 with full profiling, from which its policy moves hot code to C2. */
    private static final int C1_PROFILED = 3;
    /** HotSpot's tier 1: C1 without profiling, where HotSpot leaves a method (see {@link #request}). */
    private static final int C1_FULL = 1;
    /** The class HotSpot binds its WhiteBox natives to (loaded by the boot loader only). */
    private static final String CLASS = "jdk.test.whitebox.WhiteBox";

    /**
     * Whether HotSpot has bound {@link WhiteBox}: the class is on the boot class path and
     * {@code -XX:+WhiteBoxAPI} is on. Only then does any call below reach the class. The calls
     * are compiled against jvmx's declaration of it: method handles to it were spun into ten
     * classes at every start (about 6 ms of CPU beside the guest's start, and their compiles in
     * C1's queue).
     */
    private static final boolean BOUND;
    private static final boolean ON;
    private static final String DISPLAY = "DisplayVMOutput";

    static {
        boolean bound;
        try {
            // Initialised even when turned off: binding it turns HotSpot's console output back on.
            Class.forName(CLASS, true, null);
            bound = true;
        } catch (ClassNotFoundException | LinkageError | SecurityException e) {
            bound = false; // not on the boot class path, or HotSpot without -XX:+WhiteBoxAPI
        }
        BOUND = bound;
        ON = bound && !Boolean.getBoolean("jvmx.noCompileRequests");
    }

    private HotSpotCompiles() { }

    /** True when compiles can be asked for. */
    public static boolean available() {
        return ON;
    }

    /**
     * Calls that put a block's translation ahead of regions in C1's queue (-Djvmx.compileAheadCalls=N,
     * 0 for none). Below 128, where HotSpot's interpreter first tells its compile policy about a
     * method's calls (Tier0InvokeNotifyFreqLog), so they ask for nothing themselves.
     */
    static final int AHEAD_CALLS = Integer.getInteger("jvmx.compileAheadCalls", 16);

    /**
     * Queues {@code code}'s method for C1, a block's at tier 1 and a region's at tier 3
     * (profiled, for C2); returns the method to poll with
     * {@link #compiled}, or null when there is no code or HotSpot would not take it (then put it
     * in place at once). The translation worker asks, as soon as it has made the class.
     *
     * <p>C1 takes from its queue the method with the most invocations and back edges (HotSpot's
     * CompilationPolicy::select_task), and a new translation has none: it waited behind every
     * method HotSpot had queued by its counts, then behind the translations asked for before it,
     * regions among them, whose profiled compiles take C1 10-150 ms each. Yet a block's
     * translation ({@code blockWaits}) is what its block waits for in the first tier, while a
     * region replaces blocks already translated. So the block's is first called
     * {@link #AHEAD_CALLS} times with no Cpu ({@link CompiledBlock#execute} then returns at once,
     * in HotSpot's interpreter), which puts it ahead of the regions. In a Linux boot
     * (-XX:+LogCompilation) blocks then waited 12.5 ms in C1's queue (median) instead of 88
     * (bench/RESULTS.md). The worker takes blocks first as well (TranslationWorker#submit).
     */
    static Method request(CompiledBlock code, boolean blockWaits) {
        if (!ON || code == null) {
            return null;
        }
        try {
            Method m = execute(code);
            if (blockWaits) {
                for (int i = 0; i < AHEAD_CALLS; i++) {
                    code.execute(null);
                }
            }
            // A block's translation at tier 1: its compile is the quickest C1 makes, and its code
            // the fastest C1's. A hot block is soon replaced by its region, which is profiled for
            // C2; one that forms none and stays hot is asked at tier 3 later (promote). While C2
            // is held back, HotSpot takes no request above its limit: then at that tier.
            int level = blockWaits ? C1_FULL : C2Hold.held() ? C2Hold.LIMIT : C1_PROFILED;
            return WhiteBox.INSTANCE.enqueueMethodForCompilation0(m, level, -1) ? m : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Queues a block's translation, which {@link #request} had compiled at tier 1, at tier 3, from
     * where HotSpot's policy takes it to C2 as it does any profiled method. False while C2 is held
     * back (ask again later) or when HotSpot would not take it.
     */
    static boolean promote(CompiledBlock code) {
        if (!ON || C2Hold.held()) {
            return false;
        }
        try {
            return WhiteBox.INSTANCE.enqueueMethodForCompilation0(execute(code), C1_PROFILED, -1);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** The method of {@code code} that HotSpot is asked to compile. */
    private static Method execute(CompiledBlock code) throws NoSuchMethodException {
        return code.getClass().getDeclaredMethod("execute", Cpu.class);
    }

    /**
     * Adds compiler directives (the text of a directives file) through WhiteBox: the number
     * added, 0 when HotSpot refused them, -1 when WhiteBox is not bound here (then
     * {@code Compiler.directives_add} does it, runtime.CompilerDirectives). HotSpot reports on
     * its console, which is the guest's: its output is off meanwhile, as before WhiteBox was bound.
     */
    public static synchronized int addCompilerDirectives(String directives) {
        if (!BOUND) {
            return -1;
        }
        try {
            WhiteBox wb = WhiteBox.INSTANCE;
            boolean shown = Boolean.TRUE.equals(wb.getBooleanVMFlag(DISPLAY));
            wb.setBooleanVMFlag(DISPLAY, false);
            try {
                return wb.addCompilerDirective(directives);
            } finally {
                wb.setBooleanVMFlag(DISPLAY, shown);
            }
        } catch (RuntimeException | LinkageError e) {
            return -1;
        }
    }

    /** One of HotSpot's integer flags, or null when it cannot be read here. */
    static Long intxFlag(String name) {
        try {
            return ON ? WhiteBox.INSTANCE.getIntxVMFlag(name) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** One of HotSpot's boolean flags, or null when it cannot be read here. */
    static Boolean booleanFlag(String name) {
        try {
            return ON ? WhiteBox.INSTANCE.getBooleanVMFlag(name) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Sets one of HotSpot's integer flags; false when that cannot be done here. */
    static boolean setIntxFlag(String name, long value) {
        if (!ON) {
            return false;
        }
        try {
            WhiteBox.INSTANCE.setIntxVMFlag(name, value);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** HotSpot's tier for {@code m}'s code now (0: interpreted), -1 when it cannot be asked here. */
    static int level(Method m) {
        try {
            return ON ? WhiteBox.INSTANCE.getMethodCompilationLevel0(m, false) : -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /**
     * True once HotSpot has compiled {@code m} (at any tier). Asked through the method's
     * compilation level, which reads its code pointer: WhiteBox's {@code isMethodCompiled} takes
     * the lock compiler threads hold while they put code in place, and a SeaBIOS boot's guest
     * thread waited 13 ms of its 0.4 s on it (async-profiler, wall clock).
     */
    static boolean compiled(Method m) {
        if (!ON) {
            return true;
        }
        try {
            return WhiteBox.INSTANCE.getMethodCompilationLevel0(m, false) > 0;
        } catch (RuntimeException e) {
            return true;
        }
    }
}
