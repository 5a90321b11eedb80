package dev.jvmx.translator.exec;

import dev.jvmx.translator.codegen.BlockLoader;
import dev.jvmx.translator.codegen.Handler;
import dev.jvmx.translator.codegen.HandlerCompiler;
import dev.jvmx.translator.codegen.HandlerLibrary;
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
    private final FormKeyTable byKey = new FormKeyTable();
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
        String key = form != null ? form : insn.form();
        long t0 = System.nanoTime();
        Variant v = fromLibrary(key, mode);
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

    /** The library's handler for this form in this mode, if it has one. */
    private static Variant fromLibrary(String form, int mode) {
        HandlerLibrary.Entry[] entries = HandlerLibrary.lookup(form);
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

    /** An open-addressing table from form keys (never negative) to a form's variants. */
    private static final class FormKeyTable {
        private long[] keys = emptyKeys(256);
        private Variant[][] values = new Variant[256][];
        private int size;

        private static long[] emptyKeys(int n) {
            long[] k = new long[n];
            Arrays.fill(k, Insn.NO_FORM_KEY);
            return k;
        }

        private static int slot(long key, int mask) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h >>> 40) & mask;
        }

        Variant[] get(long key) {
            int mask = keys.length - 1;
            for (int i = slot(key, mask); ; i = (i + 1) & mask) {
                long k = keys[i];
                if (k == key) {
                    return values[i];
                }
                if (k == Insn.NO_FORM_KEY) {
                    return null;
                }
            }
        }

        void put(long key, Variant[] v) {
            if (2 * (size + 1) > keys.length) {
                long[] oldKeys = keys;
                Variant[][] oldValues = values;
                keys = emptyKeys(2 * oldKeys.length);
                values = new Variant[keys.length][];
                size = 0;
                for (int i = 0; i < oldKeys.length; i++) {
                    if (oldKeys[i] != Insn.NO_FORM_KEY) {
                        put(oldKeys[i], oldValues[i]);
                    }
                }
            }
            int mask = keys.length - 1;
            int i = slot(key, mask);
            while (keys[i] != Insn.NO_FORM_KEY && keys[i] != key) {
                i = (i + 1) & mask;
            }
            if (keys[i] == Insn.NO_FORM_KEY) {
                size++;
            }
            keys[i] = key;
            values[i] = v;
        }
    }
}
