package dev.jvmx.cputest;

import dev.jvmx.translator.fpu.Float80;

import java.math.BigInteger;

import static dev.jvmx.translator.fpu.FpuImage.get16;
import static dev.jvmx.translator.fpu.FpuImage.get32;
import static dev.jvmx.translator.fpu.FpuImage.get64;

/**
 * FNSAVE images (32-bit protected-mode format, SDM Vol. 1, Figure 8-10) of the host and of jvmx,
 * compared for the host fuzzer. Compared bit for bit: the control, status and tag words with
 * their upper halves (bytes 0-11), FIP (bytes 12-15, against the address the caller expects) and
 * ST(0)..ST(7) (bytes 28-107). Not compared, bytes 16-27:
 * <ul>
 * <li>FCS and FDS: CPUs with CPUID.(EAX=07H,ECX=0):EBX[13] deprecate them and store 0 (the hosts
 * this project runs on do); jvmx is an IA-32 processor without that feature and stores its
 * selectors. A 64-bit host's selectors would not be the guest's anyway.</li>
 * <li>FOP: outside fopcode compatibility mode (IA32_MISC_ENABLE[2] clear, the default, not
 * visible to a user program) it is recorded only for an instruction that raised an unmasked
 * exception (Vol. 1, 8.1.9.1), which the fuzzer never lets happen; jvmx records it always.</li>
 * <li>FDP: CPUs with CPUID.(EAX=07H,ECX=0):EBX[6] (FDP_EXCPTN_ONLY; these hosts have it) update
 * it only on an unmasked exception; jvmx updates it at every memory operand.</li>
 * </ul>
 * All three are checked against the SDM by the translator's X87InstructionsTest.
 */
final class FnsaveCompare {
    static final int FIP = 12, REGS = 28;
    private static final String[] WORDS = {"cw", "sw", "tw"};

    private FnsaveCompare() { }

    /**
     * The differences between {@code host} (at {@code off}) and {@code jvmx} as report lines, empty
     * when they agree; FIP is compared with {@code wantFip} unless {@code fipToo} is false.
     */
    static String differences(byte[] host, int off, byte[] jvmx, int wantFip, boolean fipToo, String fipNote) {
        StringBuilder d = new StringBuilder();
        for (int k = 0; k < 3; k++) {
            int a = get32(host, off + 4 * k), b = get32(jvmx, 4 * k);
            if (a != b) {
                d.append(String.format("  fpu %s native %08x jvmx %08x%s%n", WORDS[k], a, b, k == 1 ? " (" + swDiff(a ^ b) + ")" : ""));
            }
        }
        if (fipToo && get32(jvmx, FIP) != wantFip) {
            d.append(String.format("  fpu fip native %08x (%s) jvmx %08x, expected %08x%n", get32(host, off + FIP), fipNote,
                    get32(jvmx, FIP), wantFip));
        }
        for (int i = 0; i < 8; i++) {
            long am = get64(host, off + REGS + 10 * i), bm = get64(jvmx, REGS + 10 * i);
            int ae = get16(host, off + REGS + 10 * i + 8), be = get16(jvmx, REGS + 10 * i + 8);
            if (am != bm || ae != be) {
                d.append(String.format("  fpu st(%d) native %s jvmx %s%n", i, Float80.toString(am, ae), Float80.toString(bm, be)));
            }
        }
        return d.toString();
    }

    /** The status word bits in {@code x}, by name (C0-C3, TOP, the flags). */
    static String swDiff(int x) {
        StringBuilder s = new StringBuilder();
        String[] names = {"IE", "DE", "ZE", "OE", "UE", "PE", "SF", "ES", "C0", "C1", "C2", "TOP", "TOP", "TOP", "C3", "B"};
        for (int b = 0; b < 16; b++) {
            if ((x >> b & 1) != 0 && !(b > 11 && b < 14)) {
                s.append(s.length() == 0 ? "" : " ").append(names[b]);
            }
        }
        return s.length() == 0 ? "upper half" : s.toString();
    }

    /**
     * How far jvmx's image after an instruction is from the host's, when the only differences are
     * the kind the host's transcendental instructions show (see {@link HostFuzzer}): the result
     * registers each within one unit in the last place (same sign, finite, possibly across a
     * binade or into the denormals) and C1, with every other bit equal. A register one ulp from
     * zero may be zero in one image and the smallest denormal in the other: its tag then differs
     * as its value says (zero, special). 0: C1 alone; 1: one ulp; -1: any other difference.
     * Pointers (bytes 12-27) are not looked at.
     */
    static int ulps(byte[] host, int off, byte[] jvmx) {
        if (get32(host, off) != get32(jvmx, 0) || ((get32(host, off + 4) ^ get32(jvmx, 4)) & ~0x200) != 0) {
            return -1;
        }
        int hostTags = get32(host, off + 8), jvmxTags = get32(jvmx, 8);
        int top = get16(jvmx, 4) >> 11 & 7;
        int tagsMayDiffer = 0;
        int worst = 0;
        for (int i = 0; i < 8; i++) {
            long am = get64(host, off + REGS + 10 * i), bm = get64(jvmx, REGS + 10 * i);
            int ae = get16(host, off + REGS + 10 * i + 8), be = get16(jvmx, REGS + 10 * i + 8);
            if (am == bm && ae == be) {
                continue;
            }
            if (((ae ^ be) & Float80.SIGN) != 0 || !canonicalFinite(am, ae) || !canonicalFinite(bm, be)) {
                return -1;
            }
            // (exponent, significand without J) as one integer counts ulps of the 64-bit significand, across binades
            // and into the denormals too.
            BigInteger a = BigInteger.valueOf(ae & Float80.EXP_MAX).shiftLeft(63).add(BigInteger.valueOf(am & Long.MAX_VALUE));
            BigInteger b = BigInteger.valueOf(be & Float80.EXP_MAX).shiftLeft(63).add(BigInteger.valueOf(bm & Long.MAX_VALUE));
            BigInteger diff = a.subtract(b).abs();
            if (diff.compareTo(BigInteger.ONE) > 0) {
                return -1;
            }
            int shift = 2 * ((top + i) & 7);
            if ((hostTags >> shift & 3) == Float80.tag(am, ae) && (jvmxTags >> shift & 3) == Float80.tag(bm, be)) {
                tagsMayDiffer |= 3 << shift;
            }
            worst = 1;
        }
        return ((hostTags ^ jvmxTags) & ~tagsMayDiffer) != 0 ? -1 : worst;
    }

    /** Zero, denormal or normal: J set exactly when the exponent is not 0, and not infinity or NaN. */
    private static boolean canonicalFinite(long m, int se) {
        int e = se & Float80.EXP_MAX;
        return e != Float80.EXP_MAX && (e == 0) == (m >= 0);
    }

    /** One line: the words and ST(0)..ST(7) (sign:exponent:significand in hex). */
    static String describe(byte[] image, int off) {
        StringBuilder b = new StringBuilder(String.format("cw=%04x sw=%04x tw=%04x fip=%08x", get16(image, off), get16(image, off + 4),
                get16(image, off + 8), get32(image, off + FIP)));
        for (int i = 0; i < 8; i++) {
            b.append(" st").append(i).append('=').append(Float80.toString(get64(image, off + REGS + 10 * i), get16(image, off + REGS + 10 * i + 8)));
        }
        return b.toString();
    }
}
