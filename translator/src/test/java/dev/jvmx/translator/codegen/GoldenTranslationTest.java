package dev.jvmx.translator.codegen;

import dev.jvmx.translator.decode.Decoder;
import dev.jvmx.translator.decode.Family;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.helpers.Segmentation;
import dev.jvmx.translator.testing.Asm;
import dev.jvmx.vmx.ExecutionControls;
import dev.jvmx.vmx.Vmcs;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Golden translations (STYLE.md, "generated code is reviewable"): each case is guest source,
 * {@code golden/NAME.s}, beside the code it translates to, {@code golden/NAME.txt}, printed by
 * {@link GoldenPrinter} (Textifier text with each guest instruction's line before its bytecode
 * and locals named). A change in code generation shows up as a readable diff of the .txt files.
 *
 * <p>A case's header comment says what it shows and how to translate it:
 * <pre>
 * # mode: prot32 flat, cpl 0      real16 | prot16 | prot32 | v86, then any of: flat, pg, cpl N, direct
 * # tier: block                   block (default) | region | handler
 * </pre>
 * {@code block}: the code is cut into blocks where the execution loop cuts it (after an
 * instruction that ends a block) and each block is translated (second tier). {@code region}: those
 * blocks translated as one region. {@code handler}: the first tier's handler for the one
 * instruction of the case (shared by every instruction of its form). {@code flat} means every segment has base 0 and a 4 GiB limit (no base added, no check).
 *
 * <p>There is one case per instruction family, named after it ({@code arith.s} ... {@code fpu.s}).
 * A missing golden file fails; after reviewing a change, rewrite every golden file with
 * {@code -Djvmx.golden.update=true}.
 */
class GoldenTranslationTest {
    private static final Path DIR = Path.of("src/test/resources/golden").toAbsolutePath();
    /** Where a failing case writes what it got, to diff against its golden file. */
    private static final Path ACTUAL = Path.of("target/golden-actual").toAbsolutePath();
    private static final int ORIGIN = 0x1000;
    /** The end of RAM a case's translations are made for (what {@code direct} accesses are checked against). */
    private static final int RAM_TOP = 128 << 20;
    private static final boolean UPDATE = Boolean.getBoolean("jvmx.golden.update");
    static final String UPDATE_COMMAND = "mvn -B -o test -pl translator -am -Dtest=GoldenTranslationTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Djvmx.golden.update=true";

