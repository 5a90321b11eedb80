package dev.jvmx.runtime.kut;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads x86/unittests.cfg: INI-style sections ([name]) of "key = value" lines, '#' comments.
 * Values may be quoted with ' or "; a parameter string is split into words as a shell would
 * (quotes group, backslash escapes), which is all the file uses.
 */
public final class UnitTestsCfg {
    private UnitTestsCfg() { }

    public static List<KutTest> read(Path cfg) throws IOException {
        return parse(Files.readAllLines(cfg));
    }

    public static List<KutTest> parse(List<String> lines) {
        List<KutTest> tests = new ArrayList<>();
        String name = null;
        Map<String, String> keys = new LinkedHashMap<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                if (name != null) {
                    tests.add(make(name, keys));
                }
                name = line.substring(1, line.length() - 1).strip();
                keys = new LinkedHashMap<>();
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0 || name == null) {
                continue;
            }
            keys.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        if (name != null) {
            tests.add(make(name, keys));
        }
        return tests;
    }

    private static KutTest make(String name, Map<String, String> k) {
        List<String> params = new ArrayList<>();
        params.addAll(words(k.getOrDefault("extra_params", "")));
        params.addAll(words(k.getOrDefault("qemu_params", "")));
        String testArgs = String.join(" ", words(k.getOrDefault("test_args", "")));
        int smp = 1;
        String s = unquote(k.getOrDefault("smp", "1"));
        try {
            smp = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            smp = Integer.MAX_VALUE; // an expression such as $MAX_SMP: more than one CPU
        }
        return new KutTest(name, unquote(k.getOrDefault("file", "")), smp, params, testArgs,
                unquote(k.getOrDefault("arch", "")), words(k.getOrDefault("groups", "")),
                timeout(unquote(k.getOrDefault("timeout", ""))), unquote(k.getOrDefault("accel", "")),
                unquote(k.getOrDefault("check", "")));
    }

    /** A timeout as `timeout` takes it: a number with an optional s, m or h suffix. */
    static double timeout(String v) {
        if (v.isEmpty()) {
            return KutTest.DEFAULT_TIMEOUT;
        }
        double unit = 1;
        char last = v.charAt(v.length() - 1);
        if (last == 's' || last == 'm' || last == 'h') {
            unit = last == 'm' ? 60 : last == 'h' ? 3600 : 1;
            v = v.substring(0, v.length() - 1);
        }
        try {
            return Double.parseDouble(v) * unit;
        } catch (NumberFormatException e) {
            return KutTest.DEFAULT_TIMEOUT;
        }
    }

    static String unquote(String v) {
        List<String> w = words(v);
        return w.isEmpty() ? "" : String.join(" ", w);
    }

    /** Splits a value into words as a POSIX shell would, without expansions. */
    static List<String> words(String v) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < v.length()) {
                cur.append(v.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(cur.toString());
        }
        return out;
    }
}
