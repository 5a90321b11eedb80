package dev.jvmx.translator.codegen;

import java.lang.invoke.MethodHandles;

/** The lookup that defines translated blocks as hidden classes in this package. */
public final class BlockLoader {
    private BlockLoader() { }

    public static MethodHandles.Lookup lookup() {
        return MethodHandles.lookup();
    }
}
