package dev.jvmx.cputest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.bare.BareMachine;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.decode.Decoder;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.decode.Mnemonic;
import dev.jvmx.translator.decode.Operand;
import dev.jvmx.translator.exec.StopReason;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Runs hardware-captured single-instruction tests (the SingleStepTests 80286 real-mode
 * format, see ../shared/tests/ss286/README.md) through the translator: each test's
 * registers and RAM are loaded into one reused real-mode {@link BareMachine}, the
 * instruction and the HLT after it run through the dispatcher, and registers, FLAGS (the
 * undefined flags and bits 12-15 masked) and RAM are compared with the captured result.
 */
public final class SingleStepSuite {
    /** Register names of the format, in the order reports print them. */
    static final String[] REGS = {"ax", "bx", "cx", "dx", "cs", "ss", "ds", "es", "sp", "bp", "si", "di", "ip", "flags"};
    private static final int FLAGS_LOW12 = 0x0FFF;
    private static final int[] PREFIXES = {0x26, 0x2E, 0x36, 0x3E, 0xF0, 0xF2, 0xF3};

    private final Path dir;
    private final JsonObject opcodes;
    private final Set<String> revokedHashes = new HashSet<>();
    private final BareMachine m = new BareMachine();
    /** The execution tiers each test runs in (see {@link BareMachine#useTier}). */
    private int[] tiers = BareMachine.TIERS;
    private final CpuTestReport report = new CpuTestReport();
    private final PrintStream out;

