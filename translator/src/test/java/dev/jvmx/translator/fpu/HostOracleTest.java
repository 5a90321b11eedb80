package dev.jvmx.translator.fpu;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.jvmx.translator.fpu.FpuImage.get16;
import static dev.jvmx.translator.fpu.FpuImage.get32;
import static dev.jvmx.translator.fpu.FpuImage.get64;
import static dev.jvmx.translator.fpu.FpuImage.put32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every x87 instruction form run on the host CPU and on the library from the same random state,
 * compared bit for bit: the FNSAVE image (control, status and tag words and the eight registers;
 * the instruction and data pointers are left out, because a 64-bit host with FCS/FDS deprecation
 * and FOP/FDP recorded only on exceptions shows different ones), the memory operand, EFLAGS and AX.
 * A pending unmasked exception before a waiting instruction must trap on both.
 *
 * <p>{@code -Dx87.vectors=N} (default 20000) and {@code -Dx87.seed=S} size the run.
 */
class HostOracleTest {
    static final int N = Integer.getInteger("x87.vectors", 20000);
    static final long SEED = Long.getLong("x87.seed", 87);
    static final int PER_FORM = Integer.getInteger("x87.show", 1);
    static final String ONLY = System.getProperty("x87.only", "");

    @Test
    void libraryAgreesWithTheHostCpu() throws Exception {
        String why = HostX87.unavailableReason();
        if (why != null) {
            System.out.println("HostOracleTest SKIPPED: " + why);
        }
        assumeTrue(why == null, "x87 host oracle unavailable: " + why);
        if (!HostX87.oracleVendor()) {
            System.out.println("HostOracleTest SKIPPED: host CPU is " + HostX87.vendor() + "; the library models Intel's x87");
        }
        assumeTrue(HostX87.oracleVendor(), "host is " + HostX87.vendor());

        List<X87Vectors.Form> forms = new ArrayList<>();
        for (X87Vectors.Form f : X87Vectors.forms()) {
            if (!ONLY.isEmpty() && !f.name.startsWith(ONLY)) continue;
            if (f.transcendental && !Boolean.parseBoolean(System.getProperty("x87.trans", "true"))) continue;
            forms.add(f);
        }
        X87Vectors gen = new X87Vectors(SEED);
        Map<String, int[]> perForm = new TreeMap<>();
        List<String> report = new ArrayList<>();
        int mismatches = 0, done = 0, undefined = 0, trapped = 0;
        Map<String, Integer> ulps = new TreeMap<>();
        List<String> soft = new ArrayList<>();
        Map<String, List<String>> ulpExamples = new TreeMap<>();
        final int batch = 20000;
        while (done < N) {
            int n = Math.min(batch, N - done);
            X87Vectors.Vector[] vs = new X87Vectors.Vector[n];
            byte[] records = new byte[n * HostX87.REC];
            for (int k = 0; k < n; k++) {
                vs[k] = gen.next(forms);
                encode(vs[k], records, k * HostX87.REC);
            }
            byte[] out = HostX87.run(records);
            for (int k = 0; k < n; k++) {
                X87Vectors.Vector v = vs[k];
                int[] c = perForm.computeIfAbsent(v.form.name, x -> new int[2]);
                c[0]++;
                if (get32(out, k * HostX87.REC) != 0) trapped++;
                if (undefinedDomain(v)) {
                    undefined++;
                    continue;
                }
                String diff = compare(v, out, k * HostX87.REC);
                if (diff != null && v.form.transcendental) {
                    int u = ulpOnly(v, out, k * HostX87.REC);
                    if (u >= 0) {
                        ulps.merge(v.form.name + (u == 0 ? " 0 ulps (C1 only)" : u == 1 ? " 1 ulp" : " " + u + " ulps"), 1, Integer::sum);
                        if (u > 1 || SHOW_ULPS && soft.size() < 200) soft.add("  (ulp) " + v.form + ": " + diff);
                        ulpExamples.computeIfAbsent(v.form.name, x -> new ArrayList<>());
                        if (ulpExamples.get(v.form.name).size() < 3) ulpExamples.get(v.form.name).add(v.form.name + ": " + diff);
                        if (u <= 1) continue;
                    }
                }
                if (diff != null) {
                    c[1]++;
                    mismatches++;
                    if (c[1] <= PER_FORM && report.size() < 400) report.add(v.form + ": " + diff);
                }
            }
            done += n;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("x87 host oracle: %d vectors, %d mismatches (seed %d), %d outside an instruction's defined domain (not compared),"
                + " %d trapped on the host (#MF at a waiting instruction)%n", N, mismatches, SEED, undefined, trapped));
        for (Map.Entry<String, Integer> e : ulps.entrySet()) {
            sb.append(String.format("  transcendental result off by %s: %d (of %d %s)%n", e.getKey().substring(e.getKey().indexOf(' ') + 1),
                    e.getValue(), perForm.get(e.getKey().substring(0, e.getKey().indexOf(' ')))[0], e.getKey().substring(0, e.getKey().indexOf(' '))));
        }
        for (Map.Entry<String, int[]> e : perForm.entrySet()) {
            if (e.getValue()[1] != 0) sb.append(String.format("  %-16s %6d / %d%n", e.getKey(), e.getValue()[1], e.getValue()[0]));
        }
        for (String s : report) sb.append(s).append('\n');
        for (String s : soft) sb.append(s).append('\n');
        if (SHOW_ULPS) ulpExamples.values().forEach(l -> l.forEach(x -> sb.append("  example ").append(x).append('\n')));
        System.out.println(sb);
        assertEquals(0, mismatches, sb.toString());
    }

