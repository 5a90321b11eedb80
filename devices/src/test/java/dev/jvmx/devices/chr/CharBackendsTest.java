package dev.jvmx.devices.chr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CharBackendsTest {
    @Test
    void stdoutSinkHoldsBytesUntilNewlineOrFlush() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StdoutSink s = new StdoutSink(out);
        s.write('a');
        assertEquals(0, out.size());
        s.write('\n');
        assertEquals("a\n", out.toString());
        s.write('b');
        s.flush();
        assertEquals("a\nb", out.toString());
    }

    @Test
    void fileSinkAppends(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("serial.log");
        Files.writeString(f, "old:");
        try (FileSink s = new FileSink(f)) {
            s.write('n');
            s.write('e');
            s.write('w');
        }
        assertEquals("old:new", Files.readString(f));
    }

    @Test
    void telnetFilterStripsCommandsPerRfc854() {
        TelnetFilter t = new TelnetFilter();
        int[] in = {'a', 255, 253, 1, 'b', 255, 255, 255, 250, 24, 0, 'x', 255, 240, 'c', 255, 241, '\r', 0, '\r', '\n'};
        StringBuilder got = new StringBuilder();
        for (int b : in) {
            int d = t.accept(b);
            if (d >= 0) {
                got.append((char) d);
            }
        }
        assertEquals("ab\u00ffc\r\r\n", got.toString());
    }

    @Test
    void escapeDecoderCtrlAxQuitsAndCtrlACtrlASendsOne() {
        EscapeDecoder e = new EscapeDecoder();
        assertEquals('q', e.accept('q'));
        assertEquals(-1, e.accept(1));
        assertEquals(1, e.accept(1));
        assertEquals(-1, e.accept(1));
        assertEquals(-1, e.accept('z')); // unknown escape is swallowed
        assertEquals('z', e.accept('z'));
        assertEquals(-1, e.accept(1));
        assertEquals(EscapeDecoder.QUIT, e.accept('x'));
    }

    @Test
    void stdioBackendQueuesInputAndCallsQuit() throws Exception {
        AtomicInteger quits = new AtomicInteger();
        InputStream in = new ByteArrayInputStream(new byte[] {'h', 'i', 1, 1, 1, 'x'});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StdioBackend b = new StdioBackend(in, new StdoutSink(out), quits::incrementAndGet).start();
        long end = System.currentTimeMillis() + 5000;
        while (quits.get() == 0 && System.currentTimeMillis() < end) {
            Thread.sleep(5);
        }
        assertEquals(1, quits.get());
        assertEquals('h', b.read());
        assertEquals('i', b.read());
        assertEquals(1, b.read());
        assertEquals(-1, b.read());
        b.write('o');
        b.flush();
        assertEquals("o", out.toString());
    }

    /** A pipe on standard input waits for the guest: every byte arrives, in order, none dropped. */
    @Test
    void stdioBackendFromAPipeWaitsInsteadOfDropping() throws Exception {
        int n = 3 * StdioBackend.INPUT_BOUND + 7;
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) {
            data[i] = (byte) ('a' + i % 26);
        }
        StdioBackend b = new StdioBackend(new ByteArrayInputStream(data), new StdoutSink(new ByteArrayOutputStream()),
                () -> { }, false).start();
        long end = System.currentTimeMillis() + 10_000;
        int got = 0;
        while (got < n && System.currentTimeMillis() < end) {
            int c = b.read();
            if (c < 0) {
                Thread.sleep(1);
                continue;
            }
            assertEquals('a' + got % 26, c, "byte " + got);
            got++;
        }
        assertEquals(n, got);
        assertEquals(0, b.droppedInput());
    }

    /** Keys typed on a terminal past the bound are dropped and counted (so Ctrl-A x is still read). */
    @Test
    void stdioBackendFromATerminalDropsPastTheBound() throws Exception {
        AtomicInteger quits = new AtomicInteger();
        byte[] data = new byte[StdioBackend.INPUT_BOUND + 100 + 2];
        java.util.Arrays.fill(data, (byte) 'k');
        data[data.length - 2] = 1;
        data[data.length - 1] = 'x';
        StdioBackend b = new StdioBackend(new ByteArrayInputStream(data), new StdoutSink(new ByteArrayOutputStream()),
                quits::incrementAndGet).start();
        long end = System.currentTimeMillis() + 5000;
        while (quits.get() == 0 && System.currentTimeMillis() < end) {
            Thread.sleep(5);
        }
        assertEquals(1, quits.get());
        assertEquals(100, b.droppedInput());
        int kept = 0;
        while (b.read() >= 0) {
            kept++;
        }
        assertEquals(StdioBackend.INPUT_BOUND, kept);
    }

    @Test
    void tcpBackendNegotiatesAndCarriesBytesBothWays() throws Exception {
        try (TcpSerialBackend b = new TcpSerialBackend(0);
             Socket s = new Socket(InetAddress.getLoopbackAddress(), b.localPort())) {
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            byte[] hello = in.readNBytes(6);
            // RFC 857 ECHO is option 1, RFC 858 SUPPRESS-GO-AHEAD option 3; WILL is 251.
            assertArrayEquals(new byte[] {(byte) 255, (byte) 251, 1, (byte) 255, (byte) 251, 3}, hello);
            assertTrue(b.awaitClient(5000));
            OutputStream out = s.getOutputStream();
            out.write(new byte[] {(byte) 255, (byte) 253, 1, 'k', (byte) 255, (byte) 255});
            out.flush();
            int first = -1;
            long end = System.currentTimeMillis() + 5000;
            while (first < 0 && System.currentTimeMillis() < end) {
                first = b.read();
                Thread.sleep(1);
            }
            assertEquals('k', first);
            int second = -1;
            while (second < 0 && System.currentTimeMillis() < end) {
                second = b.read();
            }
            assertEquals(0xFF, second);
            b.write('z');
            b.write(0xFF);
            b.flush();
            assertArrayEquals(new byte[] {'z', (byte) 255, (byte) 255}, in.readNBytes(3));
        }
    }

    @Test
    void tcpBackendWithoutClientKeepsOutputAndHasNoInput() throws Exception {
        try (TcpSerialBackend b = new TcpSerialBackend(0)) {
            b.write('x');
            b.flush();
            assertEquals(1, b.pending());
            assertEquals(0, b.dropped());
            assertEquals(-1, b.read());
        }
    }
}
