package dev.jvmx.translator.fpu;

/**
 * The memory images of the x87 state (SDM Vol. 1, 8.1.10 and Figures 8-9 to 8-12; 10.5.1 and
 * Table 10-2 for FXSAVE): the environment of FLDENV/FNSTENV in its four formats (16/32-bit
 * operand size, real-address/virtual-8086 or protected mode), the FNSAVE/FRSTOR image (the
 * environment followed by ST(0)..ST(7), 10 bytes each) and the 512-byte FXSAVE/FXRSTOR image.
 * Images are read from and written to a byte array, little-endian; the caller moves them to
 * and from guest memory, so a fault while accessing memory leaves the state untouched.
 */
public final class FpuImage {
    /** MXCSR bits that FXRSTOR accepts (MXCSR_MASK as FXSAVE stores it): no DAZ. */
    public static final int MXCSR_MASK = 0xFFBF;

    private FpuImage() { }

    public static int environmentSize(boolean op32) {
        return op32 ? 28 : 14;
    }

    public static int saveSize(boolean op32) {
        return op32 ? 108 : 94;
    }

    /** FNSTENV: stores the environment, then masks all exceptions (Vol. 2, FSTENV/FNSTENV). */
    public static void storeEnvironment(FpuState s, byte[] b, int off, boolean op32, boolean realMode) {
        writeEnvironment(s, b, off, op32, realMode);
        s.loadControlWord(s.cw | FpuState.EXCEPTIONS); // all masked: ES and B clear
    }

    public static void writeEnvironment(FpuState s, byte[] b, int off, boolean op32, boolean realMode) {
        // Real-address and virtual-8086 formats hold linear addresses (segment * 16 + offset).
        int fipLinear = (s.fcs << 4) + s.fip, fdpLinear = (s.fds << 4) + s.fdp;
        if (op32) {
            put32(b, off, 0xFFFF0000 | s.cw);
            put32(b, off + 4, 0xFFFF0000 | s.statusWord());
            put32(b, off + 8, 0xFFFF0000 | s.tagWord());
            if (realMode) {
                put32(b, off + 12, 0xFFFF0000 | (fipLinear & 0xFFFF));
                put32(b, off + 16, (fipLinear >>> 16 & 0xFFFF) << 12 | (s.fop & 0x7FF));
                put32(b, off + 20, 0xFFFF0000 | (fdpLinear & 0xFFFF));
                put32(b, off + 24, (fdpLinear >>> 16 & 0xFFFF) << 12);
            } else {
                put32(b, off + 12, s.fip);
                put32(b, off + 16, (s.fop & 0x7FF) << 16 | (s.fcs & 0xFFFF));
                put32(b, off + 20, s.fdp);
                put32(b, off + 24, 0xFFFF0000 | (s.fds & 0xFFFF));
            }
        } else {
            put16(b, off, s.cw);
            put16(b, off + 2, s.statusWord());
            put16(b, off + 4, s.tagWord());
            if (realMode) {
                put16(b, off + 6, fipLinear);
                put16(b, off + 8, (fipLinear >>> 16 & 0xF) << 12 | (s.fop & 0x7FF));
                put16(b, off + 10, fdpLinear);
                put16(b, off + 12, (fdpLinear >>> 16 & 0xF) << 12);
            } else {
                put16(b, off + 6, s.fip);
                put16(b, off + 8, s.fcs);
                put16(b, off + 10, s.fdp);
                put16(b, off + 12, s.fds);
            }
        }
    }

    /** FLDENV. The loaded status word may leave an unmasked exception pending (ES as loaded). */
    public static void loadEnvironment(FpuState s, byte[] b, int off, boolean op32, boolean realMode) {
        int step = op32 ? 4 : 2;
        s.cw = (get16(b, off) & FpuState.CW_VALID) | 0x40;
        s.loadStatusWord(get16(b, off + step));
        s.loadTagWord(get16(b, off + 2 * step));
        if (op32) {
            if (realMode) {
                s.fip = get16(b, off + 12) | (get32(b, off + 16) >>> 12 & 0xFFFF) << 16;
                s.fop = get32(b, off + 16) & 0x7FF;
                s.fdp = get16(b, off + 20) | (get32(b, off + 24) >>> 12 & 0xFFFF) << 16;
                s.fcs = s.fds = 0;
            } else {
                s.fip = get32(b, off + 12);
                s.fcs = get16(b, off + 16);
                s.fop = get32(b, off + 16) >>> 16 & 0x7FF;
                s.fdp = get32(b, off + 20);
                s.fds = get16(b, off + 24);
            }
        } else {
            if (realMode) {
                int w = get16(b, off + 8);
                s.fip = get16(b, off + 6) | (w >>> 12) << 16;
                s.fop = w & 0x7FF;
                s.fdp = get16(b, off + 10) | (get16(b, off + 12) >>> 12) << 16;
                s.fcs = s.fds = 0;
            } else {
                s.fip = get16(b, off + 6);
                s.fcs = get16(b, off + 8);
                s.fdp = get16(b, off + 10);
                s.fds = get16(b, off + 12);
            }
        }
    }

