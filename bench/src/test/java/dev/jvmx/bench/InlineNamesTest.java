package dev.jvmx.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jvmx's own types are imported, not named inline ({@code dev.jvmx.translator.cpu.Cpu.EAX} in a
 * statement): an inline name hides a dependency from the import list a reader looks at first.
 * Every module's main and test sources are read; imports, package lines and comments may name
 * a type in full. The sources are found from this module's directory (bench is the reactor's last
 * module, so its siblings are the other modules).
 */
class InlineNamesTest {
    private static final Pattern INLINE = Pattern.compile("(?<![\\w.\"])dev\\.jvmx(\\.[a-z][a-z0-9]*)+\\.[A-Z]");

    @Test
    void jvmxTypesAreImportedNotNamedInline() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<String> found = new ArrayList<>();
        int files = 0;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path f : (Iterable<Path>) s.filter(p -> p.toString().endsWith(".java")
                    && p.toString().contains("/src/") && !p.toString().contains("/target/"))::iterator) {
                files++;
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String l = lines.get(i).strip();
                    if (l.startsWith("import ") || l.startsWith("package ") || l.startsWith("*") || l.startsWith("/*")
                            || l.startsWith("//")) {
                        continue;
                    }
                    if (INLINE.matcher(l).find()) {
                        found.add(root.relativize(f) + ":" + (i + 1) + ": " + l);
                    }
                }
            }
        }
        assertTrue(files > 300, "found only " + files + " Java sources under " + root);
        assertTrue(found.isEmpty(), "inline names of jvmx types (import them):\n" + String.join("\n", found));
    }
}
