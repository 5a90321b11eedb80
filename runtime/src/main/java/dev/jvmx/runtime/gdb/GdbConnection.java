package dev.jvmx.runtime.gdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.function.Consumer;

/**
 * One gdb client on a socket. A reader thread of its own decodes what gdb sends
 * ({@link RspReader}), acknowledges packets while acknowledgements are on (until
 * QStartNoAckMode), sends a packet again when gdb asks ('-'), and hands packets, interrupts
 * (0x03) and the end of the connection to the stub. Replies are written by the guest's thread.
 */
final class GdbConnection {
    /** What the reader hands the stub. */
    interface Listener {
        void packet(GdbConnection c, String payload);

        void interrupt(GdbConnection c);

        void closed(GdbConnection c);
    }

    final String peer;
    private final Socket socket;
    private final OutputStream out;
    private final Listener listener;
    private final Consumer<String> log;
    private volatile boolean ackMode = true;
    private volatile boolean closing;
    private byte[] lastSent;
    /** gdb resumed the guest and waits for a stop reply (written by the guest's thread). */
    volatile boolean waitingForStop;
    /**
     * Resume packets (c, s, vCont;...) read but not yet handled by the guest's thread: an
     * interrupt that follows one of them is for the run it starts. Under the stub's lock.
     */
    int resumesQueued;

    GdbConnection(Socket socket, Listener listener, Consumer<String> log) throws IOException {
        this.socket = socket;
        this.peer = socket.getRemoteSocketAddress().toString().replaceFirst("^/", "");
        this.out = socket.getOutputStream();
        this.listener = listener;
        this.log = log;
        socket.setTcpNoDelay(true);
    }

    void start() {
        Thread t = new Thread(this::read, "jvmx-gdb-reader");
        t.setDaemon(true);
        t.start();
    }

    private void read() {
        RspReader reader = new RspReader();
        long junk = 0;
        try (InputStream in = socket.getInputStream()) {
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    RspReader.Event e = reader.feed(buf[i]);
                    if (e == null) {
                        continue;
                    }
                    switch (e.kind()) {
                        case PACKET:
                            if (ackMode) {
                                sendRaw(new byte[] {'+'});
                            }
                            if (e.payload().equals("QStartNoAckMode")) {
                                ackMode = false; // from the reply on, nothing is acknowledged
                            }
                            listener.packet(this, e.payload());
                            break;
                        case BAD_PACKET:
                            if (ackMode) {
                                sendRaw(new byte[] {'-'});
                            }
                            break;
                        case NAK:
                            resend();
                            break;
                        case INTERRUPT:
                            listener.interrupt(this);
                            break;
                        case JUNK:
                            if (junk++ == 0) {
                                log.accept("gdb: ignoring bytes from " + peer + " that are not RSP packets");
                            }
                            break;
                        default:
                            break;
                    }
                }
            }
        } catch (IOException e) {
            if (!closing) {
                log.accept("gdb: connection from " + peer + " failed: " + e.getMessage());
            }
        } finally {
            close();
            listener.closed(this);
        }
    }

    /** Sends a packet with its payload (guest thread). */
    void send(String payload) {
        byte[] f = Rsp.frame(payload);
        synchronized (this) {
            lastSent = f;
        }
        sendRaw(f);
    }

    private void resend() {
        byte[] f;
        synchronized (this) {
            f = lastSent;
        }
        if (f != null && ackMode) {
            sendRaw(f);
        }
    }

    private synchronized void sendRaw(byte[] b) {
        try {
            out.write(b);
            out.flush();
        } catch (IOException e) {
            close(); // the reader sees the end and reports it
        }
    }

    boolean ackMode() {
        return ackMode;
    }

    void close() {
        closing = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    boolean isOpen() {
        return !socket.isClosed();
    }
}
