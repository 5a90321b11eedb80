package dev.jvmx.devices.kbd;

import java.util.function.Consumer;

/**
 * What a terminal sends, as PC key strokes (US layout): printable ASCII, the control
 * characters (Enter, Tab, Backspace, Ctrl-letter), and the escape sequences of xterm-like
 * terminals for cursor, editing and function keys (ECMA-48 CSI and SS3, with xterm's
 * modifier parameter {@code ;m}). ESC followed by another character is that key with Alt. A
 * lone ESC is the Esc key once nothing has followed it for {@link #ESC_WAIT_NANOS}. Bytes
 * that name no key (UTF-8 beyond ASCII, unknown sequences) are dropped.
 */
public final class TerminalKeys {
    public static final long ESC_WAIT_NANOS = 50_000_000L;

    /** One key typed with the modifiers held down for it. */
    public record Stroke(PcKey key, boolean shift, boolean ctrl, boolean alt) {
        static Stroke plain(PcKey k) {
            return new Stroke(k, false, false, false);
        }
    }

    private static final String UNSHIFTED = "`1234567890-=[]\\;',./ ";
    private static final String SHIFTED = "~!@#$%^&*()_+{}|:\"<>?";
    private static final PcKey[] PUNCT_KEYS = {
        PcKey.GRAVE, PcKey.N1, PcKey.N2, PcKey.N3, PcKey.N4, PcKey.N5, PcKey.N6, PcKey.N7, PcKey.N8,
        PcKey.N9, PcKey.N0, PcKey.MINUS, PcKey.EQUALS, PcKey.LEFT_BRACKET, PcKey.RIGHT_BRACKET,
        PcKey.BACKSLASH, PcKey.SEMICOLON, PcKey.APOSTROPHE, PcKey.COMMA, PcKey.PERIOD, PcKey.SLASH, PcKey.SPACE,
    };
    private static final PcKey[] LETTERS = {
        PcKey.A, PcKey.B, PcKey.C, PcKey.D, PcKey.E, PcKey.F, PcKey.G, PcKey.H, PcKey.I, PcKey.J, PcKey.K,
        PcKey.L, PcKey.M, PcKey.N, PcKey.O, PcKey.P, PcKey.Q, PcKey.R, PcKey.S, PcKey.T, PcKey.U, PcKey.V,
        PcKey.W, PcKey.X, PcKey.Y, PcKey.Z,
    };

    private enum State { GROUND, ESC, CSI, SS3 }

    private State state = State.GROUND;
    private final StringBuilder params = new StringBuilder();
    private long escSince;

    /** Feeds one byte received at host time {@code nowNanos}. */
    public void accept(int b, long nowNanos, Consumer<Stroke> out) {
        b &= 0xFF;
        switch (state) {
            case ESC -> {
                if (b == '[') {
                    state = State.CSI;
                    params.setLength(0);
                } else if (b == 'O') {
                    state = State.SS3;
                } else if (b == 0x1B) {
                    out.accept(Stroke.plain(PcKey.ESC)); // ESC ESC: the first one was the key
                    escSince = nowNanos;
                } else {
                    state = State.GROUND;
                    Stroke s = ascii(b);
                    if (s != null) {
                        out.accept(new Stroke(s.key(), s.shift(), s.ctrl(), true));
                    }
                }
            }
            case CSI -> {
                if (b >= 0x40 && b <= 0x7E) {
                    state = State.GROUND;
                    Stroke s = csi(params.toString(), (char) b);
                    if (s != null) {
                        out.accept(s);
                    }
                } else if (params.length() < 16) {
                    params.append((char) b);
                } else {
                    state = State.GROUND; // not a sequence any terminal sends: drop it
                }
            }
            case SS3 -> {
                state = State.GROUND;
                PcKey k = ss3((char) b);
                if (k != null) {
                    out.accept(Stroke.plain(k));
                }
            }
            default -> {
                if (b == 0x1B) {
                    state = State.ESC;
                    escSince = nowNanos;
                } else {
                    Stroke s = ascii(b);
                    if (s != null) {
                        out.accept(s);
                    }
                }
            }
        }
    }

