package dev.jvmx.cputest;

import dev.jvmx.translator.arch.CpuFeatures;
import dev.jvmx.translator.arch.Cr4;
import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.bare.BareMachine;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.decode.Decoder;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.exec.StopReason;
import dev.jvmx.translator.fpu.FpuImage;
import dev.jvmx.translator.fpu.FpuState;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.jvmx.translator.fpu.FpuImage.get32;

/**
 * Differential fuzzing against the host CPU. Random user-mode instruction sequences
 * ({@link FuzzGenerator}) run natively in static programs ({@link FuzzProgram}, 200 cases
 * each), 32-bit where the host runs 32-bit programs, else as 64-bit programs with every
 * instruction assembled for 64-bit mode ({@link HostMode}, {@link NativeOracle}). The IA-32
 * bytes of each sequence then run in jvmx on one reused flat 32-bit {@link BareMachine}, and
 * the final states are compared register for register (the low 32 bits), flag for flag (the
 * status flags and DF, those the instruction rows call undefined masked), byte for byte
 * over the 512-byte buffer, and the FPU state by its FNSAVE image ({@link FnsaveCompare}: every
 * bit but the pointers FCS, FOP, FDP and FDS; FIP maps to the same line of the sequence, unless
 * the host lost it, {@link #pointersLost}). With SSE on, SSE/SSE2 instructions ({@link SseMix}),
 * and XMM0..XMM7 and MXCSR are compared too. With x87 on, x87 instructions are mixed in
 * ({@link X87Mix}), and the transcendentals are also checked one by one (see {@link #compare}).
 * Building the next program overlaps with comparing the current one.
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
        return run(n, seed, oracle, BareMachine.TIERS, false, out);
    }

    /** As {@link #run(long, long, NativeOracle.Choice, PrintStream)}, running jvmx in each of {@code tiers}. */
    public static CpuTestReport run(long n, long seed, NativeOracle.Choice oracle, int[] tiers, PrintStream out) {
        return run(n, seed, oracle, tiers, false, out);
    }

    /**
     * As {@link #run(long, long, NativeOracle.Choice, int[], PrintStream)}; with {@code x87}, the
     * sequences mix x87 instructions into the integer ones ({@link X87Mix}).
     */
    public static CpuTestReport run(long n, long seed, NativeOracle.Choice oracle, int[] tiers, boolean x87, PrintStream out) {
        return run(n, seed, oracle, tiers, x87, false, out);
    }

    /**
     * As {@link #run(long, long, NativeOracle.Choice, int[], boolean, PrintStream)}; with {@code sse},
     * the sequences mix SSE/SSE2 instructions in ({@link SseMix}) and start from random XMM registers.
     */
    public static CpuTestReport run(long n, long seed, NativeOracle.Choice oracle, int[] tiers, boolean x87, boolean sse,
            PrintStream out) {
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
                    ? pool.submit(() -> FuzzProgram.build(oracle, seed, 0, (int) Math.min(n, FuzzProgram.CASES), x87, sse)) : null;
            long lastPrint = System.nanoTime();
            for (long p = 0; p < programs; p++) {
                FuzzProgram prog = next.get();
                if (p + 1 < programs) {
                    long first = (p + 1) * FuzzProgram.CASES;
                    int cnt = (int) Math.min(n - first, FuzzProgram.CASES);
                    next = pool.submit(() -> FuzzProgram.build(oracle, seed, first, cnt, x87, sse));
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

    /**
     * Compares every case of {@code p} in each of {@code tiers} (see {@link BareMachine#useTier}).
     *
     * <p>A case with x87 transcendentals ({@link FuzzGenerator.Case#inexact}) is checked in two
     * more ways. First each such instruction runs alone in jvmx from the host's state before it
     * and is compared with the host's state after it: equal, or the documented exception (the
     * result one ulp off, or C1 alone: the host's transcendentals are not always correctly
     * rounded, jvmx's are), counted and listed in the report; anything else fails the case. Then,
     * when the whole sequence disagrees and such a difference is the reason, the case runs again
     * in the same tier stopping before and after each such instruction: the state before must be
     * the host's, and the host's state after it replaces jvmx's (the pointers excepted); the
     * final state must then be the host's in everything. Such a case passes and is counted.
     */
    static void compare(FuzzProgram p, BareMachine m, CpuTestReport report, int[] tiers) {
        for (int i = 0; i < p.cases.length; i++) {
            FuzzGenerator.Case c = p.cases[i];
            report.hostInstructions += c.instructions;
            c.gaps.forEach((gap, k) -> report.coveredElsewhere.merge(gap, (long) k, Long::sum));
            StringBuilder failures = new StringBuilder();
            boolean documented = false;
            if (!c.inexact.isEmpty()) {
                m.useTier(tiers[0]);
                String f = checkInexact(p, m, i, report);
                if (f == null) {
                    documented = true;
                } else if (!f.isEmpty()) {
                    failures.append(f);
                }
            }
            boolean substituted = false;
            for (int tier : tiers) {
                m.useTier(tier);
                String f = compareCase(p, m, i, tier, false);
                if (f != null && documented) {
                    f = compareCase(p, m, i, tier, true);
                    substituted |= f == null;
                }
                if (f != null) {
                    failures.append(failures.length() > 0 ? "\n" : "").append(f);
                }
            }
            if (failures.length() == 0) {
                report.pass("fuzz");
                if (substituted) {
                    report.substituted++;
                }
                if (pointersLost(image(p, i * FuzzProgram.RECORD + FuzzProgram.FPU))
                        && get32(save(m), FnsaveCompare.FIP) != 0) {
                    report.fipUnchecked++; // jvmx (its last tier run) kept a FIP the host lost
                }
            } else {
                report.fail("fuzz", failures.toString());
            }
        }
    }

    /**
     * Runs each inexact instruction of case {@code i} alone from the host's state before it and
     * counts the outcome. Returns "" when every one agrees bit for bit, null when some differ
     * only in the documented way, else the failure report.
     */
    private static String checkInexact(FuzzProgram p, BareMachine m, int i, CpuTestReport report) {
        FuzzGenerator.Case c = p.cases[i];
        String result = "";
        for (int n = 0; n < c.inexact.size(); n++) {
            int j = c.inexact.get(n);
            String op = c.lines.get(j);
            long[] counts = report.inexact.computeIfAbsent(op, k -> new long[4]);
            counts[0]++;
            loadCase(p, m, i);
            int before = p.snapshot(i, n, false), after = p.snapshot(i, n, true);
            FpuImage.restore(m.cpu.fpu, image(p, before), 0, true, false);
            m.cpu.eip = p.line[i][j];
            String crash = runTo(m, p.line[i][j + 1]);
            byte[] got = save(m);
            byte[] host = image(p, after);
            int u = crash != null ? -1 : FnsaveCompare.ulps(host, 0, got);
            if (u == 0 && get32(host, 4) == get32(got, 4)) {
                counts[1]++;
                continue;
            }
            String line = String.format("%s (seed %d case %d, line %d) from %s: native %s, jvmx %s", op, p.seed, p.first + i, j,
                    FnsaveCompare.describe(image(p, before), 0), FnsaveCompare.describe(host, 0), FnsaveCompare.describe(got, 0));
            if (u >= 0) {
                counts[u == 0 ? 2 : 3]++;
                if (report.inexactDifferences.size() < MAX_INEXACT_LINES) {
                    report.inexactDifferences.add(line + (u == 0 ? " (C1 alone)" : " (one ulp)"));
                }
                if (result != null && result.isEmpty()) {
                    result = null;
                }
            } else {
                String diff = crash != null ? "  " + crash + "\n" : FnsaveCompare.differences(host, 0, got, 0, false, "");
                result = String.format("MISMATCH seed %d case %d: %s run alone differs from the host beyond one ulp or C1%n  %s%n%s",
                        p.seed, p.first + i, op, line, diff).stripTrailing();
                break;
            }
        }
        return result;
    }

    /** Differing transcendental results kept in the report, one line each. */
    static final int MAX_INEXACT_LINES = 100_000;

    /**
     * Whether the host's image lost its x87 pointers to the kernel: AMD processors save and restore
     * FIP, FDP and FOP with FXSAVE/XSAVE only while an exception is pending (FSW.ES; Linux's
     * X86_BUG_FXSAVE_LEAK), so a context switch between the sequence's last x87 instruction and
     * the program's FNSAVE leaves them zero. Such a host FIP of 0 with ES clear is not compared:
     * about one case in 3,000 on a busy 2-core machine, each time with every other bit equal.
     */
    static boolean pointersLost(byte[] hostImage) {
        return AMD_HOST && get32(hostImage, FnsaveCompare.FIP) == 0 && (get32(hostImage, 4) & FpuState.ES) == 0;
    }

    private static final boolean AMD_HOST = NativeOracle.vendor().equals("AuthenticAMD");

    private static byte[] image(FuzzProgram p, int offset) {
        byte[] b = new byte[X87Mix.IMAGE];
        p.results.get(offset, b);
        return b;
    }

    /** jvmx's FPU state as FNSAVE would store it (without the FNINIT that follows). */
    private static byte[] save(BareMachine m) {
        byte[] b = new byte[X87Mix.IMAGE];
        FpuImage.writeSave(m.cpu.fpu, b, 0, true, false);
        return b;
    }

    /** The machine as the case starts: flat 32-bit mode, registers, EFLAGS, buffer, FPU state, the sequence and a HLT after it. */
    private static void loadCase(FuzzProgram p, BareMachine m, int i) {
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
        FpuImage.restore(cpu.fpu, c.fpu, 0, true, false);
        // SSE as the host's user mode has it: CR4.OSFXSR set, the features reported.
        cpu.features = CpuFeatures.ALL;
        cpu.cr4 |= Cr4.OSFXSR;
        System.arraycopy(c.xmm, 0, cpu.fpu.xmm, 0, c.xmm.length);
        cpu.fpu.mxcsr = c.mxcsr;
        m.memory.load(FuzzProgram.BUF_ADDR, c.mem, 0, c.mem.length);
        m.memory.load(start, p.seqBytes[i], 0, p.seqBytes[i].length);
        m.memory.write8(end, 0xF4);
        m.codeLoaded(start);
        m.codeLoaded(end);
    }

    /**
     * Runs from the current EIP until {@code stop}, where a HLT is put for the while (the byte
     * there is put back): null when it got there, else what happened instead.
     */
    private static String runTo(BareMachine m, int stop) {
        int saved = m.memory.read8(stop);
        m.memory.write8(stop, 0xF4);
        m.codeLoaded(stop);
        try {
            StopReason s = m.runFor(INSTRUCTION_LIMIT);
            if (s.kind != StopReason.Kind.HALTED) {
                return "stopped: " + s;
            }
            if (m.cpu.eip != stop + 1) {
                return String.format("halted at %08x, not at %08x", m.cpu.eip - 1, stop);
            }
            m.cpu.eip = stop;
            m.cpu.halted = false;
            return null;
        } catch (RuntimeException | StackOverflowError ex) {
            return "exception in jvmx: " + ex;
        } finally {
            m.memory.write8(stop, saved);
            m.codeLoaded(stop);
        }
    }

    /**
     * Runs case {@code i} in one tier; the mismatch report, or null when jvmx agrees with the host.
     * With {@code substitute}, stops before and after each inexact instruction: the FPU state
     * before must be the host's, and the host's after it replaces jvmx's (see {@link #compare}).
     */
    private static String compareCase(FuzzProgram p, BareMachine m, int i, int tier, boolean substitute) {
        FuzzGenerator.Case c = p.cases[i];
        int start = p.seqStart[i], end = p.seqEnd[i];
        loadCase(p, m, i);
        Cpu cpu = m.cpu;
        String crash = null;
        StringBuilder diff = new StringBuilder();
        if (substitute) {
            for (int n = 0; n < c.inexact.size() && crash == null; n++) {
                int j = c.inexact.get(n);
                crash = runTo(m, p.line[i][j]);
                if (crash == null) {
                    String before = FnsaveCompare.differences(image(p, p.snapshot(i, n, false)), 0, save(m), 0, false, "");
                    if (!before.isEmpty()) {
                        crash = "before line " + j + " (" + c.lines.get(j) + ") the FPU state differs from the host's:\n" + before.stripTrailing();
                        break;
                    }
                    crash = runTo(m, p.line[i][j + 1]);
                }
                if (crash == null) {
                    FpuState f = cpu.fpu;
                    int fip = f.fip, fcs = f.fcs, fop = f.fop, fdp = f.fdp, fds = f.fds;
                    FpuImage.restore(f, image(p, p.snapshot(i, n, true)), 0, true, false);
                    f.fip = fip;
                    f.fcs = fcs;
                    f.fop = fop;
                    f.fdp = fdp;
                    f.fds = fds;
                }
            }
        }
        if (crash == null) {
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
        byte[] expFpu = image(p, rec + FuzzProgram.FPU);
        byte[] actFpu = save(m);
        int flagMask = COMPARED_FLAGS & ~c.undefined;
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
        for (int r = 0; r < 8; r++) {
            long lo = p.results.getLong(rec + FuzzProgram.XMM + 16 * r), hi = p.results.getLong(rec + FuzzProgram.XMM + 16 * r + 8);
            long alo = cpu.fpu.xmm[2 * r], ahi = cpu.fpu.xmm[2 * r + 1];
            if (lo != alo || hi != ahi) {
                diff.append(String.format("  xmm%d   native %016x%016x jvmx %016x%016x%n", r, hi, lo, ahi, alo));
            }
        }
        int mxcsr = p.results.getInt(rec + FuzzProgram.XMM + 128);
        if (mxcsr != cpu.fpu.mxcsr) {
            diff.append(String.format("  mxcsr  native %08x jvmx %08x%n", mxcsr, cpu.fpu.mxcsr));
        }
        int hostFip = get32(expFpu, FnsaveCompare.FIP);
        int fipLine = lineAt(p.hostLine[i], hostFip, c.lines);
        int wantFip = fipLine < 0 ? hostFip : p.line[i][fipLine];
        diff.append(FnsaveCompare.differences(expFpu, 0, actFpu, wantFip, !pointersLost(expFpu),
                fipLine < 0 ? "not in the sequence: the loaded or FNINIT's" : "line " + fipLine));
        if (diff.length() == 0) {
            return null;
        }
        long k = p.first + i;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("MISMATCH seed %d case %d (%s path, execution tier %d%s)%n", p.seed, k, p.mode.label, tier,
                substitute ? ", the host's transcendental results put in place of jvmx's" : ""));
        sb.append("  source (IA-32, what jvmx ran").append(p.mode == HostMode.IA32 ? " and the host ran" : "").append("):\n");
        for (int j = 0; j < c.lines.size(); j++) {
            sb.append(String.format("    %-40s ; %08x%s%n", c.lines.get(j), p.line[i][j], c.inexact.contains(j) ? " (inexact)" : ""));
        }
        if (p.mode == HostMode.X86_64 && !c.longLines.equals(c.lines)) {
            sb.append("  the host ran it as 64-bit code:\n");
            for (int j = 0; j < c.longLines.size(); j++) {
                sb.append(String.format("    %-40s ; %08x%n", c.longLines.get(j), p.hostLine[i][j]));
            }
        }
        sb.append("  bytes ").append(hex(p.seqBytes[i])).append("\n  jvmx disassembly:\n").append(disassembly(start, p.seqBytes[i]));
        sb.append("  initial ").append(state(c.regs, c.eflags));
        sb.append(String.format(" buf=%08x%n  initial buf %s%n", FuzzProgram.BUF_ADDR, hex(c.mem)));
        sb.append("  initial fpu ").append(FnsaveCompare.describe(c.fpu, 0)).append('\n');
        sb.append("  initial xmm");
        for (int r = 0; r < 8; r++) {
            sb.append(String.format(" %016x%016x", c.xmm[2 * r + 1], c.xmm[2 * r]));
        }
        sb.append(String.format(" mxcsr=%08x%n", c.mxcsr));
        sb.append("  native  ").append(state(exp, exp[8])).append('\n');
        sb.append("  jvmx    ").append(state(act, act[8])).append('\n');
        sb.append("  native fpu ").append(FnsaveCompare.describe(expFpu, 0)).append('\n');
        sb.append("  jvmx   fpu ").append(FnsaveCompare.describe(actFpu, 0)).append('\n');
        sb.append(diff);
        if (substitute) {
            sb.append("  (no unit test: jvmx cannot reproduce the host's transcendental results)\n");
        } else {
            sb.append("  unit test to paste into the translator's tests (the expected state is the host CPU's):\n");
            sb.append(RegressionTestText.of(p.seed, k, p.mode, c, exp, flagMask, expBuf, expFpu).indent(4));
        }
        return sb.toString().stripTrailing();
    }

    /** The line whose host address is {@code address} (the last such, so a label line yields to its instruction), or -1. */
    private static int lineAt(int[] hostLine, int address, List<String> lines) {
        int found = -1;
        for (int j = 0; j < lines.size(); j++) {
            if (hostLine[j] == address && !lines.get(j).endsWith(":")) {
                found = j;
            }
        }
        return found;
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
