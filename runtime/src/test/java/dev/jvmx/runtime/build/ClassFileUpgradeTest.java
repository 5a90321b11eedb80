package dev.jvmx.runtime.build;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassFileUpgradeTest {
    /** Classes with the most branching in ASM (version 49 as shipped): their frames must verify. */
    private static final List<String> CLASSES = List.of("org.objectweb.asm.ClassReader", "org.objectweb.asm.Frame",
            "org.objectweb.asm.MethodWriter", "picocli.CommandLine$Interpreter");

    @Test
    void oldClassFilesBecomeVersion52AndPassTheSplitVerifier() throws Exception {
        Map<String, byte[]> upgraded = new HashMap<>();
        for (String name : CLASSES) {
            byte[] original = bytesOf(name);
            assertTrue(ClassFileUpgrade.majorVersion(original) < 50, name + " is an old class file as shipped");
            byte[] bytes = ClassFileUpgrade.upgrade(original, getClass().getClassLoader());
            assertEquals(52, ClassFileUpgrade.majorVersion(bytes), name);
            upgraded.put(name, bytes);
        }
        // Child first for the whole libraries, each class upgraded as the build does: a class of
        // the original jar next to upgraded ones would be another type to the verifier.
        ClassLoader parent = getClass().getClassLoader();
        ClassLoader loader = new ClassLoader(parent) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (!name.startsWith("org.objectweb.asm.") && !name.startsWith("picocli.")) {
                    return super.loadClass(name, resolve);
                }
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    if (c == null) {
                        byte[] b = upgraded.get(name);
                        try {
                            b = b != null ? b : ClassFileUpgrade.upgrade(bytesOf(name), parent);
                        } catch (IOException e) {
                            throw new ClassNotFoundException(name, e);
                        }
                        c = defineClass(name, b, 0, b.length);
                    }
                    return c;
                }
            }
        };
        for (String name : CLASSES) {
            // Initialising links the class: the split verifier checks every method against its frames.
            Class<?> c = Class.forName(name, true, loader);
            assertEquals(loader, c.getClassLoader(), name);
        }
        // The upgraded reader still reads: it parses its own class file.
        Class<?> reader = Class.forName("org.objectweb.asm.ClassReader", true, loader);
        Object r = reader.getConstructor(byte[].class).newInstance((Object) upgraded.get("org.objectweb.asm.ClassReader"));
        assertEquals("org/objectweb/asm/ClassReader", reader.getMethod("getClassName").invoke(r));
        assertNotNull(new ClassReader(upgraded.get("org.objectweb.asm.Frame")).getSuperName());
    }

    private static byte[] bytesOf(String name) throws IOException {
        try (InputStream in = ClassFileUpgradeTest.class.getClassLoader().getResourceAsStream(name.replace('.', '/') + ".class")) {
            assertNotNull(in, name);
            return in.readAllBytes();
        }
    }
}
