package dev.jvmx.cputest;

/**
 * The JUnit test a fuzzer mismatch prints, to paste into the translator's tests: it runs the
 * case's IA-32 lines (GNU as, AT&T syntax) from the case's initial state on the translator's
 * test machine ({@code dev.jvmx.translator.testing.HostCase}) and expects the state the host
 * CPU left: the eight registers, EFLAGS under the compared mask, the buffer, and for a case with
 * x87 instructions the FNSAVE image (the pointers FIP, FCS, FOP, FDP, FDS left out: FIP is the
 * host program's address of the line).
 */
final class RegressionTestText {
    private RegressionTestText() { }

    static String of(long seed, long k, HostMode mode, FuzzGenerator.Case c, int[] nativeState, int flagMask, byte[] nativeBuf,
            byte[] nativeFpu) {
        boolean x87 = !java.util.Arrays.equals(c.fpu, X87Mix.initImage()); // cases without x87 start (and end) in FNINIT's state
        String name = "hostFuzzSeed" + (seed < 0 ? "M" + -seed : Long.toString(seed)) + "Case" + k;
        StringBuilder s = new StringBuilder();
        s.append("/** Host fuzzer (jvmx cpu-test --fuzz N --seed ").append(seed).append("), case ").append(k).append(" on the ")
                .append(mode.label).append(" path; the expected state is the host CPU's. */\n");
        s.append("@Test\nvoid ").append(name).append("() {\n");
        s.append("    GuestRunner r = HostCase.run").append(x87 ? "X87" : "").append('(').append(ints(c.regs)).append(", ")
                .append(hex32(c.eflags)).append(",\n");
        s.append(bytes(c.mem)).append(",\n");
        if (x87) {
            s.append(bytes(c.fpu)).append(",\n");
        }
        for (int i = 0; i < c.lines.size(); i++) {
            s.append("            \"").append(c.lines.get(i)).append('"').append(i + 1 < c.lines.size() ? ",\n" : ");\n");
        }
        s.append("    HostCase.expect").append(x87 ? "X87" : "").append("(r, ").append(ints(java.util.Arrays.copyOf(nativeState, 8)))
                .append(", ").append(hex32(nativeState[8])).append(", ").append(String.format("0x%03x", flagMask)).append(",\n");
        s.append(bytes(nativeBuf));
        if (x87) {
            s.append(",\n").append(bytes(nativeFpu));
        }
        s.append(");\n}\n");
        return s.toString();
    }

    private static String ints(int[] v) {
        StringBuilder s = new StringBuilder("new int[] {");
        for (int i = 0; i < v.length; i++) {
            s.append(i == 0 ? "" : ", ").append(hex32(v[i]));
        }
        return s.append('}').toString();
    }

    private static String hex32(int v) {
        return String.format("0x%08x", v);
    }

    /** The buffer as a hex string literal, 64 bytes a line. */
    private static String bytes(byte[] b) {
        String h = HostFuzzer.hex(b);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < h.length(); i += 128) {
            s.append(i == 0 ? "            \"" : " +\n            \"").append(h, i, Math.min(h.length(), i + 128)).append('"');
        }
        return s.toString();
    }
}
