package dev.jvmx.translator.codegen;

import java.lang.invoke.MethodHandles;
import java.util.List;

/** The lookup that defines translated blocks as hidden classes in this package. */
public final class BlockLoader {
    private BlockLoader() { }

    public static MethodHandles.Lookup lookup() {
        return MethodHandles.lookup();
    }

    /**
     * Defines a translation ({@link BlockCompiler.Result#classBytes}) as a hidden class and returns
     * its code. Its class data, which it keeps as constants (see {@code ClassFiles}): RAM
     * ({@code PhysicalMemory.array}), the TLB entries of the privilege level it was translated for
     * and the machine's code-page flags. When the machine replaces its RAM array (RAM on demand
     * taken in), every translation made before must be dropped, as the code cache does.
     */
    public static CompiledBlock define(byte[] classBytes, byte[] ram, long[] tlbRead, long[] tlbWrite,
                                       boolean[] codePage) throws ReflectiveOperationException {
        List<Object> data = classData(ram, tlbRead, tlbWrite, codePage);
        Class<?> c = lookup().defineHiddenClassWithClassData(classBytes, data, true).lookupClass();
        return (CompiledBlock) c.getDeclaredConstructor().newInstance();
    }

    /** A translation's class data, in the order of its static finals (ClassFiles.withOverride). */
    public static List<Object> classData(byte[] ram, long[] tlbRead, long[] tlbWrite, boolean[] codePage) {
        return List.of(ram, tlbRead, tlbWrite, codePage);
    }
}
