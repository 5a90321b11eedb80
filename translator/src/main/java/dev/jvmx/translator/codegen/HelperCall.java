package dev.jvmx.translator.codegen;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.Serializable;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * A call that generated code makes into Java: made from a real method reference, so that a
 * rename or a changed signature fails to compile instead of failing when a guest first runs
 * the code (STYLE.md). The owner, name and descriptor come from the reference's
 * {@link SerializedLambda} when the constant is created, i.e. when the class holding it loads,
 * which also checks that the method is public (generated classes live in another package).
 *
 * <pre>static final HelperCall SHL = HelperCall.of(ShiftOps::shl);</pre>
 */
public final class HelperCall implements Opcodes {
    public final String owner;
    public final String name;
    public final String descriptor;
    private final int opcode;

    private HelperCall(String owner, String name, String descriptor, int opcode) {
        this.owner = owner;
        this.name = name;
        this.descriptor = descriptor;
        this.opcode = opcode;
    }

    /** A call resolved when jvmx was built ({@link CallsLinker}). */
    static HelperCall linked(String owner, String name, String descriptor, int opcode) {
        return new HelperCall(owner, name, descriptor, opcode);
    }

    int opcode() {
        return opcode;
    }

    /** Emits the call: arguments (and the receiver of an instance method) are on the JVM stack. */
    public void invoke(MethodVisitor mv) {
        mv.visitMethodInsn(opcode, owner, name, descriptor, false);
    }

    @Override
    public String toString() {
        return owner.replace('/', '.') + "." + name + descriptor;
    }

    // Serializable functional interfaces of every arity the helpers have; the compiler picks one by arity.
    public interface F1<A, R> extends Serializable { R apply(A a); }
    public interface F2<A, B, R> extends Serializable { R apply(A a, B b); }
    public interface F3<A, B, C, R> extends Serializable { R apply(A a, B b, C c); }
    public interface F4<A, B, C, D, R> extends Serializable { R apply(A a, B b, C c, D d); }
    public interface F5<A, B, C, D, E, R> extends Serializable { R apply(A a, B b, C c, D d, E e); }
    public interface F6<A, B, C, D, E, F, R> extends Serializable { R apply(A a, B b, C c, D d, E e, F f); }
    public interface F7<A, B, C, D, E, F, G, R> extends Serializable { R apply(A a, B b, C c, D d, E e, F f, G g); }
    public interface V1<A> extends Serializable { void apply(A a); }
    public interface V2<A, B> extends Serializable { void apply(A a, B b); }
    public interface V3<A, B, C> extends Serializable { void apply(A a, B b, C c); }
    public interface V4<A, B, C, D> extends Serializable { void apply(A a, B b, C c, D d); }
    public interface V5<A, B, C, D, E> extends Serializable { void apply(A a, B b, C c, D d, E e); }
    public interface V6<A, B, C, D, E, F> extends Serializable { void apply(A a, B b, C c, D d, E e, F f); }
    public interface V7<A, B, C, D, E, F, G> extends Serializable { void apply(A a, B b, C c, D d, E e, F f, G g); }
    public interface V8<A, B, C, D, E, F, G, H> extends Serializable {
        void apply(A a, B b, C c, D d, E e, F f, G g, H h);
    }

    public static <A, R> HelperCall of(F1<A, R> m) { return from(m); }
    public static <A, B, R> HelperCall of(F2<A, B, R> m) { return from(m); }
    public static <A, B, C, R> HelperCall of(F3<A, B, C, R> m) { return from(m); }
    public static <A, B, C, D, R> HelperCall of(F4<A, B, C, D, R> m) { return from(m); }
    public static <A, B, C, D, E, R> HelperCall of(F5<A, B, C, D, E, R> m) { return from(m); }
    public static <A, B, C, D, E, F, R> HelperCall of(F6<A, B, C, D, E, F, R> m) { return from(m); }
    public static <A, B, C, D, E, F, G, R> HelperCall of(F7<A, B, C, D, E, F, G, R> m) { return from(m); }
    public static <A> HelperCall of(V1<A> m) { return from(m); }
    public static <A, B> HelperCall of(V2<A, B> m) { return from(m); }
    public static <A, B, C> HelperCall of(V3<A, B, C> m) { return from(m); }
    public static <A, B, C, D> HelperCall of(V4<A, B, C, D> m) { return from(m); }
    public static <A, B, C, D, E> HelperCall of(V5<A, B, C, D, E> m) { return from(m); }
    public static <A, B, C, D, E, F> HelperCall of(V6<A, B, C, D, E, F> m) { return from(m); }
    public static <A, B, C, D, E, F, G> HelperCall of(V7<A, B, C, D, E, F, G> m) { return from(m); }
    public static <A, B, C, D, E, F, G, H> HelperCall of(V8<A, B, C, D, E, F, G, H> m) { return from(m); }

    private static HelperCall from(Serializable reference) {
        SerializedLambda l;
        try {
            Method writeReplace = reference.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            l = (SerializedLambda) writeReplace.invoke(reference);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("not a method reference: " + reference, e);
        }
        int opcode;
        switch (l.getImplMethodKind()) {
            case MethodHandleInfo.REF_invokeStatic: opcode = INVOKESTATIC; break;
            case MethodHandleInfo.REF_invokeVirtual: opcode = INVOKEVIRTUAL; break;
            default: throw new IllegalArgumentException("not a static or instance method: " + l);
        }
        if (l.getImplMethodName().startsWith("lambda$")) {
            throw new IllegalArgumentException("a lambda, not a method reference: " + l.getImplClass());
        }
        HelperCall c = new HelperCall(l.getImplClass(), l.getImplMethodName(), l.getImplMethodSignature(), opcode);
        checkPublic(c);
        return c;
    }

    static void checkPublic(HelperCall c) {
        try {
            Class<?> owner = Class.forName(c.owner.replace('/', '.'), false, HelperCall.class.getClassLoader());
            for (Method m : owner.getDeclaredMethods()) {
                if (m.getName().equals(c.name) && org.objectweb.asm.Type.getMethodDescriptor(m).equals(c.descriptor)) {
                    if (!Modifier.isPublic(m.getModifiers()) || !Modifier.isPublic(owner.getModifiers())) {
                        throw new IllegalArgumentException(c + " must be public: generated code calls it");
                    }
                    return;
                }
            }
            throw new IllegalArgumentException(c + " not found");
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException(c + ": owner not found", e);
        }
    }
}
