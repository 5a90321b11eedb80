package dev.jvmx.translator.codegen;

import dev.jvmx.translator.decode.Decoder;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.vmx.ExecutionControls;
import dev.jvmx.vmx.Vmcs;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.util.Textifier;
import org.objectweb.asm.util.TraceMethodVisitor;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Golden translations (STYLE.md): short guest sequences and the bytecode they translate to,
 * checked in as ASM Textifier text under src/test/resources/golden. A change in code
 * generation shows up here as a readable diff; after reviewing it, regenerate with
 * {@code -Djvmx.golden.update=true}.
 */
class GoldenTranslationTest {
    private static final Path DIR = Path.of("src/test/resources/golden");
    private static final int FLAT32 = BlockMode.CODE32 | BlockMode.STACK32 | BlockMode.PE;

    /** cmp eax, ebx; jl +0x10: the CMP fuses with the branch into one signed IF_ICMPLT on the operands. */
    @Test
    void compareAndBranchFuse() throws IOException {
        check("cmp-jl", FLAT32, 0x39, 0xD8, 0x7C, 0x10);
    }

    /** add dword [ebx+4], eax: one TLB probe for the read, one for the write, lazy flags as ADD. */
    @Test
    void readModifyWriteProbesTheTlb() throws IOException {
        check("add-mem", FLAT32, 0x01, 0x43, 0x04, 0xC3);
    }

    /** out 0xe9, al: a VM exit with its qualification fixed at translation time; ends the block. */
    @Test
    void outIsOneExitCall() throws IOException {
        check("out-imm", FLAT32, 0xE6, 0xE9);
    }

    private static void check(String name, int mode, int... bytes) throws IOException {
        List<Insn> insns = new ArrayList<>();
        int pc = 0x1000;
        while (pc - 0x1000 < bytes.length) {
            final int base = 0x1000;
            Insn i = Decoder.decode(off -> bytes[off - base] & 0xFF, pc, (mode & BlockMode.CODE32) != 0);
            insns.add(i);
            pc += i.length;
        }
        BlockCompiler.Result r = new BlockCompiler(mode, ExecutionControls.exitEverything(new Vmcs())).compile(insns);
        String text = textify(r.classBytes);
        Path file = DIR.resolve(name + ".txt");
        if (Boolean.getBoolean("jvmx.golden.update") || !Files.exists(file)) {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), text, "translation of " + name + " changed");
    }

    private static String textify(byte[] classBytes) {
        ClassNode cn = new ClassNode();
        new ClassReader(classBytes).accept(cn, ClassReader.SKIP_FRAMES);
        for (MethodNode m : cn.methods) {
            if (m.name.equals("exec")) {
                Textifier t = new Textifier();
                m.accept(new TraceMethodVisitor(t));
                StringWriter w = new StringWriter();
                t.print(new PrintWriter(w));
                return w.toString();
            }
        }
        throw new AssertionError("no exec method");
    }
}
