package dev.jvmx.translator.exec;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The code cache's table of blocks against a HashMap, through growth and deletions that shift probe runs. */
class BlockTableTest {
    private static Block block(int phys) {
        return new Block(phys, 0, phys, 0, null, null, new int[0], new int[0], null, false, 1);
    }

    @Test
    void getPutAndRemoveAgreeWithAHashMap() {
        BlockTable t = new BlockTable();
        Map<Long, Block> ref = new HashMap<>();
        Random rnd = new Random(15);
        // Few distinct keys, many operations: long probe runs, deletions inside them, and growth
        // past the first capacity (4096) as the key range widens.
        for (int step = 0; step < 400_000; step++) {
            int range = step < 200_000 ? 3000 : 20_000;
            long key = ((long) (rnd.nextInt(range) << 12) << 32) | (rnd.nextInt(4) & 0xFFFFFFFFL);
            switch (rnd.nextInt(3)) {
                case 0 -> {
                    Block b = block((int) (key >>> 32));
                    assertSame(ref.put(key, b), t.put(key, b), "put " + Long.toHexString(key));
                }
                case 1 -> {
                    Block cur = ref.get(key);
                    // Removing with the wrong block leaves the entry.
                    assertFalse(t.remove(key, block(0)));
                    boolean removed = cur != null && ref.remove(key, cur);
                    assertEquals(removed, t.remove(key, cur == null ? block(0) : cur));
                }
                default -> assertSame(ref.get(key), t.get(key), "get " + Long.toHexString(key));
            }
            assertEquals(ref.size(), t.size());
        }
        for (Map.Entry<Long, Block> e : ref.entrySet()) {
            assertSame(e.getValue(), t.get(e.getKey()));
        }
        assertEquals(new HashSet<>(ref.values()), new HashSet<>(t.values()));
        t.clear();
        assertEquals(0, t.size());
        assertFalse(t.values().iterator().hasNext());
        for (Long k : ref.keySet()) {
            assertSame(null, t.get(k));
        }
    }
}
