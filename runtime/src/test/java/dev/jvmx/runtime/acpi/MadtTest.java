package dev.jvmx.runtime.acpi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The MADT laid out by hand from the ACPI 6.5 specification, 5.2.12, and checked with iasl where installed. */
class MadtTest {
    @TempDir
    Path dir;

    @Test
    void jvmxTableByteForByte() {
        byte[] t = Madt.forMachine(9);
        byte[] want = {
            'A', 'P', 'I', 'C', 90, 0, 0, 0, 1, 0, 'J', 'V', 'M', 'X', ' ', ' ',
            'J', 'V', 'M', 'X', 'A', 'P', 'I', 'C', 1, 0, 0, 0, 'J', 'V', 'M', 'X', 1, 0, 0, 0,
            0, 0, (byte) 0xE0, (byte) 0xFE, 1, 0, 0, 0,            // local APIC address, PCAT_COMPAT
            0, 8, 0, 0, 1, 0, 0, 0,                                 // processor UID 0, APIC ID 0, enabled
            1, 12, 0, 0, 0, 0, (byte) 0xC0, (byte) 0xFE, 0, 0, 0, 0, // I/O APIC 0 at FEC00000h, GSI base 0
            2, 10, 0, 0, 2, 0, 0, 0, 0, 0,                          // ISA IRQ0 -> GSI 2, conforming
            2, 10, 0, 9, 9, 0, 0, 0, 0x0D, 0,                       // SCI: IRQ9 -> GSI 9, level, active high
            4, 6, (byte) 0xFF, 0, 0, 1,                             // NMI on LINT1 of every processor
        };
        int sum = 0;
        for (byte b : t) {
            sum += b;
        }
        assertEquals(0, sum & 0xFF, "checksum");
        want[9] = t[9];
        assertArrayEquals(want, t);
    }

    /** -smp 2: a Processor Local APIC entry per processor (UID and APIC ID = its index), before the I/O APIC. */
    @Test
    void oneLocalApicEntryPerProcessor() {
        byte[] one = Madt.forMachine(9);
        byte[] two = Madt.forMachine(9, 2);
        assertEquals(one.length + 8, two.length);
        assertEquals(two.length, (two[4] & 0xFF) | (two[5] & 0xFF) << 8, "header length");
        int sum = 0;
        for (byte b : two) {
            sum += b;
        }
        assertEquals(0, sum & 0xFF, "checksum");
        assertArrayEquals(new byte[] {0, 8, 0, 0, 1, 0, 0, 0, 0, 8, 1, 1, 1, 0, 0, 0, 1, 12},
                Arrays.copyOfRange(two, 44, 62));
    }

    @Test
    void iaslReadsIt() throws Exception {
        Process v;
        try {
            v = new ProcessBuilder("iasl", "-v").redirectErrorStream(true).start();
            v.getInputStream().readAllBytes();
            v.waitFor(20, TimeUnit.SECONDS);
        } catch (java.io.IOException e) {
            assumeTrue(false, "iasl (Debian's acpica-tools) is not installed");
            return;
        }
        Path dat = dir.resolve("apic.dat");
        Files.write(dat, Madt.forMachine(9));
        Process p = new ProcessBuilder("iasl", "-d", dat.toString()).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        String dsl = Files.readString(dir.resolve("apic.dsl"));
        assertTrue(!dsl.contains("Invalid") && !dsl.contains("Error"), dsl);
        assertTrue(dsl.contains("Interrupt Source Override"), dsl);
        assertTrue(!dsl.contains("Incorrect checksum"), dsl);
        assertTrue(dsl.contains("Local Apic NMI") || dsl.contains("Local APIC NMI"), dsl);
    }
}
