package dev.jvmx.vmx;

/**
 * Exit qualification for INVLPG: the linear-address operand (SDM Vol. 3C, "Exit Qualification"),
 * zero-extended from IA-32's 32 bits; translated code computes it inline.
 */
public final class InvlpgQualification {
    private InvlpgQualification() { }

    public static int linearAddress(long q) { return (int) q; }

    public static String describe(long q) { return String.format("INVLPG 0x%08X", q & 0xFFFFFFFFL); }
}
