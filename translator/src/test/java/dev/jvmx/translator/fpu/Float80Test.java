package dev.jvmx.translator.fpu;

import org.junit.jupiter.api.Test;

import static dev.jvmx.translator.fpu.Float80.J;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Encodings of the extended format (SDM Vol. 1, Table 4-3 and Table 8-3). */
class Float80Test {
    @Test
    void classesOfEveryEncoding() {
        assertEquals(Float80.ZERO, Float80.classify(0, 0));
        assertEquals(Float80.ZERO, Float80.classify(0, 0x8000));
        assertEquals(Float80.DENORMAL, Float80.classify(1, 0));
        assertEquals(Float80.DENORMAL, Float80.classify(0x7FFFFFFFFFFFFFFFL, 0x8000));
        assertEquals(Float80.PSEUDO_DENORMAL, Float80.classify(J, 0));
        assertEquals(Float80.NORMAL, Float80.classify(J, 0x3FFF));
        assertEquals(Float80.NORMAL, Float80.classify(-1L, 0x7FFE));
        assertEquals(Float80.NORMAL, Float80.classify(J, 1));
        assertEquals(Float80.UNSUPPORTED, Float80.classify(0x4000000000000000L, 0x3FFF), "unnormal");
        assertEquals(Float80.UNSUPPORTED, Float80.classify(0, 0x3FFF), "unnormal zero significand");
        assertEquals(Float80.INFINITY, Float80.classify(J, 0x7FFF));
        assertEquals(Float80.INFINITY, Float80.classify(J, 0xFFFF));
        assertEquals(Float80.UNSUPPORTED, Float80.classify(0, 0x7FFF), "pseudo-infinity");
        assertEquals(Float80.UNSUPPORTED, Float80.classify(0x4000000000000000L, 0x7FFF), "pseudo-NaN");
        assertEquals(Float80.SNAN, Float80.classify(J | 1, 0x7FFF));
        assertEquals(Float80.QNAN, Float80.classify(0xC000000000000000L, 0x7FFF));
        assertEquals(Float80.QNAN, Float80.classify(Float80.INDEFINITE_M, Float80.INDEFINITE_SE), "real indefinite");
        assertTrue(Float80.isSNaN(J | 1, 0xFFFF));
        assertFalse(Float80.isSNaN(Float80.INDEFINITE_M, Float80.INDEFINITE_SE));
    }

    @Test
    void tagsAsFnsaveShowsThem() {
        assertEquals(0, Float80.tag(J, 0x3FFF));
        assertEquals(1, Float80.tag(0, 0x8000));
        assertEquals(2, Float80.tag(1, 0));                   // denormal
        assertEquals(2, Float80.tag(J, 0));                   // pseudo-denormal
        assertEquals(2, Float80.tag(J, 0x7FFF));              // infinity
        assertEquals(2, Float80.tag(0xC000000000000000L, 0x7FFF));
        assertEquals(2, Float80.tag(0x4000000000000000L, 0x4000)); // unnormal
    }

    @Test
    void diagnosticsConversion() {
        assertEquals(1.0, Float80.toDouble(J, 0x3FFF));
        assertEquals(-3.0, Float80.toDouble(0xC000000000000000L, 0xC000));
        assertEquals(Double.NEGATIVE_INFINITY, Float80.toDouble(J, 0xFFFF));
        assertEquals("3FFF:8000000000000000", Float80.toString(J, 0x3FFF));
    }
}
