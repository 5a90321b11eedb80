package dev.jvmx.runtime.gdb;

/**
 * The receiving side of gdb's Remote Serial Protocol (gdb manual, "Overview" of the remote
 * protocol), fed one byte at a time: a packet is {@code $payload#cc} with cc the modulo-256 sum
 * of the payload's bytes in two hex digits; {@code }} escapes the next byte (XOR 0x20) and
 * {@code *} repeats the previous one (run-length encoding, count = next byte - 29). Outside a
 * packet, {@code +} and {@code -} acknowledge, and the byte 0x03 asks for an interrupt.
 * Anything else outside a packet is not RSP and is reported as junk.
 */
public final class RspReader {
    /** What a byte completed. */
    public enum Kind { PACKET, BAD_PACKET, ACK, NAK, INTERRUPT, JUNK }

    /** A completed event; {@code payload} is the decoded packet (one char per byte) for PACKET. */
    public record Event(Kind kind, String payload) { }

    /** Payload bytes beyond which a packet is dropped as bad (the stub announces a smaller PacketSize). */
    public static final int MAX_PAYLOAD = 1 << 17;

    private enum State { IDLE, BODY, ESCAPE, REPEAT, CHECK1, CHECK2 }

    private State state = State.IDLE;
    private final StringBuilder payload = new StringBuilder();
    /** Sum of the raw bytes between '$' and '#', which the checksum covers. */
    private int sum;
    private int check;
    private boolean tooLong;

    /** Feeds one byte (0..255); returns the event it completes, or null. */
    public Event feed(int b) {
        b &= 0xFF;
        switch (state) {
            case IDLE:
                switch (b) {
                    case '$':
                        state = State.BODY;
                        payload.setLength(0);
                        sum = 0;
                        tooLong = false;
                        return null;
                    case '+': return new Event(Kind.ACK, null);
                    case '-': return new Event(Kind.NAK, null);
                    case 0x03: return new Event(Kind.INTERRUPT, null);
                    default: return new Event(Kind.JUNK, null);
                }
            case BODY:
                if (b == '#') {
                    state = State.CHECK1;
                    return null;
                }
                sum += b;
                if (b == '}') {
                    state = State.ESCAPE;
                } else if (b == '*' && payload.length() > 0) {
                    state = State.REPEAT;
                } else {
                    append(b);
                }
                return null;
            case ESCAPE:
                sum += b;
                state = State.BODY;
                append(b ^ 0x20);
                return null;
            case REPEAT:
                sum += b;
                state = State.BODY;
                char prev = payload.charAt(payload.length() - 1);
                for (int n = b - 29; n > 0; n--) {
                    append(prev);
                }
                return null;
            case CHECK1:
                int high = Character.digit(b, 16);
                check = high < 0 ? -1 : high << 4;
                state = State.CHECK2;
                return null;
            case CHECK2:
                state = State.IDLE;
                int low = Character.digit(b, 16);
                if (check < 0 || low < 0 || (check | low) != (sum & 0xFF) || tooLong) {
                    return new Event(Kind.BAD_PACKET, null);
                }
                return new Event(Kind.PACKET, payload.toString());
            default:
                throw new IllegalStateException();
        }
    }

    private void append(int b) {
        if (payload.length() < MAX_PAYLOAD) {
            payload.append((char) b);
        } else {
            tooLong = true;
        }
    }
}
