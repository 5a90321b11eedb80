package dev.jvmx.translator.codegen;

import dev.jvmx.translator.decode.Decoder;
import dev.jvmx.translator.decode.Insn;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * First-tier handlers made when jvmx is built, so that a run does not spend its first
 * milliseconds generating them (the code generator itself is still cold then): a build step
 * ({@link #main}) compiles a handler for each instruction of a corpus of the forms real guests
 * use (firmware, kernels, the benchmark programs) into a class of the jar, with an index from
 * form and mode bits to class. Every handler can go in the library: none depends on the
 * VM-execution controls (it asks them when it runs).
 *
 * <p>The corpus is a text file of lines {@code MODE BYTES} (hex), as {@code -Djvmx.recordForms=FILE}
 * appends them for each handler a run had to make.
 */
public final class HandlerLibrary {
    /** The index in the jar: one line per handler, {@code form TAB mask TAB value TAB class TAB number}. */
    public static final String INDEX = "dev/jvmx/translator/codegen/handlers/index.txt";
    static final String PACKAGE = "dev/jvmx/translator/codegen/handlers/";

    /** A library handler: the mode bits it was made for, its class and its number in {@link #FACTORY}. */
    public record Entry(int mask, int value, String className, int number) { }

    /** A library handler and the form it is for: one line of the index (the build step's). */
    private record IndexLine(String form, Entry entry) { }

    /**
     * The library's factory, an {@code IntFunction<Handler>} whose {@code apply(n)} is
     * {@code new Hn()}: one class made reflectively, instead of one reflective constructor
     * (and its method-handle accessor) per handler. It is also the index, a
     * {@code Consumer<Map<String, Entry[]>>} whose {@code accept} puts every entry of
     * {@link #INDEX} in the map: reading and parsing that text took 9-20 ms of every start.
     */
    static final String FACTORY = PACKAGE + "Factory";

    /** The factory, once loaded: {@link #NO_LIBRARY} when the build made none. */
    private static volatile Object factory;
    private static final Object NO_LIBRARY = new Object();

    private static volatile Map<String, Entry[]> index;

    private HandlerLibrary() { }

    /** The library's handlers for a form (each for the mode bits it names), or null. */
    public static Entry[] lookup(String form) {
        return index().get(form);
    }

    /** The index, filled by the factory on first use (empty without a library). */
    private static Map<String, Entry[]> index() {
        Map<String, Entry[]> m = index;
        if (m == null) {
            m = index = load();
        }
        return m;
    }

    /** Instantiates a library handler. */
    @SuppressWarnings("unchecked")
    public static Handler instantiate(Entry e) {
        return ((IntFunction<Handler>) factory()).apply(e.number);
    }

    /** The factory, loaded on first use; null when the build made no library. */
    private static Object factory() {
        Object f = factory;
        if (f == null) {
            f = factory = loadFactory();
        }
        return f == NO_LIBRARY ? null : f;
    }

    /**
     * Loads every handler class of the library and returns how many there are: the training run
     * calls it so the start-up cache holds them all, not only those its workloads met (a Linux
     * boot otherwise loaded and verified about 300 from the jar, 0.5 ms each).
     */
    public static int loadAll() {
        int n = 0;
        for (Entry[] entries : index().values()) {
            for (Entry e : entries) {
                instantiate(e);
                n++;
            }
        }
        return n;
    }

    private static Object loadFactory() {
        String name = FACTORY.replace('/', '.');
        try {
            return Class.forName(name, true, HandlerLibrary.class.getClassLoader()).getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException ex) {
            return NO_LIBRARY;
        } catch (ReflectiveOperationException ex) {
            throw new IllegalStateException("the handler library's " + name + " does not load", ex);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Entry[]> load() {
        Map<String, Entry[]> m = new HashMap<>();
        Object f = factory();
        if (f != null) {
            ((Consumer<Map<String, Entry[]>>) f).accept(m);
        }
        return m;
    }

    /** One index entry, as the factory's {@code accept} adds it (the build's generated code calls this). */
    public static void indexEntry(Map<String, Entry[]> m, String form, int mask, int value, String className, int number) {
        Entry e = new Entry(mask, value, className, number);
        Entry[] old = m.get(form);
        if (old == null) {
            m.put(form, new Entry[] {e});
        } else {
            Entry[] grown = Arrays.copyOf(old, old.length + 1);
            grown[old.length] = e;
            m.put(form, grown);
        }
    }

    /**
     * The build step: {@code HandlerLibrary CORPUS OUTPUT_CLASSES_DIR}. Writes the handler classes
     * and the index under the classes directory.
     */
    public static void main(String[] args) throws IOException {
        Path corpus = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Set<String> seen = new HashSet<>();
        List<IndexLine> index = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(corpus, StandardCharsets.UTF_8)) {
            line = line.trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            int mode = Integer.parseUnsignedInt(f[0], 16);
            byte[] bytes = hex(f[1]);
            Insn insn = Decoder.decode(off -> off < bytes.length ? bytes[off] & 0xFF : 0, 0,
                    (mode & BlockMode.CODE32) != 0);
            String className = PACKAGE + "H" + n;
            HandlerCompiler.Result r = new HandlerCompiler(mode).compile(insn, className);
            Entry e = new Entry(r.consulted(), mode & r.consulted(), className.replace('/', '.'), n);
            String key = insn.form() + '\t' + Integer.toHexString(e.mask()) + '\t' + Integer.toHexString(e.value());
            if (!seen.add(key)) {
                continue; // the same handler as an earlier line
            }
            Path file = out.resolve(className + ".class");
            Files.createDirectories(file.getParent());
            Files.write(file, r.classBytes());
            index.add(new IndexLine(insn.form(), e));
            n++;
        }
        Path factoryFile = out.resolve(FACTORY + ".class");
        Files.write(factoryFile, factoryClass(index));
        List<String> lines = new ArrayList<>();
        for (IndexLine l : index) {
            Entry e = l.entry();
            lines.add(l.form() + '\t' + Integer.toHexString(e.mask()) + '\t' + Integer.toHexString(e.value()) + '\t'
                    + e.className() + '\t' + e.number());
        }
        Path indexFile = out.resolve(INDEX);
        Files.createDirectories(indexFile.getParent());
        Files.write(indexFile, lines, StandardCharsets.UTF_8);
        System.out.println("handler library: " + n + " handlers from " + corpus);
    }

    /**
     * The factory class: {@code apply(n)} returns {@code new Hn()} for each entry's number n,
     * else null; {@code accept(map)} adds every entry (form, mask, value, class, number) to the
     * map through {@link #indexEntry}.
     */
    private static byte[] factoryClass(List<IndexLine> index) {
        int count = index.size();
        String fn = Type.getInternalName(IntFunction.class);
        String cn = Type.getInternalName(Consumer.class);
        ClassWriter cw = ClassFiles.finalClass(FACTORY, "java/lang/Object",
                "Ljava/lang/Object;L" + fn + "<L" + Type.getInternalName(Handler.class) + ";>;L" + cn
                        + "<Ljava/util/Map<Ljava/lang/String;[L" + Type.getInternalName(Entry.class) + ";>;>;", fn, cn);
        MethodVisitor m = cw.visitMethod(Opcodes.ACC_PUBLIC, "apply", "(I)Ljava/lang/Object;", null, null);
        m.visitCode();
        Label none = new Label();
        Label[] cases = new Label[Math.max(count, 1)];
        for (int i = 0; i < cases.length; i++) {
            cases[i] = i < count ? new Label() : none;
        }
        m.visitVarInsn(Opcodes.ILOAD, 1);
        m.visitTableSwitchInsn(0, cases.length - 1, none, cases);
        for (int i = 0; i < count; i++) {
            m.visitLabel(cases[i]);
            String h = PACKAGE + "H" + i;
            m.visitTypeInsn(Opcodes.NEW, h);
            m.visitInsn(Opcodes.DUP);
            m.visitMethodInsn(Opcodes.INVOKESPECIAL, h, "<init>", "()V", false);
            m.visitInsn(Opcodes.ARETURN);
        }
        m.visitLabel(none);
        m.visitInsn(Opcodes.ACONST_NULL);
        m.visitInsn(Opcodes.ARETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();

        MethodVisitor a = cw.visitMethod(Opcodes.ACC_PUBLIC, "accept", "(Ljava/lang/Object;)V", null, null);
        a.visitCode();
        a.visitVarInsn(Opcodes.ALOAD, 1);
        a.visitTypeInsn(Opcodes.CHECKCAST, "java/util/Map");
        a.visitVarInsn(Opcodes.ASTORE, 2);
        String add = "(Ljava/util/Map;Ljava/lang/String;IILjava/lang/String;I)V";
        for (IndexLine l : index) {
            a.visitVarInsn(Opcodes.ALOAD, 2);
            a.visitLdcInsn(l.form());
            a.visitLdcInsn(l.entry().mask());
            a.visitLdcInsn(l.entry().value());
            a.visitLdcInsn(l.entry().className());
            a.visitLdcInsn(l.entry().number());
            a.visitMethodInsn(Opcodes.INVOKESTATIC, Type.getInternalName(HandlerLibrary.class), "indexEntry", add, false);
        }
        a.visitInsn(Opcodes.RETURN);
        a.visitMaxs(0, 0);
        a.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
