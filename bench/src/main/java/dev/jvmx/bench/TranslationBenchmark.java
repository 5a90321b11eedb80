package dev.jvmx.bench;

import dev.jvmx.runtime.MachineConfig;
import dev.jvmx.translator.codegen.BlockCompiler;
import dev.jvmx.translator.codegen.BlockLoader;
import dev.jvmx.translator.codegen.BlockMode;
import dev.jvmx.translator.decode.Decoder;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.exec.Block;
import dev.jvmx.translator.mem.Mmu;
import dev.jvmx.translator.mem.PhysicalMemory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.invoke.MethodHandles;
import dev.jvmx.vmx.ExecutionControls;
import dev.jvmx.vmx.Vmcs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Translation throughput, in blocks per second (each operation is one block): the basic
 * blocks a benchmark guest executes, decoded afresh from its memory and compiled to a class
 * ({@link BlockCompiler}), and defined as a hidden class, as {@code CodeCache} does on
 * a miss. Three stages: {@code compile} (bytecode only, from decoded instructions),
 * {@code compileAndDefine} (plus the hidden class) and {@code decodeCompileDefine} (all of a
 * miss but the cache bookkeeping).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xss16m"})
@State(Scope.Thread)
public class TranslationBenchmark {
    /** Same block limit as the translation cache's basic blocks. */
    private static final int MAX_INSNS = 48;

    /** Which benchmark guest's code to translate. */
    @Param({"interp", "qsort"})
    public String program;

    /** One block's start and mode, and its instructions decoded once. */
    private static final class Start {
        final int eip, phys, mode;
        final List<Insn> insns;

        Start(int eip, int phys, int mode, List<Insn> insns) {
            this.eip = eip;
            this.phys = phys;
            this.mode = mode;
            this.insns = insns;
        }
    }

    /** TLB entries for the class data (the benchmark defines classes, it does not run them). */
    private static final long[] TLB = new long[Mmu.TLB_SIZE];

    private Start[] starts;
    private PhysicalMemory memory;
    private MethodHandles.Lookup lookup;
    private int next;
    private final ExecutionControls controls = ExecutionControls.exitEverything(new Vmcs());

    /** The class data a translation is defined with (see BlockLoader.define). */
    private List<Object> classData() {
        return BlockLoader.classData(memory.array, TLB, TLB, memory.codePageFlags());
    }

    @Setup(Level.Trial)
    public void collect() {
        MachineConfig cfg = new MachineConfig();
        cfg.kernel = GuestHarness.image("bench/" + program + ".elf");
        cfg.serial = "none";
        GuestHarness guest = new GuestHarness(cfg);
        guest.runOnce();
        memory = guest.machine.memory;
        lookup = BlockLoader.lookup();
        // Every distinct block start the guest reached (flat, unpaged: linear = physical).
        TreeMap<Long, Block> byStart = new TreeMap<>();
        for (Block b : guest.machine.cache.blocks()) {
            byStart.putIfAbsent(((long) b.phys << 32) | (b.mode & 0xFFFFFFFFL), b);
        }
        List<Start> list = new ArrayList<>();
        for (Block b : byStart.values()) {
            list.add(new Start(b.eip, b.phys, b.mode, decode(b.eip, b.phys, b.mode)));
        }
        list.sort(Comparator.comparingInt(s -> s.phys));
        starts = list.toArray(new Start[0]);
        if (starts.length == 0) {
            throw new IllegalStateException(program + ": the guest left no translated blocks");
        }
    }

    /** Decodes a basic block as the translation cache does: up to a control transfer or a mode change. */
    private List<Insn> decode(int eip, int phys, int mode) {
        boolean code32 = (mode & BlockMode.CODE32) != 0;
        List<Insn> insns = new ArrayList<>();
        int pc = eip;
        while (insns.size() < MAX_INSNS) {
            Insn insn = Decoder.decode(off -> memory.read8(phys + (off - eip)), pc, code32);
            insns.add(insn);
            pc += insn.length;
            if (endsBlock(insn)) {
                break;
            }
        }
        return insns;
    }

    private static boolean endsBlock(Insn insn) {
        return insn.invalid != null || insn.mnemonic.endsBlock();
    }

    private Start nextStart() {
        Start s = starts[next];
        next = next + 1 == starts.length ? 0 : next + 1;
        return s;
    }

    @Benchmark
    public byte[] compile() {
        Start s = nextStart();
        return new BlockCompiler(s.mode, controls).compile(s.insns).classBytes;
    }

    @Benchmark
    public Object compileAndDefine() throws IllegalAccessException {
        Start s = nextStart();
        byte[] bytes = new BlockCompiler(s.mode, controls).compile(s.insns).classBytes;
        return lookup.defineHiddenClassWithClassData(bytes, classData(), true).lookupClass();
    }

    @Benchmark
    public Object decodeCompileDefine() throws IllegalAccessException {
        Start s = nextStart();
        List<Insn> insns = decode(s.eip, s.phys, s.mode);
        byte[] bytes = new BlockCompiler(s.mode, controls).compile(insns).classBytes;
        return lookup.defineHiddenClassWithClassData(bytes, classData(), true).lookupClass();
    }
}
