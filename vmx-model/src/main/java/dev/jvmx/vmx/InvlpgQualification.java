package dev.jvmx.vmx;

/** Exit qualification for INVLPG: the linear-address operand (SDM Vol. 3C, "Exit Qualification"). */
public final class InvlpgQualification {
    private InvlpgQualification() { }

    /** IA-32 linear addresses are 32 bits; zero-extended, never sign-extended. */
    public static long encode(int linearAddress) { return linearAddress & 0xFFFFFFFFL; }

    public static int linearAddress(long q) { return (int) q; }

    public static String describe(long q) { return String.format("INVLPG 0x%08X", q & 0xFFFFFFFFL); }
}
