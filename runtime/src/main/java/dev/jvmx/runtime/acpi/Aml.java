package dev.jvmx.runtime.acpi;

import java.io.ByteArrayOutputStream;

/**
 * The few AML terms the machine's DSDT needs, encoded as ACPI 6.5 chapter 20 ("ACPI Machine
 * Language Specification") defines them. Each method returns the term's bytes; terms nest by
 * passing bytes in. Generated at run time, so the tables follow the machine (PM base, sleep
 * states) and building jvmx needs no ASL compiler; iasl checks the result in the tests.
 */
public final class Aml {
    static final int ZERO_OP = 0x00, ONE_OP = 0x01, NAME_OP = 0x08, BYTE_PREFIX = 0x0A, WORD_PREFIX = 0x0B,
            DWORD_PREFIX = 0x0C, PACKAGE_OP = 0x12, ROOT_CHAR = '\\';

    private Aml() { }

    /** DefName: Name (path, value). */
    public static byte[] name(String path, byte[] value) {
        return concat(new byte[] {NAME_OP}, nameString(path), value);
    }

    /** DefPackage with NumElements = the number of elements given (at most 255). */
    public static byte[] pkg(byte[]... elements) {
        if (elements.length > 255) {
            throw new IllegalArgumentException("a Package holds at most 255 elements");
        }
        byte[] body = concat(new byte[] {(byte) elements.length}, concat(elements));
        return concat(new byte[] {PACKAGE_OP}, pkgLength(body.length), body);
    }

    /** The shortest ComputationalData for an unsigned integer: ZeroOp, OneOp or a prefixed constant. */
    public static byte[] integer(long v) {
        if (v == 0) {
            return new byte[] {ZERO_OP};
        }
        if (v == 1) {
            return new byte[] {ONE_OP};
        }
        if (v >= 0 && v <= 0xFF) {
            return new byte[] {BYTE_PREFIX, (byte) v};
        }
        if (v >= 0 && v <= 0xFFFF) {
            return new byte[] {WORD_PREFIX, (byte) v, (byte) (v >>> 8)};
        }
        if (v >= 0 && v <= 0xFFFFFFFFL) {
            return new byte[] {DWORD_PREFIX, (byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
        }
        throw new IllegalArgumentException("integers above 32 bits need a revision-2 DSDT: " + v);
    }

    /**
     * NameString: an optional root prefix, then NameSegs separated by dots, each padded with
     * underscores to four characters (DualNamePrefix / MultiNamePrefix for two or more).
     */
    static byte[] nameString(String path) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String p = path;
        if (p.startsWith("\\")) {
            out.write(ROOT_CHAR);
            p = p.substring(1);
        }
        String[] segs = p.isEmpty() ? new String[0] : p.split("\\.");
        if (segs.length == 0) {
            out.write(0); // NullName
        } else if (segs.length == 2) {
            out.write(0x2E); // DualNamePrefix
        } else if (segs.length > 2) {
            out.write(0x2F); // MultiNamePrefix
            out.write(segs.length);
        }
        for (String s : segs) {
            out.writeBytes(nameSeg(s));
        }
        return out.toByteArray();
    }

    static byte[] nameSeg(String s) {
        if (s.isEmpty() || s.length() > 4) {
            throw new IllegalArgumentException("a NameSeg is 1-4 characters: '" + s + "'");
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            char c = i < s.length() ? s.charAt(i) : '_';
            boolean ok = c == '_' || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                throw new IllegalArgumentException("bad NameSeg character '" + c + "' in '" + s + "'");
            }
            b[i] = (byte) c;
        }
        return b;
    }

    /**
     * PkgLength for a body of {@code bodyLength} bytes: the encoded length counts itself. One
     * byte holds lengths up to 63; otherwise the lead byte's bits 7:6 give the number of bytes
     * that follow and its bits 3:0 the low nibble.
     */
    static byte[] pkgLength(int bodyLength) {
        for (int extra = 0; extra <= 3; extra++) {
            int total = bodyLength + 1 + extra;
            if (extra == 0 && total <= 0x3F) {
                return new byte[] {(byte) total};
            }
            if (extra > 0 && total < 1 << (4 + 8 * extra)) {
                byte[] b = new byte[1 + extra];
                b[0] = (byte) (extra << 6 | (total & 0x0F));
                for (int i = 0; i < extra; i++) {
                    b[1 + i] = (byte) (total >>> (4 + 8 * i));
                }
                return b;
            }
        }
        throw new IllegalArgumentException("package too long: " + bodyLength);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
