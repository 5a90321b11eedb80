package dev.jvmx.cputest;

import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.bare.BareMachine;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.decode.Decoder;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.exec.StopReason;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Differential fuzzing against the host CPU. Random user-mode instruction sequences
 * ({@link FuzzGenerator}) run natively in static programs ({@link FuzzProgram}, 200 cases
 * each), 32-bit where the host runs 32-bit programs, else as 64-bit programs with every
 * instruction assembled for 64-bit mode ({@link HostMode}, {@link NativeOracle}). The IA-32
 * bytes of each sequence then run in jvmx on one reused flat 32-bit {@link BareMachine}, and
 * the final states are compared register for register (the low 32 bits), flag for flag (the
 * status flags and DF, those the instruction rows call undefined masked), byte for byte
 * over the 512-byte buffer. Building the next program overlaps with comparing the current one.
 */
public final class HostFuzzer {
    private static final int COMPARED_FLAGS = Eflags.ARITH | Eflags.DF;
    /** A sequence is a few instructions; REP with a count up to 16 fits many times over. */
    private static final long INSTRUCTION_LIMIT = 10_000;

    private HostFuzzer() { }

    /** Runs {@code n} sequences from {@code seed} on the best native oracle here. */
    public static CpuTestReport run(long n, long seed, PrintStream out) {
        return run(n, seed, NativeOracle.choose(NativeOracle.Request.AUTO), out);
    }

    /**
     * Runs {@code n} sequences from {@code seed} against {@code oracle}. Prints progress on long
     * runs, the mismatches (sequence, disassembly, initial state, both final states, a unit
     * test to paste into the translator's tests), the coverage, and a last line
     * {@code N passed, M failed}.
     *
     * @throws IllegalStateException when {@code oracle} has no usable mode (its reason) or a native program fails
     */
    public static CpuTestReport run(long n, long seed, NativeOracle.Choice oracle, PrintStream out) {
        return run(n, seed, oracle, BareMachine.TIERS, out);
    }

