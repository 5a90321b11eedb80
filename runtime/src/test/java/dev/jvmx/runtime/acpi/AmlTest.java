package dev.jvmx.runtime.acpi;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** AML encodings worked by hand from ACPI 6.5 chapter 20 (20.2.4 PkgLength, 20.2.2 names, 20.2.3 data). */
class AmlTest {
    /** PkgLength decoded as 20.2.4 says: bits 7:6 of the lead byte count the bytes that follow. */
    private static int decode(byte[] b) {
        int follow = (b[0] & 0xFF) >>> 6;
        if (follow == 0) {
            return b[0] & 0x3F;
        }
        int v = b[0] & 0x0F;
        for (int i = 0; i < follow; i++) {
            v |= (b[1 + i] & 0xFF) << (4 + 8 * i);
        }
        return v;
    }

    @Test
    void pkgLengthCountsItselfAndGrowsAt63() {
        assertArrayEquals(new byte[] {0x06}, Aml.pkgLength(5));
        assertArrayEquals(new byte[] {0x3F}, Aml.pkgLength(62), "62 + 1 = 63: the largest one-byte length");
        // 63 + 2 = 65 = 0x41: lead byte 01 00 0001 (one byte follows, low nibble 1), then 0x41 >> 4 = 4.
        assertArrayEquals(new byte[] {0x41, 0x04}, Aml.pkgLength(63));
        for (int body : new int[] {0, 1, 62, 63, 100, 4093, 4094, 1 << 20, (1 << 20) + 7}) {
            byte[] enc = Aml.pkgLength(body);
            assertEquals(body + enc.length, decode(enc), "body " + body);
        }
        assertEquals(3, Aml.pkgLength(4094).length, "4094 + 3 = 4097 > 4095: two bytes follow");
    }

    @Test
    void integersUseTheShortestEncoding() {
        assertArrayEquals(new byte[] {0x00}, Aml.integer(0));
        assertArrayEquals(new byte[] {0x01}, Aml.integer(1));
        assertArrayEquals(new byte[] {0x0A, 0x05}, Aml.integer(5));
        assertArrayEquals(new byte[] {0x0B, 0x00, 0x06}, Aml.integer(0x600));
        assertArrayEquals(new byte[] {0x0C, 0x78, 0x56, 0x34, 0x12}, Aml.integer(0x12345678));
        assertThrows(IllegalArgumentException.class, () -> Aml.integer(0x1_0000_0000L));
    }

    @Test
    void namesArePaddedAndPrefixed() {
        assertArrayEquals(new byte[] {'\\', '_', 'S', '5', '_'}, Aml.nameString("\\_S5"));
        assertArrayEquals(new byte[] {0x2E, '_', 'S', 'B', '_', 'P', 'C', 'I', '0'}, Aml.nameString("_SB.PCI0"));
        assertArrayEquals(new byte[] {'\\', 0x2F, 3, '_', 'S', 'B', '_', 'P', 'C', 'I', '0', 'I', 'S', 'A', '_'},
                Aml.nameString("\\_SB.PCI0.ISA"));
        assertThrows(IllegalArgumentException.class, () -> Aml.nameString("\\TOOLONG"));
        assertThrows(IllegalArgumentException.class, () -> Aml.nameString("\\1ABC"));
    }

    @Test
    void s5PackageAsIaslCompilesIt() {
        // Name (\_S5, Package (4) {Zero, Zero, Zero, Zero}): 08 '\_S5_' 12 <len 6> <count 4> 00 00 00 00
        assertArrayEquals(new byte[] {0x08, '\\', '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0, 0, 0, 0},
                Aml.name("\\_S5", Aml.pkg(Aml.integer(0), Aml.integer(0), Aml.integer(0), Aml.integer(0))));
    }
}