    static final boolean SHOW_ULPS = Boolean.getBoolean("x87.showUlps");

    /** FYL2XP1 is defined for |ST(0)| < 1 - sqrt(2)/2 only (Vol. 2, FYL2XP1). */
    static boolean undefinedDomain(X87Vectors.Vector v) {
        if (!v.form.name.equals("fyl2xp1")) return false;
        int top = get16(v.state, 4) >> 11 & 7;
        if ((get16(v.state, 8) >> (2 * top) & 3) == 3) return false;
        long m = get64(v.state, 28);
        int se = get16(v.state, 36);
        int c = Float80.classify(m, se);
        if (c != Float80.NORMAL && c != Float80.DENORMAL && c != Float80.PSEUDO_DENORMAL) return false;
        return Math.abs(Float80.toDouble(m, se)) >= 0.29289321881345247;
    }

    /**
     * For a transcendental instruction whose results differ from the host's: the largest distance
     * in ulps between the result registers when nothing else differs but C1 (0: C1 alone), else -1.
     */
    static int ulpOnly(X87Vectors.Vector v, byte[] out, int off) {
        X87TestDecoder.Outcome o = X87TestDecoder.execute(v.form.bytes, v.eflags, v.state, v.mem);
        if (get32(out, off) != 0 || o.trap != 0) return -1;
        byte[] h = new byte[112];
        System.arraycopy(out, off + HostX87.STATE, h, 0, 112);
        if (get32(h, 0) != get32(o.state, 0) || get32(h, 8) != get32(o.state, 8)) return -1;
        if (((get32(h, 4) ^ get32(o.state, 4)) & ~FpuState.C1) != 0) return -1;
        int worst = 0;
        for (int i = 0; i < 8; i++) {
            long am = get64(h, 28 + 10 * i), bm = get64(o.state, 28 + 10 * i);
            int ae = get16(h, 36 + 10 * i), be = get16(o.state, 36 + 10 * i);
            if (am == bm && ae == be) continue;
            if ((ae ^ be) >> 15 != 0 || (ae & 0x7FFF) == 0x7FFF || (be & 0x7FFF) == 0x7FFF) return -1;
            int ka = ae & 0x7FFF, kb = be & 0x7FFF;
            java.math.BigInteger a = java.math.BigInteger.valueOf(ae & 0x7FFF).shiftLeft(63).add(java.math.BigInteger.valueOf(am & Long.MAX_VALUE));
            java.math.BigInteger b = java.math.BigInteger.valueOf(be & 0x7FFF).shiftLeft(63).add(java.math.BigInteger.valueOf(bm & Long.MAX_VALUE));
            java.math.BigInteger d = a.subtract(b).abs();
            if (ka == kb + 1 || kb == ka + 1 || ka == kb) {
                if (d.bitLength() > 20) return -1;
                worst = Math.max(worst, d.intValue());
            } else {
                return -1;
            }
        }
        return worst;
    }

    static void encode(X87Vectors.Vector v, byte[] b, int off) {
        put32(b, off, v.form.bytes.length);
        System.arraycopy(v.form.bytes, 0, b, off + 4, v.form.bytes.length);
        put32(b, off + 20, v.eflags);
        System.arraycopy(v.state, 0, b, off + HostX87.STATE, 112);
        System.arraycopy(v.mem, 0, b, off + HostX87.MEM, 512);
    }

