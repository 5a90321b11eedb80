package dev.jvmx.bench;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.Remapper;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No two packages of jvmx depend on each other (DESIGN.md: "no two-way dependency between the
 * packages inside a module"). Every jvmx main class on this test's class path is read with ASM:
 * bench is the top of the module graph, so that is every module (guest-images, which nothing else
 * depends on, is a test dependency for this). Every type a class's constant pool, signatures and
 * code name counts as a dependency of its package, as {@code jdeps -verbose:package} counts them.
 */
class PackageDependencyTest {
    private static final String ROOT = "dev/jvmx/";

    @Test
    void noPackageDependsOnAPackageThatDependsOnIt() throws IOException {
        Map<String, Set<String>> deps = new TreeMap<>();
        int classes = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.endsWith("test-classes")) { // tests may reach across packages
                classes += scan(Path.of(entry), deps);
            }
        }
        assertTrue(classes > 200, "found only " + classes + " jvmx classes on the class path");
        for (String p : new String[] {"dev.jvmx.vmx", "dev.jvmx.devices.pic", "dev.jvmx.translator.codegen",
            "dev.jvmx.cputest", "dev.jvmx.guestimages", "dev.jvmx.runtime", "dev.jvmx.bench", "dev.jvmx.bench.compare",
            "dev.jvmx.testsupport"}) {
            assertTrue(deps.containsKey(p), p + " (one package of each module) is on the class path: " + deps.keySet());
        }
        List<String> cycles = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : deps.entrySet()) {
            for (String to : e.getValue()) {
                if (e.getKey().compareTo(to) < 0 && deps.getOrDefault(to, Set.of()).contains(e.getKey())) {
                    cycles.add(e.getKey() + " <-> " + to);
                }
            }
        }
        assertTrue(cycles.isEmpty(), "two-way package dependencies: " + cycles);
    }

    private static int scan(Path entry, Map<String, Set<String>> deps) throws IOException {
        int n = 0;
        if (Files.isDirectory(entry)) {
            try (Stream<Path> files = Files.walk(entry)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    String rel = entry.relativize(p).toString().replace(File.separatorChar, '/');
                    if (rel.startsWith(ROOT) && rel.endsWith(".class")) {
                        try (InputStream in = Files.newInputStream(p)) {
                            read(in, deps);
                            n++;
                        }
                    }
                }
            }
        } else if (entry.toString().endsWith(".jar") && Files.isRegularFile(entry)) {
            try (JarFile jar = new JarFile(entry.toFile())) {
                for (JarEntry je : (Iterable<JarEntry>) jar.stream()::iterator) {
                    if (je.getName().startsWith(ROOT) && je.getName().endsWith(".class")) {
                        try (InputStream in = jar.getInputStream(je)) {
                            read(in, deps);
                            n++;
                        }
                    }
                }
            }
        }
        return n;
    }

    /** Adds the packages the class refers to (other than its own and non-jvmx ones) to its package's set. */
    private static void read(InputStream in, Map<String, Set<String>> deps) throws IOException {
        ClassReader reader = new ClassReader(in);
        String from = packageOf(reader.getClassName());
        if (from.contains("jmh_generated")) {
            return;
        }
        Set<String> to = deps.computeIfAbsent(from, k -> new TreeSet<>());
        reader.accept(new ClassRemapper(new ClassVisitor(Opcodes.ASM9) { }, new Remapper() {
            @Override
            public String map(String internalName) {
                if (internalName.startsWith(ROOT)) {
                    String p = packageOf(internalName);
                    if (!p.equals(from)) {
                        to.add(p);
                    }
                }
                return internalName;
            }
        }), 0);
    }

    private static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return internalName.substring(0, slash).replace('/', '.');
    }
}
