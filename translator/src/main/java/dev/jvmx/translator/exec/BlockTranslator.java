package dev.jvmx.translator.exec;

import dev.jvmx.translator.codegen.BlockCompiler;
import dev.jvmx.translator.codegen.BlockLoader;
import dev.jvmx.translator.codegen.BlockMode;
import dev.jvmx.translator.codegen.CompiledBlock;
import dev.jvmx.translator.codegen.Handler;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.cpu.GuestFault;
import dev.jvmx.translator.decode.CodeFetcher;
import dev.jvmx.translator.decode.Decoder;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.mem.Mmu;
import dev.jvmx.translator.mem.PhysicalMemory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Makes blocks: decodes guest code into a first-tier block (its instructions and their
 * handlers), and translates a block's instructions into a class (the second tier), shortening
 * a block whose method would be too big for HotSpot.
 */
final class BlockTranslator {
    /** Most instructions one block takes (long blocks are split to stay far below HotSpot's 8000-byte limit). */
    static final int MAX_BLOCK_INSNS = 48;
    /** Generated methods above this size are retranslated shorter. */
    static final int MAX_BYTECODE = 6000;
    /** Where {@code -Djvmx.dumpClasses=DIR} writes each translation's class file, for javap. */
    private static final String DUMP_DIR = System.getProperty("jvmx.dumpClasses");

    private final Cpu cpu;
    final HandlerCache handlers;
    /** Linear addresses a block must not run through (a debugger's breakpoints), or null. */
    java.util.function.IntPredicate splitBefore;
    /** Blocks decoded, blocks and regions translated, and the time each took. */
    long decoded, translated, regions;
    long decodeNanos, translateNanos;
    /** Time the guest's thread spent translating itself (a block the worker was too late for). */
    long guestTranslateNanos;
    /** Translations the guest's thread made itself because the worker was behind. */
    long guestTranslations;

    BlockTranslator(Cpu cpu) {
        this.cpu = cpu;
        this.handlers = new HandlerCache();
    }

    /**
     * Decodes the block at {@code eip} (at most {@code maxInsns} instructions, on at most two
     * pages, up to an instruction that ends a block) into a first-tier block. A fetch fault on
     * the first instruction propagates; on a later one it ends the block there.
     */
    Block decode(int eip, int csBase, int phys, int mode, int maxInsns) {
        long t0 = System.nanoTime();
        boolean code32 = (mode & BlockMode.CODE32) != 0;
        List<Insn> insns = new ArrayList<>();
        int pc = eip;
        int firstPage = phys >>> PhysicalMemory.PAGE_SHIFT;
        int page2 = -1;
        Fetcher fetcher = new Fetcher(csBase, code32, firstPage);
        while (insns.size() < maxInsns) {
            if (splitBefore != null && !insns.isEmpty() && splitBefore.test(csBase + (code32 ? pc : pc & 0xFFFF))) {
                break; // a breakpoint is always a block start
            }
            Insn insn;
            fetcher.otherPage = -1;
            try {
                insn = Decoder.decode(fetcher, pc, code32);
            } catch (GuestFault f) {
                if (insns.isEmpty()) {
                    throw f;
                }
                break; // the fetch fault belongs to the next block
            }
            if (fetcher.otherPage >= 0) {
                if (page2 >= 0 && page2 != fetcher.otherPage) {
                    break; // at most two pages per block
                }
                page2 = fetcher.otherPage;
            }
            insns.add(insn);
            pc = insn.next;
            if (insn.mnemonic.endsBlock() || insn.invalid != null) {
                break;
            }
        }
        Insn[] array = insns.toArray(new Insn[0]);
        Handler[] h = new Handler[array.length];
        for (int i = 0; i < array.length; i++) {
            long made = handlers.made;
            h[i] = handlers.handlerFor(array[i], mode);
            if (RECORD_FORMS != null && handlers.made > made) {
                record(array[i], csBase, mode);
            }
        }
        int len = 0;
        for (Insn i : array) {
            len += i.length;
        }
        int[] pages = page2 >= 0 ? new int[] {firstPage, page2} : new int[] {firstPage};
        decoded++;
        decodeNanos += System.nanoTime() - t0;
        return new Block(eip, csBase, phys, mode, array, h, pages, ranges(phys, len, page2), new int[array.length],
                false, len);
    }

    /**
     * The decoder's bytes for one block: CS-relative offsets through the fetch TLB, noting a page
     * other than the block's first. One object a block, not a lambda an instruction: a capturing
     * lambda is an allocation through its call site's linkage each time, which the cold decoder of a
     * boot's first blocks ran in HotSpot's interpreter.
     */
    private final class Fetcher implements CodeFetcher {
        private final int csBase;
        private final boolean code32;
        private final int firstPage;
        /** The page of the last instruction's bytes that is not the first page, or -1. */
        int otherPage = -1;

        Fetcher(int csBase, boolean code32, int firstPage) {
            this.csBase = csBase;
            this.code32 = code32;
            this.firstPage = firstPage;
        }

        @Override
        public int fetch(int off) {
            int p = cpu.mmu.translateFetch(csBase + (code32 ? off : off & 0xFFFF));
            if ((p >>> PhysicalMemory.PAGE_SHIFT) != firstPage) {
                otherPage = p >>> PhysicalMemory.PAGE_SHIFT;
            }
            return cpu.memory.read8(p);
        }
    }

