package dev.jvmx.translator.codegen;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * A field generated code reads or writes, looked up when the constant is made (when the class
 * holding it loads): a renamed or retyped field fails there, not in a guest.
 */
public final class FieldRef implements Opcodes {
    public final String owner;
    public final String name;
    public final String descriptor;
    private final boolean isStatic;

    private FieldRef(Field f) {
        this.owner = Type.getInternalName(f.getDeclaringClass());
        this.name = f.getName();
        this.descriptor = Type.getDescriptor(f.getType());
        this.isStatic = Modifier.isStatic(f.getModifiers());
    }

    /** The public field {@code name} of {@code owner}. */
    public static FieldRef of(Class<?> owner, String name) {
        try {
            return new FieldRef(owner.getField(name));
        } catch (NoSuchFieldException e) {
            throw new IllegalArgumentException("no public field " + owner.getName() + "." + name, e);
        }
    }

    /** GETFIELD (the object is on the stack) or GETSTATIC. */
    public void get(MethodVisitor mv) {
        mv.visitFieldInsn(isStatic ? GETSTATIC : GETFIELD, owner, name, descriptor);
    }

    /** PUTFIELD (object and value on the stack) or PUTSTATIC. */
    public void put(MethodVisitor mv) {
        mv.visitFieldInsn(isStatic ? PUTSTATIC : PUTFIELD, owner, name, descriptor);
    }
}
