package dev.jvmx.translator.fpu;

/** Placeholder: filled in below. */
final class FpuTranscendental {
    static final int SIN = 0, COS = 1, SINCOS = 2, TAN = 3;
    static final int YL2X = 0, YL2XP1 = 1, ATAN = 2;
    static final int DONE = 0, SUPPRESSED = 1, OUT_OF_RANGE = 2;

    private FpuTranscendental() { }

    static int trig(FpuState s, int fn, long m, int se) {
        throw new UnsupportedOperationException("transcendental");
    }

    static boolean f2xm1(FpuState s, long m, int se) {
        throw new UnsupportedOperationException("transcendental");
    }

    static boolean binary(FpuState s, int fn, long am, int ase, long bm, int bse) {
        throw new UnsupportedOperationException("transcendental");
    }
}