    /** Null when the host and the library agree, else a description. */
    static String compare(X87Vectors.Vector v, byte[] out, int off) {
        X87TestDecoder.Outcome o;
        try {
            o = X87TestDecoder.execute(v.form.bytes, v.eflags, v.state, v.mem);
        } catch (X87TestDecoder.Unsupported | UnsupportedOperationException e) {
            return "library: unsupported " + e.getMessage();
        } catch (RuntimeException e) {
            return "library threw " + e + " at " + e.getStackTrace()[0] + " in " + describe(v.state, 0);
        }
        int trap = get32(out, off);
        StringBuilder d = new StringBuilder();
        if (trap != o.trap) {
            d.append(String.format(" trap host=%d lib=%d;", trap, o.trap));
        } else if (trap != 0) {
            int[] fields = {0, 4};
            for (int f : fields) {
                if (get16(out, off + HostX87.STATE + f) != get16(o.state, f)) d.append(" trap-state;");
            }
            if ((out[off + HostX87.STATE + 8] & 0xFF) != (o.state[8] & 0xFF)) d.append(" trap-tags;");
        } else {
            byte[] h = new byte[112];
            System.arraycopy(out, off + HostX87.STATE, h, 0, 112);
            String[] names = {"cw", "sw", "tw"};
            for (int k = 0; k < 3; k++) {
                int a = get32(h, 4 * k), b = get32(o.state, 4 * k);
                if (a != b) d.append(String.format(" %s host=%08X lib=%08X;", names[k], a, b));
            }
            for (int i = 0; i < 8; i++) {
                long am = get64(h, 28 + 10 * i), bm = get64(o.state, 28 + 10 * i);
                int ae = get16(h, 36 + 10 * i), be = get16(o.state, 36 + 10 * i);
                if (am != bm || ae != be) {
                    d.append(String.format(" st%d host=%s lib=%s;", i, Float80.toString(am, ae), Float80.toString(bm, be)));
                }
            }
            long hf = get64(out, off + 8) & 0x8D5, lf = o.rflags & 0x8D5;
            if (hf != lf) d.append(String.format(" eflags host=%03X lib=%03X;", hf, lf));
            if (v.form.name.equals("fnstsw ax") && get16(out, off + 16) != (o.ax & 0xFFFF)) {
                d.append(String.format(" ax host=%04X lib=%04X;", get16(out, off + 16), o.ax));
            }
            boolean[] skip = pointerBytes(v.form);
            for (int k = 0; k < 512; k++) {
                if (!skip[k] && out[off + HostX87.MEM + k] != o.mem[k]) {
                    d.append(String.format(" mem[%d] host=%02X lib=%02X;", k, out[off + HostX87.MEM + k] & 0xFF, o.mem[k] & 0xFF));
                    break;
                }
            }
        }
        if (d.length() == 0) return null;
        return d + "\n    in: " + describe(v.state, 0) + memText(v);
    }

    /** Bytes of an environment image that hold the pointers (not compared). */
    static boolean[] pointerBytes(X87Vectors.Form f) {
        boolean[] s = new boolean[512];
        if (f.name.startsWith("fnstenv m28") || f.name.startsWith("fnsave m108")) {
            for (int k = 12; k < 28; k++) s[k] = true;
        } else if (f.name.startsWith("fnstenv m14") || f.name.startsWith("fnsave m94")) {
            for (int k = 6; k < 14; k++) s[k] = true;
        } else if (f.name.equals("fxsave")) {
            // pointers; MXCSR, MXCSR_MASK and the XMM area are the host process's
            for (int k = 6; k < 32; k++) s[k] = true;
            for (int k = 160; k < 512; k++) s[k] = true;
        }
        return s;
    }

    static String describe(byte[] st, int off) {
        StringBuilder b = new StringBuilder(String.format("cw=%04X sw=%04X tw=%04X", get16(st, off), get16(st, off + 4), get16(st, off + 8)));
        for (int i = 0; i < 8; i++) {
            b.append(" st").append(i).append('=').append(Float80.toString(get64(st, off + 28 + 10 * i), get16(st, off + 36 + 10 * i)));
        }
        return b.toString();
    }

    static String memText(X87Vectors.Vector v) {
        if (v.form.mem == X87Vectors.Mem.NONE) return String.format(" eflags=%03X", v.eflags & 0x8D5);
        return String.format(" mem=%016X %04X", get64(v.mem, 0), get16(v.mem, 8));
    }
}
