package dev.jvmx.translator.exec;

import dev.jvmx.translator.codegen.BlockLoader;
import dev.jvmx.translator.codegen.Handler;
import dev.jvmx.translator.codegen.HandlerCompiler;
import dev.jvmx.translator.codegen.HandlerLibrary;
import dev.jvmx.translator.decode.FormKeyTable;
import dev.jvmx.translator.decode.Insn;

import java.lang.invoke.MethodHandles;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The first tier's handlers, one per instruction form: taken from the library built with jvmx
 * ({@link HandlerLibrary}) or, for a form the library lacks, made on first use. A form's
 * handler depends on some of the mode bits; each variant records which ({@code mask}) and their
 * values, so a form has as many handlers as the modes it was met in differ in those bits.
 */
final class HandlerCache {
    private record Variant(int mask, int value, Handler handler) { }

    private final MethodHandles.Lookup lookup = BlockLoader.lookup();
    /** A form's variants by {@link Insn#formKey()}: the lookup needs no string. */
    private final FormKeyTable<Variant[]> byKey = new FormKeyTable<>();
    /** The variants of a form without a key ({@link Insn#NO_FORM_KEY}), by its string. */
    private final Map<String, Variant[]> byForm = new HashMap<>();
    /** Handlers made, and the time spent making them. */
    long made;
    /** Handlers taken from the library made when jvmx was built. */
    long loaded;
    long nanos;

    /** The handler for {@code insn} in {@code mode}. */
    Handler handlerFor(Insn insn, int mode) {
        long formKey = insn.formKey();
        String form = formKey == Insn.NO_FORM_KEY ? insn.form() : null;
        Variant[] variants = form == null ? byKey.get(formKey) : byForm.get(form);
        if (variants != null) {
            for (Variant v : variants) {
                if ((mode & v.mask) == v.value) {
                    return v.handler;
                }
            }
        }
        long t0 = System.nanoTime();
        Variant v = fromLibrary(form != null ? HandlerLibrary.lookup(form) : HandlerLibrary.lookup(formKey), mode);
        if (v == null) {
            HandlerCompiler.Result r = new HandlerCompiler(mode).compile(insn);
            v = new Variant(r.consulted(), mode & r.consulted(), define(r.classBytes(), insn));
            made++;
        } else {
            loaded++;
        }
        variants = variants == null ? new Variant[] {v} : append(variants, v);
        if (form != null) {
            byForm.put(form, variants);
        } else {
            byKey.put(formKey, variants);
        }
        nanos += System.nanoTime() - t0;
        return v.handler;
    }

    /** The library's handler among a form's {@code entries} (null: none) for this mode, if it has one. */
    private static Variant fromLibrary(HandlerLibrary.Entry[] entries, int mode) {
        if (entries != null) {
            for (HandlerLibrary.Entry e : entries) {
                if ((mode & e.mask()) == e.value()) {
                    return new Variant(e.mask(), e.value(), HandlerLibrary.instantiate(e));
                }
            }
        }
        return null;
    }

    private static Variant[] append(Variant[] a, Variant v) {
        Variant[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        return b;
    }

    private Handler define(byte[] bytes, Insn insn) {
        try {
            Class<?> c = lookup.defineHiddenClass(bytes, true).lookupClass();
            return (Handler) c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError ex) {
            throw new IllegalStateException("the handler for " + insn.form() + " failed to load", ex);
        }
    }
}
