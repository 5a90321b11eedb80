package dev.jvmx.runtime.acpi;

import dev.jvmx.translator.mem.PhysicalMemory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The machine's ACPI tables, linked as a firmware would link them (BiosLinker.install), checked
 * against ACPI 6.5 chapter 5 (signatures, lengths, checksums, pointers, alignment) and by
 * Debian's iasl (acpica-tools), the ACPI project's own disassembler and compiler: it decodes
 * every field, and compiling its disassembly of the DSDT gives our AML byte for byte.
 */
class AcpiTablesTest {
    static final int PM_BASE = 0x600;
    static boolean iasl;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findIasl() {
        iasl = run(List.of("iasl", "-v"), null).contains("ACPI");
        if (!iasl) {
            System.err.println("AcpiTablesTest: SKIPPING the iasl checks: iasl (Debian's acpica-tools) is not installed;"
                    + " .ci/run installs it");
        }
    }

    /** A linked set of tables in memory: RSDP address and the tables by signature. */
    record Linked(PhysicalMemory mem, int rsdp, Map<String, Integer> tables) { }

    static Linked linked(AcpiTables t) {
        PhysicalMemory m = new PhysicalMemory(2 << 20, 0);
        Map<String, Long> at = t.link().install(m, 0xE0000, 0x100000);
        int rsdp = at.get(AcpiTables.RSDP_FILE).intValue();
        Map<String, Integer> tables = new java.util.LinkedHashMap<>();
        int rsdt = m.read32(rsdp + 16);
        tables.put("RSDT", rsdt);
        for (int i = 0; i < (m.read32(rsdt + 4) - 36) / 4; i++) {
            int a = m.read32(rsdt + 36 + 4 * i);
            tables.put(sig(m, a), a);
        }
        int fadt = tables.get("FACP");
        tables.put("FACS", m.read32(fadt + 36));
        tables.put("DSDT", m.read32(fadt + 40));
        return new Linked(m, rsdp, tables);
    }

    static String sig(PhysicalMemory m, int a) {
        return new String(bytes(m, a, 4), StandardCharsets.US_ASCII);
    }

