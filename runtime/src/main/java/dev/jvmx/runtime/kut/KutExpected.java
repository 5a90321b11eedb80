package dev.jvmx.runtime.kut;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checked-in expected results (one line per test: name, status, passed, failed and skipped
 * checks; '#' comments) and the comparison that calls a run a regression: a test that passed
 * no longer passes, or passes fewer checks, or fails more.
 */
public final class KutExpected {
    public record Entry(String name, KutOutcome.Status status, int pass, int fail, int skip) { }

    private final Map<String, Entry> entries;

    private KutExpected(Map<String, Entry> entries) {
        this.entries = entries;
    }

    public static KutExpected read(Path file) throws IOException {
        return parse(Files.readAllLines(file));
    }

    public static KutExpected parse(List<String> lines) {
        Map<String, Entry> m = new LinkedHashMap<>();
        for (String l : lines) {
            String s = l.strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            String[] f = KutOutcome.parseResultLine(s);
            if (f == null) {
                throw new IllegalArgumentException("expected-results line needs name status pass fail skip: " + l);
            }
            m.put(f[0], new Entry(f[0], KutOutcome.Status.valueOf(f[1]), Integer.parseInt(f[2]),
                    Integer.parseInt(f[3]), Integer.parseInt(f[4])));
        }
        return new KutExpected(m);
    }

    /** The test names, in file order. */
    public List<String> names() {
        return new ArrayList<>(entries.keySet());
    }

    public Entry get(String name) {
        return entries.get(name);
    }

    /** What got worse, one line each (empty: no regression). */
    public List<String> regressions(List<KutRunner.Row> rows) {
        List<String> out = new ArrayList<>();
        Map<String, KutOutcome> got = new LinkedHashMap<>();
        for (KutRunner.Row r : rows) {
            got.put(r.test().name(), r.jvmx());
        }
        for (Entry e : entries.values()) {
            KutOutcome o = got.get(e.name());
            if (o == null) {
                out.add(e.name() + ": not run");
                continue;
            }
            String want = e.status() + " [" + e.pass() + " pass, " + e.fail() + " fail, " + e.skip() + " skip]";
            String have = o.status() + " [" + o.counts() + "]";
            if (e.status() == KutOutcome.Status.PASS && o.status() != KutOutcome.Status.PASS
                    || o.pass() < e.pass() || o.fail() > e.fail()) {
                out.add(e.name() + ": expected " + want + ", got " + have);
            }
        }
        return out;
    }

    /** Tests that did better than expected (the file should be updated), one line each. */
    public List<String> improvements(List<KutRunner.Row> rows) {
        List<String> out = new ArrayList<>();
        for (KutRunner.Row r : rows) {
            Entry e = entries.get(r.test().name());
            KutOutcome o = r.jvmx();
            if (e != null && (o.pass() > e.pass() || o.fail() < e.fail()
                    || e.status() != KutOutcome.Status.PASS && o.status() == KutOutcome.Status.PASS)) {
                out.add(e.name() + ": now " + o.status() + " [" + o.counts() + "]");
            }
        }
        return out;
    }
}
