package dev.jvmx.vmx;

/**
 * Exit qualification for control-register accesses (SDM Vol. 3C, table "Exit Qualification for
 * Control-Register Accesses"): bits 3:0 CR number (0 for CLTS and LMSW), 5:4 access type,
 * bit 6 LMSW operand type (1 = memory), bits 11:8 general register (MOV CR only),
 * bits 31:16 LMSW source data.
 */
public final class CrAccessQualification {
    public static final int MOV_TO_CR = 0;
    public static final int MOV_FROM_CR = 1;
    public static final int CLTS = 2;
    public static final int LMSW = 3;
    private static final int LMSW_MEMORY_OPERAND = 1 << 6;

    private CrAccessQualification() { }

    private static long encode(int cr, int accessType, boolean lmswMemory, int gpr, int lmswSourceData) {
        if (cr < 0 || cr > 15) throw new IllegalArgumentException("CR number must be 0-15: " + cr);
        if (accessType < 0 || accessType > 3) throw new IllegalArgumentException("access type must be 0-3: " + accessType);
        long q = cr | (accessType << 4) | ((long) Registers.checkGpr(gpr) << 8);
        if (lmswMemory) q |= LMSW_MEMORY_OPERAND;
        return q | ((long) (lmswSourceData & 0xFFFF) << 16);
    }

    /** MOV CRn, reg. */
    public static long movToCr(int cr, int gpr) { return encode(cr, MOV_TO_CR, false, gpr, 0); }

    /** MOV reg, CRn. */
    public static long movFromCr(int cr, int gpr) { return encode(cr, MOV_FROM_CR, false, gpr, 0); }

    /** CLTS: CR number and register are cleared to 0 by the SDM's definition. */
    public static long clts() { return encode(0, CLTS, false, 0, 0); }

    /** LMSW: CR number and register are 0; the 16-bit source operand is in bits 31:16. */
    public static long lmsw(boolean memoryOperand, int sourceData) { return encode(0, LMSW, memoryOperand, 0, sourceData); }

    public static int cr(long q) { return (int) (q & 0xF); }
    public static int accessType(long q) { return (int) (q >>> 4) & 3; }
    private static boolean isLmswMemory(long q) { return (q & LMSW_MEMORY_OPERAND) != 0; }
    public static int gpr(long q) { return (int) (q >>> 8) & 0xF; }
    public static int lmswSourceData(long q) { return (int) (q >>> 16) & 0xFFFF; }

    public static String accessTypeName(int type) {
        switch (type) {
            case MOV_TO_CR: return "MOV to CR";
            case MOV_FROM_CR: return "MOV from CR";
            case CLTS: return "CLTS";
            default: return "LMSW";
        }
    }

    public static String describe(long q) {
        switch (accessType(q)) {
            case MOV_TO_CR: return "MOV CR" + cr(q) + ", " + Registers.gpr(gpr(q));
            case MOV_FROM_CR: return "MOV " + Registers.gpr(gpr(q)) + ", CR" + cr(q);
            case CLTS: return "CLTS";
            default: return String.format("LMSW 0x%04X (%s operand)", lmswSourceData(q),
                    isLmswMemory(q) ? "memory" : "register");
        }
    }
}
