package dev.jvmx.translator.fpu;

/**
 * The x87 FPU's programmer-visible state (SDM Vol. 1, 8.1): eight physical data registers R0..R7
 * (significands and sign/exponents in two parallel arrays), TOP, the tag word, the control and
 * status words, and the last instruction and data pointers with the last opcode. Beside them, the
 * SSE state that FXSAVE and FXRSTOR carry with it (Vol. 1, 10.2): MXCSR and XMM0..XMM7; the
 * reserved and available bytes of the FXSAVE image after the XMM registers are kept and given
 * back unchanged.
 *
 * <p>MMX's MM0..MM7 are not a state of their own: they are the significands of the physical
 * registers R0..R7 ({@link #mmx}, {@link #setMmx}, {@link #enterMmx}, {@link #emms}; the rules are
 * in helpers.MmxOps' class comment), so FNSAVE, FXSAVE and their loads carry them.
 *
 * <p>Tags are kept abridged (a set bit per physical register that is empty), as the processor
 * keeps them; the full 2-bit tags that FNSTENV/FNSAVE show are derived from the register
 * contents (Vol. 1, 8.1.7). The status word is held without TOP, which has a field of its own.
 *
 * <p>The operations in {@link FpuArith} and {@link FpuConvert} leave their result in the scratch
 * fields {@link #rm}/{@link #rse} and their exceptions in {@link #exc}, so that no object is made
 * per operation.
 */
public final class FpuState {
    // Status word bits (Vol. 1, Figure 8-4).
    public static final int IE = 1, DE = 2, ZE = 4, OE = 8, UE = 0x10, PE = 0x20, SF = 0x40, ES = 0x80;
    public static final int C0 = 0x100, C1 = 0x200, C2 = 0x400, C3 = 0x4000, B = 0x8000;
    public static final int TOP_SHIFT = 11, TOP_MASK = 0x3800;
    public static final int EXCEPTIONS = 0x3F;
    public static final int CC = C0 | C1 | C2 | C3;

    // Control word fields (Vol. 1, Figure 8-6).
    public static final int PC_SHIFT = 8, RC_SHIFT = 10;
    public static final int PC_24 = 0, PC_53 = 2, PC_64 = 3;
    public static final int RC_NEAREST = 0, RC_DOWN = 1, RC_UP = 2, RC_CHOP = 3;
    /** FNINIT's control word: all exceptions masked, 64-bit precision, round to nearest. */
    public static final int CW_INIT = 0x037F;
    /** Control word bits that exist; bit 6 reads as 1 (Vol. 1, 8.1.5). */
    public static final int CW_VALID = 0x1F3F;

    public final long[] mant = new long[8];
    public final int[] sexp = new int[8];
    /** Bit i set: physical register Ri is empty. */
    public int empty = 0xFF;
    public int top;
    public int cw = CW_INIT;
    /** The status word without TOP (bits 13..11 are always 0 here). */
    public int sw;
    public int fip, fcs, fop, fdp, fds;

    public int mxcsr = 0x1F80;
    /**
     * XMM0..XMM7, two longs each (XMMi bits 63:0 at [2i], 127:64 at [2i + 1]), then a ninth pair,
     * {@link #XMM_OPERAND}, that holds an SSE instruction's 128-bit memory operand once read, and a
     * tenth, {@link #XMM_SCRATCH}, for a destination whose register is elsewhere.
     */
    public final long[] xmm = new long[20];
    /** The index of the pseudo-register that holds a memory operand read (SSE helpers). */
    public static final int XMM_OPERAND = 8;
    /** The index of the pseudo-register that holds a destination passed by value (SseFloat.scalar). */
    public static final int XMM_SCRATCH = 9;
    /** FXSAVE image bytes 288..511 (reserved, available), kept and given back. */
    public final byte[] fxTail = new byte[512 - 288];

