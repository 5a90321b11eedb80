package dev.jvmx.runtime.build;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A build step: writes the jar the launcher runs ({@code java -jar jvmx.jar}), which holds only a
 * manifest naming the main class and, on its class path, the shaded jar beside it with every class.
 *
 * <p>Why: before {@code main} the JVM's launcher opens the jar it is given to read its manifest,
 * and opening a jar reads every entry of its central directory, in code HotSpot has not compiled
 * yet. The shaded jar has about 2,000 entries: 4-5 ms of every start on the main thread, the
 * loading of the JDK's native zip library to inflate the manifest, and C2 compiles of the zip
 * code (about 30 ms of the compiler threads, beside the start). With the start-up cache the
 * classes themselves come from it, and a boot never opens the shaded jar. The manifest is stored,
 * not deflated.
 */
public final class LauncherJar {
    private LauncherJar() { }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: LauncherJar CLASSES_JAR LAUNCHER_JAR");
            System.exit(2);
        }
        Path classes = Path.of(args[0]);
        Path launcher = Path.of(args[1]);
        if (!launcher.toAbsolutePath().getParent().equals(classes.toAbsolutePath().getParent())) {
            System.err.println("LauncherJar: the two jars must be in one directory (the class path is relative)");
            System.exit(2);
        }
        write(classes, launcher);
        System.out.println("launcher jar: " + launcher + " (class path " + classes.getFileName() + ")");
    }

    /** Writes {@code launcher}: a stored manifest with the main class of {@code classes} and it as class path. */
    static void write(Path classes, Path launcher) throws IOException {
        String mainClass;
        try (JarFile jar = new JarFile(classes.toFile())) {
            Manifest m = jar.getManifest();
            mainClass = m == null ? null : m.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
        }
        if (mainClass == null) {
            throw new IOException(classes + " names no Main-Class");
        }
        Manifest manifest = new Manifest();
        Attributes a = manifest.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.put(Attributes.Name.MAIN_CLASS, mainClass);
        a.put(Attributes.Name.CLASS_PATH, classes.getFileName().toString());
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        manifest.write(text);
        byte[] bytes = text.toByteArray();

        Path tmp = launcher.resolveSibling(launcher.getFileName() + ".writing");
        try (OutputStream file = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(file)) {
            ZipEntry entry = new ZipEntry(JarFile.MANIFEST_NAME);
            CRC32 crc = new CRC32();
            crc.update(bytes);
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(bytes.length);
            entry.setCompressedSize(bytes.length);
            entry.setCrc(crc.getValue());
            entry.setTime(Files.getLastModifiedTime(classes).toMillis());
            zip.putNextEntry(entry);
            zip.write(bytes);
            zip.closeEntry();
        }
        Files.move(tmp, launcher, StandardCopyOption.REPLACE_EXISTING);
    }
}
