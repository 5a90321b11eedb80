package dev.jvmx.translator.cputest;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.cpu.Eflags;
import dev.jvmx.translator.decode.Decoder;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.exec.StopReason;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Differential fuzzing against the host CPU. Random user-mode instruction sequences
 * ({@link FuzzGenerator}) are assembled into a 32-bit static program
 * ({@code gcc -m32 -ffreestanding -nostdlib -static}, system calls by {@code int $0x80})
 * that, for each of {@link #CASES_PER_PROGRAM} cases in turn, loads a random initial state
 * (registers, EFLAGS, a 512-byte buffer), runs the sequence and records registers, EFLAGS
 * and the buffer; all records leave in one write. The same bytes, taken from the built
 * program, then run in jvmx at the same addresses on one reused flat 32-bit
 * {@link FlatMachine}, and the final states are compared register for register, flag for
 * flag (the status flags {@link UndefinedFlags} calls undefined masked), byte for byte.
 * Building the next program overlaps with running the current one.
 */
public final class HostFuzzer {
    public static final int CASES_PER_PROGRAM = 200;
    /** Where the program is linked: low enough for jvmx's 16 MiB of RAM. */
    static final int TEXT_SEGMENT = 0x400000;
    private static final int RECORD = 4 * 9 + FuzzGenerator.BUF_SIZE;
    private static final int COMPARED_FLAGS = Eflags.ARITH | Eflags.DF;

    private HostFuzzer() { }

    /** Null when this host can build and run 32-bit static programs, else why not. */
    public static String unavailableReason() {
        try {
            Path d = Files.createTempDirectory("jvmx-fuzz-probe");
            try {
                Path s = d.resolve("p.s");
                Files.writeString(s, ".globl _start\n_start:\nmovl $1, %eax\nmovl $42, %ebx\nint $0x80\n");
                Exec r = exec(d, "gcc", "-m32", "-ffreestanding", "-nostdlib", "-static", "-no-pie", "-o", "p", "p.s");
                if (r.code != 0) {
                    return "gcc -m32 cannot build a 32-bit static program: " + r.err.trim();
                }
                r = exec(d, d.resolve("p").toString());
                if (r.code != 42) {
                    return "this host cannot run 32-bit programs (exit " + r.code + ") " + r.err.trim();
                }
                return null;
            } finally {
                deleteTree(d);
            }
        } catch (IOException | RuntimeException e) {
            return "cannot build 32-bit programs here: " + e;
        }
    }

    /**
     * Runs {@code n} sequences from {@code seed}. Prints progress on long runs, the mismatches
     * (sequence bytes and disassembly, initial state, both final states) and a last line
     * {@code N passed, M failed}.
     */
    public static CpuTestReport run(long n, long seed, PrintStream out) {
        String why = unavailableReason();
        if (why != null) {
            throw new IllegalStateException(why);
        }
        long t0 = System.nanoTime();
        CpuTestReport report = new CpuTestReport();
        FlatMachine m = new FlatMachine();
        m.instructionLimit = 10_000;
        long programs = (n + CASES_PER_PROGRAM - 1) / CASES_PER_PROGRAM;
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-native");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<Program> next = programs > 0 ? pool.submit(() -> Program.build(seed, 0, (int) Math.min(n, CASES_PER_PROGRAM))) : null;
            long lastPrint = System.nanoTime();
            for (long p = 0; p < programs; p++) {
                Program prog = next.get();
                if (p + 1 < programs) {
                    long first = (p + 1) * CASES_PER_PROGRAM;
                    int cnt = (int) Math.min(n - first, CASES_PER_PROGRAM);
                    next = pool.submit(() -> Program.build(seed, first, cnt));
                }
                prog.compare(m, report, out);
                if (System.nanoTime() - lastPrint > 10_000_000_000L) {
                    lastPrint = System.nanoTime();
                    out.printf("... %d sequences, %d failed, %.0f s%n", report.passed + report.failed, report.failed,
                            (lastPrint - t0) / 1e9);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException ? (RuntimeException) c : new IllegalStateException(c);
        } finally {
            pool.shutdownNow();
        }
        report.nanos = System.nanoTime() - t0;
        report.print(out, true);
        return report;
    }

    /** One built program: its cases, the bytes of each sequence and the native results. */
    static final class Program {
        long seed;
        long first;
        FuzzGenerator.Case[] cases;
        int bufAddr;
        int[] seqStart, seqEnd;
        byte[][] seqBytes;
        ByteBuffer results;

        /** Case k of a run is generated from (seed, k) alone, so any case can be replayed. */
        static FuzzGenerator.Case generate(long seed, long k, int bufAddr) {
            return new FuzzGenerator(seed * 0x9E3779B97F4A7C15L + k).next(bufAddr);
        }

        static Program build(long seed, long first, int count) throws IOException {
            Program p = new Program();
            p.seed = seed;
            p.first = first;
            Path dir = Files.createTempDirectory("jvmx-fuzz");
            try {
                // The buffer's address is fixed by the layout: link once with a placeholder to learn it.
                p.bufAddr = bufferAddress(dir);
                p.cases = new FuzzGenerator.Case[count];
                for (int i = 0; i < count; i++) {
                    p.cases[i] = generate(seed, first + i, p.bufAddr);
                }
                Files.writeString(dir.resolve("f.s"), p.source());
                Exec r = exec(dir, "gcc", "-m32", "-ffreestanding", "-nostdlib", "-static", "-no-pie",
                        "-Wl,-Ttext-segment=0x" + Integer.toHexString(TEXT_SEGMENT), "-Wl,--section-start=.fuzzbuf=0x300000",
                        "-o", "f", "f.s");
                if (r.code != 0) {
                    throw new IllegalStateException("assembling fuzz program failed (seed " + seed + ", cases from " + first + "):\n"
                            + r.err);
                }
                Map<String, Integer> syms = symbols(dir);
                byte[] elf = Files.readAllBytes(dir.resolve("f"));
                p.seqStart = new int[count];
                p.seqEnd = new int[count];
                p.seqBytes = new byte[count][];
                for (int i = 0; i < count; i++) {
                    p.seqStart[i] = syms.get("seq" + i);
                    p.seqEnd[i] = syms.get("end" + i);
                    p.seqBytes[i] = Elf32.read(elf, p.seqStart[i], p.seqEnd[i] - p.seqStart[i]);
                }
                Exec run = exec(dir, dir.resolve("f").toString());
                if (run.code != 0 || run.outBytes.length != count * RECORD) {
                    throw new IllegalStateException("native fuzz program failed: exit " + run.code + ", " + run.outBytes.length
                            + " bytes of " + count * RECORD + " (seed " + seed + ", cases from " + first + ")");
                }
                p.results = ByteBuffer.wrap(run.outBytes).order(ByteOrder.LITTLE_ENDIAN);
                return p;
            } finally {
                deleteTree(dir);
            }
        }

        String source() {
            StringBuilder s = new StringBuilder(64 * 1024);
            s.append("\t.section .fuzzbuf,\"aw\",@nobits\n\t.globl buf\nbuf:\t.skip ").append(FuzzGenerator.BUF_SIZE).append('\n');
            s.append("\t.bss\nhost_esp:\t.skip 4\nresults:\t.skip ").append(cases.length * RECORD).append('\n');
            s.append("\t.data\n");
            for (int i = 0; i < cases.length; i++) {
                s.append("init").append(i).append(":");
                ByteBuffer b = ByteBuffer.wrap(cases[i].mem).order(ByteOrder.LITTLE_ENDIAN);
                for (int w = 0; w < FuzzGenerator.BUF_SIZE / 4; w++) {
                    s.append(w % 16 == 0 ? "\n\t.long " : ",").append(b.getInt());
                }
                s.append('\n');
            }
            s.append("\t.text\n\t.globl _start\n_start:\n");
            String[] order = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
            for (int i = 0; i < cases.length; i++) {
                FuzzGenerator.Case c = cases[i];
                int rec = i * RECORD;
                s.append("\tcld\n\tmovl $init").append(i).append(", %esi\n\tmovl $buf, %edi\n\tmovl $")
                        .append(FuzzGenerator.BUF_SIZE / 4).append(", %ecx\n\trep movsl\n");
                // EFLAGS first, on the host stack, so that the guest stack in the buffer stays untouched.
                s.append("\tmovl %esp, host_esp\n\tpushl $").append(c.eflags).append("\n\tpopfl\n");
                s.append("\tmovl $").append(c.regs[4]).append(", %esp\n");
                for (int r = 0; r < 8; r++) {
                    if (r != 4) {
                        s.append("\tmovl $").append(c.regs[r]).append(", %").append(order[r]).append('\n');
                    }
                }
                s.append("\t.globl seq").append(i).append("\nseq").append(i).append(":\n");
                for (String l : c.lines) {
                    s.append('\t').append(l).append('\n');
                }
                s.append("\t.globl end").append(i).append("\nend").append(i).append(":\n");
                for (int r = 0; r < 8; r++) {
                    s.append("\tmovl %").append(order[r]).append(", results+").append(rec + 4 * r).append('\n');
                }
                s.append("\tmovl host_esp, %esp\n\tpushfl\n\tpopl results+").append(rec + 32).append('\n');
                s.append("\tcld\n\tmovl $buf, %esi\n\tmovl $results+").append(rec + 36).append(", %edi\n\tmovl $")
                        .append(FuzzGenerator.BUF_SIZE / 4).append(", %ecx\n\trep movsl\n");
            }
            s.append("\tmovl $results, %ecx\n\tmovl $").append(cases.length * RECORD).append(", %edx\n");
            s.append("2:\tmovl $4, %eax\n\tmovl $1, %ebx\n\tint $0x80\n\ttestl %eax, %eax\n\tjle 3f\n");
            s.append("\taddl %eax, %ecx\n\tsubl %eax, %edx\n\tjnz 2b\n");
            s.append("3:\tmovl $1, %eax\n\txorl %ebx, %ebx\n\tint $0x80\n");
            return s.toString();
        }

        void compare(FlatMachine m, CpuTestReport report, PrintStream out) {
            for (int i = 0; i < cases.length; i++) {
                compareCase(m, report, i);
            }
        }

        private void compareCase(FlatMachine m, CpuTestReport report, int i) {
            FuzzGenerator.Case c = cases[i];
            Cpu cpu = m.cpu;
            m.resetFlat32(seqStart[i], c.regs[4]);
            for (int r = 0; r < 8; r++) {
                cpu.setReg32(r, c.regs[r]);
            }
            cpu.setEflags(c.eflags);
            m.memory.load(bufAddr, c.mem, 0, c.mem.length);
            m.memory.load(seqStart[i], seqBytes[i], 0, seqBytes[i].length);
            m.memory.write8(seqEnd[i], 0xF4);
            m.codeLoaded(seqStart[i]);
            m.codeLoaded(seqEnd[i]);
            String crash = null;
            try {
                StopReason stop = m.run();
                if (stop.kind != StopReason.Kind.HALTED) {
                    crash = "stopped: " + stop;
                } else if (cpu.eip != seqEnd[i] + 1) {
                    crash = String.format("halted at %08x, not at the end of the sequence", cpu.eip - 1);
                }
            } catch (RuntimeException | StackOverflowError ex) {
                crash = "exception in jvmx: " + ex;
            }
            int rec = i * RECORD;
            StringBuilder diff = new StringBuilder();
            if (crash != null) {
                diff.append("  ").append(crash).append('\n');
            }
            int[] exp = new int[9];
            int[] act = new int[9];
            for (int r = 0; r < 8; r++) {
                exp[r] = results.getInt(rec + 4 * r);
                act[r] = cpu.getReg32(r);
            }
            exp[8] = results.getInt(rec + 32);
            act[8] = cpu.getEflags();
            int flagMask = COMPARED_FLAGS & ~c.undefined;
            for (int r = 0; r < 9; r++) {
                int mask = r == 8 ? flagMask : -1;
                if (((exp[r] ^ act[r]) & mask) != 0) {
                    diff.append(String.format("  %-6s native %08x jvmx %08x%s%n", r == 8 ? "eflags" : FuzzGenerator.R32[r], exp[r], act[r],
                            r == 8 ? " (" + SingleStepSuite.flagNames((exp[r] ^ act[r]) & mask) + "; undefined masked: "
                                    + SingleStepSuite.flagNames(c.undefined) + ")" : ""));
                }
            }
            for (int b = 0; b < FuzzGenerator.BUF_SIZE; b++) {
                int e = results.get(rec + 36 + b) & 0xFF;
                int a = m.memory.read8(bufAddr + b);
                if (e != a) {
                    diff.append(String.format("  [buf+%03x] native %02x jvmx %02x%n", b, e, a));
                }
            }
            if (diff.length() == 0) {
                report.pass("fuzz");
                return;
            }
            StringBuilder sb = new StringBuilder();
            sb.append(String.format("MISMATCH seed %d case %d%n", seed, first + i));
            sb.append("  source:\n");
            for (String l : c.lines) {
                sb.append("    ").append(l).append('\n');
            }
            sb.append("  bytes ").append(hex(seqBytes[i])).append("\n  jvmx disassembly:\n");
            int pc = 0;
            while (pc < seqBytes[i].length) {
                final int base = seqStart[i];
                final byte[] bytes = seqBytes[i];
                Insn insn;
                try {
                    insn = Decoder.decode(off -> {
                        int k = off - base;
                        return k >= 0 && k < bytes.length ? bytes[k] & 0xFF : 0xF4;
                    }, base + pc, true);
                } catch (RuntimeException ex) {
                    sb.append("    (undecodable)\n");
                    break;
                }
                sb.append(String.format("    %08x  %-30s %s%n", base + pc, hex(java.util.Arrays.copyOfRange(bytes, pc,
                        Math.min(bytes.length, pc + insn.length))), insn));
                pc += insn.length;
            }
            sb.append("  initial");
            for (int r = 0; r < 8; r++) {
                sb.append(String.format(" %s=%08x", FuzzGenerator.R32[r], c.regs[r]));
            }
            sb.append(String.format(" eflags=%08x buf=%08x%n  initial buf ", c.eflags, bufAddr)).append(hex(c.mem)).append('\n');
            sb.append(String.format("  native  %s%n  jvmx    %s%n", state(exp), state(act)));
            sb.append(diff);
            report.fail("fuzz", sb.toString().stripTrailing());
        }

        private static String state(int[] v) {
            StringBuilder sb = new StringBuilder();
            for (int r = 0; r < 8; r++) {
                sb.append(String.format("%s=%08x ", FuzzGenerator.R32[r], v[r]));
            }
            return sb.append(String.format("eflags=%08x", v[8])).toString();
        }
    }

    private static Integer cachedBuf;

    /** The address the buffer section is linked at (fixed by the linker option, checked once). */
    private static synchronized int bufferAddress(Path dir) throws IOException {
        if (cachedBuf == null) {
            cachedBuf = 0x300000;
        }
        return cachedBuf;
    }

    private static Map<String, Integer> symbols(Path dir) throws IOException {
        Exec r = exec(dir, "nm", "f");
        if (r.code != 0) {
            throw new IllegalStateException("nm failed: " + r.err);
        }
        Map<String, Integer> m = new HashMap<>();
        for (String line : new String(r.outBytes, StandardCharsets.US_ASCII).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3) {
                m.put(f[2], (int) Long.parseLong(f[0], 16));
            }
        }
        if (m.get("buf") == null || m.get("buf") != 0x300000) {
            throw new IllegalStateException("the fuzz buffer is not where the linker was told to put it: " + m.get("buf"));
        }
        return m;
    }

    /** Reads bytes at virtual addresses from the PT_LOAD segments of an ELF32 file. */
    static final class Elf32 {
        static byte[] read(byte[] elf, int addr, int len) {
            ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
            int phoff = b.getInt(28);
            int phentsize = b.getShort(42) & 0xFFFF;
            int phnum = b.getShort(44) & 0xFFFF;
            for (int i = 0; i < phnum; i++) {
                int ph = phoff + i * phentsize;
                if (b.getInt(ph) != 1) {
                    continue;
                }
                int off = b.getInt(ph + 4), vaddr = b.getInt(ph + 8), filesz = b.getInt(ph + 16);
                if (addr >= vaddr && addr + len <= vaddr + filesz) {
                    return java.util.Arrays.copyOfRange(elf, off + addr - vaddr, off + addr - vaddr + len);
                }
            }
            throw new IllegalStateException(String.format("address %08x not in the program's loadable segments", addr));
        }
    }

    static final class Exec {
        int code;
        byte[] outBytes;
        String err;
    }

    static Exec exec(Path dir, String... cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        Process p = pb.start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread t = new Thread(() -> {
            try (InputStream in = p.getErrorStream()) {
                in.transferTo(err);
            } catch (IOException ignored) {
                // the process died; its exit code tells
            }
        });
        t.start();
        Exec e = new Exec();
        try (InputStream in = p.getInputStream()) {
            e.outBytes = in.readAllBytes();
        }
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", cmd));
            }
            t.join();
        } catch (InterruptedException ex) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
        e.code = p.exitValue();
        e.err = err.toString(StandardCharsets.UTF_8);
        return e;
    }

    private static void deleteTree(Path d) throws IOException {
        try (var s = Files.walk(d)) {
            List<Path> l = new ArrayList<>();
            s.forEach(l::add);
            for (int i = l.size() - 1; i >= 0; i--) {
                Files.deleteIfExists(l.get(i));
            }
        }
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xFF));
        }
        return sb.toString();
    }
}
