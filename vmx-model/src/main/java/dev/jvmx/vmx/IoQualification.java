package dev.jvmx.vmx;

/**
 * Exit qualification for I/O instructions (SDM Vol. 3C, "Exit Qualification for I/O
 * Instructions"): bits 2:0 size - 1, bit 3 direction (1 = IN), bit 4 string, bit 5 REP,
 * bit 6 operand encoding (1 = immediate), bits 31:16 port.
 */
public final class IoQualification {
    private static final int DIRECTION_IN = 1 << 3;
    public static final int STRING = 1 << 4;
    public static final int REP = 1 << 5;
    private static final int IMMEDIATE = 1 << 6;

    private IoQualification() { }

    public static long encode(int size, boolean in, boolean string, boolean rep, boolean immediate, int port) {
        if (size != 1 && size != 2 && size != 4) {
            throw new IllegalArgumentException("I/O size must be 1, 2 or 4: " + size);
        }
        long q = size - 1;
        if (in) q |= DIRECTION_IN;
        if (string) q |= STRING;
        if (rep) q |= REP;
        if (immediate) q |= IMMEDIATE;
        return q | ((long) (port & 0xFFFF) << 16);
    }

    public static int size(long q) { return (int) (q & 7) + 1; }
    public static boolean isIn(long q) { return (q & DIRECTION_IN) != 0; }
    public static boolean isString(long q) { return (q & STRING) != 0; }
    public static boolean isRep(long q) { return (q & REP) != 0; }
    public static boolean isImmediate(long q) { return (q & IMMEDIATE) != 0; }
    public static int port(long q) { return (int) (q >>> 16) & 0xFFFF; }
}
