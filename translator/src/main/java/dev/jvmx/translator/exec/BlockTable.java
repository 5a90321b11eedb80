package dev.jvmx.translator.exec;

import java.util.AbstractCollection;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The code cache's blocks by key (physical address and mode bits, see {@link CodeCache}): an
 * open-addressing table with linear probing over a {@code long[]} of keys beside a {@code Block[]},
 * so a lookup allocates nothing and reads two arrays (a {@code HashMap<Long, Block>} boxed every
 * key it was asked for and chased a node per entry). Deletion shifts the entries after a hole
 * back, so probing never meets a tombstone.
 */
final class BlockTable {
    private long[] keys;
    private Block[] values;
    private int mask;
    private int size;

    BlockTable() {
        allocate(1 << 12);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        values = new Block[capacity];
        mask = capacity - 1;
    }

    /** The slot to start probing at: Fibonacci hashing of the key's bits. */
    private int home(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    }

    int size() {
        return size;
    }

    Block get(long key) {
        for (int i = home(key); ; i = (i + 1) & mask) {
            Block b = values[i];
            if (b == null || keys[i] == key) {
                return b;
            }
        }
    }

    /** Maps {@code key} to {@code b}; returns the block it replaces, or null. */
    Block put(long key, Block b) {
        int i = home(key);
        for (; values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                Block old = values[i];
                values[i] = b;
                return old;
            }
        }
        keys[i] = key;
        values[i] = b;
        if (++size > (mask + 1) / 2) {
            grow();
        }
        return null;
    }

    /** Removes {@code key} if it maps to {@code b}; true when it did. */
    boolean remove(long key, Block b) {
        for (int i = home(key); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                if (values[i] != b) {
                    return false;
                }
                deleteAt(i);
                return true;
            }
        }
        return false;
    }

    /** Empties slot {@code hole}, moving back the entries of its probe run that may no longer be reached. */
    private void deleteAt(int hole) {
        size--;
        for (int j = (hole + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int h = home(keys[j]);
            // The entry at j may fill the hole when its home is not in (hole, j] cyclically.
            if (((j - h) & mask) >= ((j - hole) & mask)) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        values[hole] = null;
        keys[hole] = 0;
    }

    private void grow() {
        long[] k = keys;
        Block[] v = values;
        allocate(k.length * 2);
        for (int i = 0; i < k.length; i++) {
            if (v[i] != null) {
                int j = home(k[i]);
                while (values[j] != null) {
                    j = (j + 1) & mask;
                }
                keys[j] = k[i];
                values[j] = v[i];
            }
        }
    }

    void clear() {
        Arrays.fill(values, null);
        Arrays.fill(keys, 0);
        size = 0;
    }

    /** The blocks, as a view (not to be changed while it is walked). */
    Collection<Block> values() {
        return new AbstractCollection<>() {
            @Override
            public Iterator<Block> iterator() {
                return new Iterator<>() {
                    private int i = advance(0);

                    private int advance(int from) {
                        while (from < values.length && values[from] == null) {
                            from++;
                        }
                        return from;
                    }

                    @Override
                    public boolean hasNext() {
                        return i < values.length;
                    }

                    @Override
                    public Block next() {
                        if (i >= values.length) {
                            throw new NoSuchElementException();
                        }
                        Block b = values[i];
                        i = advance(i + 1);
                        return b;
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }
}
