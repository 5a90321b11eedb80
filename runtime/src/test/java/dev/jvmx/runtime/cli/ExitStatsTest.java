package dev.jvmx.runtime.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `jvmx boot --exit-stats` on the default guest: the I/O rows match what the guest writes to its UART; the TLB line. */
class ExitStatsTest {
    /** The guest's serial output: the body of first-guest.expected after its header's blank line, CR LF kept. */
    private static int expectedUartBytes() throws IOException {
        String text = Files.readString(CliRun.image("first-guest.expected"), StandardCharsets.ISO_8859_1);
        return text.substring(text.indexOf("\n\n") + 2).length();
    }

    private static long row(String report, String key) {
        Matcher m = Pattern.compile("^\\s*" + Pattern.quote(key) + "\\s+(\\d+)\\s", Pattern.MULTILINE).matcher(report);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    @Test
    void ioTableCountsEveryUartWrite() throws IOException {
        CliRun r = CliRun.of("boot", "--exit-stats", "--timeout", "120");
        assertEquals(0, r.exitCode, r.toString());
        int bytes = expectedUartBytes();
        // Three lines, each with CR LF (48 + 2, 41 + 2, 4 + 2 = 99 today): counted from the file.
        assertTrue(bytes > 0);
        // Under the default controls every OUT exits (unconditional I/O exiting). To 0x3F8 the guest
        // writes each output byte to THR, plus once the divisor latch low byte in uart_init
        // (guest-images/src/common/uart.c: DLAB set, outb(0x3F8, 0x01)).
        assertEquals(bytes + 1, row(r.err, "0x3f8:POUT"), r.err);
        // uart_init's other writes: IER twice, FCR once, LCR twice, MCR once.
        assertEquals(2, row(r.err, "0x3f9:POUT"), r.err);
        assertEquals(1, row(r.err, "0x3fa:POUT"), r.err);
        assertEquals(2, row(r.err, "0x3fb:POUT"), r.err);
        assertEquals(1, row(r.err, "0x3fc:POUT"), r.err);
        // uart_putc polls LSR at least once per byte.
        assertTrue(row(r.err, "0x3fd:PIN") >= bytes, r.err);
        assertTrue(row(r.err, "IO_INSTRUCTION") >= 2L * bytes + 7, r.err);
    }

    /**
     * The TLB's full flushes are counted by cause, and the causes add up to the total. The default
     * guest switches to protected mode without paging, which empties nothing (SystemOps.setCr0):
     * its flushes are the machine's RESET and the memory map's set-up.
     */
    @Test
    void tlbLineCountsFullFlushesByCause() {
        CliRun r = CliRun.of("boot", "--exit-stats", "--timeout", "120");
        assertEquals(0, r.exitCode, r.toString());
        Matcher m = Pattern.compile("^TLB: (\\d+) full flushes \\(([^)]*)\\), \\d+ CR3 loads, \\d+ INVLPG$", Pattern.MULTILINE)
                .matcher(r.err);
        assertTrue(m.find(), r.err);
        long sum = 0;
        for (String cause : m.group(2).split(", ")) {
            sum += Long.parseLong(cause.substring(0, cause.indexOf(' ')));
        }
        assertEquals(Long.parseLong(m.group(1)), sum, m.group());
        assertTrue(m.group(2).contains("RESET or INIT"), m.group());
        assertTrue(!m.group(2).contains("paging controls"), m.group());
    }
}
