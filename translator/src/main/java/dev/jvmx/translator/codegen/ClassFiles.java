package dev.jvmx.translator.codegen;

import java.lang.constant.ConstantDescs;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/** Writes generated code as a class extending an abstract base, the code being the method it overrides. */
final class ClassFiles implements Opcodes {
    private ClassFiles() { }

    /**
     * A final class {@code name} extending the abstract class {@code base} with {@code code}, an
     * instance method overriding one of it. A base class rather than an interface: the dispatcher
     * calls a different class's method almost every time, and such a call through a class's vtable
     * is a load and a jump, where one through an interface first searches the class's interface table.
     */
    static byte[] withOverride(String name, MethodNode code, String base) {
        return withOverride(name, code, base, false);
    }

    /**
     * The static final fields of a translated class that hold guest RAM, the TLB's read and write
     * entries and the code-page flags, in the order of its class data (see {@link #withOverride}).
     */
    static final String RAM_FIELD = "RAM", TLB_READ_FIELD = "TLB_READ", TLB_WRITE_FIELD = "TLB_WRITE",
            CODE_PAGE_FIELD = "CODE_PAGE";
    private static final String[][] DATA_FIELDS = {
        {RAM_FIELD, "[B"}, {TLB_READ_FIELD, "[J"}, {TLB_WRITE_FIELD, "[J"}, {CODE_PAGE_FIELD, "[Z"},
    };

    /**
     * As {@link #withOverride(String, MethodNode, String)}; with {@code memoryFields}, the class also
     * has static finals {@link #RAM_FIELD}, {@link #TLB_READ_FIELD}, {@link #TLB_WRITE_FIELD} and
     * {@link #CODE_PAGE_FIELD} set from its class data, a list of the four arrays (see
     * {@link BlockLoader#define}). For HotSpot a static final is a constant: C2 then knows the
     * arrays and their lengths, where copies of the Cpu's fields in locals need registers (or stack
     * slots it reloads) for the arrays and for the lengths each access checks or masks with.
     */
    static byte[] withOverride(String name, MethodNode code, String base, boolean memoryFields) {
        ClassWriter cw = finalClass(name, base, null);
        if (memoryFields) {
            MethodVisitor c = cw.visitMethod(ACC_STATIC, "<clinit>", "()V", null, null);
            c.visitCode();
            c.visitMethodInsn(INVOKESTATIC, "java/lang/invoke/MethodHandles", "lookup",
                    "()Ljava/lang/invoke/MethodHandles$Lookup;", false);
            c.visitVarInsn(ASTORE, 0);
            for (int i = 0; i < DATA_FIELDS.length; i++) {
                String field = DATA_FIELDS[i][0], type = DATA_FIELDS[i][1];
                cw.visitField(ACC_PRIVATE | ACC_STATIC | ACC_FINAL, field, type, null, null).visitEnd();
                c.visitVarInsn(ALOAD, 0);
                c.visitLdcInsn(ConstantDescs.DEFAULT_NAME);
                c.visitLdcInsn(Type.getType(type));
                c.visitLdcInsn(i);
                c.visitMethodInsn(INVOKESTATIC, "java/lang/invoke/MethodHandles", "classDataAt",
                        "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;I)"
                                + "Ljava/lang/Object;", false);
                c.visitTypeInsn(CHECKCAST, type);
                c.visitFieldInsn(PUTSTATIC, name, field, type);
            }
            c.visitInsn(RETURN);
            c.visitMaxs(0, 0);
            c.visitEnd();
        }
        code.accept(cw);
        cw.visitEnd();
        return cw.toByteArray();
    }

    /**
     * The first bytecodes of such an overriding method: its reference arguments (locals 1, 2 ...)
     * moved into {@code locals}, one each, where the emitters keep them. The generated code is the
     * override itself rather than a static method behind a bridge, which was a second call each
     * time the dispatcher entered it and a second method for HotSpot to compile; it does not need
     * the receiver, whose local 0 a move may take.
     */
    static InsnList argumentsTo(int... locals) {
        InsnList l = new InsnList();
        for (int i = 0; i < locals.length; i++) {
            l.add(new VarInsnNode(ALOAD, i + 1));
            l.add(new VarInsnNode(ASTORE, locals[i]));
        }
        return l;
    }

    /**
     * A writer that has begun the public final class {@code name} extending {@code superName}
     * and implementing {@code ifaces} (generic {@code signature}, or null), with a public
     * no-argument constructor that calls the superclass's. Maxima are
     * computed. The class is version 49, which has no stack map frames: HotSpot's type-inferring
     * verifier (native code) then does the data flow that ASM's frame computation did in Java,
     * still cold while a guest starts. That halved a translation in a SeaBIOS boot (11.5 to 5.4-5.9
     * ms) and took about 0.17 s of C2 compiling ASM's Frame off the compiler threads. (The jar's
     * handler library is rewritten as version 52 for the start-up cache: ClassFileUpgrade.) Dead
     * code stays as generated, since only frame computation replaced it with NOPs.
     */
    static ClassWriter finalClass(String name, String superName, String signature, String... ifaces) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(V1_5, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, name, signature, superName, ifaces);
        MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, superName, "<init>", "()V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(1, 1);
        init.visitEnd();
        return cw;
    }
}
