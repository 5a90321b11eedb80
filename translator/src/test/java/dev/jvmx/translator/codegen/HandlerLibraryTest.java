package dev.jvmx.translator.codegen;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandlerLibraryTest {
    /**
     * The build's factory makes, for each index line's number, an instance of that line's class,
     * and its index (what lookup answers) holds exactly the entries of the index text.
     */
    @Test
    void everyIndexedHandlerComesFromTheFactoryAsItsOwnClass() throws IOException {
        int n = 0;
        try (InputStream in = HandlerLibrary.class.getClassLoader().getResourceAsStream(HandlerLibrary.INDEX)) {
            assertNotNull(in, "the build made no handler library (translator/pom.xml, handler-library)");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; n++) {
                String[] f = line.split("\t");
                HandlerLibrary.Entry e = new HandlerLibrary.Entry(Integer.parseUnsignedInt(f[1], 16),
                        Integer.parseUnsignedInt(f[2], 16), f[3], Integer.parseInt(f[4]));
                Handler h = HandlerLibrary.instantiate(e);
                assertEquals(e.className(), h.getClass().getName(), line);
                assertNotNull(HandlerLibrary.lookup(f[0]), line);
                assertTrue(Arrays.asList(HandlerLibrary.lookup(f[0])).contains(e), "the factory's index lacks " + line);
            }
        }
        assertTrue(n > 100, "handlers in the library: " + n);
        assertEquals(n, HandlerLibrary.loadAll(), "the training run's loadAll must reach every indexed handler");
    }
}
