package dev.jvmx.vmx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-exit-reason counts and handling time, with sub-keys (I/O port and direction, MSR and
 * direction, CR number and access type, exception or NMI by vector and type, task switch by
 * source, named virtualization holes). The hot path is array
 * increments only; not thread-safe: one instance per vCPU, kept by the exit dispatcher.
 */
public final class ExitStatistics {
    private static final int REASONS = maxReasonNumber() + 1;
    /** MSR slots: 0000-1FFF, then C0000000-C0001FFF, per direction; others go to a map. */
    private static final int MSR_SLOTS = 0x4000;

    private final long[] count = new long[REASONS];
    private final long[] nanos = new long[REASONS];
    private final long[] minNanos = new long[REASONS];
    private final long[] maxNanos = new long[REASONS];
    private final long[] ioCount = new long[0x10000 * 2];
    private final long[] msrCount = new long[MSR_SLOTS * 2];
    private final Map<Long, long[]> otherMsrCount = new HashMap<>();
    private final long[] crCount = new long[16 * 4];
    /** By vector and interruption type (bits 10:0 of the interruption information). */
    private final long[] exceptionCount = new long[1 << 11];
    private final long[] taskSwitchCount = new long[4];
    private final Map<String, Integer> holeIds = new HashMap<>();
    private final List<String> holeNames = new ArrayList<>();
    private long[] holeCount = new long[16];

    public ExitStatistics() {
        Arrays.fill(minNanos, Long.MAX_VALUE);
    }

    private static int maxReasonNumber() {
        int max = 0;
        for (ExitReason r : ExitReason.values()) max = Math.max(max, r.number());
        return max;
    }

    // ---- recording (hot path) ----

    /** One exit of this reason whose handling took nanos nanoseconds. */
    public void record(ExitReason reason, long nanos) {
        int n = reason.number();
        count[n]++;
        this.nanos[n] += nanos;
        if (nanos < minNanos[n]) minNanos[n] = nanos;
        if (nanos > maxNanos[n]) maxNanos[n] = nanos;
    }

    public void recordIo(int port, boolean in) {
        ioCount[((port & 0xFFFF) << 1) | (in ? 1 : 0)]++;
    }

    public void recordMsr(int msr, boolean write) {
        int slot = msrSlot(msr);
        if (slot >= 0) {
            msrCount[(slot << 1) | (write ? 1 : 0)]++;
        } else {
            otherMsrCount.computeIfAbsent(msr & 0xFFFFFFFFL, k -> new long[2])[write ? 1 : 0]++;
        }
    }

    /** accessType as in {@link CrAccessQualification} (MOV to, MOV from, CLTS, LMSW). */
    public void recordCr(int cr, int accessType) {
        crCount[((cr & 0xF) << 2) | (accessType & 3)]++;
    }

    /** An exception or NMI exit, by the vector and type of its interruption information. */
    public void recordException(int interruptionInfo) {
        exceptionCount[interruptionInfo & 0x7FF]++;
    }

    /** A task-switch exit, by the source in its qualification ({@link TaskSwitchQualification}). */
    public void recordTaskSwitch(long qualification) {
        taskSwitchCount[TaskSwitchQualification.source(qualification)]++;
    }

    /** Registers a hole name once. */
    private int holeId(String name) {
        Integer id = holeIds.get(name);
        if (id != null) return id;
        int n = holeNames.size();
        holeNames.add(name);
        holeIds.put(name, n);
        if (n == holeCount.length) holeCount = Arrays.copyOf(holeCount, n * 2);
        return n;
    }

    /** A named virtualization hole such as PUSH_CS, SGDT or POPF_IF. */
    public void recordHole(String name) {
        int id = holeId(name); // first: it may replace holeCount
        holeCount[id]++;
    }

    private static int msrSlot(int msr) {
        if (msr >= 0 && msr <= 0x1FFF) return msr;
        if (msr >= 0xC0000000 && msr <= 0xC0001FFF) return 0x2000 + (msr & 0x1FFF);
        return -1;
    }

    // ---- queries ----

    public long count(ExitReason r) { return count[r.number()]; }

    public long totalCount() {
        long t = 0;
        for (long c : count) t += c;
        return t;
    }

    private long totalNanos() {
        long t = 0;
        for (long c : nanos) t += c;
        return t;
    }

    // ---- reports ----