    /** Where {@code -Djvmx.recordForms=FILE} appends the handlers a run had to make (a corpus for HandlerLibrary). */
    private static final String RECORD_FORMS = System.getProperty("jvmx.recordForms");

    private void record(Insn insn, int csBase, int mode) {
        StringBuilder line = new StringBuilder(Integer.toHexString(mode)).append(' ');
        boolean code32 = (mode & BlockMode.CODE32) != 0;
        for (int k = 0; k < insn.length; k++) {
            int off = insn.address + k;
            line.append(String.format("%02x", cpu.mmu.fetch8(csBase + (code32 ? off : off & 0xFFFF))));
        }
        try {
            Files.writeString(Path.of(RECORD_FORMS), line.append('\n'), java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The physical ranges of {@code len} code bytes at {@code phys}, continuing on {@code page2} past the page end. */
    private static int[] ranges(int phys, int len, int page2) {
        int inFirst = Math.min(len, PhysicalMemory.PAGE_SIZE - (phys & (PhysicalMemory.PAGE_SIZE - 1)));
        if (inFirst >= len || page2 < 0) {
            return new int[] {phys, phys + len};
        }
        int p2 = page2 << PhysicalMemory.PAGE_SHIFT;
        return new int[] {phys, phys + inFirst, p2, p2 + (len - inFirst)};
    }

    /**
     * A block's translation, made on any thread: the class for as many of its instructions as fit
     * in a method HotSpot compiles ({@code code} is null when not even one does).
     */
    record Translation(Block block, BlockCompiler.Result result, CompiledBlock code, int controlsGeneration) { }

    /** Translates {@code b}'s instructions (thread-safe: reads only the block's immutable parts). */
    Translation compile(Block b, int controlsGeneration) {
        long t0 = System.nanoTime();
        List<Insn> insns = List.of(b.insns);
        BlockCompiler.Result r = compiler(b.mode).compile(insns);
        while (r.bytecodeSize > MAX_BYTECODE && r.instructions > 1) {
            insns = insns.subList(0, Math.max(1, r.instructions / 2));
            r = compiler(b.mode).compile(insns);
        }
        CompiledBlock code = r.bytecodeSize > MAX_BYTECODE ? null : define(r.classBytes, b.eip, b.mode);
        addTranslateNanos(System.nanoTime() - t0);
        return new Translation(b, r, code, controlsGeneration);
    }

    /**
     * Installs a translation on the guest's thread: returns the block now holding the code (the
     * block itself, or a shorter one holding a prefix of its instructions that the caller puts
     * in its place), or null when the code does not fit or is stale (the block was dropped, or
     * the controls it was made under changed).
     */
    Block install(Translation t) {
        Block b = t.block();
        if (t.code() == null) {
            b.untranslatable = true;
            return null;
        }
        if (!b.valid || b.translated() || t.controlsGeneration() != cpu.controls.generation()) {
            return null; // stale, or the guest's thread translated it meanwhile
        }
        BlockCompiler.Result r = t.result();
        Block target = r.instructions < b.insns.length ? prefix(b, r.instructions) : b;
        target.install(t.code(), r.classBytes, r.bytecodeSize, r.directTargets);
        translated++;
        return target;
    }

    /** A block of the first {@code n} instructions of {@code b}. */
    private Block prefix(Block b, int n) {
        Insn[] insns = Arrays.copyOf(b.insns, n);
        Handler[] h = b.steps.handlers(n);
        int len = 0;
        for (Insn i : insns) {
            len += i.length;
        }
        int page2 = b.pages.length > 1 ? b.pages[1] : -1;
        return new Block(b.eip, b.csBase, b.phys, b.mode, insns, h, b.pages, ranges(b.phys, len, page2),
                new int[n], false, len);
    }

    private synchronized void addTranslateNanos(long n) {
        translateNanos += n;
    }

    /** A compiler for code in {@code mode} on this machine: its VM-execution controls and where its RAM ends. */
    private BlockCompiler compiler(int mode) {
        return new BlockCompiler(mode, cpu.controls, cpu.memory.directTop());
    }

    /** Translates several cached blocks into one region (see {@link RegionFormer}); null when too big. */
    BlockCompiler.Result compileRegion(List<List<Insn>> members, int mode) {
        long t0 = System.nanoTime();
        BlockCompiler.Result r = compiler(mode).compileRegion(members, true);
        addTranslateNanos(System.nanoTime() - t0);
        return r;
    }

    /** Defines the class of a translation and returns its code. */
    CompiledBlock define(byte[] classBytes, int eip, int mode) {
        if (DUMP_DIR != null) {
            try {
                Files.write(Path.of(DUMP_DIR, String.format("%08x-%d.class", eip, translated + regions)), classBytes);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        try {
            // The array as it is now: a translation asked for before grow() replaced it is for a
            // block the code cache's flush then dropped, so install() refuses it whichever array it
            // read; one asked for after reads the new array (the worker's queue orders the two).
            Mmu.Tlb tlb = cpu.mmu.tlb(BlockMode.cpl(mode) == 3);
            return BlockLoader.define(classBytes, cpu.memory.array, tlb.read, tlb.write, cpu.memory.codePageFlags());
        } catch (ReflectiveOperationException | LinkageError ex) {
            throw new IllegalStateException("translation of block at " + Integer.toHexString(eip) + " failed to load", ex);
        }
    }
}
