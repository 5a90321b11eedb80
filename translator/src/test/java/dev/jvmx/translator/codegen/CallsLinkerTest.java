package dev.jvmx.translator.codegen;

import dev.jvmx.translator.flags.LazyFlags;
import dev.jvmx.translator.mem.Mmu;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.util.TraceClassVisitor;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CallsLinkerTest {
    /** The build linked Calls: loading it spins no lambda (the point of CallsLinker). */
    @Test
    void theBuiltCallsClassHasNoInvokedynamic() throws IOException {
        List<String> found = new ArrayList<>();
        try (InputStream in = Calls.class.getResourceAsStream("Calls.class")) {
            new ClassReader(in.readAllBytes()).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitInvokeDynamicInsn(String n, String d, Handle bsm, Object... args) {
                            found.add(name + ": " + n + d);
                        }
                    };
                }
            }, 0);
        }
        assertEquals(List.of(), found, "Calls.class was not linked by the build (translator/pom.xml, calls-linker)");
    }

    /** What the linked initializer builds is what the method references in the source resolve to. */
    @Test
    void linkedConstantsAreTheSourcesMethodReferences() throws IllegalAccessException {
        assertEquals(HelperCall.of(LazyFlags::compute).toString(), Calls.FLAGS_COMPUTE.toString());
        assertEquals(HelperCall.of(Mmu::read32).toString(), Calls.READ32.toString());
        Map<String, HelperCall> all = CallsLinker.constants();
        assertTrue(all.size() > 100, "constants found: " + all.size());
        for (HelperCall c : all.values()) {
            HelperCall.checkPublic(c); // throws unless the method exists, with this descriptor, public
        }
    }

    /** Rewriting an already linked class changes nothing (an incremental build runs the step again). */
    @Test
    void rewritingIsIdempotent() throws IOException, IllegalAccessException {
        byte[] built;
        try (InputStream in = Calls.class.getResourceAsStream("Calls.class")) {
            built = in.readAllBytes();
        }
        byte[] again = CallsLinker.rewrite(built, CallsLinker.constants());
        assertEquals(text(built), text(again));
    }

    private static String text(byte[] classFile) {
        StringWriter out = new StringWriter();
        new ClassReader(classFile).accept(new TraceClassVisitor(new PrintWriter(out)), 0);
        return out.toString();
    }
}
