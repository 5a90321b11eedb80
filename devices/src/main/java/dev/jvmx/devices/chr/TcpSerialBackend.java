package dev.jvmx.devices.chr;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A serial line on a loopback TCP port, spoken to with telnet: one client at a time; on
 * connect the server sends IAC WILL ECHO and IAC WILL SUPPRESS-GO-AHEAD so the client goes to
 * character mode without local echo. Input is stripped of telnet commands; output 0xFF is
 * doubled to IAC IAC. With no client connected output is dropped and input is empty.
 */
public final class TcpSerialBackend implements CharSink, CharSource, AutoCloseable {
    private final ServerSocket server;
    private final ConcurrentLinkedQueue<Integer> input = new ConcurrentLinkedQueue<>();
    private final Object clientLock = new Object();
    private Socket client;
    private OutputStream clientOut;
    private volatile boolean closed;

    /** Listens on the loopback interface; port 0 picks a free port (see {@link #localPort()}). */
    public TcpSerialBackend(int port) throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        Thread t = new Thread(this::acceptLoop, "tcp-serial-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    public int localPort() {
        return server.getLocalPort();
    }

    public boolean hasClient() {
        synchronized (clientLock) {
            return client != null;
        }
    }

    /** Waits up to {@code timeoutMillis} for a client; true if one is connected. */
    public boolean awaitClient(long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        synchronized (clientLock) {
            while (client == null && !closed) {
                long left = end - System.currentTimeMillis();
                if (left <= 0) {
                    return false;
                }
                clientLock.wait(left);
            }
            return client != null;
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try (Socket s = server.accept()) {
                s.setTcpNoDelay(true);
                OutputStream out = s.getOutputStream();
                out.write(new byte[] {
                    (byte) TelnetFilter.IAC, (byte) TelnetFilter.WILL, TelnetFilter.OPT_ECHO,
                    (byte) TelnetFilter.IAC, (byte) TelnetFilter.WILL, TelnetFilter.OPT_SUPPRESS_GO_AHEAD});
                out.flush();
                synchronized (clientLock) {
                    client = s;
                    clientOut = out;
                    clientLock.notifyAll();
                }
                readLoop(s.getInputStream());
            } catch (IOException e) {
                // Client gone or server closed: fall through and accept the next one.
            } finally {
                synchronized (clientLock) {
                    client = null;
                    clientOut = null;
                }
            }
        }
    }

    private void readLoop(InputStream in) throws IOException {
        TelnetFilter filter = new TelnetFilter();
        int b;
        while ((b = in.read()) >= 0) {
            int d = filter.accept(b);
            if (d >= 0) {
                input.add(d);
            }
        }
    }

    @Override
    public int read() {
        Integer b = input.poll();
        return b == null ? -1 : b;
    }

    @Override
    public void write(int b) {
        synchronized (clientLock) {
            if (clientOut == null) {
                return;
            }
            try {
                if ((b & 0xFF) == TelnetFilter.IAC) {
                    clientOut.write(TelnetFilter.IAC);
                }
                clientOut.write(b & 0xFF);
            } catch (IOException e) {
                // The reader thread notices the broken connection and drops the client.
            }
        }
    }

    @Override
    public void flush() {
        synchronized (clientLock) {
            if (clientOut != null) {
                try {
                    clientOut.flush();
                } catch (IOException e) {
                    // see write
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // nothing to do
        }
        synchronized (clientLock) {
            if (client != null) {
                try {
                    client.close();
                } catch (IOException e) {
                    // nothing to do
                }
            }
            clientLock.notifyAll();
        }
    }
}