    /**
     * The exit-reason table in the shape of {@code perf kvm stat report}: reason, samples,
     * samples%, time%, min, max and average handling time in microseconds, most frequent first
     * (ties by SDM number), followed by the totals line.
     */
    String formatTable() {
        long total = totalCount();
        long totalNanos = totalNanos();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%28s %10s %9s %9s %11s %11s %11s%n",
                "VM-EXIT", "Samples", "Samples%", "Time%", "Min Time", "Max Time", "Avg time"));
        List<ExitReason> rows = new ArrayList<>();
        for (ExitReason r : ExitReason.values()) {
            if (count[r.number()] > 0) rows.add(r);
        }
        rows.sort((a, b) -> count[a.number()] != count[b.number()]
                ? Long.compare(count[b.number()], count[a.number()])
                : Integer.compare(a.number(), b.number()));
        for (ExitReason r : rows) {
            int n = r.number();
            sb.append(String.format(Locale.ROOT, "%28s %10d %8.2f%% %8.2f%% %11s %11s %11s%n",
                    r.name(), count[n], percent(count[n], total), percent(nanos[n], totalNanos),
                    micros(minNanos[n]), micros(maxNanos[n]), micros(nanos[n] / (double) count[n])));
        }
        sb.append(String.format(Locale.ROOT, "%nTotal Samples:%d, Total events handled time:%s.%n",
                total, micros(totalNanos)));
        return sb.toString();
    }

    /** I/O ports by samples, as {@code perf kvm stat report --event=ioport}: "0x3f8:POUT". */
    String formatIoTable() {
        List<long[]> rows = new ArrayList<>(); // {key, count}
        for (int i = 0; i < ioCount.length; i++) {
            if (ioCount[i] > 0) rows.add(new long[] {i, ioCount[i]});
        }
        return subTable("IO Port Access", rows,
                k -> String.format(Locale.ROOT, "%#x:%s", k >>> 1, (k & 1) != 0 ? "PIN" : "POUT"));
    }

    /** MSRs by samples: "0x1b:rdmsr". */
    String formatMsrTable() {
        List<long[]> rows = new ArrayList<>(); // {msr << 1 | write, count}
        for (int slot = 0; slot < MSR_SLOTS; slot++) {
            long msr = slot < 0x2000 ? slot : 0xC0000000L + (slot - 0x2000);
            for (int w = 0; w < 2; w++) {
                long c = msrCount[(slot << 1) | w];
                if (c > 0) rows.add(new long[] {(msr << 1) | w, c});
            }
        }
        for (Map.Entry<Long, long[]> e : otherMsrCount.entrySet()) {
            for (int w = 0; w < 2; w++) {
                if (e.getValue()[w] > 0) rows.add(new long[] {(e.getKey() << 1) | w, e.getValue()[w]});
            }
        }
        return subTable("MSR Access", rows,
                k -> String.format(Locale.ROOT, "%#x:%s", k >>> 1, (k & 1) != 0 ? "wrmsr" : "rdmsr"));
    }

    /** Control-register accesses by samples: "CR3 MOV to CR". */
    String formatCrTable() {
        List<long[]> rows = new ArrayList<>();
        for (int i = 0; i < crCount.length; i++) {
            if (crCount[i] > 0) rows.add(new long[] {i, crCount[i]});
        }
        return subTable("CR Access", rows, k -> {
            int type = (int) (k & 3);
            return type >= CrAccessQualification.CLTS ? CrAccessQualification.accessTypeName(type)
                    : "CR" + (k >>> 2) + " " + CrAccessQualification.accessTypeName(type);
        });
    }

    /** Exception or NMI exits by event: "EXCEPTION_OR_NMI #PF", "EXCEPTION_OR_NMI #BP (software exception)". */
    String formatExceptionTable() {
        List<long[]> rows = new ArrayList<>();
        for (int i = 0; i < exceptionCount.length; i++) {
            if (exceptionCount[i] > 0) rows.add(new long[] {i, exceptionCount[i]});
        }
        return subTable("Exception or NMI", rows, k -> ExitReason.EXCEPTION_OR_NMI.name() + " "
                + ExceptionInterruptionInfo.name(k | ExceptionInterruptionInfo.VALID));
    }

    /** Task-switch exits by source: "TASK_SWITCH CALL". */
    String formatTaskSwitchTable() {
        List<long[]> rows = new ArrayList<>();
        for (int i = 0; i < taskSwitchCount.length; i++) {
            if (taskSwitchCount[i] > 0) rows.add(new long[] {i, taskSwitchCount[i]});
        }
        return subTable("Task switch", rows, k -> ExitReason.TASK_SWITCH.name() + " "
                + TaskSwitchQualification.sourceName((int) k));
    }

    /** Virtualization holes by samples. */
    String formatHoleTable() {
        List<long[]> rows = new ArrayList<>();
        for (int i = 0; i < holeNames.size(); i++) {
            if (holeCount[i] > 0) rows.add(new long[] {i, holeCount[i]});
        }
        return subTable("Virtualization hole", rows, k -> holeNames.get((int) k));
    }

    /** All tables, the sub-key tables only when they have rows. */
    public String formatReport() {
        StringBuilder sb = new StringBuilder(formatTable());
        for (String t : new String[] {formatIoTable(), formatMsrTable(), formatCrTable(), formatExceptionTable(),
                formatTaskSwitchTable(), formatHoleTable()}) {
            if (t.lines().count() > 1) sb.append(System.lineSeparator()).append(t);
        }
        return sb.toString();
    }

    private interface KeyName { String of(long key); }

    private static String subTable(String title, List<long[]> rows, KeyName name) {
        long total = 0;
        for (long[] r : rows) total += r[1];
        rows.sort((a, b) -> a[1] != b[1] ? Long.compare(b[1], a[1]) : Long.compare(a[0], b[0]));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%28s %10s %9s%n", title, "Samples", "Samples%"));
        for (long[] r : rows) {
            sb.append(String.format(Locale.ROOT, "%28s %10d %8.2f%%%n", name.of(r[0]), r[1], percent(r[1], total)));
        }
        return sb.toString();
    }

    private static double percent(double part, double whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }

    private static String micros(double nanos) {
        return String.format(Locale.ROOT, "%.2fus", nanos / 1000.0);
    }
}
