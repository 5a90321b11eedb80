package dev.jvmx.vmx;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Expected counts, percentages and times are worked by hand from the recorded samples. */
class ExitStatisticsTest {

    private static ExitStatistics sample() {
        ExitStatistics s = new ExitStatistics();
        // IO: 1000 + 3000 + 2000 = 6000 ns; HLT 3000 ns; CPUID 1000 ns. 5 samples, 10000 ns.
        s.record(ExitReason.IO_INSTRUCTION, 1000);
        s.record(ExitReason.HLT, 3000);
        s.record(ExitReason.IO_INSTRUCTION, 3000);
        s.record(ExitReason.CPUID, 1000);
        s.record(ExitReason.IO_INSTRUCTION, 2000);
        return s;
    }

    private static List<List<String>> rows(String table) {
        return table.lines().map(String::trim).filter(l -> !l.isEmpty())
                .map(l -> Arrays.asList(l.split("\\s+"))).collect(Collectors.toList());
    }

    @Test
    void accounting() {
        ExitStatistics s = sample();
        assertEquals(3, s.count(ExitReason.IO_INSTRUCTION));
        assertEquals(5, s.totalCount());
        assertEquals(0, s.count(ExitReason.RDMSR));
        // Times in the table: see tableIsSortedByCountThenSdmNumber; a reason without exits has no row.
        assertFalse(s.formatTable().contains("RDMSR"));
    }

    @Test
    void tableIsSortedByCountThenSdmNumber() {
        List<List<String>> rows = rows(sample().formatTable());
        assertEquals(List.of("VM-EXIT", "Samples", "Samples%", "Time%", "Min", "Time", "Max", "Time", "Avg", "time"),
                rows.get(0));
        // IO: 3/5 = 60% of samples, 6000/10000 = 60% of time, avg 6000/3 = 2000 ns.
        assertEquals(List.of("IO_INSTRUCTION", "3", "60.00%", "60.00%", "1.00us", "3.00us", "2.00us"), rows.get(1));
        // CPUID (10) before HLT (12) at equal counts.
        assertEquals(List.of("CPUID", "1", "20.00%", "10.00%", "1.00us", "1.00us", "1.00us"), rows.get(2));
        assertEquals(List.of("HLT", "1", "20.00%", "30.00%", "3.00us", "3.00us", "3.00us"), rows.get(3));
        assertEquals("Total Samples:5, Total events handled time:10.00us.", String.join(" ", rows.get(4)));
        assertEquals(5, rows.size());
    }

    @Test
    void tableColumnsLineUp() {
        List<String> lines = sample().formatTable().lines().limit(4).collect(Collectors.toList());
        int width = lines.get(0).length();
        for (String l : lines) assertEquals(width, l.length(), l);
    }

    @Test
    void emptyTableHasNoRowsAndNoDivisionByZero() {
        List<List<String>> rows = rows(new ExitStatistics().formatTable());
        assertEquals(2, rows.size());
        assertEquals("Total Samples:0, Total events handled time:0.00us.", String.join(" ", rows.get(1)));
    }

    @Test
    void ioSubKeys() {
        ExitStatistics s = new ExitStatistics();
        for (int i = 0; i < 3; i++) s.recordIo(0x3F8, false);
        s.recordIo(0x3F8, true);
        List<List<String>> rows = rows(s.formatIoTable());
        assertEquals(List.of("0x3f8:POUT", "3", "75.00%"), rows.get(1));
        assertEquals(List.of("0x3f8:PIN", "1", "25.00%"), rows.get(2));
        assertEquals(3, rows.size(), "no other port");
    }

    @Test
    void msrSubKeysInAndOutOfBitmapRanges() {
        ExitStatistics s = new ExitStatistics();
        s.recordMsr(0xC0000080, true);
        s.recordMsr(0x80, true);
        s.recordMsr(0x80, true);
        s.recordMsr(0x40000000, false);
        List<List<String>> rows = rows(s.formatMsrTable());
        assertEquals(4, rows.size(), "three MSR accesses and the heading: " + rows);
        assertEquals(List.of("0x80:wrmsr", "2", "50.00%"), rows.get(1));
        // Equal counts: ascending MSR number.
        assertEquals(List.of("0x40000000:rdmsr", "1", "25.00%"), rows.get(2));
        assertEquals(List.of("0xc0000080:wrmsr", "1", "25.00%"), rows.get(3));
    }