    /** As {@link #run(long, long, NativeOracle.Choice, PrintStream)}, running jvmx in each of {@code tiers}. */
    public static CpuTestReport run(long n, long seed, NativeOracle.Choice oracle, int[] tiers, PrintStream out) {
        if (oracle.mode == null) {
            throw new IllegalStateException(oracle.unavailableReason());
        }
        long t0 = System.nanoTime();
        CpuTestReport report = new CpuTestReport();
        report.oracle = oracle.describe();
        report.hostMode = oracle.mode;
        BareMachine m = new BareMachine();
        long programs = (n + FuzzProgram.CASES - 1) / FuzzProgram.CASES;
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-native");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<FuzzProgram> next = programs > 0
                    ? pool.submit(() -> FuzzProgram.build(oracle, seed, 0, (int) Math.min(n, FuzzProgram.CASES))) : null;
            long lastPrint = System.nanoTime();
            for (long p = 0; p < programs; p++) {
                FuzzProgram prog = next.get();
                if (p + 1 < programs) {
                    long first = (p + 1) * FuzzProgram.CASES;
                    int cnt = (int) Math.min(n - first, FuzzProgram.CASES);
                    next = pool.submit(() -> FuzzProgram.build(oracle, seed, first, cnt));
                }
                compare(prog, m, report, tiers);
                if (System.nanoTime() - lastPrint > 10_000_000_000L) {
                    lastPrint = System.nanoTime();
                    out.printf("... %d sequences, %d failed, %.0f s%n", report.passed + report.failed, report.failed,
                            (lastPrint - t0) / 1e9);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException ? (RuntimeException) c : new IllegalStateException(c.toString(), c);
        } finally {
            pool.shutdownNow();
        }
        report.nanos = System.nanoTime() - t0;
        report.print(out, true);
        return report;
    }

    /** Compares every case of {@code p} in each of {@code tiers} (see {@link BareMachine#useTier}). */
    static void compare(FuzzProgram p, BareMachine m, CpuTestReport report, int[] tiers) {
        for (int i = 0; i < p.cases.length; i++) {
            FuzzGenerator.Case c = p.cases[i];
            report.hostInstructions += c.instructions;
            c.gaps.forEach((gap, k) -> report.coveredElsewhere.merge(gap, (long) k, Long::sum));
            StringBuilder failures = new StringBuilder();
            for (int tier : tiers) {
                m.useTier(tier);
                String f = compareCase(p, m, i, tier);
                if (f != null) {
                    failures.append(failures.length() > 0 ? "\n" : "").append(f);
                }
            }
            if (failures.length() == 0) {
                report.pass("fuzz");
            } else {
                report.fail("fuzz", failures.toString());
            }
        }
    }

    /** Runs case {@code i} in one tier; the mismatch report, or null when jvmx agrees with the host. */
    private static String compareCase(FuzzProgram p, BareMachine m, int i, int tier) {
        FuzzGenerator.Case c = p.cases[i];
        int start = p.seqStart[i], end = p.seqEnd[i];
        if (end + 1 > BareMachine.RAM) {
            throw new IllegalStateException(String.format("sequence at %08x is beyond the bare machine's RAM", start));
        }
        Cpu cpu = m.cpu;
        m.resetFlat32(start, c.regs[4]);
        for (int r = 0; r < 8; r++) {
            cpu.setReg32(r, c.regs[r]);
        }
        cpu.setEflags(c.eflags);
        m.memory.load(FuzzProgram.BUF_ADDR, c.mem, 0, c.mem.length);
        m.memory.load(start, p.seqBytes[i], 0, p.seqBytes[i].length);
        m.memory.write8(end, 0xF4);
        m.codeLoaded(start);
        m.codeLoaded(end);
        String crash = null;
        try {
            StopReason stop = m.runFor(INSTRUCTION_LIMIT);
            if (stop.kind != StopReason.Kind.HALTED) {
                crash = "stopped: " + stop;
            } else if (cpu.eip != end + 1) {
                crash = String.format("halted at %08x, not at the end of the sequence", cpu.eip - 1);
            }
        } catch (RuntimeException | StackOverflowError ex) {
            crash = "exception in jvmx: " + ex;
        }
        int rec = i * FuzzProgram.RECORD;
        int[] exp = new int[9];
        int[] act = new int[9];
        for (int r = 0; r < 8; r++) {
            exp[r] = p.results.getInt(rec + 4 * r);
            act[r] = cpu.getReg32(r);
        }
        exp[8] = p.results.getInt(rec + 32);
        act[8] = cpu.getEflags();
        byte[] expBuf = new byte[FuzzGenerator.BUF_SIZE];
        p.results.get(rec + 36, expBuf);
        int flagMask = COMPARED_FLAGS & ~c.undefined;
        StringBuilder diff = new StringBuilder();
        if (crash != null) {
            diff.append("  ").append(crash).append('\n');
        }
        for (int r = 0; r < 9; r++) {
            int mask = r == 8 ? flagMask : -1;
            if (((exp[r] ^ act[r]) & mask) != 0) {
                diff.append(String.format("  %-6s native %08x jvmx %08x%s%n", r == 8 ? "eflags" : FuzzGenerator.R32[r], exp[r], act[r],
                        r == 8 ? " (" + SingleStepSuite.flagNames((exp[r] ^ act[r]) & mask) + "; undefined masked: "
                                + SingleStepSuite.flagNames(c.undefined) + ")" : ""));
            }
        }
        for (int b = 0; b < FuzzGenerator.BUF_SIZE; b++) {
            int e = expBuf[b] & 0xFF;
            int a = m.memory.read8(FuzzProgram.BUF_ADDR + b);
            if (e != a) {
                diff.append(String.format("  [buf+%03x] native %02x jvmx %02x%n", b, e, a));
            }
        }
        if (diff.length() == 0) {
            return null;
        }
        long k = p.first + i;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("MISMATCH seed %d case %d (%s path, execution tier %d)%n", p.seed, k, p.mode.label, tier));
        sb.append("  source (IA-32, what jvmx ran").append(p.mode == HostMode.IA32 ? " and the host ran" : "").append("):\n");
        for (String l : c.lines) {
            sb.append("    ").append(l).append('\n');
        }
        if (p.mode == HostMode.X86_64 && !c.longLines.equals(c.lines)) {
            sb.append("  the host ran it as 64-bit code:\n");
            for (String l : c.longLines) {
                sb.append("    ").append(l).append('\n');
            }
        }
        sb.append("  bytes ").append(hex(p.seqBytes[i])).append("\n  jvmx disassembly:\n").append(disassembly(start, p.seqBytes[i]));
        sb.append("  initial ").append(state(c.regs, c.eflags));
        sb.append(String.format(" buf=%08x%n  initial buf %s%n", FuzzProgram.BUF_ADDR, hex(c.mem)));
        sb.append("  native  ").append(state(exp, exp[8])).append('\n');
        sb.append("  jvmx    ").append(state(act, act[8])).append('\n');
        sb.append(diff);
        sb.append("  unit test to paste into the translator's tests (the expected state is the host CPU's):\n");
        sb.append(RegressionTestText.of(p.seed, k, p.mode, c, exp, flagMask, expBuf).indent(4));
        return sb.toString().stripTrailing();
    }

    private static String disassembly(int base, byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        int pc = 0;
        while (pc < bytes.length) {
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
            sb.append(String.format("    %08x  %-30s %s%n", base + pc,
                    hex(Arrays.copyOfRange(bytes, pc, Math.min(bytes.length, pc + insn.length))), insn));
            pc += insn.length;
        }
        return sb.toString();
    }

    private static String state(int[] regs, int eflags) {
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < 8; r++) {
            sb.append(String.format("%s=%08x ", FuzzGenerator.R32[r], regs[r]));
        }
        return sb.append(String.format("eflags=%08x", eflags)).toString();
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xFF));
        }
        return sb.toString();
    }
}
