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
     * Defines a translation ({@link BlockCompiler.Result#classBytes}) as a hidden class whose RAM
     * is {@code ram}, the machine's {@code PhysicalMemory.array}, whose TLB entries are
     * {@code tlbRead} and {@code tlbWrite}, those of the privilege level it was translated for,
     * and whose code-page flags are {@code codePage} (the machine's), and returns its code. The class keeps the arrays: when the machine replaces its RAM array
     * (RAM on demand taken in), every translation made before must be dropped, as the code cache
     * does.
     */
    public static CompiledBlock define(byte[] classBytes, byte[] ram, long[] tlbRead, long[] tlbWrite,
                                       boolean[] codePage) throws ReflectiveOperationException {
        Class<?> c = lookup().defineHiddenClassWithClassData(classBytes, List.of(ram, tlbRead, tlbWrite, codePage), true)
                .lookupClass();
        return (CompiledBlock) c.getDeclaredConstructor().newInstance();
    }
}