    private SingleStepSuite(Path dir, PrintStream out) throws IOException {
        this.dir = dir;
        this.out = out;
        Path meta = dir.resolve("metadata.json");
        this.opcodes = Files.exists(meta)
                ? JsonParser.parseString(Files.readString(meta)).getAsJsonObject().getAsJsonObject("opcodes")
                : new JsonObject();
        Path rev = dir.resolve("revocation_list.txt");
        if (Files.exists(rev)) {
            for (String line : Files.readAllLines(rev)) {
                line = line.trim();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    revokedHashes.add(line.toLowerCase(Locale.ROOT));
                }
            }
        }
    }

    /** Runs every test file in {@code dir} (or those of one opcode); see {@link #run(Path, String, int, PrintStream)}. */
    public static CpuTestReport run(Path dir, String opcodeFilter, PrintStream out) {
        return run(dir, opcodeFilter, Integer.MAX_VALUE, out);
    }

    /**
     * Runs the test files in {@code dir}: all, or those whose opcode key is {@code opcodeFilter}
     * or starts with it and a dot ("F6" selects F6.0 to F6.7). At most {@code perFile} tests a
     * file (the first ones: a deterministic sample). Prints a progress line per file group,
     * failure details, skips by rule and a last line {@code N passed, M failed}.
     */
    public static CpuTestReport run(Path dir, String opcodeFilter, int perFile, PrintStream out) {
        return run(dir, opcodeFilter, perFile, BareMachine.TIERS, out);
    }

    /** As {@link #run(Path, String, int, PrintStream)}, each test in each of {@code tiers}. */
    public static CpuTestReport run(Path dir, String opcodeFilter, int perFile, int[] tiers, PrintStream out) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("not a directory of single-step tests: " + dir);
        }
        long t0 = System.nanoTime();
        SingleStepSuite s;
        try {
            s = new SingleStepSuite(dir, out);
            s.tiers = tiers;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int done = 0;
        for (Path f : files(dir, opcodeFilter)) {
            s.runFile(f, key(f), perFile);
            if (++done % 32 == 0) {
                out.printf("... %d files, %d passed, %d failed, %.0f s%n", done, s.report.passed, s.report.failed,
                        (System.nanoTime() - t0) / 1e9);
            }
        }
        s.report.nanos = System.nanoTime() - t0;
        s.report.print(out, true);
        return s.report;
    }

    /** Whether {@code dir} has a test file for {@code opcodeFilter} (see {@link #run(Path, String, int, PrintStream)}). */
    public static boolean hasFiles(Path dir, String opcodeFilter) {
        return !files(dir, opcodeFilter).isEmpty();
    }

    private static String key(Path f) {
        return f.getFileName().toString().replace(".jsonl.gz", "").toUpperCase(Locale.ROOT);
    }

    /** The test files of {@code dir}, sorted, those of one opcode key when {@code opcodeFilter} is not null. */
    private static List<Path> files(Path dir, String opcodeFilter) {
        String filter = opcodeFilter == null ? null : opcodeFilter.toUpperCase(Locale.ROOT);
        List<Path> files = new ArrayList<>();
        try (Stream<Path> l = Files.list(dir)) {
            l.filter(p -> p.getFileName().toString().endsWith(".jsonl.gz")).sorted().forEach(p -> {
                String key = key(p);
                if (filter == null || key.equals(filter) || key.startsWith(filter + ".")) {
                    files.add(p);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private void runFile(Path f, String key, int perFile) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(f), 1 << 16), StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while (n < perFile && (line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                n++;
                runTest(key, JsonParser.parseString(line).getAsJsonObject());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + f, e);
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException("malformed test file " + f + ": " + e.getMessage(), e);
        }
    }

    /** Metadata entry for the opcode of these bytes (with the ModRM.reg group entry if any). */
    private JsonObject meta(int[] bytes) {
        int i = 0;
        while (i < bytes.length - 1 && contains(PREFIXES, bytes[i])) {
            i++;
        }
        String op = String.format("%02X", bytes[i]);
        if (bytes[i] == 0x0F && i + 1 < bytes.length) {
            op = String.format("0F%02X", bytes[++i]);
        }
        JsonObject e = opcodes.getAsJsonObject(op);
        if (e == null) {
            return new JsonObject();
        }
        if (e.has("reg") && i + 1 < bytes.length) {
            JsonObject g = e.getAsJsonObject("reg").getAsJsonObject(Integer.toString((bytes[i + 1] >> 3) & 7));
            if (g != null) {
                return g;
            }
        }
        return e;
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private void runTest(String key, JsonObject t) {
        String hash = t.has("hash") ? t.get("hash").getAsString() : "";
        if (revokedHashes.contains(hash.toLowerCase(Locale.ROOT))) {
            report.revoked++;
            return;
        }
        int[] bytes = ints(t.getAsJsonArray("bytes"));
        JsonObject init = t.getAsJsonObject("initial");
        JsonObject fin = t.getAsJsonObject("final");
        JsonObject iregs = init.getAsJsonObject("regs");
        JsonObject fregs = fin.getAsJsonObject("regs");
        JsonObject exc = t.has("exception") && t.get("exception").isJsonObject() ? t.getAsJsonObject("exception") : null;
        int raised = exc == null ? -1 : exc.get("number").getAsInt();
        JsonObject meta = meta(bytes);
        String status = meta.has("status") ? meta.get("status").getAsString() : "normal";
        int ip0 = reg(iregs, "ip");
        Insn insn = decode(bytes, ip0);
        SkipRules.Rule rule = SkipRules.match(key, status, bytes.length - 1, raised, insn);
        if (rule != null) {
            report.skip(rule);
            return;
        }
        int flagsMask = meta.has("flags-mask") ? meta.get("flags-mask").getAsInt() : 0xFFFF;

        StringBuilder diff = new StringBuilder();
        for (int tier : tiers) {
            m.useTier(tier);
            String d = runOnce(iregs, fregs, init, fin, exc, insn, flagsMask);
            if (!d.isEmpty()) {
                diff.append(tiers.length > 1 ? "  in execution tier " + tier + ":\n" : "").append(d);
            }
        }
        if (diff.length() == 0) {
            report.pass(key);
        } else {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format("FAIL %s #%s \"%s\" bytes %s (jvmx: %s)%s hash %s%n", key, text(t, "idx"), text(t, "name"),
                    hex(bytes), insn, raised >= 0 ? " exception " + raised : "", hash));
            sb.append("  initial");
            for (String r : REGS) {
                sb.append(String.format(" %s=%04x", r, reg(iregs, r)));
            }
            sb.append('\n').append(diff);
            report.fail(key, sb.toString().stripTrailing());
        }
    }

    /** Loads the test's initial state, runs it in the machine's current tier, and returns the differences. */
    private String runOnce(JsonObject iregs, JsonObject fregs, JsonObject init, JsonObject fin, JsonObject exc,
            Insn insn, int flagsMask) {
        // ---- load
        int ip = reg(iregs, "ip");
        m.resetReal(reg(iregs, "cs"), reg(iregs, "ss"), reg(iregs, "ds"), reg(iregs, "es"), ip);
        Cpu c = m.cpu;
        c.regs[Cpu.EAX] = reg(iregs, "ax");
        c.regs[Cpu.EBX] = reg(iregs, "bx");
        c.regs[Cpu.ECX] = reg(iregs, "cx");
        c.regs[Cpu.EDX] = reg(iregs, "dx");
        c.regs[Cpu.ESP] = reg(iregs, "sp");
        c.regs[Cpu.EBP] = reg(iregs, "bp");
        c.regs[Cpu.ESI] = reg(iregs, "si");
        c.regs[Cpu.EDI] = reg(iregs, "di");
        // A real-mode 286 keeps FLAGS bits 12-15 clear whatever the capture's initial image says.
        c.setEflags(reg(iregs, "flags") & FLAGS_LOW12);
        JsonArray iram = init.getAsJsonArray("ram");
        JsonArray fram = fin.getAsJsonArray("ram");
        Set<Integer> pages = new HashSet<>();
        for (JsonElement o : iram) {
            JsonArray p = o.getAsJsonArray();
            int a = p.get(0).getAsInt() & 0xFFFFFF;
            m.memory.write8(a, p.get(1).getAsInt());
            pages.add(a >>> 12);
        }
        for (int p : pages) {
            m.codeLoaded(p << 12);
        }
        int undefined = insn == null ? 0 : insn.mnemonic.flags().undefined(insn.operandSize, shiftCount(insn, c));
        int mask = flagsMask & ~undefined & FLAGS_LOW12;

        // ---- run
        StopReason stop;
        String crash = null;
        try {
            stop = m.runFor(5_000); // a test runs two or three instructions; garbage runs stop early
            if (stop.kind != StopReason.Kind.HALTED) {
                crash = "stopped: " + stop;
            }
        } catch (RuntimeException | StackOverflowError ex) {
            crash = "exception in jvmx: " + ex;
        }

        // ---- compare
        StringBuilder diff = new StringBuilder();
        if (crash != null) {
            diff.append("  ").append(crash).append('\n');
        }
        for (String r : REGS) {
            int exp = fregs.has(r) ? fregs.get(r).getAsInt() : reg(iregs, r);
            int act = actual(r);
            int cmpMask = r.equals("flags") ? mask : 0xFFFF;
            if (r.equals("flags") && !fregs.has(r)) {
                exp &= FLAGS_LOW12;
            }
            if (((exp ^ act) & cmpMask) != 0) {
                diff.append(String.format("  %-5s expected %04x actual %04x", r, exp & 0xFFFF, act & 0xFFFF));
                if (r.equals("flags")) {
                    diff.append(String.format(" (compared bits %03x: %s)", mask, flagNames((exp ^ act) & cmpMask)));
                }
                diff.append('\n');
            }
        }
        // The FLAGS image an exception pushed: at SS:SP+4 after the IP and CS pushes. (The data's
        // flag_address is one byte low where SP is odd, so it is computed from the final SS:SP.)
        int flagAddr = -1, flagHi = -1;
        if (exc != null) {
            int ss = fregs.has("ss") ? fregs.get("ss").getAsInt() : reg(iregs, "ss");
            int sp = fregs.has("sp") ? fregs.get("sp").getAsInt() : reg(iregs, "sp");
            flagAddr = ((ss & 0xFFFF) << 4) + ((sp + 4) & 0xFFFF);
            flagHi = ((ss & 0xFFFF) << 4) + ((sp + 5) & 0xFFFF);
        }
        Map<Integer, Integer> expRam = new LinkedHashMap<>();
        for (JsonArray ram : new JsonArray[] {iram, fram}) {
            for (JsonElement o : ram) {
                JsonArray p = o.getAsJsonArray();
                expRam.put(p.get(0).getAsInt() & 0xFFFFFF, p.get(1).getAsInt());
            }
        }
        for (Map.Entry<Integer, Integer> e : expRam.entrySet()) {
            int a = e.getKey();
            int bm = a == flagAddr ? mask & 0xFF : a == flagHi ? (mask >> 8) & 0xFF : 0xFF;
            int act = m.memory.read8(a);
            if (((act ^ e.getValue()) & bm) != 0) {
                diff.append(String.format("  [%06x] expected %02x actual %02x%n", a, e.getValue(), act));
            }
        }
        // Leave RAM as it was for the next test.
        for (int a : expRam.keySet()) {
            m.memory.write8(a, 0);
        }
        return diff.toString();
    }

    private int actual(String r) {
        Cpu c = m.cpu;
        switch (r) {
            case "ax": return c.regs[Cpu.EAX] & 0xFFFF;
            case "bx": return c.regs[Cpu.EBX] & 0xFFFF;
            case "cx": return c.regs[Cpu.ECX] & 0xFFFF;
            case "dx": return c.regs[Cpu.EDX] & 0xFFFF;
            case "sp": return c.regs[Cpu.ESP] & 0xFFFF;
            case "bp": return c.regs[Cpu.EBP] & 0xFFFF;
            case "si": return c.regs[Cpu.ESI] & 0xFFFF;
            case "di": return c.regs[Cpu.EDI] & 0xFFFF;
            case "cs": return c.seg[Seg.CS].selector;
            case "ss": return c.seg[Seg.SS].selector;
            case "ds": return c.seg[Seg.DS].selector;
            case "es": return c.seg[Seg.ES].selector;
            case "ip": return c.eip & 0xFFFF;
            default: return c.getEflags() & 0xFFFF;
        }
    }

    /** The shift/rotate count the instruction will use (after the 5-bit mask), -1 when not a shift. */
    private static int shiftCount(Insn insn, Cpu c) {
        switch (insn.mnemonic) {
            case SHL: case SHR: case SAR: case ROL: case ROR: case RCL: case RCR: case SHLD: case SHRD: {
                Operand cnt = insn.operands[insn.operands.length - 1];
                if (cnt.kind == Operand.Kind.IMM) {
                    return cnt.imm & 31;
                }
                if (cnt.kind == Operand.Kind.REG && insn.operands.length > 1) {
                    return c.regs[Cpu.ECX] & 31;
                }
                return 1;
            }
            default:
                return -1;
        }
    }

    static Insn decode(int[] bytes, int ip) {
        try {
            return Decoder.decode(off -> {
                int i = (off - ip) & 0xFFFF;
                return i < bytes.length ? bytes[i] : 0xF4;
            }, ip, false);
        } catch (RuntimeException ex) {
            return null;
        }
    }

    static String flagNames(int bits) {
        StringBuilder sb = new StringBuilder();
        String[] n = {"CF", "1", "PF", "3", "AF", "5", "ZF", "SF", "TF", "IF", "DF", "OF"};
        for (int i = 0; i < n.length; i++) {
            if ((bits & (1 << i)) != 0) {
                sb.append(sb.length() == 0 ? "" : " ").append(n[i]);
            }
        }
        return sb.toString();
    }

    private static String text(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull() ? "?" : e.isJsonPrimitive() ? e.getAsString() : e.toString();
    }

    private static int reg(JsonObject regs, String r) {
        return regs.get(r).getAsInt() & 0xFFFF;
    }

    private static int[] ints(JsonArray l) {
        int[] a = new int[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i).getAsInt() & 0xFF;
        }
        return a;
    }

    static String hex(int[] b) {
        StringBuilder sb = new StringBuilder();
        for (int x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }
}
