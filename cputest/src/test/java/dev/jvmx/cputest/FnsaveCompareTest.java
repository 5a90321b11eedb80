package dev.jvmx.cputest;

import org.junit.jupiter.api.Test;

import static dev.jvmx.translator.fpu.FpuImage.put16;
import static dev.jvmx.translator.fpu.FpuImage.put32;
import static dev.jvmx.translator.fpu.FpuImage.put64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What counts as the documented transcendental difference, and how FNSAVE images are compared (values worked by hand). */
class FnsaveCompareTest {
    private static byte[] image(int sw, long m, int se) {
        byte[] b = X87Mix.initImage();
        put32(b, 4, 0xFFFF0000 | sw);
        put32(b, 8, 0xFFFFFFFC);
        put64(b, FnsaveCompare.REGS, m);
        put16(b, FnsaveCompare.REGS + 8, se);
        return b;
    }

    private static int ulps(long am, int ae, long bm, int be) {
        return FnsaveCompare.ulps(image(0, am, ae), 0, image(0, bm, be));
    }

    @Test
    void oneUlpIsTheNextEncodingAcrossBinadesAndIntoTheDenormals() {
        assertEquals(0, ulps(0x8000000000000000L, 0x3FFF, 0x8000000000000000L, 0x3FFF));
        assertEquals(1, ulps(0x8000000000000001L, 0x3FFF, 0x8000000000000000L, 0x3FFF));
        assertEquals(1, ulps(0xFFFFFFFFFFFFFFFFL, 0x3FFE, 0x8000000000000000L, 0x3FFF));   // 1 - 2^-64 and 1
        assertEquals(1, ulps(0xFFFFFFFFFFFFFFFFL, 0xBFFE, 0x8000000000000000L, 0xBFFF));   // negative
        assertEquals(1, ulps(0x7FFFFFFFFFFFFFFFL, 0x0000, 0x8000000000000000L, 0x0001));   // largest denormal, smallest normal
        assertEquals(1, ulps(0, 0, 1, 0));                                                 // +0 and the smallest denormal
        assertEquals(-1, ulps(0x8000000000000002L, 0x3FFF, 0x8000000000000000L, 0x3FFF));  // two ulps
        assertEquals(-1, ulps(0xFFFFFFFFFFFFFFFFL, 0x3FFE, 0x8000000000000001L, 0x3FFF));  // two ulps across a binade
        assertEquals(-1, ulps(0, 0x8000, 0, 0));                                           // -0 and +0
        assertEquals(-1, ulps(0x8000000000000000L, 0x7FFF, 0xFFFFFFFFFFFFFFFFL, 0x7FFE));  // infinity and the largest
        assertEquals(-1, ulps(0xC000000000000000L, 0xFFFF, 0xC000000000000001L, 0xFFFF));  // NaNs
        assertEquals(-1, ulps(0x8000000000000000L, 0x0000, 0x7FFFFFFFFFFFFFFFL, 0x0000));  // a pseudo-denormal
        assertEquals(-1, ulps(0x7FFFFFFFFFFFFFFFL, 0x3FFF, 0x8000000000000000L, 0x3FFF));  // an unnormal
    }

    @Test
    void aZeroAndTheSmallestDenormalAreOneUlpApartTagsIncluded() {
        byte[] zero = image(0x0020, 0, 0x8000), denormal = image(0x0020, 1, 0x8000);
        put32(zero, 8, 0xFFFFFFFD);     // ST(0) in register 0: tag 01, zero
        put32(denormal, 8, 0xFFFFFFFE); // tag 10, special
        assertEquals(1, FnsaveCompare.ulps(zero, 0, denormal));
        assertEquals(1, FnsaveCompare.ulps(denormal, 0, zero));
        // A tag that does not say what its register holds is a difference of its own.
        put32(denormal, 8, 0xFFFFFFFC);
        assertEquals(-1, FnsaveCompare.ulps(zero, 0, denormal));
        // With TOP = 5, ST(0) is register 5.
        byte[] z5 = image(0x2820, 0, 0), d5 = image(0x2820, 1, 0);
        put32(z5, 8, 0xFFFFF7FF);
        put32(d5, 8, 0xFFFFFBFF);
        assertEquals(1, FnsaveCompare.ulps(z5, 0, d5));
        put32(d5, 8, 0xFFFFFFFE); // register 0's tag changed instead
        assertEquals(-1, FnsaveCompare.ulps(z5, 0, d5));
    }

    @Test
    void c1AloneIsTheOtherDocumentedDifferenceAndNothingElseIs() {
        long one = 0x8000000000000000L;
        assertEquals(0, FnsaveCompare.ulps(image(0x0220, one, 0x3FFF), 0, image(0x0020, one, 0x3FFF)));
        assertEquals(1, FnsaveCompare.ulps(image(0x0220, one + 1, 0x3FFF), 0, image(0x0020, one, 0x3FFF)));
        assertEquals(-1, FnsaveCompare.ulps(image(0x0020, one, 0x3FFF), 0, image(0x0000, one, 0x3FFF)));  // PE
        assertEquals(-1, FnsaveCompare.ulps(image(0x0400, one, 0x3FFF), 0, image(0x0000, one, 0x3FFF)));  // C2
        byte[] tw = image(0, one, 0x3FFF);
        put32(tw, 8, 0xFFFFFFFE);
        assertEquals(-1, FnsaveCompare.ulps(tw, 0, image(0, one, 0x3FFF)));
    }

    @Test
    void imagesDifferInEverythingButTheUnrecordedPointers() {
        byte[] a = image(0x3800, 0x8000000000000000L, 0x3FFF), b = image(0x3800, 0x8000000000000000L, 0x3FFF);
        put32(a, 16, 0x07FF0023); // FOP, FCS
        put32(a, 20, 0x12345678); // FDP
        put32(a, 24, 0xFFFF002B); // FDS
        put32(a, FnsaveCompare.FIP, 0x401000);
        put32(b, FnsaveCompare.FIP, 0x1000);
        assertEquals("", FnsaveCompare.differences(a, 0, b, 0x1000, true, "line 0"));
        String d = FnsaveCompare.differences(a, 0, b, 0x1002, true, "line 0");
        assertTrue(d.contains("fpu fip native 00401000 (line 0) jvmx 00001000, expected 00001002"), d);
        put32(b, 0, 0xFFFF027F);
        put64(b, FnsaveCompare.REGS + 70, 1);
        d = FnsaveCompare.differences(a, 0, b, 0x1000, true, "");
        assertTrue(d.contains("fpu cw native ffff037f jvmx ffff027f") && d.contains("fpu st(7) native 0000:0000000000000000 jvmx 0000:0000000000000001"), d);
    }
}
