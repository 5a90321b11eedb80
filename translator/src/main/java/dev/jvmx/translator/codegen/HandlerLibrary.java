package dev.jvmx.translator.codegen;

import dev.jvmx.translator.decode.Decoder;
import dev.jvmx.translator.decode.FormKeyTable;
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
    /**
     * The index in the jar, for tests and readers: one line per handler,
     * {@code form TAB formKey TAB mask TAB value TAB number} (hexadecimal but the number; the form
     * key -1 for a form that has none).
     */
    public static final String INDEX = "dev/jvmx/translator/codegen/handlers/index.txt";
    static final String PACKAGE = "dev/jvmx/translator/codegen/handlers/";

    /** A library handler: the mode bits it was made for and its number n in {@link #FACTORY} (class Hn). */
    public record Entry(int mask, int value, int number) {
        /** The handler's class name. */
        public String className() {
            return (PACKAGE + "H" + number).replace('/', '.');
        }
    }

    /** A library handler and the form it is for: one line of the index (the build step's). */
    private record IndexLine(String form, long formKey, Entry entry) { }

    /**
     * The library's factory, an {@code IntFunction<Handler>} whose {@code apply(n)} is
     * {@code new Hn()}: one class made reflectively, instead of one reflective constructor
     * (and its method-handle accessor) per handler. It is also the index, a {@code Consumer}
     * whose {@code accept} puts every entry in an {@link Index}: reading and parsing the index's
     * text took 9-20 ms of every start.
     */
    static final String FACTORY = PACKAGE + "Factory";

    /** The factory, once loaded: {@link #NO_LIBRARY} when the build made none. */
    private static volatile Object factory;
    private static final Object NO_LIBRARY = new Object();

    private static volatile Index index;

    private HandlerLibrary() { }

    /**
     * The library's entries: by {@link Insn#formKey()}, and by {@link Insn#form()} for the forms
     * without a key. Keyed, a first-tier lookup builds no string: the form's string and a
     * {@code HashMap} of 801 of them, filled at the first lookup, cost SeaBIOS's boot about 5 ms
     * of its guest thread, in HotSpot's interpreter.
     */
    public static final class Index {
        private final FormKeyTable<Entry[]> byKey = new FormKeyTable<>();
        private final Map<String, Entry[]> byForm = new HashMap<>();
        /** Whether the keys were made by these classes' numbering ({@link Insn#formKeyFingerprint}). */
        private boolean keysValid;

        Index() { }

        Entry[] get(long formKey) {
            return byKey.get(formKey);
        }

        Entry[] get(String form) {
            return byForm.get(form);
        }
    }

    /** The library's handlers for a form without a key (each for the mode bits it names), or null. */
    public static Entry[] lookup(String form) {
        return index().get(form);
    }

    /** The library's handlers for the form with key {@code formKey}, or null. */
    public static Entry[] lookup(long formKey) {
        return index().get(formKey);
    }

    /** The index, filled by the factory on first use (empty without a library). */
    private static Index index() {
        Index m = index;
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
        index(); // the index's classes too
        Object f = factory();
        int n = 0;
        if (f != null) {
            @SuppressWarnings("unchecked")
            IntFunction<Handler> make = (IntFunction<Handler>) f;
            while (make.apply(n) != null) {
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
    private static Index load() {
        Index m = new Index();
        Object f = factory();
        if (f != null) {
            ((Consumer<Index>) f).accept(m);
        }
        return m;
    }

    /**
     * The fingerprint of the form keys the factory's entries were made with, which its
     * {@code accept} hands over first: when it is not these classes' the keyed entries are left
     * out (their forms' handlers are then made at run time), since a key would name another form.
     */
    public static void indexFingerprint(Index m, int fingerprint) {
        m.keysValid = fingerprint == Insn.formKeyFingerprint();
    }

    /** One index entry of a form with a key, as the factory's {@code accept} adds it (the build's generated code calls this). */
    public static void indexEntry(Index m, long formKey, int mask, int value, int number) {
        if (m.keysValid) {
            m.byKey.put(formKey, append(m.byKey.get(formKey), new Entry(mask, value, number)));
        }
    }

    /** One index entry of a form without a key. */
    public static void indexEntry(Index m, String form, int mask, int value, int number) {
        m.byForm.put(form, append(m.byForm.get(form), new Entry(mask, value, number)));
    }

    private static Entry[] append(Entry[] old, Entry e) {
        if (old == null) {
            return new Entry[] {e};
        }
        Entry[] grown = Arrays.copyOf(old, old.length + 1);
        grown[old.length] = e;
        return grown;
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
            Entry e = new Entry(r.consulted(), mode & r.consulted(), n);
            String key = insn.form() + '\t' + Integer.toHexString(e.mask()) + '\t' + Integer.toHexString(e.value());
            if (!seen.add(key)) {
                continue; // the same handler as an earlier line
            }
            Path file = out.resolve(className + ".class");
            Files.createDirectories(file.getParent());
            Files.write(file, r.classBytes());
            index.add(new IndexLine(insn.form(), insn.formKey(), e));
            n++;
        }
        Path factoryFile = out.resolve(FACTORY + ".class");
        Files.write(factoryFile, factoryClass(index));
        List<String> lines = new ArrayList<>();
        for (IndexLine l : index) {
            Entry e = l.entry();
            lines.add(l.form() + '\t' + Long.toHexString(l.formKey()) + '\t' + Integer.toHexString(e.mask()) + '\t'
                    + Integer.toHexString(e.value()) + '\t' + e.number());
        }
        Path indexFile = out.resolve(INDEX);
        Files.createDirectories(indexFile.getParent());
        Files.write(indexFile, lines, StandardCharsets.UTF_8);
        System.out.println("handler library: " + n + " handlers from " + corpus);
    }

    /**
     * The factory class: {@code apply(n)} returns {@code new Hn()} for each entry's number n,
     * else null; {@code accept(index)} hands over the keys' fingerprint, then adds every entry
     * (form key or form, mask, value, number) to the index through {@link #indexEntry}.
     */
    private static byte[] factoryClass(List<IndexLine> index) {
        int count = index.size();
        String fn = Type.getInternalName(IntFunction.class);
        String cn = Type.getInternalName(Consumer.class);
        ClassWriter cw = ClassFiles.finalClass(FACTORY, "java/lang/Object",
                "Ljava/lang/Object;L" + fn + "<L" + Type.getInternalName(Handler.class) + ";>;L" + cn
                        + "<L" + Type.getInternalName(Index.class) + ";>;", fn, cn);
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
        String lib = Type.getInternalName(HandlerLibrary.class);
        String idx = Type.getInternalName(Index.class);
        a.visitVarInsn(Opcodes.ALOAD, 1);
        a.visitTypeInsn(Opcodes.CHECKCAST, idx);
        a.visitVarInsn(Opcodes.ASTORE, 2);
        a.visitVarInsn(Opcodes.ALOAD, 2);
        a.visitLdcInsn(Insn.formKeyFingerprint());
        a.visitMethodInsn(Opcodes.INVOKESTATIC, lib, "indexFingerprint", "(L" + idx + ";I)V", false);
        for (IndexLine l : index) {
            a.visitVarInsn(Opcodes.ALOAD, 2);
            if (l.formKey() != Insn.NO_FORM_KEY) {
                a.visitLdcInsn(l.formKey());
            } else {
                a.visitLdcInsn(l.form());
            }
            a.visitLdcInsn(l.entry().mask());
            a.visitLdcInsn(l.entry().value());
            a.visitLdcInsn(l.entry().number());
            a.visitMethodInsn(Opcodes.INVOKESTATIC, lib, "indexEntry", l.formKey() != Insn.NO_FORM_KEY
                    ? "(L" + idx + ";JIII)V" : "(L" + idx + ";Ljava/lang/String;III)V", false);
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