    static byte[] bytes(PhysicalMemory m, int a, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) m.read8(a + i);
        }
        return b;
    }

    static int sum(byte[] b) {
        int s = 0;
        for (byte x : b) {
            s += x;
        }
        return s & 0xFF;
    }

    @Test
    void rsdpInTheBiosAreaPointsToChecksummedTables() {
        Linked l = linked(new AcpiTables(PM_BASE));
        PhysicalMemory m = l.mem;
        assertTrue(l.rsdp >= 0xE0000 && l.rsdp < 0x100000 && l.rsdp % 16 == 0, "RSDP on a 16-byte boundary in 0xE0000-0xFFFFF");
        assertEquals("RSD PTR ", new String(bytes(m, l.rsdp, 8), StandardCharsets.US_ASCII));
        assertEquals(0, sum(bytes(m, l.rsdp, 20)), "RSDP checksum over its 20 bytes");
        assertEquals("JVMX  ", new String(bytes(m, l.rsdp + 9, 6), StandardCharsets.US_ASCII));
        assertEquals(0, m.read8(l.rsdp + 15), "revision 0");
        assertEquals(List.of("RSDT", "FACP", "FACS", "DSDT"), new ArrayList<>(l.tables.keySet()));
        for (Map.Entry<String, Integer> t : l.tables.entrySet()) {
            int a = t.getValue();
            int len = m.read32(a + 4);
            if (!t.getKey().equals("FACS")) {
                assertEquals(0, sum(bytes(m, a, len)), t.getKey() + " checksum");
                assertEquals("JVMX  ", new String(bytes(m, a + 10, 6), StandardCharsets.US_ASCII));
            }
        }
        assertEquals(0, l.tables.get("FACS") % 64, "FACS 64-byte aligned");
        assertEquals(64, m.read32(l.tables.get("FACS") + 4));
        assertEquals(244, m.read32(l.tables.get("FACP") + 4), "FADT revision 3 is 244 bytes");
        int fadt = l.tables.get("FACP");
        assertEquals(9, m.read16(fadt + 46), "SCI_INT");
        assertEquals(0, m.read32(fadt + 48), "no SMI_CMD: always in ACPI mode");
        assertEquals(PM_BASE, m.read32(fadt + 56), "PM1a_EVT_BLK");
        assertEquals(PM_BASE + 4, m.read32(fadt + 64), "PM1a_CNT_BLK");
        assertEquals(PM_BASE + 8, m.read32(fadt + 76), "PM_TMR_BLK");
    }

    @Test
    void anAddedTableIsListedAndChecksummed() {
        AcpiTables t = new AcpiTables(PM_BASE);
        byte[] madt = AcpiTables.header("APIC", 44, 1);
        madt[36] = 0x00; // local APIC address and flags would follow here
        t.addTable(madt);
        Linked l = linked(t);
        assertEquals(List.of("RSDT", "FACP", "APIC", "FACS", "DSDT"), new ArrayList<>(l.tables.keySet()));
        int a = l.tables.get("APIC");
        assertEquals(0, sum(bytes(l.mem, a, 44)));
    }

    @Test
    void hpetTableDescribesTheBlock() throws IOException {
        AcpiTables t = new AcpiTables(PM_BASE);
        t.addTable(AcpiTables.hpet(0x0098968080862201L, 0xFED00000L));
        Linked l = linked(t);
        int a = l.tables.get("HPET");
        assertEquals(56, l.mem.read32(a + 4));
        assertEquals(0x80862201, l.mem.read32(a + 36), "event timer block ID");
        assertEquals(0, sum(bytes(l.mem, a, 56)));
        if (iasl) {
            String d = disassemble(l, "HPET");
            field(d, "Hardware Block ID", "80862201");
            field(d, "Space ID", "00 [SystemMemory]");
            field(d, "Bit Width", "40");
            field(d, "Address", "00000000FED00000");
            field(d, "Sequence Number", "00");
        }
    }

    @Test
    void tableLoaderCommandsAreQemusFormat() {
        BiosLinker b = new AcpiTables(PM_BASE).link();
        byte[] cmds = b.loaderBytes();
        assertEquals(0, cmds.length % 128);
        // First: ALLOCATE "etc/acpi/rsdp", align 16, zone FSEG (2).
        assertEquals(1, BiosLinker.get32(cmds, 0));
        assertEquals("etc/acpi/rsdp", new String(cmds, 4, 13, StandardCharsets.US_ASCII));
        assertEquals(0, cmds[4 + 13]);
        assertEquals(16, BiosLinker.get32(cmds, 4 + 56));
        assertEquals(2, cmds[4 + 56 + 4]);
        // Second: ALLOCATE "etc/acpi/tables", align 64, zone HIGH (1).
        assertEquals(1, BiosLinker.get32(cmds, 128));
        assertEquals("etc/acpi/tables", new String(cmds, 128 + 4, 15, StandardCharsets.US_ASCII));
        assertEquals(64, BiosLinker.get32(cmds, 128 + 4 + 56));
        assertEquals(1, cmds[128 + 4 + 56 + 4]);
        // Last: the RSDP's checksum over its 20 bytes, at offset 8.
        int last = cmds.length - 128;
        assertEquals(3, BiosLinker.get32(cmds, last));
        assertEquals(8, BiosLinker.get32(cmds, last + 4 + 56));
        assertEquals(0, BiosLinker.get32(cmds, last + 4 + 56 + 4));
        assertEquals(20, BiosLinker.get32(cmds, last + 4 + 56 + 8));
    }

    // ---- iasl

    private String disassemble(Linked l, String sig) throws IOException {
        int a = l.tables.get(sig);
        Path f = tmp.resolve(sig.toLowerCase() + ".dat");
        Files.write(f, bytes(l.mem, a, l.mem.read32(a + 4)));
        String log = run(List.of("iasl", "-d", f.toString()), tmp);
        Path dsl = tmp.resolve(sig.toLowerCase() + ".dsl");
        assertTrue(Files.isRegularFile(dsl), "iasl did not disassemble " + sig + ":\n" + log);
        assertFalse(log.matches("(?s).*(Error|Warning|Invalid|Incorrect).*"), "iasl complained about " + sig + ":\n" + log);
        return Files.readString(dsl);
    }

    /** The value iasl prints for a field, e.g. "SCI Interrupt : 0009". */
    private static void field(String dsl, String name, String value) {
        assertTrue(java.util.regex.Pattern.compile("(?m)\\s" + java.util.regex.Pattern.quote(name) + " : "
                + java.util.regex.Pattern.quote(value) + "(\\s|$)").matcher(dsl).find(),
                "iasl shows " + name + " : " + value + "\n" + dsl);
    }

    @Test
    void iaslDecodesTheFadtAsDesigned() throws IOException {
        assumeTrue(iasl, "iasl (acpica-tools) is not installed");
        String d = disassemble(linked(new AcpiTables(PM_BASE)), "FACP");
        field(d, "Revision", "03");
        field(d, "SCI Interrupt", "0009");
        field(d, "SMI Command Port", "00000000");
        field(d, "PM1A Event Block Address", "00000600");
        field(d, "PM1A Control Block Address", "00000604");
        field(d, "PM Timer Block Address", "00000608");
        field(d, "PM1 Event Block Length", "04");
        field(d, "PM1 Control Block Length", "02");
        field(d, "PM Timer Block Length", "04");
        field(d, "GPE0 Block Address", "00000000");
        field(d, "C2 Latency", "0065");
        field(d, "C3 Latency", "03E9");
        field(d, "RTC Century Index", "32");
        field(d, "8042 Present on ports 60/64 (V2)", "1");
        field(d, "Reset Register Supported (V2)", "1");
        field(d, "32-bit PM Timer (V1)", "0");
        field(d, "Space ID", "01 [SystemIO]");
        field(d, "Address", "0000000000000CF9");
        field(d, "Value to cause reset", "06");
    }

    @Test
    void iaslDecodesRsdtAndFacs() throws IOException {
        assumeTrue(iasl, "iasl (acpica-tools) is not installed");
        Linked l = linked(new AcpiTables(PM_BASE));
        String rsdt = disassemble(l, "RSDT");
        field(rsdt, "ACPI Table Address   0", String.format("%08X", l.tables.get("FACP")));
        String facs = disassemble(l, "FACS");
        field(facs, "Length", "00000040");
        field(facs, "Version", "01");
    }

    @Test
    void dsdtRecompiledByIaslIsOurAml() throws IOException {
        assumeTrue(iasl, "iasl (acpica-tools) is not installed");
        Linked l = linked(new AcpiTables(PM_BASE));
        String dsl = disassemble(l, "DSDT");
        assertTrue(dsl.contains("Name (\\_S3, Package (0x04)"), dsl);
        assertTrue(dsl.contains("Name (\\_S5, Package (0x04)"), dsl);
        // Compile the disassembly back without iasl's name optimisations and compare the AML after the header.
        Path src = tmp.resolve("again.dsl");
        Files.writeString(src, dsl);
        String log = run(List.of("iasl", "-oa", src.toString()), tmp);
        Path aml = tmp.resolve("again.aml");
        assertTrue(Files.isRegularFile(aml), log);
        assertTrue(log.contains("0 Errors, 0 Warnings"), log);
        byte[] theirs = Files.readAllBytes(aml);
        int a = l.tables.get("DSDT");
        byte[] ours = bytes(l.mem, a, l.mem.read32(a + 4));
        assertArrayEquals(java.util.Arrays.copyOfRange(theirs, 36, theirs.length), java.util.Arrays.copyOfRange(ours, 36, ours.length));
    }

    static String run(List<String> cmd, Path dir) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }
}
