package dev.jvmx.translator.codegen;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A build step ({@code process-classes}): links {@link Calls} when jvmx is built. Its source
 * names every helper by a method reference, which javac checks; resolving those references
 * means spinning one serializable lambda class each, and the start-up cache cannot keep
 * those: about 150 of them cost 150-280 ms of a run's first translation, a fifth of a
 * SeaBIOS boot. So this step loads Calls once (its initializer resolves and checks every
 * reference), then rewrites {@code Calls.class} with an initializer that builds each constant
 * from the owner, name and descriptor it resolved to. The source stays the one truth; run from
 * an IDE without this step, Calls resolves its references when it loads, as before.
 */
public final class CallsLinker implements Opcodes {
    static final String CALLS = Type.getInternalName(Calls.class);

    private CallsLinker() { }

    /** {@code CallsLinker OUTPUT_CLASSES_DIR}. */
    public static void main(String[] args) throws IOException, ReflectiveOperationException {
        Path file = Path.of(args[0]).resolve(CALLS + ".class");
        Map<String, HelperCall> linked = constants();
        Files.write(file, rewrite(Files.readAllBytes(file), linked));
        System.out.println("calls linker: " + linked.size() + " helper calls linked into " + file.getFileName());
    }

    /** Calls' constants by field name, in declaration order. */
    static Map<String, HelperCall> constants() throws IllegalAccessException {
        Map<String, HelperCall> m = new LinkedHashMap<>();
        for (Field f : Calls.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == HelperCall.class) {
                f.setAccessible(true);
                HelperCall c = (HelperCall) f.get(null);
                HelperCall.checkPublic(c); // again: a class already linked by an earlier build skips its own check
                m.put(f.getName(), c);
            }
        }
        return m;
    }

    /**
     * The class with its static initializer replaced by one that builds each constant directly,
     * and no invokedynamic left.
     */
    static byte[] rewrite(byte[] original, Map<String, HelperCall> linked) {
        ClassWriter cw = new ClassWriter(0);
        new ClassReader(original).accept(new ClassVisitor(ASM9, cw) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                // The old initializer goes, and with it javac's deserializer of the references.
                boolean old = name.equals("<clinit>") || name.equals("$deserializeLambda$");
                return old ? null : super.visitMethod(access, name, desc, sig, ex);
            }

            @Override
            public void visitEnd() {
                MethodVisitor mv = super.visitMethod(ACC_STATIC, "<clinit>", "()V", null, null);
                mv.visitCode();
                for (Map.Entry<String, HelperCall> e : linked.entrySet()) {
                    HelperCall c = e.getValue();
                    mv.visitLdcInsn(c.owner);
                    mv.visitLdcInsn(c.name);
                    mv.visitLdcInsn(c.descriptor);
                    mv.visitIntInsn(SIPUSH, c.opcode());
                    mv.visitMethodInsn(INVOKESTATIC, Type.getInternalName(HelperCall.class), "linked",
                            "(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;I)"
                                    + Type.getDescriptor(HelperCall.class), false);
                    mv.visitFieldInsn(PUTSTATIC, CALLS, e.getKey(), Type.getDescriptor(HelperCall.class));
                }
                mv.visitInsn(RETURN);
                mv.visitMaxs(4, 0);
                mv.visitEnd();
                super.visitEnd();
            }
        }, 0);
        return cw.toByteArray();
    }
}
