package dev.jvmx.runtime.gdb;

import java.nio.charset.StandardCharsets;

/** Encoding for gdb's Remote Serial Protocol: framing with checksum and escapes, hex fields. */
public final class Rsp {
    private Rsp() { }

    /** {@code $payload#cc}, with '#', '$', '}' and '*' escaped ({@code }} then the byte XOR 0x20). */
    public static byte[] frame(String payload) {
        StringBuilder b = new StringBuilder(payload.length() + 4).append('$');
        int sum = 0;
        for (int i = 0; i < payload.length(); i++) {
            char c = payload.charAt(i);
            if (c == '#' || c == '$' || c == '}' || c == '*') {
                b.append('}');
                sum += '}';
                c ^= 0x20;
            }
            b.append(c);
            sum += c;
        }
        b.append('#').append(hex2(sum & 0xFF));
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static String hex2(int v) {
        return String.format("%02x", v & 0xFF);
    }

    /** {@code n} bytes of {@code v}, least significant first, in hex (gdb's register byte order on x86). */
    static String hexLe(long v, int n) {
        StringBuilder b = new StringBuilder(2 * n);
        for (int i = 0; i < n; i++) {
            b.append(hex2((int) (v >>> (8 * i))));
        }
        return b.toString();
    }

    /** Parses {@code 2n} hex digits at {@code off} as a little-endian number. */
    static long parseLe(String s, int off, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) parseByte(s, off + 2 * i) << (8 * i);
        }
        return v;
    }

    static int parseByte(String s, int off) {
        int hi = Character.digit(s.charAt(off), 16);
        int lo = Character.digit(s.charAt(off + 1), 16);
        if (hi < 0 || lo < 0) {
            throw new NumberFormatException("not hex: " + s.substring(off, off + 2));
        }
        return hi << 4 | lo;
    }

    /** A hex number as gdb writes addresses and lengths (no prefix, any case), 32 bits unsigned. */
    static long parseHex(String s) {
        if (s.isEmpty() || s.length() > 16) {
            throw new NumberFormatException("not a hex number: '" + s + "'");
        }
        return Long.parseUnsignedLong(s, 16);
    }

    /** Hex text of bytes. */
    static String hex(byte[] b, int len) {
        StringBuilder s = new StringBuilder(2 * len);
        for (int i = 0; i < len; i++) {
            s.append(hex2(b[i]));
        }
        return s.toString();
    }
}
