package dev.jvmx.cputest;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Results of a harness run: passes, failures per opcode (with the first few reports in
 * full), skips per {@link SkipRules.Rule} and revoked tests; for the host fuzzer, which native
 * oracle ran and what share of the drawn instructions the host CPU checked. {@link #print}
 * ends with the line {@code N passed, M failed}.
 */
public final class CpuTestReport {
    /** Full failure reports kept per opcode; the rest are only counted. */
    public int detailsPerOpcode = Integer.getInteger("jvmx.cputest.details", 3);

    public long passed;
    public long failed;
    public long revoked;
    public final Map<SkipRules.Rule, Long> skipped = new EnumMap<>(SkipRules.Rule.class);
    /** Opcode key → failures. */
    public final Map<String, Long> failuresByOpcode = new TreeMap<>();
    /** Opcode key → tests run (passed + failed). */
    public final Map<String, Long> runByOpcode = new TreeMap<>();
    public final Map<String, List<String>> details = new TreeMap<>();
    public long nanos;
    /** Host fuzzer: which native oracle ran (one line), null for other harnesses. */
    public String oracle;
    public HostMode hostMode;
    /** Host fuzzer: instructions in the sequences the host CPU ran. */
    public long hostInstructions;
    /** Host fuzzer, 64-bit path: instructions drawn that 64-bit mode lacks, left to other oracles. */
    public final Map<LongModeGap, Long> coveredElsewhere = new EnumMap<>(LongModeGap.class);
    /**
     * Host fuzzer with x87: per instruction whose results the host does not always round
     * correctly (FSIN ... FYL2XP1), each run alone in jvmx from the host's state before it: runs,
     * results equal bit for bit, results that differ in C1 alone, results one ulp apart.
     */
    public final Map<String, long[]> inexact = new TreeMap<>();
    /** Host fuzzer with x87: every such result that differed, one line each (input, both results, ulps). */
    public final List<String> inexactDifferences = new ArrayList<>();
    /** Host fuzzer with x87: cases that agreed only with the host's results of those instructions put in place of jvmx's. */
    public long substituted;
    /** Host fuzzer with x87: cases whose FIP was not compared, the host's lost to a context switch (HostFuzzer.pointersLost). */
    public long fipUnchecked;

    public void pass(String opcode) {
        passed++;
        runByOpcode.merge(opcode, 1L, Long::sum);
    }

    public void fail(String opcode, String report) {
        failed++;
        runByOpcode.merge(opcode, 1L, Long::sum);
        failuresByOpcode.merge(opcode, 1L, Long::sum);
        List<String> l = details.computeIfAbsent(opcode, k -> new ArrayList<>());
        if (l.size() < detailsPerOpcode) {
            l.add(report);
        }
    }

    public void skip(SkipRules.Rule rule) {
        skipped.merge(rule, 1L, Long::sum);
    }

    public long skippedTotal() {
        long n = 0;
        for (long v : skipped.values()) {
            n += v;
        }
        return n;
    }

    /** passed / (passed + failed), 1 when nothing ran. */
    public double passRate() {
        long n = passed + failed;
        return n == 0 ? 1.0 : (double) passed / n;
    }

    /** Examples of transcendental differences printed per instruction; all are in {@link #inexactDifferences}. */
    static final int INEXACT_EXAMPLES = 3;

    private void printInexact(PrintStream out) {
        out.println("x87 transcendentals, each run alone in jvmx from the host's state before it (the host's results are within one ulp"
                + " but not always correctly rounded; jvmx rounds correctly: a difference of one ulp or in C1 alone is the documented"
                + " exception, anything else fails the case):");
        for (Map.Entry<String, long[]> e : inexact.entrySet()) {
            long[] v = e.getValue();
            out.printf("  %-8s %9d run, %9d bit for bit, %6d differ in C1 alone, %6d by one ulp%n", e.getKey(), v[0], v[1], v[2], v[3]);
        }
        Map<String, Integer> shown = new TreeMap<>();
        for (String d : inexactDifferences) {
            String op = d.substring(0, d.indexOf(' '));
            if (shown.merge(op, 1, Integer::sum) <= INEXACT_EXAMPLES) {
                out.println("  " + d);
            }
        }
        if (substituted > 0) {
            out.printf("%d cases agreed with the host once its results of these instructions were put in place of jvmx's"
                    + " (every other instruction checked)%n", substituted);
        }
        if (fipUnchecked > 0) {
            out.printf("%d cases with FIP not compared: the host's was lost to a context switch (AMD: FIP saved only"
                    + " while FSW.ES is set)%n", fipUnchecked);
        }
    }

    public void print(PrintStream out, boolean withDetails) {
        if (withDetails) {
            for (Map.Entry<String, List<String>> e : details.entrySet()) {
                for (String d : e.getValue()) {
                    out.println(d);
                }
            }
        }
        if (!failuresByOpcode.isEmpty()) {
            out.println("failures by opcode:");
            for (Map.Entry<String, Long> e : failuresByOpcode.entrySet()) {
                out.printf("  %-8s %6d of %6d failed%n", e.getKey(), e.getValue(), runByOpcode.get(e.getKey()));
            }
        }
        for (Map.Entry<SkipRules.Rule, Long> e : skipped.entrySet()) {
            out.printf("skipped %d (%s: %s)%n", e.getValue(), e.getKey(), e.getKey().reason);
        }
        if (revoked > 0) {
            out.printf("skipped %d (revoked by revocation_list.txt)%n", revoked);
        }
        if (!inexact.isEmpty()) {
            printInexact(out);
        }
        if (oracle != null) {
            out.println(oracle);
            long elsewhere = 0;
            for (long v : coveredElsewhere.values()) {
                elsewhere += v;
            }
            long all = hostInstructions + elsewhere;
            out.printf("instructions: %d run on the host CPU (%.2f%%)", hostInstructions, all == 0 ? 100.0 : 100.0 * hostInstructions / all);
            if (hostMode == HostMode.X86_64) {
                out.printf(", %d drawn that 64-bit mode lacks (%.2f%%), left to other oracles (LongModeGap)%s%n", elsewhere,
                        all == 0 ? 0.0 : 100.0 * elsewhere / all, elsewhere == 0 ? "" : ":");
                for (Map.Entry<LongModeGap, Long> e : coveredElsewhere.entrySet()) {
                    out.printf("  %-12s %8d  %s: %s; covered by %s%n", e.getKey(), e.getValue(), e.getKey().instructions,
                            e.getKey().why, e.getKey().oracle);
                }
            } else {
                out.println();
            }
        }
        out.printf("%.1f s, pass rate %.4f%%%n", nanos / 1e9, passRate() * 100);
        out.println(passed + " passed, " + failed + " failed");
    }
}
