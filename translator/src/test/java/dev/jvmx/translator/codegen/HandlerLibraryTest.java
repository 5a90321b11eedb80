package dev.jvmx.translator.codegen;

import dev.jvmx.translator.decode.Decoder;
import dev.jvmx.translator.decode.Insn;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandlerLibraryTest {
    /**
     * The build's factory makes, for each index line's number, an instance of that line's class,
     * and its index (what lookup answers, by form key or by form) holds exactly the entries of
     * the index text.
     */
    @Test
    void everyIndexedHandlerComesFromTheFactoryAsItsOwnClass() throws IOException {
        int n = 0;
        int keyed = 0;
        try (InputStream in = HandlerLibrary.class.getClassLoader().getResourceAsStream(HandlerLibrary.INDEX)) {
            assertNotNull(in, "the build made no handler library (translator/pom.xml, handler-library)");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; n++) {
                String[] f = line.split("\t");
                long formKey = Long.parseUnsignedLong(f[1], 16);
                HandlerLibrary.Entry e = new HandlerLibrary.Entry(Integer.parseUnsignedInt(f[2], 16),
                        Integer.parseUnsignedInt(f[3], 16), Integer.parseInt(f[4]));
                Handler h = HandlerLibrary.instantiate(e);
                assertEquals(e.className(), h.getClass().getName(), line);
                HandlerLibrary.Entry[] found = formKey != Insn.NO_FORM_KEY ? HandlerLibrary.lookup(formKey) : HandlerLibrary.lookup(f[0]);
                assertNotNull(found, line);
                assertTrue(Arrays.asList(found).contains(e), "the factory's index lacks " + line);
                keyed += formKey != Insn.NO_FORM_KEY ? 1 : 0;
            }
        }
        assertTrue(n > 100, "handlers in the library: " + n);
        assertEquals(n, keyed, "every form of the corpus has a key today");
        assertEquals(n, HandlerLibrary.loadAll(), "the training run's loadAll must reach every indexed handler");
    }

    /** A library whose keys were numbered by other classes (an IDE's compile without the build step) is used by form only. */
    @Test
    void keysOfAnotherNumberingAreLeftOut() {
        HandlerLibrary.Index stale = new HandlerLibrary.Index();
        HandlerLibrary.indexFingerprint(stale, Insn.formKeyFingerprint() + 1);
        HandlerLibrary.indexEntry(stale, 42L, 0, 0, 7);
        HandlerLibrary.indexEntry(stale, "NOP o4 null", 0, 0, 8);
        assertNull(stale.get(42L));
        assertEquals(8, stale.get("NOP o4 null")[0].number());

        HandlerLibrary.Index current = new HandlerLibrary.Index();
        HandlerLibrary.indexFingerprint(current, Insn.formKeyFingerprint());
        HandlerLibrary.indexEntry(current, 42L, 1, 1, 7);
        HandlerLibrary.indexEntry(current, 42L, 1, 0, 9);
        assertEquals(2, current.get(42L).length, "a form's entries, one per mode it was made for");
        assertEquals(9, current.get(42L)[1].number());
    }

    /** Each line's key is the key of its form: a form decoded from its corpus encoding finds the line's handler. */
    @Test
    void aDecodedInstructionFindsItsFormsHandlersByKey() {
        // MOV EAX, [EBX+4] and REP MOVSB, 32-bit code: forms every corpus has.
        for (byte[] bytes : new byte[][] {{(byte) 0x8B, 0x43, 0x04}, {(byte) 0xF3, (byte) 0xA4}}) {
            Insn insn = Decoder.decode(off -> off < bytes.length ? bytes[off] & 0xFF : 0, 0, true);
            HandlerLibrary.Entry[] found = HandlerLibrary.lookup(insn.formKey());
            assertNotNull(found, insn.form());
            assertTrue(found.length > 0, insn.form());
        }
    }
}