    /** FNSAVE: environment and registers, then the FPU is initialized as by FNINIT. */
    public static void save(FpuState s, byte[] b, int off, boolean op32, boolean realMode) {
        writeSave(s, b, off, op32, realMode);
        s.init();
    }

    /** The FNSAVE image without the initialization that follows it. */
    public static void writeSave(FpuState s, byte[] b, int off, boolean op32, boolean realMode) {
        writeEnvironment(s, b, off, op32, realMode);
        int r = off + environmentSize(op32);
        for (int i = 0; i < 8; i++) {
            put64(b, r + 10 * i, s.m(i));
            put16(b, r + 10 * i + 8, s.se(i));
        }
    }

    /** FRSTOR. */
    public static void restore(FpuState s, byte[] b, int off, boolean op32, boolean realMode) {
        loadEnvironment(s, b, off, op32, realMode);
        int r = off + environmentSize(op32);
        for (int i = 0; i < 8; i++) {
            int p = s.phys(i);
            s.mant[p] = get64(b, r + 10 * i);
            s.sexp[p] = get16(b, r + 10 * i + 8);
        }
    }

    /** FXSAVE (32-bit format, Vol. 1 Table 10-2): the x87 part, MXCSR, XMM0..XMM7, the rest as kept. */
    public static void fxsave(FpuState s, byte[] b, int off) {
        put16(b, off, s.cw);
        put16(b, off + 2, s.statusWord());
        b[off + 4] = (byte) s.abridgedTagWord();
        b[off + 5] = 0;
        put16(b, off + 6, s.fop & 0x7FF);
        put32(b, off + 8, s.fip);
        put16(b, off + 12, s.fcs);
        put16(b, off + 14, 0);
        put32(b, off + 16, s.fdp);
        put16(b, off + 20, s.fds);
        put16(b, off + 22, 0);
        put32(b, off + 24, s.mxcsr);
        put32(b, off + 28, MXCSR_MASK);
        for (int i = 0; i < 8; i++) {
            int r = off + 32 + 16 * i;
            put64(b, r, s.m(i));
            put16(b, r + 8, s.se(i));
            put16(b, r + 10, 0);
            put32(b, r + 12, 0);
        }
        for (int i = 0; i < 16; i++) {
            put64(b, off + 160 + 8 * i, s.xmm[i]);
        }
        System.arraycopy(s.fxTail, 0, b, off + 288, s.fxTail.length);
    }

    /** Whether FXRSTOR would fault: MXCSR with reserved bits set is #GP(0). */
    public static boolean fxrstorValid(byte[] b, int off) {
        return (get32(b, off + 24) & ~MXCSR_MASK) == 0;
    }

    /** FXRSTOR (check {@link #fxrstorValid} first). */
    public static void fxrstor(FpuState s, byte[] b, int off) {
        s.cw = (get16(b, off) & FpuState.CW_VALID) | 0x40;
        s.loadStatusWord(get16(b, off + 2));
        s.loadAbridgedTagWord(b[off + 4] & 0xFF);
        s.fop = get16(b, off + 6) & 0x7FF;
        s.fip = get32(b, off + 8);
        s.fcs = get16(b, off + 12);
        s.fdp = get32(b, off + 16);
        s.fds = get16(b, off + 20);
        s.mxcsr = get32(b, off + 24);
        for (int i = 0; i < 8; i++) {
            int r = off + 32 + 16 * i;
            int p = s.phys(i);
            s.mant[p] = get64(b, r);
            s.sexp[p] = get16(b, r + 8);
        }
        for (int i = 0; i < 16; i++) {
            s.xmm[i] = get64(b, off + 160 + 8 * i);
        }
        System.arraycopy(b, off + 288, s.fxTail, 0, s.fxTail.length);
    }

    // ---- little-endian access

    public static int get16(byte[] b, int o) {
        return (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8;
    }

    public static int get32(byte[] b, int o) {
        return get16(b, o) | get16(b, o + 2) << 16;
    }

    public static long get64(byte[] b, int o) {
        return (get32(b, o) & 0xFFFFFFFFL) | (long) get32(b, o + 4) << 32;
    }

    public static void put16(byte[] b, int o, int v) {
        b[o] = (byte) v;
        b[o + 1] = (byte) (v >>> 8);
    }

    public static void put32(byte[] b, int o, int v) {
        put16(b, o, v);
        put16(b, o + 2, v >>> 16);
    }

    public static void put64(byte[] b, int o, long v) {
        put32(b, o, (int) v);
        put32(b, o + 4, (int) (v >>> 32));
    }
}