    @Test
    void crAndHoleSubKeys() {
        ExitStatistics s = new ExitStatistics();
        s.recordCr(3, CrAccessQualification.MOV_TO_CR);
        s.recordCr(3, CrAccessQualification.MOV_TO_CR);
        s.recordCr(0, CrAccessQualification.CLTS);
        List<List<String>> cr = rows(s.formatCrTable());
        assertEquals(List.of("CR3", "MOV", "to", "CR", "2", "66.67%"), cr.get(1));
        assertEquals(List.of("CLTS", "1", "33.33%"), cr.get(2));
        assertEquals(3, cr.size(), "no MOV from CR3: " + cr);

        s.recordHole("PUSH_CS");
        s.recordHole("PUSH_CS");
        s.recordHole("SGDT");
        List<List<String>> rows = rows(s.formatHoleTable());
        assertEquals(List.of("PUSH_CS", "2", "66.67%"), rows.get(1));
        assertEquals(List.of("SGDT", "1", "33.33%"), rows.get(2));
        assertEquals(3, rows.size(), "no POPF_IF: " + rows);
    }

    @Test
    void manyHolesGrowTheArray() {
        ExitStatistics s = new ExitStatistics();
        for (int i = 0; i < 40; i++) s.recordHole("HOLE" + i);
        List<List<String>> rows = rows(s.formatHoleTable());
        assertEquals(41, rows.size());
        assertTrue(rows.contains(List.of("HOLE39", "1", "2.50%")), rows.toString());
    }

    @Test
    void reportIncludesOnlyNonEmptySubTables() {
        ExitStatistics s = sample();
        s.recordIo(0x3F8, false);
        String report = s.formatReport();
        assertTrue(report.contains("IO Port Access"));
        assertFalse(report.contains("MSR Access"));
    }

    @Test
    void exceptionsByEventAndTaskSwitchesBySource() {
        ExitStatistics s = new ExitStatistics();
        // Three #PF (0x80000B0E), one INT3 #BP (0x80000603), one NMI (0x80000202); the #GP with
        // "NMI unblocking due to IRET" (bit 12) counts as a plain #GP.
        for (int info : new int[] {0x80000B0E, 0x80000603, 0x80000B0E, 0x80000202, 0x80000B0E, 0x80001B0D}) {
            s.recordException(info);
        }
        // Task switches: JMP to TSS 30h twice (0x80000030), through an IDT task gate once (0xC0000030).
        s.recordTaskSwitch(0x80000030L);
        s.recordTaskSwitch(0xC0000030L);
        s.recordTaskSwitch(0x80000030L);
        List<List<String>> ex = rows(s.formatExceptionTable());
        assertEquals(List.of("EXCEPTION_OR_NMI", "#PF", "3", "50.00%"), ex.get(1));
        // Equal counts sort by key, bits 10:0 (vector and type): NMI 0x202 < #GP 0x30D < #BP 0x603.
        assertEquals(List.of("EXCEPTION_OR_NMI", "NMI", "1", "16.67%"), ex.get(2));
        assertEquals(List.of("EXCEPTION_OR_NMI", "#GP", "1", "16.67%"), ex.get(3));
        assertEquals(List.of("EXCEPTION_OR_NMI", "#BP", "(software", "exception)", "1", "16.67%"), ex.get(4));
        List<List<String>> ts = rows(s.formatTaskSwitchTable());
        assertEquals(List.of("TASK_SWITCH", "JMP", "2", "66.67%"), ts.get(1));
        assertEquals(List.of("TASK_SWITCH", "task", "gate", "in", "IDT", "1", "33.33%"), ts.get(2));
        assertTrue(s.formatReport().contains("TASK_SWITCH JMP"));
    }
}
