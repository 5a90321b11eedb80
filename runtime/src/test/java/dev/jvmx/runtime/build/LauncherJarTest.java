package dev.jvmx.runtime.build;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LauncherJarTest {
    @TempDir
    Path dir;

    @Test
    void theLauncherJarIsAStoredManifestWithTheClassesJarOnItsClassPath() throws Exception {
        Path classes = classesJar("dev.example.Main");
        Path launcher = dir.resolve("launcher.jar");
        LauncherJar.write(classes, launcher);

        try (JarFile jar = new JarFile(launcher.toFile())) {
            List<String> names = Collections.list(jar.entries()).stream().map(ZipEntry::getName).toList();
            assertEquals(List.of(JarFile.MANIFEST_NAME), names);
            assertEquals(ZipEntry.STORED, jar.getEntry(JarFile.MANIFEST_NAME).getMethod());
            Attributes a = jar.getManifest().getMainAttributes();
            assertEquals("dev.example.Main", a.getValue(Attributes.Name.MAIN_CLASS));
            assertEquals("classes.jar", a.getValue(Attributes.Name.CLASS_PATH));
        }
        // The JDK's class loaders follow the class path: a resource of the classes jar is found
        // through the launcher jar alone.
        try (URLClassLoader loader = new URLClassLoader(new URL[] {launcher.toUri().toURL()}, null)) {
            assertEquals("inside", new String(loader.getResourceAsStream("dev/example/marker.txt").readAllBytes()));
        }
    }

    @Test
    void aClassesJarWithoutAMainClassIsRefused() throws Exception {
        Path classes = classesJar(null);
        assertThrows(IOException.class, () -> LauncherJar.write(classes, dir.resolve("launcher.jar")));
    }

    private Path classesJar(String mainClass) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (mainClass != null) {
            m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        }
        Path jar = dir.resolve("classes.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.putNextEntry(new ZipEntry("dev/example/marker.txt"));
            j.write("inside".getBytes());
            j.closeEntry();
        }
        return jar;
    }
}