    @TestFactory
    Stream<DynamicTest> eachCaseTranslatesToItsGoldenText() {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed (Debian: binutils): "
                + "the golden translations in src/test/resources/golden are not checked");
        return cases(DIR).stream().map(name -> DynamicTest.dynamicTest(name, () -> check(DIR, name, UPDATE)));
    }

    @Test
    void everyFamilyHasACase() {
        List<String> cases = cases(DIR);
        for (Family f : Family.values()) {
            String name = f.name().toLowerCase(Locale.ROOT);
            assertTrue(cases.contains(name), "no golden case for the instruction family " + f + ": add " + DIR.resolve(name + ".s"));
        }
    }

    @Test
    void everyGoldenFileHasItsSource() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            for (Path p : s.collect(Collectors.toList())) {
                String f = p.getFileName().toString();
                assertTrue(f.endsWith(".s") || f.endsWith(".txt"), "stray file " + p);
                if (f.endsWith(".txt")) {
                    Path source = DIR.resolve(f.replaceFirst("\\.txt$", ".s"));
                    assertTrue(Files.exists(source), p + " has no guest source " + source + ": delete it or add the source");
                }
            }
        }
    }

    @Test
    void aMissingGoldenFileFailsAndSaysHowToMakeIt(@TempDir Path dir) throws IOException {
        assumeTrue(Asm.available(), "GNU as/ld/objcopy are not installed (Debian: binutils)");
        Files.writeString(dir.resolve("nop.s"), "# mode: prot32 flat, cpl 0\nnop\n");
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> check(dir, "nop", false));
        assertTrue(e.getMessage().contains("-Djvmx.golden.update=true"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("nop.txt")), "a missing golden file must not be written outside update mode");
        check(dir, "nop", true);
        check(dir, "nop", false);
    }

    @Test
    void modesParseAsTheHeaderSays() {
        int zeroBases = 0x3F << Segmentation.MODE_ZERO_BASE_SHIFT;
        assertEquals(BlockMode.CODE32 | BlockMode.STACK32 | BlockMode.PE | zeroBases, mode("prot32 flat, cpl 0"));
        assertEquals(BlockMode.CODE32 | BlockMode.STACK32 | BlockMode.PE | BlockMode.PG | 3 << BlockMode.CPL_SHIFT,
                mode("prot32 pg, cpl 3"));
        assertEquals(0, mode("real16"));
        assertEquals(BlockMode.PE | BlockMode.VM | 3 << BlockMode.CPL_SHIFT, mode("v86"));
        assertThrows(IllegalArgumentException.class, () -> mode("real16 flat"));
        assertThrows(IllegalArgumentException.class, () -> mode("prot32 wide"));
    }

    /** The case names in {@code dir}: its .s files without the extension, sorted. */
    private static List<String> cases(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".s"))
                    .map(f -> f.substring(0, f.length() - 2)).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void check(Path dir, String name, boolean update) throws IOException {
        String source = Files.readString(dir.resolve(name + ".s"), StandardCharsets.UTF_8);
        String text = translate(name, source);
        Path golden = dir.resolve(name + ".txt");
        if (update) {
            Files.writeString(golden, text, StandardCharsets.UTF_8);
            return;
        }
        if (!Files.exists(golden)) {
            throw new AssertionFailedError(golden + " does not exist: review the translation of " + name + ".s, then create it with\n  "
                    + UPDATE_COMMAND + "\n(this rewrites every golden file; see the diff before committing)");
        }
        String expected = Files.readString(golden, StandardCharsets.UTF_8);
        if (!expected.equals(text)) {
            Files.createDirectories(ACTUAL);
            Path actual = ACTUAL.resolve(name + ".txt");
            Files.writeString(actual, text, StandardCharsets.UTF_8);
            throw new AssertionFailedError("the translation of " + name + ".s changed, " + firstDifference(expected, text)
                    + "\n  diff " + golden + " " + actual + "\nIf the change is intended, rewrite the golden files with\n  "
                    + UPDATE_COMMAND);
        }
    }

    private static String firstDifference(String expected, String actual) {
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        int i = 0;
        while (i < e.length && i < a.length && e[i].equals(a[i])) {
            i++;
        }
        return "first at line " + (i + 1) + ":\n  golden: " + (i < e.length ? e[i] : "(end)")
                + "\n  now:    " + (i < a.length ? a[i] : "(end)");
    }

    /** The golden text of a case. */
    static String translate(String name, String source) {
        String modeSpec = header(source, "mode");
        if (modeSpec == null) {
            throw new IllegalArgumentException(name + ".s has no '# mode:' line");
        }
        String tier = header(source, "tier");
        tier = tier == null ? "block" : tier;
        int mode = mode(modeSpec);
        boolean code32 = (mode & BlockMode.CODE32) != 0;
        byte[] code = Asm.assemble(source, !code32, ORIGIN);
        List<List<Insn>> blocks = blocks(code, code32);
        ExecutionControls controls = ExecutionControls.exitEverything(new Vmcs());
        StringBuilder out = new StringBuilder();
        out.append(String.format("; %s.s, mode %s (%s, BlockMode bits %08x), tier %s%n", name, modeSpec,
                BlockMode.describe(mode), mode, tier));
        switch (tier) {
            case "block":
                for (List<Insn> b : blocks) {
                    BlockCompiler.Result r = new BlockCompiler(mode, controls, RAM_TOP).compile(b);
                    if (r.instructions != b.size()) {
                        throw new IllegalStateException(name + ".s: the block at " + Integer.toHexString(b.get(0).address)
                                + " ends after " + r.instructions + " of its " + b.size() + " instructions");
                    }
                    if (blocks.size() > 1) {
                        out.append(String.format("%n;; ======== block at %08x%n", b.get(0).address));
                    }
                    out.append(GoldenPrinter.block(GoldenPrinter.exec(r.classBytes), List.of(b), code, ORIGIN));
                }
                break;
            case "region": {
                if (blocks.size() < 2) {
                    throw new IllegalArgumentException(name + ".s: a region needs at least two blocks");
                }
                BlockCompiler.Result r = new BlockCompiler(mode, controls, RAM_TOP).compileRegion(blocks, true);
                out.append(GoldenPrinter.block(GoldenPrinter.exec(r.classBytes), blocks, code, ORIGIN));
                break;
            }
            case "handler": {
                if (blocks.size() != 1 || blocks.get(0).size() != 1) {
                    throw new IllegalArgumentException(name + ".s: a handler case has exactly one instruction");
                }
                Insn insn = blocks.get(0).get(0);
                HandlerCompiler.Result r = new HandlerCompiler(mode).compile(insn);
                out.append(String.format("; shared handler for the form %s%n", insn.form()));
                out.append(GoldenPrinter.handler(GoldenPrinter.exec(r.classBytes()), insn, code, ORIGIN));
                break;
            }
            default:
                throw new IllegalArgumentException(name + ".s: unknown tier '" + tier + "' (block, region or handler)");
        }
        String text = out.toString().replace(System.lineSeparator(), "\n");
        String family = name.toUpperCase(Locale.ROOT);
        if (Stream.of(Family.values()).anyMatch(f -> f.name().equals(family))
                && blocks.stream().flatMap(List::stream).noneMatch(i -> i.mnemonic.family().name().equals(family))) {
            throw new IllegalArgumentException(name + ".s is the case of the family " + family + " but has none of its instructions");
        }
        return text;
    }

    /** The value of the first {@code # key: value} comment line, or null. */
    private static String header(String source, String key) {
        for (String line : source.split("\n")) {
            String l = line.strip();
            if (l.startsWith("#")) {
                String body = l.substring(1).strip();
                if (body.startsWith(key + ":")) {
                    return body.substring(key.length() + 1).strip();
                }
            }
        }
        return null;
    }

    /** The {@link BlockMode} bits of a header's mode: {@code real16|prot16|prot32|v86} then {@code flat}, {@code pg}, {@code cpl N}, {@code direct}. */
    static int mode(String spec) {
        String[] words = spec.replace(',', ' ').trim().split("\\s+");
        int m;
        switch (words[0]) {
            case "real16": m = 0; break;
            case "prot16": m = BlockMode.PE; break;
            case "prot32": m = BlockMode.PE | BlockMode.CODE32 | BlockMode.STACK32; break;
            case "v86": m = BlockMode.PE | BlockMode.VM | 3 << BlockMode.CPL_SHIFT; break;
            default: throw new IllegalArgumentException("mode '" + spec + "': starts with real16, prot16, prot32 or v86");
        }
        boolean prot = (m & BlockMode.PE) != 0 && (m & BlockMode.VM) == 0;
        for (int i = 1; i < words.length; i++) {
            if (words[i].equals("flat") && prot) {
                m |= 0x3F << Segmentation.MODE_ZERO_BASE_SHIFT;
            } else if (words[i].equals("pg") && (m & BlockMode.PE) != 0) {
                m |= BlockMode.PG;
            } else if (words[i].equals("direct") && prot) {
                m |= BlockMode.DIRECT_RAM;
            } else if (words[i].equals("cpl") && prot && i + 1 < words.length && words[i + 1].matches("[0-3]")) {
                m = m & ~BlockMode.CPL_MASK | Integer.parseInt(words[++i]) << BlockMode.CPL_SHIFT;
            } else {
                throw new IllegalArgumentException("mode '" + spec + "': '" + words[i] + "' is not flat, pg, cpl 0-3 or direct"
                        + " (flat, cpl and direct in protected mode only)");
            }
        }
        return m;
    }

    /** The assembled code cut into blocks as the execution loop cuts it: after an instruction that ends a block. */
    private static List<List<Insn>> blocks(byte[] code, boolean code32) {
        List<List<Insn>> blocks = new ArrayList<>();
        List<Insn> current = new ArrayList<>();
        int pc = ORIGIN;
        while (pc < ORIGIN + code.length) {
            Insn insn = Decoder.decode(off -> {
                if (off - ORIGIN >= code.length) {
                    throw new IllegalArgumentException("the last instruction runs past the end of the code");
                }
                return code[off - ORIGIN] & 0xFF;
            }, pc, code32);
            current.add(insn);
            pc = insn.next;
            if (insn.mnemonic.endsBlock() || insn.invalid != null) {
                blocks.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            blocks.add(current);
        }
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("no guest code");
        }
        return blocks;
    }
}
