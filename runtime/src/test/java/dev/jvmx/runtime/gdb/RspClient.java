package dev.jvmx.runtime.gdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A minimal RSP client for the stub's tests: sends packets, checks acknowledgements and checksums. */
final class RspClient implements AutoCloseable {
    final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    boolean ack = true;

    RspClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    void raw(String bytes) throws IOException {
        out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Sends a packet and, in ack mode, checks that the stub acknowledged it. */
    void send(String payload) throws IOException {
        out.write(Rsp.frame(payload));
        out.flush();
        if (ack) {
            int b = in.read();
            if (b != '+') {
                throw new IOException("expected '+' after " + payload + ", got " + b);
            }
        }
    }

    /** The next packet's payload (its checksum checked), acknowledged in ack mode. */
    String reply() throws IOException {
        int b;
        while ((b = in.read()) != '$') {
            if (b < 0) {
                throw new IOException("connection closed");
            }
        }
        StringBuilder p = new StringBuilder();
        int sum = 0;
        while ((b = in.read()) != '#') {
            if (b < 0) {
                throw new IOException("connection closed in a packet");
            }
            sum += b;
            if (b == '}') {
                int c = in.read();
                sum += c;
                p.append((char) (c ^ 0x20));
            } else {
                p.append((char) b);
            }
        }
        int check = Integer.parseInt("" + (char) in.read() + (char) in.read(), 16);
        if (check != (sum & 0xFF)) {
            throw new IOException("bad checksum on " + p);
        }
        if (ack) {
            raw("+");
        }
        return p.toString();
    }

    String command(String payload) throws IOException {
        send(payload);
        return reply();
    }

    /** True when the stub closed the connection (read ends) within the timeout. */
    boolean closedByPeer(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    int read() throws IOException {
        return in.read();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
