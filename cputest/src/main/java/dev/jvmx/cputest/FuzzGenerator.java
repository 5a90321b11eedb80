package dev.jvmx.cputest;

import dev.jvmx.translator.decode.Mnemonic;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random but valid user-mode instruction sequences in GNU as (AT&T) syntax, for
 * {@link HostFuzzer}. EBP holds the buffer address and ESP a stack inside the buffer for
 * the whole case; the other six registers are free. Operands that could fault are set up
 * by the sequence itself (divisors and dividends, string pointers and counts), and an
 * instruction that reads a flag some earlier instruction left undefined is preceded by a
 * CMP that defines all six, so that both CPUs agree on every defined bit.
 *
 * <p>Every line exists twice: as IA-32 code (what jvmx runs, and the host on the 32-bit path)
 * and as the same instruction for 64-bit mode ({@link HostMode#X86_64}): the same text, GNU as
 * adding the address-size prefix 67 wherever a 32-bit register forms an address, and
 * {@code addr32} written out where no register does (string instructions, an absolute LEA).
 * For the 64-bit path an instruction 64-bit mode lacks ({@link LongModeGap}) is never
 * emitted: the draw is counted under its gap and the item drawn again. The IA-32 path draws
 * exactly as before the 64-bit path existed, so its seeds replay the same cases.
 *
 * <p>With x87 on ({@code cpu-test --fuzz N --x87}) a case also gets a random FPU state (an
 * FRSTOR image) and its items are x87 instructions ({@link X87Mix}) three times in five, the
 * existing integer items otherwise; sequences are up to 10 items long. Without it, nothing is drawn
 * for the FPU (its state is FNINIT's), so the integer seeds replay the same cases as before. With
 * SSE on ({@code --sse}) a case gets random XMM registers and SSE/SSE2 items ({@link SseMix}) three
 * times in five (shared with x87 when both are on); without it nothing is drawn for them.
 *
 * <p>To add an instruction family: a method here that emits its lines (both texts), an entry in
 * {@link #item}, its flags in its Mnemonic row ({@code FlagEffect}); state beyond the general
 * registers, EFLAGS, the buffer and the FPU goes into {@link Case} and into the record
 * {@link FuzzProgram} writes (see there).
 */
final class FuzzGenerator {
    /** Buffer layout: [0, DATA) is data memory operands use, the stack lives in [DATA, BUF_SIZE). */
    static final int DATA = 256, BUF_SIZE = 512, STACK_START = 448;
    private static final int STACK_MIN = DATA + 16;

    static final String[] R32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    static final String[] R16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
    static final String[] R8 = {"al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"};
    private static final int[] FREE = {0, 1, 2, 3, 6, 7};
    private static final String[] CC = {"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"};

    /** One generated case. */
    static final class Case {
        final int[] regs = new int[8];
        int eflags;
        final byte[] mem = new byte[BUF_SIZE];
        /** The sequence as IA-32 code (what jvmx runs). */
        final List<String> lines = new ArrayList<>();
        /** The same sequence for 64-bit mode, line for line. */
        final List<String> longLines = new ArrayList<>();
        /** Status flags undefined at the end of the sequence. */
        int undefined;
        /** Instructions in the sequence (labels not counted). */
        int instructions;
        /** Draws of instructions 64-bit mode lacks, redrawn (64-bit path only). */
        final Map<LongModeGap, Integer> gaps = new EnumMap<>(LongModeGap.class);
        /** The initial FPU state, an FRSTOR image (32-bit protected-mode format, {@link X87Mix#IMAGE} bytes). */
        byte[] fpu = X87Mix.initImage();
        /**
         * Indices in {@link #lines} of the instructions whose results the host does not always
         * round correctly (FSIN FCOS FSINCOS FPTAN FPATAN F2XM1 FYL2X FYL2XP1): the native program
         * also records the FPU state before and after each (see {@link HostFuzzer}).
         */
        final List<Integer> inexact = new ArrayList<>();
        /** The initial XMM0..XMM7, two longs each, low quadword first (all 0 without SSE in the mix). */
        long[] xmm = new long[16];
        /** The initial MXCSR (the processor's reset value). */
        int mxcsr = 0x1F80;
    }

    private final SplittableRandom rnd;
    private final HostMode mode;
    /** 64-bit path: the host executes LAHF and SAHF in 64-bit mode (CPUID.80000001H:ECX[0]). */
    private final boolean lahfSahf64;
    /** The x87 part of the mix, or null when x87 is off. */
    private final X87Mix x87;
    /** The SSE part of the mix, or null when SSE is off. */
    private final SseMix sse;
    Case c;
    private int depth;
    private boolean redraw;

    /** A generator for the 32-bit path. */
    FuzzGenerator(long seed) {
        this(seed, HostMode.IA32, true);
    }

    FuzzGenerator(long seed, HostMode mode, boolean lahfSahf64) {
        this(seed, mode, lahfSahf64, false);
    }

    /** With {@code x87}: cases with an FPU state and x87 instructions mixed in. */
    FuzzGenerator(long seed, HostMode mode, boolean lahfSahf64, boolean x87) {
        this(seed, mode, lahfSahf64, x87, false);
    }

    /** With {@code sse}: cases with random XMM registers and SSE/SSE2 instructions mixed in ({@link SseMix}). */
    FuzzGenerator(long seed, HostMode mode, boolean lahfSahf64, boolean x87, boolean sse) {
        this.rnd = new SplittableRandom(seed);
        this.mode = mode;
        this.lahfSahf64 = lahfSahf64;
        this.x87 = x87 ? new X87Mix(this, rnd) : null;
        this.sse = sse ? new SseMix(this, rnd) : null;
    }

    Case next(int bufAddr) {
        c = new Case();
        for (int r : FREE) {
            c.regs[r] = value32();
        }
        c.regs[4] = bufAddr + STACK_START;
        c.regs[5] = bufAddr;
        c.eflags = 0x202 | (rnd.nextInt() & 0x8D5) | (rnd.nextBoolean() ? 0x400 : 0);
        rnd.nextBytes(c.mem);
        depth = 0;
        if (x87 != null) {
            c.fpu = x87.state();
        }
        if (sse != null) {
            if (x87 == null) {
                c.fpu = sse.fpuState(); // MM0..MM7
            }
            c.xmm = sse.state();
            c.mxcsr = sse.initialMxcsr();
        }
        int n = 1 + rnd.nextInt(x87 != null || sse != null ? 10 : 6);
        for (int i = 0; i < n; i++) {
            do {
                redraw = false;
                // (Without SSE nothing more is drawn: the integer and x87 seeds replay the same cases.)
                if (sse != null && rnd.nextInt(5) < 3 && (x87 == null || rnd.nextBoolean())) {
                    sse.item();
                } else if (x87 != null && rnd.nextInt(5) < 3) {
                    x87.item();
                } else {
                    item();
                }
            } while (redraw);
        }
        return c;
    }

    /**
     * On the 64-bit path: true if the host cannot run instructions of {@code gap}; the draw is
     * counted and the item drawn again. Called before the item emits its instruction.
     */
    boolean lacks(LongModeGap gap) {
        if (leavesOut(gap)) {
            redraw = true;
            return true;
        }
        return false;
    }

    /**
     * As {@link #lacks} but without a redraw: for an instruction that only completes an item
     * whose other instructions were emitted already (it is left out and counted).
     */
    boolean leavesOut(LongModeGap gap) {
        if (mode != HostMode.X86_64 || (gap == LongModeGap.LAHF_SAHF && lahfSahf64)) {
            return false;
        }
        c.gaps.merge(gap, 1, Integer::sum);
        return true;
    }

    private int value32() {
        switch (rnd.nextInt(8)) {
            case 0: return 0;
            case 1: return rnd.nextInt(256);
            case 2: return -1 - rnd.nextInt(4);
            case 3: return rnd.nextBoolean() ? 0x80000000 : 0x7FFFFFFF;
            case 4: return (rnd.nextBoolean() ? 0x8000 : 0x7FFF) + (rnd.nextBoolean() ? 0 : 0xFFFF0000);
            default: return rnd.nextInt();
        }
    }

    private int imm(int size) {
        int v = value32();
        return size == 1 ? v & 0xFF : size == 2 ? v & 0xFFFF : v;
    }

    // ---- flag bookkeeping

    void emit(String line, Mnemonic m, int size, int count) {
        line(line, line);
        if (m != null) {
            c.undefined = (c.undefined & ~m.flags().written(size, count)) | m.flags().undefined(size, count);
        }
    }

    void plain(String line) {
        line(line, line);
    }

    /** An instruction whose result the host may round differently from the correctly rounded one (see {@link Case#inexact}). */
    void inexact(String line) {
        c.inexact.add(c.lines.size());
        plain(line);
    }

    /** One line in both encodings; {@code longMode} differs only where an explicit prefix is needed. */
    private void line(String ia32, String longMode) {
        c.lines.add(ia32);
        c.longLines.add(longMode);
        if (!ia32.endsWith(":")) {
            c.instructions++;
        }
    }

    /** Before an instruction that reads flags: make them all defined. */
    void defineFlags() {
        if (c.undefined != 0) {
            int r = FREE[rnd.nextInt(FREE.length)];
            emit(String.format("cmpl $%d, %%%s", value32(), R32[r]), Mnemonic.CMP, 4, -1);
        }
    }

    // ---- operands

    private static char suffix(int size) {
        return size == 1 ? 'b' : size == 2 ? 'w' : 'l';
    }

    private String reg(int size) {
        if (size == 1) {
            return "%" + R8[rnd.nextInt(8)];
        }
        int r = FREE[rnd.nextInt(FREE.length)];
        return "%" + (size == 2 ? R16[r] : R32[r]);
    }

    private String mem(int size) {
        return (rnd.nextInt(DATA - size + 1)) + "(%ebp)";
    }

    private String rm(int size) {
        return rnd.nextInt(3) == 0 ? mem(size) : reg(size);
    }

    private int size() {
        int k = rnd.nextInt(3);
        return k == 0 ? 1 : k == 1 ? 2 : 4;
    }

    private int size16or32() {
        return rnd.nextBoolean() ? 2 : 4;
    }

    // ---- the instruction mix

    private void item() {
        switch (rnd.nextInt(22)) {
            case 0: case 1: case 2: alu(); break;
            case 3: unary(); break;
            case 4: shift(); break;
            case 5: shiftDouble(); break;
            case 6: mul(); break;
            case 7: div(); break;
            case 8: bcd(); break;
            case 9: bits(); break;
            case 10: string(); break;
            case 11: condMove(); break;
            case 12: exchange(); break;
            case 13: stack(); break;
            case 14: lea(); break;
            case 15: moves(); break;
            case 16: flagOps(); break;
            case 17: jcc(); break;
            case 18: test(); break;
            case 19: shift(); break;
            case 20: convert(); break;
            default: alu(); break;
        }
    }

    private void alu() {
        String[] ops = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};
        Mnemonic[] ms = {Mnemonic.ADD, Mnemonic.OR, Mnemonic.ADC, Mnemonic.SBB, Mnemonic.AND, Mnemonic.SUB, Mnemonic.XOR, Mnemonic.CMP};
        int k = rnd.nextInt(8);
        int size = size();
        if (k == 2 || k == 3) {
            defineFlags();
        }
        String src, dst;
        switch (rnd.nextInt(5)) {
            case 0: src = reg(size); dst = mem(size); break;
            case 1: src = mem(size); dst = reg(size); break;
            case 2: src = "$" + imm(size); dst = rm(size); break;
            case 3: src = "$" + (rnd.nextInt(256) - 128); dst = rm(size); break; // imm8 sign-extended forms
            default: src = reg(size); dst = reg(size); break;
        }
        if (rnd.nextInt(8) == 0 && size != 1) {
            dst = size == 2 ? "%ax" : "%eax"; // the accumulator short forms
            src = "$" + imm(size);
        }
        String lock = dst.contains("(") && k != 7 && rnd.nextInt(4) == 0 ? "lock " : "";
        emit(lock + ops[k] + suffix(size) + " " + src + ", " + dst, ms[k], size, -1);
    }

    private void unary() {
        String[] ops = {"inc", "dec", "neg", "not"};
        Mnemonic[] ms = {Mnemonic.INC, Mnemonic.DEC, Mnemonic.NEG, Mnemonic.NOT};
        int k = rnd.nextInt(4);
        int size = size();
        String d = rm(size);
        emit((d.contains("(") && rnd.nextInt(4) == 0 ? "lock " : "") + ops[k] + suffix(size) + " " + d, ms[k], size, -1);
    }

    private void test() {
        int size = size();
        String src = rnd.nextBoolean() ? reg(size) : "$" + imm(size);
        emit("test" + suffix(size) + " " + src + ", " + rm(size), Mnemonic.TEST, size, -1);
    }

    private void shift() {
        String[] ops = {"rol", "ror", "rcl", "rcr", "shl", "shr", "sar"};
        Mnemonic[] ms = {Mnemonic.ROL, Mnemonic.ROR, Mnemonic.RCL, Mnemonic.RCR, Mnemonic.SHL, Mnemonic.SHR, Mnemonic.SAR};
        int k = rnd.nextInt(7);
        int size = size();
        if (k == 2 || k == 3) {
            defineFlags();
        }
        int form = rnd.nextInt(3);
        int count = rnd.nextInt(4) == 0 ? rnd.nextInt(256) : rnd.nextInt(34);
        String dst = rm(size);
        if (form == 0) {
            emit(ops[k] + suffix(size) + " " + dst, ms[k], size, 1);
        } else if (form == 1) {
            emit(ops[k] + suffix(size) + " $" + count + ", " + dst, ms[k], size, count & 31);
        } else {
            plain("movb $" + count + ", %cl");
            emit(ops[k] + suffix(size) + " %cl, " + dst, ms[k], size, count & 31);
        }
    }

    private void shiftDouble() {
        boolean left = rnd.nextBoolean();
        int size = size16or32();
        int count = rnd.nextInt(size == 2 ? 17 : 32);
        if (rnd.nextInt(4) == 0 && size == 4) {
            count += 32 * rnd.nextInt(7); // masked to 5 bits by the CPU
        }
        String op = (left ? "shld" : "shrd") + suffix(size);
        String src = reg(size), dst = rm(size);
        Mnemonic m = left ? Mnemonic.SHLD : Mnemonic.SHRD;
        if (rnd.nextBoolean()) {
            emit(op + " $" + count + ", " + src + ", " + dst, m, size, count & 31);
        } else {
            plain("movb $" + count + ", %cl");
            emit(op + " %cl, " + src + ", " + dst, m, size, count & 31);
        }
    }

    private void mul() {
        int size = size();
        switch (rnd.nextInt(4)) {
            case 0: emit("mul" + suffix(size) + " " + rm(size), Mnemonic.MUL, size, -1); break;
            case 1: emit("imul" + suffix(size) + " " + rm(size), Mnemonic.IMUL, size, -1); break;
            case 2: {
                int s = size16or32();
                emit("imul" + suffix(s) + " " + rm(s) + ", " + reg(s), Mnemonic.IMUL, s, -1);
                break;
            }
            default: {
                int s = size16or32();
                int v = rnd.nextBoolean() ? rnd.nextInt(256) - 128 : imm(s);
                emit("imul" + suffix(s) + " $" + v + ", " + rm(s) + ", " + reg(s), Mnemonic.IMUL, s, -1);
                break;
            }
        }
    }

    /** DIV/IDIV with a divisor and dividend chosen so that the quotient fits (no #DE). */
    private void div() {
        int size = size();
        boolean signed = rnd.nextBoolean();
        String[] divisors = size == 1 ? new String[]{"%bl", "%cl", "%dl", "%bh", "%ch", "%dh"}
                : size == 2 ? new String[]{"%bx", "%cx", "%si", "%di"} : new String[]{"%ebx", "%ecx", "%esi", "%edi"};
        String d = rnd.nextInt(3) == 0 ? mem(size) : divisors[rnd.nextInt(divisors.length)];
        int bits = size * 8;
        long max = (1L << bits) - 1;
        long dv;
        do {
            dv = (rnd.nextInt(3) == 0 ? rnd.nextInt(16) : rnd.nextLong()) & max;
        } while (dv == 0 || (signed && dv == max));
        plain("mov" + suffix(size) + " $" + dv + ", " + d);
        String hi = size == 1 ? "%ah" : size == 2 ? "%dx" : "%edx";
        if (signed) {
            plain(size == 1 ? "cbtw" : size == 2 ? "cwtd" : "cltd");
        } else {
            long h = Long.remainderUnsigned(rnd.nextLong(), dv);
            plain("mov" + suffix(size) + " $" + h + ", " + hi);
        }
        emit((signed ? "idiv" : "div") + suffix(size) + " " + d, signed ? Mnemonic.IDIV : Mnemonic.DIV, size, -1);
    }

    private void bcd() {
        if (lacks(LongModeGap.BCD_ADJUST)) {
            return;
        }
        defineFlags();
        switch (rnd.nextInt(6)) {
            case 0: emit("daa", Mnemonic.DAA, 1, -1); break;
            case 1: emit("das", Mnemonic.DAS, 1, -1); break;
            case 2: emit("aaa", Mnemonic.AAA, 1, -1); break;
            case 3: emit("aas", Mnemonic.AAS, 1, -1); break;
            case 4: emit("aam $" + (1 + rnd.nextInt(255)), Mnemonic.AAM, 1, -1); break;
            default: emit("aad $" + rnd.nextInt(256), Mnemonic.AAD, 1, -1); break;
        }
    }

    private void bits() {
        int size = size16or32();
        switch (rnd.nextInt(4)) {
            case 0: emit("bsf" + suffix(size) + " " + rm(size) + ", " + reg(size), Mnemonic.BSF, size, -1); break;
            case 1: emit("bsr" + suffix(size) + " " + rm(size) + ", " + reg(size), Mnemonic.BSR, size, -1); break;
            default: {
                String[] ops = {"bt", "bts", "btr", "btc"};
                Mnemonic[] ms = {Mnemonic.BT, Mnemonic.BTS, Mnemonic.BTR, Mnemonic.BTC};
                int k = rnd.nextInt(4);
                if (rnd.nextBoolean()) {
                    emit(ops[k] + suffix(size) + " $" + rnd.nextInt(256) + ", " + rm(size), ms[k], size, -1);
                } else {
                    // A register bit offset addresses memory beyond the operand: registers only.
                    emit(ops[k] + suffix(size) + " " + reg(size) + ", " + reg(size), ms[k], size, -1);
                }
                break;
            }
        }
    }

    private void string() {
        int size = size();
        int n = rnd.nextInt(17);
        boolean down = rnd.nextBoolean();
        int span = n * size + size;
        int s = down ? span + rnd.nextInt(DATA - 2 * span) : rnd.nextInt(DATA - span);
        int d = down ? span + rnd.nextInt(DATA - 2 * span) : rnd.nextInt(DATA - span);
        plain("leal " + s + "(%ebp), %esi");
        plain("leal " + d + "(%ebp), %edi");
        plain("movl $" + n + ", %ecx");
        emit(down ? "std" : "cld", null, 0, -1);
        char x = suffix(size);
        switch (rnd.nextInt(7)) {
            case 0: string("rep movs" + x); break;
            case 1: string("rep stos" + x); break;
            case 2: string("rep lods" + x); break;
            // With a count of 0 these change no flag at all (SDM Vol. 2, REP): flags left
            // undefined by an earlier instruction stay undefined, so the mask is kept.
            case 3: string("repe cmps" + x); break;
            case 4: string("repne scas" + x); break;
            case 5: string("movs" + x); break;
            default:
                string("cmps" + x);
                c.undefined &= ~Mnemonic.CMPS.flags().written(size, -1); // CMPS defines all six
                break;
        }
    }

    /** A string instruction: in 64-bit mode 67 makes it use ESI, EDI and ECX, as IA-32 code does. */
    private void string(String ia32) {
        line(ia32, "addr32 " + ia32);
    }

    private void condMove() {
        defineFlags();
        String cc = CC[rnd.nextInt(16)];
        if (rnd.nextBoolean()) {
            int size = size16or32();
            emit("cmov" + cc + suffix(size) + " " + rm(size) + ", " + reg(size), null, 0, -1);
        } else {
            emit("set" + cc + " " + rm(1), null, 0, -1);
        }
    }

    private void exchange() {
        int size = size();
        switch (rnd.nextInt(5)) {
            case 0: {
                String d = rm(size);
                emit((d.contains("(") && rnd.nextBoolean() ? "lock " : "") + "xadd" + suffix(size) + " " + reg(size) + ", " + d,
                        Mnemonic.XADD, size, -1);
                break;
            }
            case 1: {
                String d = rm(size);
                emit((d.contains("(") && rnd.nextBoolean() ? "lock " : "") + "cmpxchg" + suffix(size) + " " + reg(size) + ", " + d,
                        Mnemonic.CMPXCHG, size, -1);
                break;
            }
            case 2:
                emit((rnd.nextBoolean() ? "lock " : "") + "cmpxchg8b " + mem(8), Mnemonic.CMPXCHG8B, 8, -1);
                break;
            case 3:
                emit("bswap %" + R32[FREE[rnd.nextInt(FREE.length)]], null, 0, -1);
                break;
            default:
                emit("xchg" + suffix(size) + " " + reg(size) + ", " + rm(size), null, 0, -1);
                break;
        }
    }

    private void stack() {
        int k = rnd.nextInt(8);
        boolean canPush = STACK_START - depth - 4 >= STACK_MIN;
        boolean canPop = depth >= 4;
        if ((k < 4 && !canPush) || (k >= 4 && k < 6 && !canPop)) {
            k = canPush ? 0 : 4;
        }
        switch (k) {
            case 0: {
                String r = R32[rnd.nextInt(8)];
                if (!lacks(LongModeGap.PUSH_POP_32)) {
                    plain("pushl %" + r);
                    depth += 4;
                }
                break;
            }
            case 1: {
                String src = rnd.nextBoolean() ? "$" + imm(4) : mem(4);
                if (!lacks(LongModeGap.PUSH_POP_32)) {
                    plain("pushl " + src);
                    depth += 4;
                }
                break;
            }
            case 2: plain("pushw %" + R16[FREE[rnd.nextInt(FREE.length)]]); depth += 2; break;
            case 3: {
                defineFlags(); // (on a redraw the CMP stays: it changes nothing the comparison sees)
                boolean d32 = rnd.nextBoolean();
                if (!d32 || !lacks(LongModeGap.PUSH_POP_32)) {
                    plain(d32 ? "pushfl" : "pushfw");
                    depth += d32 ? 4 : 2;
                }
                break;
            }
            case 4: {
                String r = R32[FREE[rnd.nextInt(FREE.length)]];
                if (!lacks(LongModeGap.PUSH_POP_32)) {
                    plain("popl %" + r);
                    depth -= 4;
                }
                break;
            }
            case 5: {
                boolean d32 = rnd.nextBoolean();
                String dst = d32 ? mem(4) : "%" + R16[FREE[rnd.nextInt(FREE.length)]];
                if (!d32 || !lacks(LongModeGap.PUSH_POP_32)) {
                    plain((d32 ? "popl " : "popw ") + dst);
                    depth -= d32 ? 4 : 2;
                }
                break;
            }
            default: {
                // POPF of an image with IF set, TF/AC/ID clear (a user process cannot change IF; the others trap or alter checks).
                int v = 0x202 | (rnd.nextInt() & 0x8D5) | (rnd.nextBoolean() ? 0x400 : 0);
                if (rnd.nextBoolean()) {
                    if (!lacks(LongModeGap.PUSH_POP_32)) {
                        plain("pushl $" + v);
                        emit("popfl", Mnemonic.POPF, 4, -1);
                    }
                } else {
                    plain("pushw $" + v);
                    emit("popfw", Mnemonic.POPF, 2, -1);
                }
                break;
            }
        }
    }

    private void lea() {
        int size = size16or32();
        String dst = size == 2 ? "%" + R16[FREE[rnd.nextInt(FREE.length)]] : "%" + R32[FREE[rnd.nextInt(FREE.length)]];
        String addr;
        if (rnd.nextInt(4) == 0) {
            String[] a16 = {"(%bx,%si)", "(%bx,%di)", "(%bp,%si)", "(%bp,%di)", "(%si)", "(%di)", "(%bp)", "(%bx)", ""};
            String f = a16[rnd.nextInt(a16.length)];
            int disp = f.isEmpty() || f.equals("(%bp)") || rnd.nextBoolean() ? (rnd.nextBoolean() ? rnd.nextInt(256) - 128 : rnd.nextInt(65536)) : 0;
            addr = (f.isEmpty() || disp != 0 ? Integer.toString(disp) : "") + f;
            if (lacks(LongModeGap.ADDRESS_16)) {
                return;
            }
            plain("lea" + suffix(size) + " " + addr + ", " + dst);
            return;
        } else {
            int form = rnd.nextInt(4);
            String base = "%" + R32[rnd.nextInt(8)];
            int idx;
            do {
                idx = rnd.nextInt(8);
            } while (idx == 4);
            String index = "%" + R32[idx];
            int scale = 1 << rnd.nextInt(4);
            int disp = rnd.nextInt(3) == 0 ? 0 : rnd.nextBoolean() ? rnd.nextInt(256) - 128 : rnd.nextInt();
            String d = disp == 0 ? "" : Integer.toString(disp);
            switch (form) {
                case 0: addr = d + "(" + base + ")"; break;
                case 1: addr = d + "(" + base + "," + index + "," + scale + ")"; break;
                case 2: addr = (d.isEmpty() ? "0" : d) + "(," + index + "," + scale + ")"; break;
                default: addr = (d.isEmpty() ? "0" : d); break;
            }
        }
        String ia32 = "lea" + suffix(size) + " " + addr + ", " + dst;
        // With no register in the address GNU as would not add 67 in 64-bit mode (the address
        // would be 64 bits wide); with one, a 32-bit register makes it add 67 itself.
        line(ia32, addr.contains("%") ? ia32 : "addr32 " + ia32);
    }

    private void moves() {
        switch (rnd.nextInt(5)) {
            case 0: { int s = size(); plain("mov" + suffix(s) + " " + rm(s) + ", " + reg(s)); break; }
            case 1: { int s = size(); plain("mov" + suffix(s) + " " + reg(s) + ", " + rm(s)); break; }
            case 2: { int s = size(); plain("mov" + suffix(s) + " $" + imm(s) + ", " + rm(s)); break; }
            case 3: {
                String[] ops = {"movzbl", "movsbl", "movzwl", "movswl", "movzbw", "movsbw"};
                int k = rnd.nextInt(ops.length);
                int from = ops[k].charAt(4) == 'b' ? 1 : 2;
                int to = ops[k].charAt(5) == 'l' ? 4 : 2;
                plain(ops[k] + " " + rm(from) + ", " + reg(to));
                break;
            }
            default: {
                int s = size16or32();
                plain("xchg" + suffix(s) + " " + reg(s) + ", " + reg(s));
                break;
            }
        }
    }

    private void convert() {
        String[] ops = {"cbtw", "cwtl", "cwtd", "cltd"};
        plain(ops[rnd.nextInt(4)]);
    }

    private void flagOps() {
        switch (rnd.nextInt(6)) {
            case 0: emit("clc", Mnemonic.CLC, 0, -1); break;
            case 1: emit("stc", Mnemonic.STC, 0, -1); break;
            case 2: defineFlags(); emit("cmc", Mnemonic.CMC, 0, -1); break;
            case 3:
                if (!lacks(LongModeGap.LAHF_SAHF)) {
                    defineFlags();
                    plain("lahf");
                }
                break;
            case 4:
                if (!lacks(LongModeGap.LAHF_SAHF)) {
                    emit("sahf", Mnemonic.SAHF, 0, -1);
                }
                break;
            default: plain(rnd.nextBoolean() ? "cld" : "std"); break;
        }
    }

    private void jcc() {
        defineFlags();
        String cc = CC[rnd.nextInt(16)];
        plain("j" + cc + " 1f");
        int size = size();
        plain("add" + suffix(size) + " $" + imm(size) + ", " + reg(size));
        // Both paths leave all flags defined (ADD defines the six), so nothing changes in the bookkeeping.
        plain("1:");
    }
}
