package dev.jvmx.cputest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One native program of the host fuzzer: a run of consecutive cases, built with gcc, run once,
 * with the bytes jvmx runs for each case and the states the host CPU left.
 *
 * <p>For each case in turn the program copies the case's initial buffer into {@code buf}, loads
 * the FPU state with FRSTOR, EFLAGS (on the host stack) and the eight registers, runs the
 * sequence, stores the registers and EFLAGS, the FPU state with FNSAVE and the buffer into its
 * record, and at the end writes all records in one go. A record is {@link #RECORD} bytes: EAX
 * ECX EDX EBX ESP EBP ESI EDI EFLAGS (4 bytes each, the low 32 bits), the buffer, the FNSAVE
 * image (108 bytes, the 32-bit protected-mode format: FNSAVE without REX.W stores that format in
 * 64-bit mode too, with the low 32 bits of RIP as FIP), XMM0..XMM7 and MXCSR (loaded before the
 * sequence from the case's values, stored after it).
 *
 * <p>Every line of a sequence has a label ({@code l<case>_<line>}, and in {@code .seq32}
 * {@code m<case>_<line>}), so that an FIP the host stored can be mapped to the line it points
 * at and from there to jvmx's address of the same line ({@link #hostLine}, {@link #line}).
 *
 * <p>A case with instructions in {@link FuzzGenerator.Case#inexact} runs a second time after its
 * record is made, with FNSAVE and FRSTOR of the same image before and after each such
 * instruction (which leaves the whole state as it was): these snapshots (108 bytes each, before
 * and after, in the order the instructions run) follow all records in the output
 * ({@link #snapshots}). The record itself comes from the sequence run without them.
 *
 * <p>32-bit path: the sequences run as they are, and jvmx runs the same bytes at the same
 * addresses. 64-bit path: the sequences run as 64-bit code ({@link FuzzGenerator.Case#longLines},
 * registers written with 32-bit moves so their upper halves are zero; only the low halves are
 * stored), and the IA-32 assembly of the same lines sits in a section of its own, {@code .seq32}
 * (GNU as {@code .code32}), never executed, from which jvmx takes its bytes. Both paths keep the
 * buffer at {@link #BUF_ADDR} (a fixed low address from the linker) so memory operands are
 * 32-bit addresses in both.
 *
 */
final class FuzzProgram {
    static final int CASES = 200;
    /** Where the program's text is linked: low enough for the bare machine's 16 MiB of RAM. */
    static final int TEXT_SEGMENT = 0x400000;
    /** The buffer's fixed address (linker {@code --section-start}). */
    static final int BUF_ADDR = 0x300000;
    /** Where a record holds the FNSAVE image. */
    static final int FPU = 4 * 9 + FuzzGenerator.BUF_SIZE;
    /** Where a record holds XMM0..XMM7 (16 bytes each) and then MXCSR (4 bytes, padded to 16). */
    static final int XMM = FPU + X87Mix.IMAGE;
    static final int RECORD = XMM + 8 * 16 + 16;
    private static final String[] ORDER = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};

    final HostMode mode;
    final long seed;
    final long first;
    final FuzzGenerator.Case[] cases;
    final int[] seqStart;
    final int[] seqEnd;
    final byte[][] seqBytes;
    /** Case i, line j: jvmx's address of the line (its first byte); index lines.size() is the end. */
    final int[][] line;
    /** Case i, line j: the host's address of the line in the sequence it ran. */
    final int[][] hostLine;
    /** Case i: where its snapshots start in {@link #results} (before and after each inexact instruction). */
    final int[] snapshots;
    final ByteBuffer results;

    private FuzzProgram(HostMode mode, long seed, long first, FuzzGenerator.Case[] cases, int[] seqStart, int[] seqEnd,
            byte[][] seqBytes, int[][] line, int[][] hostLine, int[] snapshots, ByteBuffer results) {
        this.mode = mode;
        this.seed = seed;
        this.first = first;
        this.cases = cases;
        this.seqStart = seqStart;
        this.seqEnd = seqEnd;
        this.seqBytes = seqBytes;
        this.line = line;
        this.hostLine = hostLine;
        this.snapshots = snapshots;
        this.results = results;
    }

    /** Case k of a run is made from (seed, k) alone, so any case can be replayed. */
    static FuzzGenerator.Case generate(NativeOracle.Choice oracle, long seed, long k, boolean x87, boolean sse) {
        return new FuzzGenerator(seed * 0x9E3779B97F4A7C15L + k, oracle.mode, oracle.lahfSahf64, x87, sse).next(BUF_ADDR);
    }

    static FuzzProgram build(NativeOracle.Choice oracle, long seed, long first, int count, boolean x87) throws IOException {
        return build(oracle, seed, first, count, x87, false);
    }

    static FuzzProgram build(NativeOracle.Choice oracle, long seed, long first, int count, boolean x87, boolean sse)
            throws IOException {
        FuzzGenerator.Case[] cases = new FuzzGenerator.Case[count];
        for (int i = 0; i < count; i++) {
            cases[i] = generate(oracle, seed, first + i, x87, sse);
        }
        return build(oracle, seed, first, cases);
    }

    /** Byte offset in {@link #results} of the snapshot before ({@code after} false) or after inexact instruction {@code n} of case {@code i}. */
    int snapshot(int i, int n, boolean after) {
        return snapshots[i] + (2 * n + (after ? 1 : 0)) * X87Mix.IMAGE;
    }

    static FuzzProgram build(NativeOracle.Choice oracle, long seed, long first, FuzzGenerator.Case[] cases) throws IOException {
        HostMode mode = oracle.mode;
        int count = cases.length;
        Path dir = Files.createTempDirectory("jvmx-fuzz");
        try {
            Files.writeString(dir.resolve("f.s"), source(mode, cases));
            List<String> cmd = new ArrayList<>(NativeOracle.buildCommand(oracle.cc, mode));
            cmd.addAll(List.of("-Wl,-Ttext-segment=0x" + Integer.toHexString(TEXT_SEGMENT),
                    "-Wl,--section-start=.fuzzbuf=0x" + Integer.toHexString(BUF_ADDR), "-o", "f", "f.s"));
            Exec r = Exec.run(dir, cmd);
            if (r.code != 0) {
                throw new IllegalStateException("assembling the " + mode.label + " fuzz program failed (seed " + seed
                        + ", cases from " + first + "):\n" + r.err);
            }
            Map<String, Long> syms = symbols(dir);
            if (syms.get("buf") == null || syms.get("buf") != BUF_ADDR) {
                throw new IllegalStateException("the fuzz buffer is not where the linker was told to put it: " + syms.get("buf"));
            }
            byte[] elf = Files.readAllBytes(dir.resolve("f"));
            String prefix = mode == HostMode.IA32 ? "" : "32";
            String label = mode == HostMode.IA32 ? "l" : "m";
            int[] seqStart = new int[count];
            int[] seqEnd = new int[count];
            byte[][] seqBytes = new byte[count][];
            int[][] line = new int[count][];
            int[][] hostLine = new int[count][];
            int[] snapshots = new int[count];
            int snap = count * RECORD;
            for (int i = 0; i < count; i++) {
                seqStart[i] = (int) (long) syms.get("seq" + prefix + "_" + i);
                seqEnd[i] = (int) (long) syms.get("end" + prefix + "_" + i);
                seqBytes[i] = Elf.read(elf, seqStart[i], seqEnd[i] - seqStart[i]);
                int n = cases[i].lines.size();
                line[i] = new int[n + 1];
                hostLine[i] = new int[n + 1];
                for (int j = 0; j < n; j++) {
                    line[i][j] = (int) (long) syms.get(label + i + "_" + j);
                    hostLine[i][j] = (int) (long) syms.get("l" + i + "_" + j);
                }
                line[i][n] = seqEnd[i];
                hostLine[i][n] = (int) (long) syms.get("end_" + i);
                snapshots[i] = snap;
                snap += 2 * X87Mix.IMAGE * cases[i].inexact.size();
            }
            Exec run = Exec.run(dir, dir.resolve("f").toString());
            if (run.code != 0 || run.out.length != snap) {
                throw new IllegalStateException("the native " + mode.label + " fuzz program failed: exit " + run.code + ", "
                        + run.out.length + " bytes of " + snap + " (seed " + seed + ", cases from " + first + ")"
                        + (run.err.isBlank() ? "" : ": " + run.lastErrLine()));
            }
            return new FuzzProgram(mode, seed, first, cases, seqStart, seqEnd, seqBytes, line, hostLine, snapshots,
                    ByteBuffer.wrap(run.out).order(ByteOrder.LITTLE_ENDIAN));
        } finally {
            Exec.deleteTree(dir);
        }
    }

    static String source(HostMode mode, FuzzGenerator.Case[] cases) {
        boolean x64 = mode == HostMode.X86_64;
        StringBuilder s = new StringBuilder(64 * 1024);
        s.append("\t.section .fuzzbuf,\"aw\",@nobits\n\t.globl buf\nbuf:\t.skip ").append(FuzzGenerator.BUF_SIZE).append('\n');
        int snapBytes = 0;
        for (FuzzGenerator.Case c : cases) {
            snapBytes += 2 * X87Mix.IMAGE * c.inexact.size();
        }
        int total = cases.length * RECORD + snapBytes;
        s.append("\t.bss\nhost_sp:\t.skip 8\nresults:\t.skip ").append(total).append('\n');
        s.append("\t.data\n");
        for (int i = 0; i < cases.length; i++) {
            s.append("init").append(i).append(":");
            words(s, cases[i].mem);
            s.append("fpu").append(i).append(":");
            words(s, Arrays.copyOf(cases[i].fpu, 112));
            s.append("\t.balign 16\nxmm").append(i).append(":");
            ByteBuffer x = ByteBuffer.allocate(8 * 16 + 16).order(ByteOrder.LITTLE_ENDIAN);
            for (long q : cases[i].xmm) {
                x.putLong(q);
            }
            x.putInt(cases[i].mxcsr);
            words(s, x.array());
        }
        s.append("\t.text\n").append(x64 ? "\t.code64\n" : "").append("\t.globl _start\n_start:\n");
        int snap = cases.length * RECORD;
        for (int i = 0; i < cases.length; i++) {
            FuzzGenerator.Case c = cases[i];
            int rec = i * RECORD;
            List<String> lines = x64 ? c.longLines : c.lines;
            setUp(s, c, i, x64);
            s.append("\t.globl seq_").append(i).append("\nseq_").append(i).append(":\n");
            for (int j = 0; j < lines.size(); j++) {
                s.append('l').append(i).append('_').append(j).append(":\t").append(lines.get(j)).append('\n');
            }
            s.append("\t.globl end_").append(i).append("\nend_").append(i).append(":\n");
            for (int r = 0; r < 8; r++) {
                s.append("\tmovl %").append(ORDER[r]).append(", results+").append(rec + 4 * r).append('\n');
            }
            for (int r = 0; r < 8; r++) {
                s.append("\tmovdqu %xmm").append(r).append(", results+").append(rec + XMM + 16 * r).append('\n');
            }
            s.append("\tstmxcsr results+").append(rec + XMM + 128).append('\n');
            if (x64) {
                s.append("\tmovq host_sp, %rsp\n\tpushfq\n\tpopq %rax\n\tmovl %eax, results+").append(rec + 32).append('\n');
            } else {
                s.append("\tmovl host_sp, %esp\n\tpushfl\n\tpopl results+").append(rec + 32).append('\n');
            }
            s.append("\tfnsave results+").append(rec + FPU).append('\n');
            s.append("\tcld\n\tmovl $buf, %esi\n\tmovl $results+").append(rec + 36).append(", %edi\n\tmovl $")
                    .append(FuzzGenerator.BUF_SIZE / 4).append(", %ecx\n\trep movsl\n");
            if (!c.inexact.isEmpty()) {
                // Again, with a snapshot before and after each inexact instruction (FNSAVE + FRSTOR change nothing).
                setUp(s, c, i, x64);
                for (int j = 0; j < lines.size(); j++) {
                    boolean snapped = c.inexact.contains(j);
                    if (snapped) {
                        s.append("\tfnsave results+").append(snap).append("\n\tfrstor results+").append(snap).append('\n');
                    }
                    s.append('\t').append(lines.get(j)).append('\n');
                    if (snapped) {
                        snap += X87Mix.IMAGE;
                        s.append("\tfnsave results+").append(snap).append("\n\tfrstor results+").append(snap).append('\n');
                        snap += X87Mix.IMAGE;
                    }
                }
                s.append(x64 ? "\tmovq host_sp, %rsp\n" : "\tmovl host_sp, %esp\n");
            }
        }
        if (x64) {
            // write(1, results, n) until done, then exit(0): Linux x86-64 system calls.
            s.append("\tmovl $results, %esi\n\tmovl $").append(total).append(", %edx\n");
            s.append("2:\tmovl $1, %eax\n\tmovl $1, %edi\n\tsyscall\n\ttestq %rax, %rax\n\tjle 3f\n");
            s.append("\taddq %rax, %rsi\n\tsubq %rax, %rdx\n\tjnz 2b\n");
            s.append("3:\tmovl $60, %eax\n\txorl %edi, %edi\n\tsyscall\n");
            // The IA-32 bytes of every sequence, for jvmx; never executed here.
            s.append("\t.section .seq32,\"ax\",@progbits\n\t.code32\n");
            for (int i = 0; i < cases.length; i++) {
                s.append("\t.globl seq32_").append(i).append("\nseq32_").append(i).append(":\n");
                List<String> lines = cases[i].lines;
                for (int j = 0; j < lines.size(); j++) {
                    s.append('m').append(i).append('_').append(j).append(":\t").append(lines.get(j)).append('\n');
                }
                s.append("\t.globl end32_").append(i).append("\nend32_").append(i).append(":\n");
            }
            s.append("\t.code64\n");
        } else {
            // write(1, results, n) until done, then exit(0): Linux i386 system calls.
            s.append("\tmovl $results, %ecx\n\tmovl $").append(total).append(", %edx\n");
            s.append("2:\tmovl $4, %eax\n\tmovl $1, %ebx\n\tint $0x80\n\ttestl %eax, %eax\n\tjle 3f\n");
            s.append("\taddl %eax, %ecx\n\tsubl %eax, %edx\n\tjnz 2b\n");
            s.append("3:\tmovl $1, %eax\n\txorl %ebx, %ebx\n\tint $0x80\n");
        }
        return s.toString();
    }

    /** The initial buffer, the FPU image, EFLAGS (on the host stack) and the registers of case {@code i}. */
    private static void setUp(StringBuilder s, FuzzGenerator.Case c, int i, boolean x64) {
        // (In 64-bit mode these REP MOVS use RSI/RDI/RCX; a 32-bit MOV zeroes their upper halves.)
        s.append("\tcld\n\tmovl $init").append(i).append(", %esi\n\tmovl $buf, %edi\n\tmovl $")
                .append(FuzzGenerator.BUF_SIZE / 4).append(", %ecx\n\trep movsl\n");
        s.append("\tfrstor fpu").append(i).append('\n');
        for (int r = 0; r < 8; r++) {
            s.append("\tmovdqa xmm").append(i).append('+').append(16 * r).append(", %xmm").append(r).append('\n');
        }
        s.append("\tldmxcsr xmm").append(i).append("+128\n");
        // EFLAGS first, on the host stack, so that the guest stack in the buffer stays untouched.
        if (x64) {
            s.append("\tmovq %rsp, host_sp\n\tpushq $").append(c.eflags).append("\n\tpopfq\n");
        } else {
            s.append("\tmovl %esp, host_sp\n\tpushl $").append(c.eflags).append("\n\tpopfl\n");
        }
        s.append("\tmovl $").append(c.regs[4]).append(", %esp\n");
        for (int r = 0; r < 8; r++) {
            if (r != 4) {
                s.append("\tmovl $").append(c.regs[r]).append(", %").append(ORDER[r]).append('\n');
            }
        }
    }

    private static void words(StringBuilder s, byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int w = 0; w < bytes.length / 4; w++) {
            s.append(w % 16 == 0 ? "\n\t.long " : ",").append(b.getInt());
        }
        s.append('\n');
    }

    private static Map<String, Long> symbols(Path dir) throws IOException {
        Exec r = Exec.run(dir, "nm", "f");
        if (r.code != 0) {
            throw new IllegalStateException("nm failed: " + r.err);
        }
        Map<String, Long> m = new HashMap<>();
        for (String line : new String(r.out, StandardCharsets.US_ASCII).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3) {
                m.put(f[2], Long.parseLong(f[0], 16));
            }
        }
        return m;
    }
}
