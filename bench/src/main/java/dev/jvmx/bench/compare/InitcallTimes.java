package dev.jvmx.bench.compare;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a Linux boot spends its time, initcall by initcall, under jvmx and under QEMU: the
 * kernel's own {@code initcall_debug} report ("initcall NAME+0x0/0x42 returned 0 after 244000
 * usecs"), timed by the guest's clock, which both run from the host's. The whole boot's ratio
 * says how far behind jvmx is; this says where (bench/boot-times --initcalls N).
 */
final class InitcallTimes {
    /** Added to the kernel's command line: the report, and printed at the console's level. */
    static final String CMDLINE = " initcall_debug ignore_loglevel";

    private static final Pattern RETURNED = Pattern.compile(
            "initcall ([A-Za-z0-9_.$]+)(?:\\+0x[0-9a-f]+/0x[0-9a-f]+)?(?: \\[[^\\]]+\\])? returned -?\\d+ after (\\d+) usecs");

    private InitcallTimes() { }

    /** Microseconds per initcall in one boot's console output, in the order they ran. */
    static Map<String, Long> parse(String console) {
        Map<String, Long> times = new LinkedHashMap<>();
        Matcher m = RETURNED.matcher(console);
        while (m.find()) {
            times.merge(m.group(1), Long.parseLong(m.group(2)), Long::sum);
        }
        return times;
    }

    /**
     * A Markdown table of the {@code top} initcalls by how much longer they took under jvmx
     * (medians over the boots; an initcall missing from a boot counts 0 there), with the sum
     * over all initcalls last.
     */
    static List<String> table(List<Map<String, Long>> jvmx, List<Map<String, Long>> qemu, int top) {
        Set<String> names = new LinkedHashSet<>();
        jvmx.forEach(t -> names.addAll(t.keySet()));
        qemu.forEach(t -> names.addAll(t.keySet()));
        record Row(String name, long jvmxUs, long qemuUs) { }
        List<Row> rows = new ArrayList<>();
        long jvmxSum = 0;
        long qemuSum = 0;
        for (String n : names) {
            Row r = new Row(n, median(jvmx, n), median(qemu, n));
            rows.add(r);
            jvmxSum += r.jvmxUs;
            qemuSum += r.qemuUs;
        }
        rows.sort(Comparator.comparingLong((Row r) -> r.qemuUs - r.jvmxUs).thenComparing(Row::name));
        List<String> out = new ArrayList<>();
        out.add("| initcall | jvmx ms | qemu ms | jvmx - qemu ms | jvmx/qemu |");
        out.add("|---|---:|---:|---:|---:|");
        for (Row r : rows.subList(0, Math.min(top, rows.size()))) {
            out.add(row(r.name, r.jvmxUs, r.qemuUs));
        }
        out.add(row("**all " + names.size() + " initcalls**", jvmxSum, qemuSum));
        return out;
    }

    private static String row(String name, long jvmxUs, long qemuUs) {
        String ratio = qemuUs == 0 ? "-" : String.format("%.1f", (double) jvmxUs / qemuUs);
        return String.format("| %s | %.1f | %.1f | %.1f | %s |", name, jvmxUs / 1e3, qemuUs / 1e3,
                (jvmxUs - qemuUs) / 1e3, ratio);
    }

    private static long median(List<Map<String, Long>> boots, String name) {
        return Stats.median(boots.stream().map(t -> t.getOrDefault(name, 0L)).toList());
    }
}