    // ---- scratch result of the last operation
    /** Result significand and sign/exponent. */
    public long rm;
    public int rse;
    /**
     * Exceptions the operation raised (IE..PE, SF) and C1 (set when a result was rounded up); an
     * SSE instruction's elements gather their MXCSR flags here too (SseFloat).
     */
    public int exc;
    /** Unbiased exponent of a rounded result, and a division remainder (internal to FpuArith). */
    int rexp;
    long rem;
    /** A second result (FXTRACT's exponent, FSINCOS's sine, FPTAN's tangent). */
    public long xm;
    public int xse;

    /** A scratch buffer for the memory images (FNSTENV, FNSAVE, FXSAVE and their loads). */
    public final byte[] image = new byte[512];
    /**
     * IGNNE# (with CR0.NE = 0): set when the board acknowledges FERR# (a write to port F0h);
     * waiting instructions then run despite a pending exception. Cleared when ES clears.
     */
    public boolean ignne;

    public FpuState() {
        reset();
    }

    /** Takes {@code o}'s whole state (another processor's x87, when one thread runs several in turn). */
    public void copyFrom(FpuState o) {
        System.arraycopy(o.mant, 0, mant, 0, mant.length);
        System.arraycopy(o.sexp, 0, sexp, 0, sexp.length);
        empty = o.empty;
        top = o.top;
        cw = o.cw;
        sw = o.sw;
        fip = o.fip;
        fcs = o.fcs;
        fop = o.fop;
        fdp = o.fdp;
        fds = o.fds;
        mxcsr = o.mxcsr;
        System.arraycopy(o.xmm, 0, xmm, 0, xmm.length);
        System.arraycopy(o.fxTail, 0, fxTail, 0, fxTail.length);
        ignne = o.ignne;
    }

    /**
     * The power-on state (SDM Vol. 3A, Table 9-1): FCW 0040H, FSW 0, FTW 5555H (every register
     * holds +0.0), pointers and opcode 0, XMM registers 0, MXCSR 1F80H. INIT leaves the x87
     * and SSE state alone.
     */
    public void reset() {
        cw = 0x0040;
        sw = 0;
        top = 0;
        empty = 0;
        java.util.Arrays.fill(mant, 0);
        java.util.Arrays.fill(sexp, 0);
        fip = fcs = fop = fdp = fds = 0;
        mxcsr = 0x1F80;
        java.util.Arrays.fill(xmm, 0);
        java.util.Arrays.fill(fxTail, (byte) 0);
        ignne = false;
    }

    /** Records the last non-control instruction: its address (offset of its first prefix), CS selector and opcode. */
    public void lastInstruction(int eip, int cs, int opcode) {
        fip = eip;
        fcs = cs & 0xFFFF;
        fop = opcode & 0x7FF;
    }

    /** Records the last memory operand's offset and segment selector. */
    public void lastData(int offset, int selector) {
        fdp = offset;
        fds = selector & 0xFFFF;
    }

    // ---- stack

    public int phys(int i) {
        return (top + i) & 7;
    }

    public boolean isEmpty(int i) {
        return (empty >>> ((top + i) & 7) & 1) != 0;
    }

    public long m(int i) {
        return mant[(top + i) & 7];
    }

    public int se(int i) {
        return sexp[(top + i) & 7];
    }

    /** Writes ST(i) and tags it valid. */
    public void set(int i, long m, int se) {
        int p = (top + i) & 7;
        mant[p] = m;
        sexp[p] = se & 0xFFFF;
        empty &= ~(1 << p);
    }

    public void push(long m, int se) {
        top = (top - 1) & 7;
        set(0, m, se);
    }

    /** Marks ST(0) empty and increments TOP (the register keeps its contents, as FFREE does). */
    public void pop() {
        empty |= 1 << top;
        top = (top + 1) & 7;
    }

    // ---- MMX (SDM Vol. 1, 9.5 and 9.6; Vol. 3A, "Interaction of MMX and x87"): the rules are in
    // helpers.MmxOps' class comment.

    /** MMi: the significand (bits 63:0) of physical register Ri, whatever TOP and the tags say. */
    public long mmx(int i) {
        return mant[i];
    }

    /** An MMX instruction writes MMi: Ri's significand, and its sign and exponent (bits 79:64) all ones. */
    public void setMmx(int i, long v) {
        mant[i] = v;
        sexp[i] = 0xFFFF;
    }

