package dev.jvmx.translator.exec;

import dev.jvmx.translator.codegen.CompiledBlock;
import dev.jvmx.translator.cpu.Cpu;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;

/**
 * Asks HotSpot to compile a translation's method now, and tells when it has: through HotSpot's
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
    /** The class HotSpot binds its WhiteBox natives to (loaded by the boot loader only). */
    private static final String CLASS = "jdk.test.whitebox.WhiteBox";

    private static final Object WHITEBOX;
    private static final MethodHandle ENQUEUE;
    private static final MethodHandle COMPILED;
    private static final MethodHandle SET_INTX_FLAG;
    private static final MethodHandle GET_INTX_FLAG;
    private static final MethodHandle GET_BOOLEAN_FLAG;

    static {
        Object wb = null;
        MethodHandle enqueue = null;
        MethodHandle compiled = null;
        MethodHandle setIntx = null;
        MethodHandle getIntx = null;
        MethodHandle getBoolean = null;
        try {
            // Initialised even when turned off: binding it turns HotSpot's console output back on.
            Class<?> c = Class.forName(CLASS, true, null);
            MethodHandles.Lookup l = MethodHandles.publicLookup();
            wb = c.getField("INSTANCE").get(null);
            // Bound to the instance, so that the calls below are exact: a generic invoke() adapts
            // its arguments at every call, which in HotSpot's interpreter cost a SeaBIOS boot's
            // guest thread about 5 ms of polling for compiles.
            enqueue = l.findVirtual(c, "enqueueMethodForCompilation0",
                    MethodType.methodType(boolean.class, Executable.class, int.class, int.class)).bindTo(wb);
            compiled = l.findVirtual(c, "getMethodCompilationLevel0",
                    MethodType.methodType(int.class, Executable.class, boolean.class)).bindTo(wb);
            setIntx = l.findVirtual(c, "setIntxVMFlag", MethodType.methodType(void.class, String.class, long.class)).bindTo(wb);
            getIntx = l.findVirtual(c, "getIntxVMFlag", MethodType.methodType(Long.class, String.class)).bindTo(wb);
            getBoolean = l.findVirtual(c, "getBooleanVMFlag", MethodType.methodType(Boolean.class, String.class)).bindTo(wb);
        } catch (ReflectiveOperationException | LinkageError | SecurityException e) {
            wb = null; // not on the boot class path, or HotSpot without -XX:+WhiteBoxAPI
        }
        WHITEBOX = Boolean.getBoolean("jvmx.noCompileRequests") ? null : wb;
        ENQUEUE = enqueue;
        COMPILED = compiled;
        SET_INTX_FLAG = setIntx;
        GET_INTX_FLAG = getIntx;
        GET_BOOLEAN_FLAG = getBoolean;
    }

    private HotSpotCompiles() { }

    /** True when compiles can be asked for. */
    public static boolean available() {
        return WHITEBOX != null;
    }

    /**
     * Queues {@code code}'s method for C1 (profiled); returns the method to poll with
     * {@link #compiled}, or null when there is no code or HotSpot would not take it (then put it
     * in place at once). The translation worker asks, as soon as it has made the class.
     */
    static Method request(CompiledBlock code) {
        if (WHITEBOX == null || code == null) {
            return null;
        }
        try {
            Method m = code.getClass().getDeclaredMethod("execute", Cpu.class);
            // While C2 is held back, HotSpot takes no request above its limit: then at that tier.
            int level = C2Hold.held() ? C2Hold.LIMIT : C1_PROFILED;
            return (boolean) ENQUEUE.invokeExact((Executable) m, level, -1) ? m : null;
        } catch (Throwable e) {
            return null;
        }
    }

    /** One of HotSpot's integer flags, or null when it cannot be read here. */
    static Long intxFlag(String name) {
        return (Long) flag(GET_INTX_FLAG, name);
    }

    /** One of HotSpot's boolean flags, or null when it cannot be read here. */
    static Boolean booleanFlag(String name) {
        return (Boolean) flag(GET_BOOLEAN_FLAG, name);
    }

    /** A flag through one of WhiteBox's getters, or null. */
    private static Object flag(MethodHandle getter, String name) {
        if (WHITEBOX == null) {
            return null;
        }
        try {
            return getter.invoke(name);
        } catch (Throwable e) {
            return null;
        }
    }

    /** Sets one of HotSpot's integer flags; false when that cannot be done here. */
    static boolean setIntxFlag(String name, long value) {
        if (WHITEBOX == null) {
            return false;
        }
        try {
            SET_INTX_FLAG.invokeExact(name, value);
            return true;
        } catch (Throwable e) {
            return false;
        }
    }

    /**
     * True once HotSpot has compiled {@code m} (at any tier). Asked through the method's
     * compilation level, which reads its code pointer: WhiteBox's {@code isMethodCompiled} takes
     * the lock compiler threads hold while they put code in place, and a SeaBIOS boot's guest
     * thread waited 13 ms of its 0.4 s on it (async-profiler, wall clock).
     */
    static boolean compiled(Method m) {
        if (WHITEBOX == null) {
            return true;
        }
        try {
            return (int) COMPILED.invokeExact((Executable) m, false) > 0;
        } catch (Throwable e) {
            return true;
        }
    }
}
