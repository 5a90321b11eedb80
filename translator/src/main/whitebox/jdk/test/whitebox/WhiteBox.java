package jdk.test.whitebox;

import java.lang.reflect.Executable;

/**
 * jvmx's declaration of the few HotSpot WhiteBox functions it uses, by the names and descriptors
 * HotSpot binds them to (HotSpot's own test library has the full class; jvmx does not ship it).
 * The launcher puts this class alone on the boot class path with {@code -XX:+WhiteBoxAPI}: HotSpot
 * binds the natives only for a class of this name loaded by the boot loader. It reports each
 * function it has and this class lacks on its console output, so the launcher starts HotSpot with
 * that output off ({@code -XX:-DisplayVMOutput}) and this class turns it back on once bound.
 * Used by dev.jvmx.translator.exec.HotSpotCompiles.
 */
public final class WhiteBox {
    private static native void registerNatives();

    public static final WhiteBox INSTANCE;

    static {
        registerNatives();
        INSTANCE = new WhiteBox();
        INSTANCE.setBooleanVMFlag("DisplayVMOutput", true);
    }

    private WhiteBox() { }

    /** Queues {@code method} for compilation at {@code level} (1-4); false when HotSpot will not. */
    public native boolean enqueueMethodForCompilation0(Executable method, int level, int entryBci);

    /**
     * The tier of {@code method}'s compiled code (its OSR code when {@code osr}), 0 when it has
     * none. Unlike {@code isMethodCompiled0} it takes no lock the compiler threads hold.
     */
    public native int getMethodCompilationLevel0(Executable method, boolean osr);

    /** An integer HotSpot flag's value, or null when there is no such flag. */
    public native Long getIntxVMFlag(String name);

    /** A boolean HotSpot flag's value, or null when there is no such flag. */
    public native Boolean getBooleanVMFlag(String name);

    /** Sets an integer HotSpot flag. */
    public native void setIntxVMFlag(String name, long value);

    /** Sets a boolean HotSpot flag. */
    public native void setBooleanVMFlag(String name, boolean value);

    /** Adds compiler directives written as HotSpot's directives file has them; the number added, 0 on a parse error. */
    public native int addCompilerDirective(String directives);
}