    /** No byte is waiting: a lone ESC that has waited long enough is the Esc key. */
    public void idle(long nowNanos, Consumer<Stroke> out) {
        if (state == State.ESC && nowNanos - escSince >= ESC_WAIT_NANOS) {
            state = State.GROUND;
            out.accept(Stroke.plain(PcKey.ESC));
        } else if (state != State.GROUND && state != State.ESC && nowNanos - escSince >= 10 * ESC_WAIT_NANOS) {
            state = State.GROUND; // a sequence cut short
        }
    }

    /** The stroke for one byte outside an escape sequence, or null. */
    static Stroke ascii(int b) {
        if (b >= 'a' && b <= 'z') {
            return Stroke.plain(LETTERS[b - 'a']);
        }
        if (b >= 'A' && b <= 'Z') {
            return new Stroke(LETTERS[b - 'A'], true, false, false);
        }
        int i = UNSHIFTED.indexOf(b);
        if (i >= 0) {
            return Stroke.plain(PUNCT_KEYS[i]);
        }
        i = SHIFTED.indexOf(b);
        if (i >= 0) {
            return new Stroke(PUNCT_KEYS[i], true, false, false);
        }
        switch (b) {
            case '\r', '\n': return Stroke.plain(PcKey.ENTER);
            case '\t': return Stroke.plain(PcKey.TAB);
            case 0x08, 0x7F: return Stroke.plain(PcKey.BACKSPACE);
            case 0x00: return new Stroke(PcKey.N2, false, true, false);     // Ctrl-@
            case 0x1C: return new Stroke(PcKey.BACKSLASH, false, true, false);
            case 0x1D: return new Stroke(PcKey.RIGHT_BRACKET, false, true, false);
            case 0x1E: return new Stroke(PcKey.N6, false, true, false);     // Ctrl-^
            case 0x1F: return new Stroke(PcKey.MINUS, false, true, false);  // Ctrl-_
            default: break;
        }
        if (b >= 0x01 && b <= 0x1A) {
            return new Stroke(LETTERS[b - 1], false, true, false);
        }
        return null;
    }

    private static PcKey ss3(char c) {
        switch (c) {
            case 'A': return PcKey.UP;
            case 'B': return PcKey.DOWN;
            case 'C': return PcKey.RIGHT;
            case 'D': return PcKey.LEFT;
            case 'H': return PcKey.HOME;
            case 'F': return PcKey.END;
            case 'P': return PcKey.F1;
            case 'Q': return PcKey.F2;
            case 'R': return PcKey.F3;
            case 'S': return PcKey.F4;
            default: return null;
        }
    }

    /** CSI params final: cursor keys by final byte, the others as "n~"; ";m" is xterm's modifier code. */
    private static Stroke csi(String params, char fin) {
        String[] p = params.split(";", -1);
        int mod = 1;
        if (p.length > 1) {
            mod = number(p[1]);
        }
        PcKey k;
        if (fin == '~') {
            k = switch (number(p[0])) {
                case 1, 7 -> PcKey.HOME;
                case 2 -> PcKey.INSERT;
                case 3 -> PcKey.DELETE;
                case 4, 8 -> PcKey.END;
                case 5 -> PcKey.PAGE_UP;
                case 6 -> PcKey.PAGE_DOWN;
                case 11 -> PcKey.F1;
                case 12 -> PcKey.F2;
                case 13 -> PcKey.F3;
                case 14 -> PcKey.F4;
                case 15 -> PcKey.F5;
                case 17 -> PcKey.F6;
                case 18 -> PcKey.F7;
                case 19 -> PcKey.F8;
                case 20 -> PcKey.F9;
                case 21 -> PcKey.F10;
                case 23 -> PcKey.F11;
                case 24 -> PcKey.F12;
                default -> null;
            };
        } else {
            k = fin == 'P' || fin == 'Q' || fin == 'R' || fin == 'S' || fin == 'A' || fin == 'B' || fin == 'C'
                    || fin == 'D' || fin == 'H' || fin == 'F' ? ss3(fin) : null;
        }
        if (k == null || mod < 1) {
            return null;
        }
        int m = mod - 1; // xterm: 1 + (shift 1 | alt 2 | ctrl 4)
        return new Stroke(k, (m & 1) != 0, (m & 4) != 0, (m & 2) != 0);
    }

    private static int number(String s) {
        if (s.isEmpty()) {
            return 1;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
