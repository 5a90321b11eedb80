package dev.jvmx.translator.fpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link X87Encodings} agrees with what the host CPU executes and what raises #UD (SIGILL). */
class EncodingTableTest {
    @Test
    void undefinedEncodingsAreTheHostsOnes() throws Exception {
        String why = HostX87.unavailableReason();
        if (why == null && !HostX87.oracleVendor()) why = "host CPU is " + HostX87.vendor();
        if (why != null) System.out.println("EncodingTableTest SKIPPED: " + why);
        assumeTrue(why == null, why);
        boolean[][] ud = EncodingProbe.undefined();
        int checked = 0;
        for (int op = 0; op < 8; op++) {
            for (int modrm = 0; modrm < 256; modrm++) {
                if (modrm < 0xC0 && (modrm & 0xC7) != 6) continue;
                assertEquals(ud[op][modrm], X87Encodings.undefined(0xD8 + op, modrm),
                        String.format("%02X %02X", 0xD8 + op, modrm));
                checked++;
            }
        }
        assertEquals(8 * 72, checked);
    }
}
