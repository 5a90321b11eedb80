package dev.jvmx.devices.chr;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A serial line over TCP, as QEMU's {@code tcp:} character device: listening for one client
 * at a time ({@link #listen}), or connected out to a server ({@link #connect}). With
 * {@code telnet}, the server sends IAC WILL ECHO and IAC WILL SUPPRESS-GO-AHEAD on connect so
 * that a telnet client goes to character mode without local echo, strips telnet commands from
 * the input and doubles an output 0xFF to IAC IAC.
 *
 * <p>Neither direction can stall the CPU thread or grow without bound. Output goes into a
 * queue of {@link #OUTPUT_BOUND} bytes that a thread of its own writes to the client; it waits
 * there while no client is connected, and what does not fit (a client that does not read, or
 * none at all for a long time) is dropped and counted ({@link #dropped()}). Input is read into
 * a queue of {@link #INPUT_BOUND} bytes; when the guest does not take it, the reading thread
 * waits, and TCP's flow control holds the client back.
 */
public final class TcpSerialBackend implements CharSink, CharSource, AutoCloseable {
    public static final int OUTPUT_BOUND = 1 << 20;
    public static final int INPUT_BOUND = 1 << 16;

    private final ServerSocket server;
    private final boolean telnet;
    private final ByteQueue output = new ByteQueue(OUTPUT_BOUND);
    private final ByteQueue input = new ByteQueue(INPUT_BOUND);
    private final Object clientLock = new Object();
    private Socket client;
    private boolean everConnected;
    private volatile boolean closed;
    /** Bytes the writing thread has taken from the queue and not yet handed to a socket. */
    private volatile int inFlight;

    private TcpSerialBackend(ServerSocket server, boolean telnet) {
        this.server = server;
        this.telnet = telnet;
    }

    /** A telnet server on the loopback interface; port 0 picks a free port (see {@link #localPort()}). */
    public TcpSerialBackend(int port) throws IOException {
        this(bind(InetAddress.getLoopbackAddress(), port), true);
        startServer();
    }

    /** Listens on {@code address}:{@code port} for one client at a time. */
    public static TcpSerialBackend listen(InetAddress address, int port, boolean telnet) throws IOException {
        TcpSerialBackend b = new TcpSerialBackend(bind(address, port), telnet);
        b.startServer();
        return b;
    }

    /** Connects to a server at {@code address} (QEMU's tcp:HOST:PORT without {@code server}). */
    public static TcpSerialBackend connect(InetSocketAddress address, int timeoutMillis) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(address, timeoutMillis);
            s.setTcpNoDelay(true);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        TcpSerialBackend b = new TcpSerialBackend(null, false);
        b.startWriter();
        synchronized (b.clientLock) {
            b.client = s;
            b.everConnected = true;
        }
        Thread t = new Thread(() -> b.serve(s), "tcp-serial-client");
        t.setDaemon(true);
        t.start();
        return b;
    }

    private static ServerSocket bind(InetAddress address, int port) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(address, port), 1);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void startServer() {
        startWriter();
        Thread t = new Thread(this::acceptLoop, "tcp-serial-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    private void startWriter() {
        Thread w = new Thread(this::writeLoop, "tcp-serial-out");
        w.setDaemon(true);
        w.start();
    }

    /** The listening port (server mode), or -1. */
    public int localPort() {
        return server == null ? -1 : server.getLocalPort();
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
                if (telnet) {
                    OutputStream out = s.getOutputStream();
                    out.write(new byte[] {
                        (byte) TelnetFilter.IAC, (byte) TelnetFilter.WILL, TelnetFilter.OPT_ECHO,
                        (byte) TelnetFilter.IAC, (byte) TelnetFilter.WILL, TelnetFilter.OPT_SUPPRESS_GO_AHEAD});
                    out.flush();
                }
                synchronized (clientLock) {
                    client = s;
                    everConnected = true;
                    clientLock.notifyAll();
                }
                serve(s);
            } catch (IOException e) {
                // Client gone or server closed: fall through and accept the next one.
            }
        }
    }

    /** Reads one connection's input until it ends, then forgets the client. */
    private void serve(Socket s) {
        try {
            readLoop(s.getInputStream());
        } catch (IOException | InterruptedException e) {
            // The connection broke or the backend closed.
        } finally {
            synchronized (clientLock) {
                if (client == s) {
                    client = null;
                }
                clientLock.notifyAll();
            }
            try {
                s.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    private void readLoop(InputStream in) throws IOException, InterruptedException {
        TelnetFilter filter = telnet ? new TelnetFilter() : null;
        byte[] chunk = new byte[4096];
        int n;
        while ((n = in.read(chunk)) >= 0) {
            for (int i = 0; i < n; i++) {
                int d = filter == null ? chunk[i] & 0xFF : filter.accept(chunk[i]);
                if (d >= 0 && !input.put(d)) {
                    return; // closed
                }
            }
        }
    }

    /** Moves queued output to whichever client is connected; waits while there is none. */
    private void writeLoop() {
        byte[] chunk = new byte[8192];
        try {
            while (!closed) {
                int n;
                synchronized (output) { // take's own lock: pending() never sees the bytes in neither place
                    n = output.take(chunk);
                    inFlight = Math.max(n, 0);
                }
                if (n < 0) {
                    return;
                }
                Socket s;
                synchronized (clientLock) {
                    while (client == null && !closed) {
                        clientLock.wait();
                    }
                    s = client;
                }
                if (s == null) {
                    return;
                }
                try {
                    s.getOutputStream().write(chunk, 0, n);
                    inFlight = 0;
                } catch (IOException e) {
                    inFlight = 0;
                    output.countDropped(n);
                    try {
                        s.close(); // the reading thread sees the end and forgets the client
                    } catch (IOException ignored) {
                        // already broken
                    }
                    synchronized (clientLock) {
                        if (client == s) {
                            client = null;
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public int read() {
        return input.poll();
    }

    /** Queues one byte for the client; never blocks (a full queue drops it). */
    @Override
    public void write(int b) {
        b &= 0xFF;
        if (telnet && b == TelnetFilter.IAC) {
            synchronized (output) {
                if (output.size() > output.capacity() - 2) {
                    output.countDropped(1);
                    return;
                }
                output.offer(b);
                output.offer(b);
            }
            return;
        }
        output.offer(b);
    }

    /** Output bytes that were dropped: the client did not read them, or none connected in time. */
    public long dropped() {
        return output.dropped();
    }

    /** Output bytes still waiting for a client. */
    public int pending() {
        synchronized (output) {
            return output.size() + inFlight;
        }
    }

    /** True once a client has connected (or the connection out was made). */
    public boolean everConnected() {
        synchronized (clientLock) {
            return everConnected;
        }
    }

    /**
     * Gives a connected client up to {@code millis} to receive what is queued (at the end of a
     * run), as long as it keeps taking it: a client that takes nothing for 100 ms is given up.
     * Returns at once when no client is connected.
     */
    public void drain(long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        long lastProgress = System.nanoTime();
        int last = pending();
        try {
            while (pending() > 0 && hasClient() && System.nanoTime() < end) {
                Thread.sleep(2);
                int now = pending();
                if (now != last) {
                    last = now;
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > 100_000_000L) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        output.close();
        input.close();
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                // nothing to do
            }
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
