package dev.jvmx.translator.fpu;

import org.junit.jupiter.api.Test;

import static dev.jvmx.translator.fpu.Float80.J;
import static dev.jvmx.translator.fpu.FpuImage.get16;
import static dev.jvmx.translator.fpu.FpuImage.get32;
import static dev.jvmx.translator.fpu.FpuImage.get64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The memory images, field by field from SDM Vol. 1 Figures 8-9 to 8-12 and Table 10-2. */
class FpuImageTest {
    /** TOP = 6, R6 = 1.0 (ST0), R7 = 0 (ST1), R0 = denormal (ST2), the rest empty. */
    static FpuState sample() {
        FpuState s = new FpuState();
        s.init();
        s.loadControlWord(0x0A7F);
        s.top = 6;
        s.set(0, J, 0x3FFF);   // R6 = 1.0
        s.set(1, 0, 0);        // R7 = +0
        s.set(2, 1, 0);        // R0 = denormal
        s.signal(FpuState.PE);
        s.sw |= FpuState.C3;
        s.fip = 0x12345678;
        s.fcs = 0x1000;
        s.fop = 0x5C1;
        s.fdp = 0x9ABCDEF0;
        s.fds = 0x0023;
        return s;
    }

    @Test
    void tagWordIsByPhysicalRegister() {
        FpuState s = sample();
        // R0 special (10), R1..R5 empty (11), R6 valid (00), R7 zero (01)
        assertEquals(0b01_00_11_11_11_11_11_10, s.tagWord());
        assertEquals(0b1100_0001, s.abridgedTagWord());
    }

    @Test
    void protectedMode32() {
        FpuState s = sample();
        byte[] b = new byte[28];
        FpuImage.storeEnvironment(s, b, 0, true, false);
        assertEquals(0xFFFF0A7F, get32(b, 0));
        assertEquals(0xFFFF0000 | 0x4000 | 6 << 11 | 0x20, get32(b, 4)); // C3, TOP 6, PE
        assertEquals(0xFFFF0000 | 0b01_00_11_11_11_11_11_10, get32(b, 8));
        assertEquals(0x12345678, get32(b, 12));
        assertEquals(0x5C1 << 16 | 0x1000, get32(b, 16));
        assertEquals(0x9ABCDEF0, get32(b, 20));
        assertEquals(0xFFFF0023, get32(b, 24));
        assertEquals(0x0A7F | 0x3F, s.cw, "FNSTENV masks every exception afterwards");
    }

    @Test
    void realMode32HoldsLinearAddresses() {
        FpuState s = sample();
        s.fip = 0x5678;
        s.fdp = 0xDEF0;
        byte[] b = new byte[28];
        FpuImage.storeEnvironment(s, b, 0, true, true);
        int ip = 0x10000 + 0x5678, dp = 0x230 + 0xDEF0;
        assertEquals(0xFFFF0000 | (ip & 0xFFFF), get32(b, 12));
        assertEquals((ip >>> 16) << 12 | 0x5C1, get32(b, 16));
        assertEquals(0xFFFF0000 | (dp & 0xFFFF), get32(b, 20));
        assertEquals((dp >>> 16) << 12, get32(b, 24));
        FpuState t = new FpuState();
        FpuImage.loadEnvironment(t, b, 0, true, true);
        assertEquals(ip, t.fip);
        assertEquals(0, t.fcs);
        assertEquals(0x5C1, t.fop);
        assertEquals(dp, t.fdp);
    }

    @Test
    void sixteenBitFormats() {
        FpuState s = sample();
        byte[] b = new byte[14];
        FpuImage.storeEnvironment(s, b, 0, false, false);
        assertEquals(0x0A7F, get16(b, 0));
        assertEquals(0x5678, get16(b, 6));
        assertEquals(0x1000, get16(b, 8));
        assertEquals(0xDEF0, get16(b, 10));
        assertEquals(0x0023, get16(b, 12));
        s = sample();
        s.fip = 0x5678;
        s.fdp = 0xDEF0;
        FpuImage.storeEnvironment(s, b, 0, false, true);
        int ip = 0x15678, dp = 0xE120;
        assertEquals(ip & 0xFFFF, get16(b, 6));
        assertEquals((ip >>> 16) << 12 | 0x5C1, get16(b, 8));
        assertEquals(dp & 0xFFFF, get16(b, 10));
        assertEquals((dp >>> 16) << 12, get16(b, 12));
    }

    @Test
    void saveRestoreRoundTripAndRegisterOrder() {
        for (int fmt = 0; fmt < 4; fmt++) {
            boolean op32 = (fmt & 1) != 0, real = (fmt & 2) != 0;
            FpuState s = sample();
            byte[] b = new byte[108];
            FpuImage.save(s, b, 0, op32, real);
            int r = FpuImage.environmentSize(op32);
            assertEquals(J, get64(b, r), "ST(0) first");
            assertEquals(0x3FFF, get16(b, r + 8));
            assertEquals(1, get64(b, r + 20), "ST(2) = R0");
            assertEquals(0x037F, s.cw, "FNSAVE initializes");
            assertEquals(0xFF, s.empty);
            FpuState t = new FpuState();
            FpuImage.restore(t, b, 0, op32, real);
            FpuState u = sample();
            assertEquals(u.statusWord(), t.statusWord());
            assertEquals(u.tagWord(), t.tagWord());
            assertEquals(u.cw, t.cw);
            for (int i = 0; i < 8; i++) {
                if (!u.isEmpty(i)) {
                    assertEquals(u.m(i), t.m(i));
                    assertEquals(u.se(i), t.se(i));
                }
            }
        }
    }

    @Test
    void loadedTagsOnlySayEmptyOrNot() {
        FpuState s = new FpuState();
        byte[] b = new byte[28];
        FpuImage.put32(b, 0, 0x037F);
        FpuImage.put32(b, 4, 0);
        FpuImage.put32(b, 8, 0xFFFC); // R0 tagged "valid", the rest empty
        s.mant[0] = 0;
        s.sexp[0] = 0;               // but R0 holds +0
        FpuImage.loadEnvironment(s, b, 0, true, false);
        assertEquals(0xFFFD, s.tagWord(), "the tag comes from the contents: zero");
    }

    @Test
    void fxsaveLayout() {
        FpuState s = sample();
        s.mxcsr = 0x1F80;
        byte[] b = new byte[512];
        FpuImage.fxsave(s, b, 0);
        assertEquals(0x0A7F, get16(b, 0));
        assertEquals(s.statusWord(), get16(b, 2));
        assertEquals(0xC1, b[4] & 0xFF);
        assertEquals(0x5C1, get16(b, 6));
        assertEquals(0x12345678, get32(b, 8));
        assertEquals(0x1000, get16(b, 12));
        assertEquals(0x9ABCDEF0, get32(b, 16));
        assertEquals(0x0023, get16(b, 20));
        assertEquals(0x1F80, get32(b, 24));
        assertEquals(J, get64(b, 32));
        assertEquals(0x3FFF, get16(b, 40));
        assertEquals(1, get64(b, 64));
        FpuState t = new FpuState();
        assertTrue(FpuImage.fxrstorValid(b, 0));
        FpuImage.fxrstor(t, b, 0);
        assertEquals(s.tagWord(), t.tagWord());
        assertEquals(s.statusWord(), t.statusWord());
        FpuImage.put32(b, 24, 0x10000);
        assertFalse(FpuImage.fxrstorValid(b, 0), "reserved MXCSR bit: #GP");
    }
}
