package dev.jvmx.devices.chr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** The TCP serial line never blocks the writer (the CPU thread) and never grows without bound. */
class TcpSerialBoundsTest {
    @Test
    void byteQueueDropsAndCountsWhenFull() throws Exception {
        ByteQueue q = new ByteQueue(3);
        assertTrue(q.offer(1) && q.offer(2) && q.offer(3));
        assertEquals(false, q.offer(4));
        assertEquals(1, q.dropped());
        byte[] b = new byte[8];
        assertEquals(3, q.take(b));
        assertEquals(-1, q.poll());
        q.close();
        assertEquals(-1, q.take(b));
    }

    @Test
    void outputBeforeTheClientConnectsIsKept() throws Exception {
        try (TcpSerialBackend b = TcpSerialBackend.listen(InetAddress.getLoopbackAddress(), 0, false)) {
            for (byte c : "early\n".getBytes()) {
                b.write(c);
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), b.localPort())) {
                s.setSoTimeout(5000);
                assertArrayEquals("early\n".getBytes(), s.getInputStream().readNBytes(6));
            }
            assertEquals(0, b.dropped());
        }
    }

    /** A client that connects and never reads: writes return at once; past the bound bytes are dropped and counted. */
    @Test
    void silentClientNeverBlocksTheWriter() throws Exception {
        try (TcpSerialBackend b = TcpSerialBackend.listen(InetAddress.getLoopbackAddress(), 0, false);
             Socket s = new Socket(InetAddress.getLoopbackAddress(), b.localPort())) {
            s.setReceiveBufferSize(4096);
            assertTrue(b.awaitClient(5000));
            long total = 64L << 20;
            long t0 = System.nanoTime();
            for (long i = 0; i < total; i++) {
                b.write('x');
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < 30, "writing took " + seconds + " s");
            assertTrue(b.dropped() > 0, "nothing dropped");
            assertTrue(b.dropped() < total);
        }
    }

    /** Input the guest does not read waits in a bounded queue; the client is held back by TCP, not buffered here. */
    @Test
    void unreadInputIsBounded() throws Exception {
        try (TcpSerialBackend b = TcpSerialBackend.listen(InetAddress.getLoopbackAddress(), 0, false);
             Socket s = new Socket(InetAddress.getLoopbackAddress(), b.localPort())) {
            assertTrue(b.awaitClient(5000));
            s.setSendBufferSize(4096);
            OutputStream out = s.getOutputStream();
            java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
            Thread writer = new Thread(() -> {
                try {
                    byte[] chunk = new byte[4096];
                    for (int i = 0; i < 16384; i++) {
                        out.write(chunk);
                        written.addAndGet(chunk.length);
                    }
                } catch (Exception e) {
                    // the backend closed the connection at the end of the test
                }
            });
            writer.setDaemon(true);
            writer.start();
            Thread.sleep(1000);
            assertTrue(writer.isAlive(), "64 MiB were taken although nobody read them");
            // What the client got rid of: the bounded queue plus the kernel's socket buffers.
            assertTrue(written.get() < 16L << 20, written.get() + " bytes taken");
        }
    }

    @Test
    void connectsOutLikeQemuTcpWithoutServer() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            try (TcpSerialBackend b = TcpSerialBackend.connect(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 5000);
                 Socket peer = server.accept()) {
                peer.setSoTimeout(5000);
                b.write('h');
                b.write(0xFF); // raw TCP: no IAC doubling
                InputStream in = peer.getInputStream();
                assertArrayEquals(new byte[] {'h', (byte) 0xFF}, in.readNBytes(2));
                peer.getOutputStream().write('k');
                int got = -1;
                long end = System.currentTimeMillis() + 5000;
                while (got < 0 && System.currentTimeMillis() < end) {
                    got = b.read();
                    Thread.sleep(1);
                }
                assertEquals('k', got);
            }
        }
    }
}
