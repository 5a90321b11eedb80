package dev.jvmx.translator.decode;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A build step ({@code process-classes}): parses every row's encodings ({@link OpcodeMapBuilder#parseAll},
 * which also checks them: a malformed or clashing encoding fails the build) and rewrites
 * {@code OpcodeTable.class} so that {@link OpcodeTable#PACKED} is their packed form, a constant
 * of the class file that the JVM reads without running any of its code.
 */
public final class OpcodeTableWriter implements Opcodes {
    private OpcodeTableWriter() { }

    /** {@code OpcodeTableWriter OUTPUT_CLASSES_DIR}. */
    public static void main(String[] args) throws IOException {
        String name = Type.getInternalName(OpcodeTable.class);
        Path file = Path.of(args[0]).resolve(name + ".class");
        java.util.List<OpcodeMapBuilder.Encoding> encodings = OpcodeMapBuilder.parseAll();
        OpcodeMapBuilder.Maps.fromText(); // the maps' own checks, before anything is written
        String packed = OpcodeMapBuilder.pack(encodings);
        Files.write(file, classFile(name, new ClassReader(Files.readAllBytes(file)).readShort(6), packed));
        System.out.println("opcode table: " + encodings.size() + " encodings packed into " + file.getFileName());
    }

    /** The class: the constant alone, no initializer, a private constructor. */
    static byte[] classFile(String name, int version, String packed) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(version, ACC_FINAL | ACC_SUPER, name, null, "java/lang/Object", null);
        cw.visitField(ACC_STATIC | ACC_FINAL, "PACKED", "Ljava/lang/String;", null, packed).visitEnd();
        var init = cw.visitMethod(ACC_PRIVATE, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }
}