    /** What every MMX instruction but EMMS does to the x87 state: TOP = 0, every register valid. */
    public void enterMmx() {
        top = 0;
        empty = 0;
    }

    /** EMMS: every register empty, and TOP = 0 (Vol. 3A: each MMX instruction sets TOP to 0). */
    public void emms() {
        top = 0;
        empty = 0xFF;
    }

    // ---- words

    public int statusWord() {
        return sw | (top << TOP_SHIFT);
    }

    /** Loads the status word as FLDENV/FRSTOR do (TOP from bits 13..11). */
    public void loadStatusWord(int v) {
        v &= 0xFFFF;
        top = (v >>> TOP_SHIFT) & 7;
        sw = v & ~TOP_MASK;
    }

    public void loadControlWord(int v) {
        cw = (v & CW_VALID) | 0x40;
        updateSummary();
    }

    /**
     * ES and B follow the exception flags that the control word leaves unmasked (Vol. 1, 8.1.3.1):
     * loading a control word that unmasks a flag already set makes the exception pending.
     */
    public void updateSummary() {
        if ((sw & ~cw & EXCEPTIONS) != 0) {
            sw |= ES | B;
        } else {
            sw &= ~(ES | B);
        }
    }

    /** Sets exception flags; an unmasked one sets ES and B (the exception is then pending). */
    public void signal(int flags) {
        sw |= flags & (EXCEPTIONS | SF);
        if ((flags & ~cw & EXCEPTIONS) != 0) {
            sw |= ES | B;
        }
    }

    /** True when an unmasked exception is pending: the next waiting instruction raises #MF (or FERR#). */
    public boolean pending() {
        return (sw & ES) != 0;
    }

    public int pc() {
        return (cw >>> PC_SHIFT) & 3;
    }

    public int rc() {
        return (cw >>> RC_SHIFT) & 3;
    }

    /** The precision in bits that PC selects (the reserved value 1 acts as 64 here). */
    public int precision() {
        switch (pc()) {
            case PC_24: return 24;
            case PC_53: return 53;
            default: return 64;
        }
    }

    public boolean masked(int flag) {
        return (cw & flag) != 0;
    }

    /** The full tag word (Vol. 1, Figure 8-7), as FNSTENV/FNSAVE store it, by physical register. */
    public int tagWord() {
        int t = 0;
        for (int p = 0; p < 8; p++) {
            int tag = (empty >>> p & 1) != 0 ? 3 : Float80.tag(mant[p], sexp[p]);
            t |= tag << (2 * p);
        }
        return t;
    }

    /** FLDENV/FRSTOR: only "empty" (11) is taken from a loaded tag; other tags are derived from contents. */
    public void loadTagWord(int t) {
        int e = 0;
        for (int p = 0; p < 8; p++) {
            if ((t >>> (2 * p) & 3) == 3) e |= 1 << p;
        }
        empty = e;
    }

    /** The abridged tag byte of FXSAVE: bit i set when Ri is valid (Vol. 1, 10.5.1.1). */
    public int abridgedTagWord() {
        return ~empty & 0xFF;
    }

    public void loadAbridgedTagWord(int t) {
        empty = ~t & 0xFF;
    }

    /** FNINIT (Vol. 2, FINIT/FNINIT): registers keep their contents. */
    public void init() {
        cw = CW_INIT;
        sw = 0;
        ignne = false;
        top = 0;
        empty = 0xFF;
        fip = fcs = fop = fdp = fds = 0;
    }

    /** FNCLEX: clears the exception flags, SF, ES and B; C0..C3 are kept. */
    public void clearExceptions() {
        sw &= ~(EXCEPTIONS | SF | ES | B);
        ignne = false;
    }

    /** ST(i) as text, for diagnostics. */
    public String toString(int i) {
        return isEmpty(i) ? "empty" : Float80.toString(m(i), se(i));
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("cw=%04X sw=%04X tw=%04X", cw, statusWord(), tagWord()));
        for (int i = 0; i < 8; i++) {
            b.append(" st").append(i).append('=').append(toString(i));
        }
        return b.toString();
    }
}
