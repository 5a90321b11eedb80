package dev.jvmx.translator.codegen;

import java.lang.invoke.MethodHandles;

/** The lookup that defines translated blocks as hidden classes in this package. */
public final class BlockLoader {
    private BlockLoader() { }

    public static MethodHandles.Lookup lookup() {
        return MethodHandles.lookup();
    }

    /**
     * Defines a translation ({@link BlockCompiler.Result#classBytes}) as a hidden class whose RAM
     * is {@code ram}, the machine's {@code PhysicalMemory.array}, and returns its code. The class
     * keeps that array: when the machine replaces it (RAM on demand taken in), every translation
     * made before must be dropped, as the execution loop does by flushing the code cache.
     */
    public static CompiledBlock define(byte[] classBytes, byte[] ram) throws ReflectiveOperationException {
        Class<?> c = lookup().defineHiddenClassWithClassData(classBytes, ram, true).lookupClass();
        return (CompiledBlock) c.getDeclaredConstructor().newInstance();
    }
}
