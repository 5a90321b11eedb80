package dev.jvmx.devices.chr;

/**
 * Removes Telnet (RFC 854) command sequences from a client's byte stream, leaving data bytes:
 * IAC IAC is a data 0xFF, IAC WILL/WONT/DO/DONT opt is a 3-byte negotiation, IAC SB ... IAC SE
 * a subnegotiation, IAC cmd any other 2-byte command. CR NUL (RFC 854's bare CR) becomes CR.
 */
public final class TelnetFilter {
    public static final int IAC = 255;
    public static final int DONT = 254;
    public static final int DO = 253;
    public static final int WONT = 252;
    public static final int WILL = 251;
    public static final int SB = 250;
    public static final int SE = 240;
    public static final int OPT_ECHO = 1;
    public static final int OPT_SUPPRESS_GO_AHEAD = 3;

    private enum State { DATA, IAC, OPTION, SUB, SUB_IAC, CR }

    private State state = State.DATA;

    /** Feeds one received byte; returns the data byte it yields, or -1 if it was protocol. */
    public int accept(int b) {
        b &= 0xFF;
        switch (state) {
            case DATA:
                return data(b);
            case CR:
                state = State.DATA;
                return b == 0 ? -1 : data(b);
            case IAC:
                if (b == IAC) {
                    state = State.DATA;
                    return IAC;
                }
                state = b >= WILL && b <= DONT ? State.OPTION : b == SB ? State.SUB : State.DATA;
                return -1;
            case OPTION:
                state = State.DATA;
                return -1;
            case SUB:
                state = b == IAC ? State.SUB_IAC : State.SUB;
                return -1;
            case SUB_IAC:
                state = b == SE ? State.DATA : State.SUB;
                return -1;
            default:
                return -1;
        }
    }

    private int data(int b) {
        if (b == IAC) {
            state = State.IAC;
            return -1;
        }
        state = b == '\r' ? State.CR : State.DATA;
        return b;
    }
}
