package dev.jvmx.vmx;

/**
 * Exit qualification for MOV DR (SDM Vol. 3C, table "Exit Qualification for MOV DR"):
 * bits 2:0 debug register, bit 4 direction (0 = MOV to DR, 1 = MOV from DR), bits 11:8 register.
 */
public final class MovDrQualification {
    private static final int DIRECTION_FROM_DR = 1 << 4;

    private MovDrQualification() { }

    public static long encode(int dr, boolean fromDr, int gpr) {
        if (dr < 0 || dr > 7) throw new IllegalArgumentException("DR number must be 0-7: " + dr);
        long q = dr | ((long) Registers.checkGpr(gpr) << 8);
        return fromDr ? q | DIRECTION_FROM_DR : q;
    }

    public static int dr(long q) { return (int) (q & 7); }
    public static boolean isFromDr(long q) { return (q & DIRECTION_FROM_DR) != 0; }
    public static int gpr(long q) { return (int) (q >>> 8) & 0xF; }

    public static String describe(long q) {
        return isFromDr(q)
                ? "MOV " + Registers.gpr(gpr(q)) + ", DR" + dr(q)
                : "MOV DR" + dr(q) + ", " + Registers.gpr(gpr(q));
    }
}
