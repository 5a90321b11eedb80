package dev.jvmx.runtime;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compiler directives the launcher has jvmx add (C2 kept off the code generator, and off three
 * methods of the guest's thread): the file it names exists, the first directive's patterns name
 * jvmx's code generator and nothing the guest's thread runs, the second's name methods that exist,
 * and HotSpot takes them through its diagnostic command with the launcher's flags, printing nothing.
 */
class CompilerDirectivesTest {
    private static final Path HOME = Path.of(System.getProperty("jvmx.home", "..")).toAbsolutePath().normalize();

    private static String launcher() throws IOException {
        return Files.readString(HOME.resolve("jvmx"));
    }

    private static String directivesLine() throws IOException {
        Matcher m = Pattern.compile("(?m)^DIRECTIVES=\"([^\"]+)\"").matcher(launcher());
        assertTrue(m.find(), "the launcher's DIRECTIVES line");
        return m.group(1);
    }

    private static Path directivesFile() throws IOException {
        Matcher m = Pattern.compile("-Djvmx\\.compilerDirectives=\\$DIR/(\\S+)").matcher(directivesLine());
        assertTrue(m.find(), "the launcher names the directives file");
        return HOME.resolve(m.group(1));
    }

    /** The file's directives, each the text from one {@code "match"} to the next. */
    private static List<String> directives() throws IOException {
        String[] parts = Files.readString(directivesFile()).split("\"match\"");
        return List.of(parts).subList(1, parts.length);
    }

    /** The class patterns ({@code a/b/C.*}, without the {@code .*}) of the first directive: the code generator. */
    private static List<String> patterns() throws IOException {
        List<String> p = new ArrayList<>();
        Matcher m = Pattern.compile("\"([\\w/*$]+)\\.\\*\"").matcher(directives().get(0));
        while (m.find()) {
            p.add(m.group(1));
        }
        return p;
    }

    private static boolean matches(String pattern, String internalName) {
        return pattern.endsWith("*") ? internalName.startsWith(pattern.substring(0, pattern.length() - 1))
                : internalName.equals(pattern);
    }

    @Test
    void itsPatternsNameTheCodeGeneratorAndNothingTheGuestsThreadRuns() throws IOException, ClassNotFoundException {
        List<String> patterns = patterns();
        assertTrue(patterns.contains("org/objectweb/asm/*"), "ASM");
        assertTrue(patterns.size() > 10, "jvmx's emitters: " + patterns);
        for (String p : patterns) {
            if (p.startsWith("dev/jvmx/")) {
                // A renamed class would leave its pattern matching nothing, quietly.
                Class.forName(p.replace("*", "").replace('/', '.'));
            }
        }
        String[] guestThread = {
            "dev/jvmx/translator/codegen/handlers/H0", // the first tier
            "dev/jvmx/translator/codegen/Handler",
            "dev/jvmx/translator/codegen/TranslatedRegion", // translated code (hidden classes)
            "dev/jvmx/translator/codegen/TranslatedBlock",
            "dev/jvmx/translator/codegen/CompiledBlock",
            "dev/jvmx/translator/codegen/BlockMode",
            "dev/jvmx/translator/exec/ExecutionLoop",
            "dev/jvmx/translator/exec/BlockTranslator",
            "dev/jvmx/translator/decode/Decoder",
            "dev/jvmx/translator/flags/LazyFlags",
            "dev/jvmx/translator/mem/Mmu",
        };
        for (String name : guestThread) {
            for (String p : patterns) {
                assertFalse(matches(p, name), p + " would keep C2 off " + name);
            }
        }
    }

    /** Runs CompilerDirectivesProbe in a JVM of its own with {@code flags}; returns its output (both streams). */
    private static String probe(List<String> flags, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), CompilerDirectivesProbe.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe ended");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void theSecondNamesGuestThreadMethodsThatExist() throws IOException, ClassNotFoundException {
        Matcher m = Pattern.compile("\"([\\w/$]+)\\.([\\w*]+)\"").matcher(directives().get(1));
        List<String> named = new ArrayList<>();
        while (m.find()) {
            // A renamed class or method would leave its pattern matching nothing, quietly.
            Class<?> c = Class.forName(m.group(1).replace('/', '.'));
            String method = m.group(2);
            assertTrue(method.equals("*") || Stream.of(c.getDeclaredMethods()).anyMatch(x -> x.getName().equals(method)),
                    c.getName() + " has no method " + method);
            named.add(m.group(1) + "." + method);
        }
        assertEquals(List.of("dev/jvmx/translator/decode/Decoder.*", "dev/jvmx/translator/exec/BlockTranslator.decode",
                "dev/jvmx/translator/helpers/StringOps.elements",
                "dev/jvmx/translator/exec/ExecutionLoop.boundaryOnce"), named);
        assertTrue(directives().get(1).contains("\"c2\": { \"Exclude\": true }"), directives().get(1));
    }

    /** The launcher's --add-opens and --add-exports (the diagnostic command's way, and the probe's print of the stack). */
    private static List<String> openedPackages() throws IOException {
        List<String> opened = new ArrayList<>();
        for (String flag : directivesLine().split("\\s+")) {
            if (flag.startsWith("--add-")) {
                opened.add(flag);
            }
        }
        return opened;
    }

    /**
     * Adds the launcher's directives in a probe JVM with {@code flags}: HotSpot printed nothing,
     * reported both added, and its stack holds the code generator and the guest thread's methods,
     * C2 excluded.
     */
    private static void addedQuietly(List<String> flags) throws Exception {
        String out = probe(flags, directivesFile().toString());
        String[] parts = out.split(CompilerDirectivesProbe.SEPARATOR + "\n", -1);
        assertEquals(3, parts.length, "nothing but the probe's own output: " + out);
        assertEquals("", parts[0], "HotSpot printed: " + parts[0]);
        assertEquals("2 compiler directives added", parts[1].trim());
        assertTrue(parts[2].contains("org/objectweb/asm/*.*"), parts[2]);
        assertTrue(parts[2].contains("dev/jvmx/translator/codegen/BlockCompiler.*"), parts[2]);
        assertTrue(parts[2].contains("dev/jvmx/translator/decode/Decoder.*"), parts[2]);
        assertTrue(parts[2].contains("dev/jvmx/translator/helpers/StringOps.elements"), parts[2]);
        assertTrue(parts[2].contains("dev/jvmx/translator/exec/ExecutionLoop.boundaryOnce"), parts[2]);
        String c2 = parts[2].substring(parts[2].indexOf("c2 directives:"));
        assertTrue(c2.contains("Exclude:true"), c2);
    }

    @Test
    void hotSpotTakesThemWithTheLaunchersFlagsAndPrintsNothing() throws Exception {
        addedQuietly(openedPackages());
    }

    /** As the launcher runs jvmx: WhiteBox bound, which adds them (CompilerDirectives.add's first way). */
    @Test
    void hotSpotTakesThemThroughWhiteBoxAndPrintsNothing() throws Exception {
        Path whitebox;
        try (Stream<Path> jars = Files.list(HOME.resolve("translator/target"))) {
            whitebox = jars.filter(j -> j.getFileName().toString().endsWith("-whitebox.jar")).findFirst().orElseThrow(
                    () -> new AssertionError("the build makes translator/target/translator-*-whitebox.jar before these tests"));
        }
        List<String> flags = new ArrayList<>(List.of("-Xbootclasspath/a:" + whitebox, "-XX:+UnlockDiagnosticVMOptions",
                "-XX:+WhiteBoxAPI", "-XX:-DisplayVMOutput", "-Djvmx.directivesProbe.expectWhiteBox=true"));
        flags.addAll(openedPackages()); // for the probe's print of the stack, which only the diagnostic command does
        addedQuietly(flags);
    }

    @Test
    void withoutTheOpenedPackagesNothingHappens() throws Exception {
        String out = probe(List.of(), "--background", directivesFile().toString());
        assertEquals("", out, "no message, no stack trace");
    }
}
