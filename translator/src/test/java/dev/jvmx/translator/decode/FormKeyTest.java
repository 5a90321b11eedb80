package dev.jvmx.translator.decode;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Insn#formKey()} stands for {@link Insn#form()} in the first tier's handler lookup: two
 * instructions must share a key exactly when they share a form, or one would run the other's
 * handler. Checked over random encodings with random prefixes, in 16- and 32-bit code.
 */
class FormKeyTest {
    private static final int[] PREFIXES = {0x66, 0x67, 0xF2, 0xF3, 0xF0, 0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65};

    @Test
    void keysAndFormsDetermineEachOther() {
        Random r = new Random(0x466F726DL);
        Map<Long, String> formOfKey = new HashMap<>();
        Map<String, Long> keyOfForm = new HashMap<>();
        byte[] bytes = new byte[16];
        for (int n = 0; n < 400_000; n++) {
            r.nextBytes(bytes);
            int p = 0;
            for (int k = r.nextInt(4); k > 0; k--) {
                bytes[p++] = (byte) PREFIXES[r.nextInt(PREFIXES.length)];
            }
            if (r.nextInt(3) == 0) {
                bytes[p] = 0x0F; // two-byte opcodes as often as they matter
            }
            boolean code32 = r.nextBoolean();
            Insn insn = Decoder.decode(off -> bytes[off & 15] & 0xFF, 0, code32);
            long key = insn.formKey();
            String form = insn.form();
            assertNotEquals(Insn.NO_FORM_KEY, key, form + " has no key");
            String before = formOfKey.putIfAbsent(key, form);
            assertEquals(before == null ? form : before, form, "two forms share key " + Long.toHexString(key));
            Long keyBefore = keyOfForm.putIfAbsent(form, key);
            assertEquals(keyBefore == null ? key : keyBefore, key, "one form, two keys: " + form);
        }
        assertTrue(keyOfForm.size() > 2000, "only " + keyOfForm.size() + " forms met");
    }
}
