package dev.jvmx.translator.decode;

import java.util.Arrays;

/**
 * An open-addressing table from {@link Insn#formKey() form keys} (never negative) to values: the
 * first tier looks a form's handlers up by key, without building the form's string.
 */
public final class FormKeyTable<V> {
    private long[] keys = emptyKeys(256);
    private Object[] values = new Object[256];
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

    /** The value for {@code key}, or null. */
    @SuppressWarnings("unchecked")
    public V get(long key) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return (V) values[i];
            }
            if (k == Insn.NO_FORM_KEY) {
                return null;
            }
        }
    }

    /** Sets the value for {@code key}, a form key (not {@link Insn#NO_FORM_KEY}). */
    public void put(long key, V v) {
        if (2 * (size + 1) > keys.length) {
            long[] oldKeys = keys;
            Object[] oldValues = values;
            keys = emptyKeys(2 * oldKeys.length);
            values = new Object[keys.length];
            size = 0;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != Insn.NO_FORM_KEY) {
                    place(oldKeys[i], oldValues[i]);
                }
            }
        }
        place(key, v);
    }

    private void place(long key, Object v) {
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
