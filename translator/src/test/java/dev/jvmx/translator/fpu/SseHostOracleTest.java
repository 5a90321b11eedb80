package dev.jvmx.translator.fpu;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.cpu.GuestFault;
import dev.jvmx.translator.helpers.SseOps;
import dev.jvmx.translator.mem.PhysicalMemory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static dev.jvmx.translator.fpu.FpuImage.get32;
import static dev.jvmx.translator.fpu.FpuImage.get64;
import static dev.jvmx.translator.fpu.FpuImage.put32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every SSE/SSE2 floating-point instruction form of {@link SseFloat} run on the host CPU
 * (src/test/native/sseoracle.c, built with the host's gcc as a 64-bit program) and on the library
 * from the same random operands and MXCSR, compared bit for bit: the destination's 128 bits,
 * MXCSR, whether the instruction faulted (#XM, SIGFPE on the host), EFLAGS for COMIS/UCOMIS and
 * the integer for CVT(T)S*2SI. RCP/RSQRT are compared within the SDM's bound (1.5 * 2^-12
 * relative error), their special cases exactly. SSE arithmetic is IEEE 754 on Intel and AMD
 * alike, so any x86-64 host serves.
 *
 * <p>{@code -Dsse.vectors=N} (default 200000), {@code -Dsse.seed=S}, {@code -Dsse.only=prefix}
 * (forms whose name starts so), {@code -Dsse.show=K} (examples per form) size and aim the run.
 */
class SseHostOracleTest {
    /** The host-CPU oracle: src/test/native/sseoracle.c built with gcc into target/. */
    private static final HostProgram HOST = new HostProgram("sseoracle");
    static final int N = Integer.getInteger("sse.vectors", 200000);
    static final long SEED = Long.getLong("sse.seed", 0x55E);
    static final String ONLY = System.getProperty("sse.only", "");
    static final int SHOW = Integer.getInteger("sse.show", 3);

    static final int REC = 64;
    static final int SIGFPE = 8;
    /** EFLAGS bits COMIS writes: OF SF ZF AF PF CF. */
    static final int STATUS_FLAGS = 0x8D5;
    static final double APPROX_BOUND = 1.5 / 4096;

    enum Kind { ARITH, CMP, COMIS, CVT, FROMINT, TOINT, APPROX }

    /** What a lane of an operand holds. */
    enum Lanes { SINGLE, DOUBLE, INT, ANY }

    static final class Form {
        final String name;
        final Kind kind;
        final int op, form;
        final boolean dbl, flag;
        final byte[] bytes;
        final Lanes dst, src;

        Form(String name, Kind kind, int op, int form, boolean dbl, boolean flag, Lanes dst, Lanes src, int... bytes) {
            this.name = name;
            this.kind = kind;
            this.op = op;
            this.form = form;
            this.dbl = dbl;
            this.flag = flag;
            this.dst = dst;
            this.src = src;
            this.bytes = new byte[bytes.length];
            for (int i = 0; i < bytes.length; i++) this.bytes[i] = (byte) bytes[i];
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final int[] PREFIX = {-1, 0xF3, 0x66, 0xF2};
    static final String[] FORM_NAMES = {"ps", "ss", "pd", "sd"};

    static List<Form> forms() {
        List<Form> l = new ArrayList<>();
        String[] arith = {"add", "sub", "mul", "div", "min", "max", "sqrt"};
        int[] arithOpcode = {0x58, 0x5C, 0x59, 0x5E, 0x5D, 0x5F, 0x51};
        for (int op = 0; op < arith.length; op++) {
            for (int f = 0; f < 4; f++) {
                Lanes lanes = f < 2 ? Lanes.SINGLE : Lanes.DOUBLE;
                l.add(new Form(arith[op] + FORM_NAMES[f], Kind.ARITH, op, f, f >= 2, false, lanes, lanes,
                        prefixed(PREFIX[f], 0x0F, arithOpcode[op], 0xC1)));
            }
        }
        for (int f = 0; f < 4; f++) {
            Lanes lanes = f < 2 ? Lanes.SINGLE : Lanes.DOUBLE;
            l.add(new Form("cmp" + FORM_NAMES[f], Kind.CMP, 0, f, f >= 2, false, lanes, lanes,
                    prefixed(PREFIX[f], 0x0F, 0xC2, 0xC1, 0)));
        }
        l.add(new Form("comiss", Kind.COMIS, 0, 0, false, true, Lanes.SINGLE, Lanes.SINGLE, 0x0F, 0x2F, 0xC1));
        l.add(new Form("ucomiss", Kind.COMIS, 0, 0, false, false, Lanes.SINGLE, Lanes.SINGLE, 0x0F, 0x2E, 0xC1));
        l.add(new Form("comisd", Kind.COMIS, 0, 0, true, true, Lanes.DOUBLE, Lanes.DOUBLE, 0x66, 0x0F, 0x2F, 0xC1));
        l.add(new Form("ucomisd", Kind.COMIS, 0, 0, true, false, Lanes.DOUBLE, Lanes.DOUBLE, 0x66, 0x0F, 0x2E, 0xC1));
        l.add(new Form("cvtps2pd", Kind.CVT, SseFloat.CVTPS2PD, 0, false, false, Lanes.ANY, Lanes.SINGLE, 0x0F, 0x5A, 0xC1));
        l.add(new Form("cvtpd2ps", Kind.CVT, SseFloat.CVTPD2PS, 0, false, false, Lanes.ANY, Lanes.DOUBLE, 0x66, 0x0F, 0x5A, 0xC1));
        l.add(new Form("cvtss2sd", Kind.CVT, SseFloat.CVTSS2SD, 0, false, false, Lanes.ANY, Lanes.SINGLE, 0xF3, 0x0F, 0x5A, 0xC1));
        l.add(new Form("cvtsd2ss", Kind.CVT, SseFloat.CVTSD2SS, 0, false, false, Lanes.ANY, Lanes.DOUBLE, 0xF2, 0x0F, 0x5A, 0xC1));
        l.add(new Form("cvtdq2ps", Kind.CVT, SseFloat.CVTDQ2PS, 0, false, false, Lanes.ANY, Lanes.INT, 0x0F, 0x5B, 0xC1));
        l.add(new Form("cvtps2dq", Kind.CVT, SseFloat.CVTPS2DQ, 0, false, false, Lanes.ANY, Lanes.SINGLE, 0x66, 0x0F, 0x5B, 0xC1));
        l.add(new Form("cvttps2dq", Kind.CVT, SseFloat.CVTTPS2DQ, 0, false, false, Lanes.ANY, Lanes.SINGLE, 0xF3, 0x0F, 0x5B, 0xC1));
        l.add(new Form("cvtdq2pd", Kind.CVT, SseFloat.CVTDQ2PD, 0, false, false, Lanes.ANY, Lanes.INT, 0xF3, 0x0F, 0xE6, 0xC1));
        l.add(new Form("cvtpd2dq", Kind.CVT, SseFloat.CVTPD2DQ, 0, false, false, Lanes.ANY, Lanes.DOUBLE, 0xF2, 0x0F, 0xE6, 0xC1));
        l.add(new Form("cvttpd2dq", Kind.CVT, SseFloat.CVTTPD2DQ, 0, false, false, Lanes.ANY, Lanes.DOUBLE, 0x66, 0x0F, 0xE6, 0xC1));
        l.add(new Form("cvtsi2ss", Kind.FROMINT, 0, 0, false, false, Lanes.ANY, Lanes.INT, 0xF3, 0x0F, 0x2A, 0xC0));
        l.add(new Form("cvtsi2sd", Kind.FROMINT, 0, 0, true, false, Lanes.ANY, Lanes.INT, 0xF2, 0x0F, 0x2A, 0xC0));
        l.add(new Form("cvtss2si", Kind.TOINT, 0, 0, false, false, Lanes.ANY, Lanes.SINGLE, 0xF3, 0x0F, 0x2D, 0xC1));
        l.add(new Form("cvttss2si", Kind.TOINT, 0, 0, false, true, Lanes.ANY, Lanes.SINGLE, 0xF3, 0x0F, 0x2C, 0xC1));
        l.add(new Form("cvtsd2si", Kind.TOINT, 0, 0, true, false, Lanes.ANY, Lanes.DOUBLE, 0xF2, 0x0F, 0x2D, 0xC1));
        l.add(new Form("cvttsd2si", Kind.TOINT, 0, 0, true, true, Lanes.ANY, Lanes.DOUBLE, 0xF2, 0x0F, 0x2C, 0xC1));
        l.add(new Form("rcpps", Kind.APPROX, SseFloat.RCP, SseFloat.PS, false, false, Lanes.ANY, Lanes.SINGLE, 0x0F, 0x53, 0xC1));
        l.add(new Form("rcpss", Kind.APPROX, SseFloat.RCP, SseFloat.SS, false, false, Lanes.ANY, Lanes.SINGLE, 0xF3, 0x0F, 0x53, 0xC1));
        l.add(new Form("rsqrtps", Kind.APPROX, SseFloat.RSQRT, SseFloat.PS, false, false, Lanes.ANY, Lanes.SINGLE, 0x0F, 0x52, 0xC1));
        l.add(new Form("rsqrtss", Kind.APPROX, SseFloat.RSQRT, SseFloat.SS, false, false, Lanes.ANY, Lanes.SINGLE, 0xF3, 0x0F, 0x52, 0xC1));
        return l;
    }

    private static int[] prefixed(int prefix, int... rest) {
        if (prefix < 0) return rest;
        int[] b = new int[rest.length + 1];
        b[0] = prefix;
        System.arraycopy(rest, 0, b, 1, rest.length);
        return b;
    }

    /** One test vector: the instruction and the state before it. */
    static final class Vector {
        Form form;
        byte[] bytes;
        int predicate;
        /** Destination and source the same register (XMM0, XMM0). */
        boolean same;
        /** The library's source register: 1, or the memory operand pseudo-register. */
        int src;
        long[] x0 = new long[2], x1 = new long[2];
        int mxcsr, eax, rflags;

        String describe() {
            return String.format("%s%s mxcsr=%04X d=%016X_%016X s=%016X_%016X eax=%08X%s", form.name,
                    form.kind == Kind.CMP ? "." + predicate : "", mxcsr, x0[1], x0[0], x1[1], x1[0], eax,
                    same ? " (d = s)" : src == FpuState.XMM_OPERAND ? " (s = mem)" : "");
        }
    }

    // ---- the generator

    static final class Generator {
        final Random r;

        Generator(long seed) {
            r = new Random(seed);
        }

        Vector next(List<Form> forms) {
            Vector v = new Vector();
            v.form = forms.get(r.nextInt(forms.size()));
            v.bytes = v.form.bytes.clone();
            if (v.form.kind == Kind.CMP) {
                v.predicate = r.nextInt(8);
                v.bytes[v.bytes.length - 1] = (byte) v.predicate;
            }
            v.mxcsr = mxcsr();
            v.eax = v.form.kind == Kind.FROMINT ? integer() : r.nextInt();
            v.rflags = r.nextInt() & STATUS_FLAGS | 2;
            boolean pair = v.form.dst == v.form.src;
            for (int q = 0; q < 2; q++) {
                if (v.form.src == Lanes.DOUBLE) {
                    long[] ab = pair ? doublePair() : new long[] {r.nextLong(), dbl()};
                    v.x0[q] = ab[0];
                    v.x1[q] = ab[1];
                } else {
                    long lo0, hi0, lo1, hi1;
                    if (v.form.src == Lanes.INT) {
                        lo0 = r.nextInt();
                        hi0 = r.nextInt();
                        lo1 = integer();
                        hi1 = integer();
                    } else if (pair) {
                        int[] ab = singlePair(), cd = singlePair();
                        lo0 = ab[0]; lo1 = ab[1]; hi0 = cd[0]; hi1 = cd[1];
                    } else {
                        lo0 = r.nextInt(); hi0 = r.nextInt();
                        lo1 = single(); hi1 = single();
                    }
                    v.x0[q] = lo0 & 0xFFFFFFFFL | hi0 << 32;
                    v.x1[q] = lo1 & 0xFFFFFFFFL | hi1 << 32;
                }
            }
            boolean canAlias = v.form.kind != Kind.FROMINT && v.form.kind != Kind.TOINT;
            v.same = canAlias && r.nextInt(12) == 0;
            if (v.same) {
                v.x1 = v.x0.clone();
                v.bytes[v.bytes.length - (v.form.kind == Kind.CMP ? 2 : 1)] = (byte) 0xC0;
                v.src = 0;
            } else {
                v.src = r.nextBoolean() ? 1 : FpuState.XMM_OPERAND;
            }
            return v;
        }

        int mxcsr() {
            int flags = r.nextBoolean() ? 0 : r.nextInt(64);
            int masks = 0x3F;
            if (r.nextInt(4) == 0) {
                for (int i = 0; i < 6; i++) if (r.nextInt(3) == 0) masks &= ~(1 << i);
            }
            int rc = r.nextInt(4);
            int fz = r.nextInt(2);
            return flags | masks << 7 | rc << 13 | fz << 15;
        }

        int integer() {
            switch (r.nextInt(6)) {
                case 0: return r.nextInt(2001) - 1000;
                case 1: return r.nextInt() >> r.nextInt(32);
                case 2: {
                    int[] edges = {Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1, 1, 1 << 24, (1 << 24) + 1, -(1 << 24) - 1,
                            (1 << 25) + 3, 0x7FFFFFC0, 0x7FFFFF80, 0x7FFFFFBF};
                    return edges[r.nextInt(edges.length)];
                }
                case 3: {
                    // a value near a power of two with bits past single precision (ties too)
                    int k = 24 + r.nextInt(7);
                    int base = 1 << k;
                    return (r.nextBoolean() ? 1 : -1) * (base + r.nextInt(1 << (k - 23)) * (r.nextBoolean() ? 1 : (1 << (k - 24))));
                }
                default: return r.nextInt();
            }
        }

        /** A fraction of {@code bits} bits with a useful pattern. */
        long fraction(int bits) {
            long all = (1L << bits) - 1;
            switch (r.nextInt(7)) {
                case 0: return 0;
                case 1: return all;
                case 2: return r.nextLong() & all & -(1L << (bits - 1 - r.nextInt(Math.min(bits, 8))));   // few high bits
                case 3: return (r.nextLong() & all) | 1;
                case 4: return 1L << r.nextInt(bits);
                default: return r.nextLong() & all;
            }
        }

        int single() {
            return (int) value(SseRound.SINGLE, 8, 23);
        }

        long dbl() {
            return value(SseRound.DOUBLE, 11, 52);
        }

        /** An operand of one of the classes: zeros, denormals, normals near 1 and near the thresholds, integers, infinities, NaNs. */
        long value(SseRound.Format f, int expBits, int fracBits) {
            long sign = r.nextBoolean() ? 1L << (expBits + fracBits) : 0;
            int bias = (1 << (expBits - 1)) - 1, maxField = (1 << expBits) - 1;
            long frac = fraction(fracBits);
            int e;
            switch (r.nextInt(16)) {
                case 0: return sign;
                case 1: return sign | Math.max(1, frac);
                case 2: case 3: e = bias + r.nextInt(7) - 3; break;
                case 4: e = maxField - 1 - r.nextInt(3); break;
                case 5: e = 1 + r.nextInt(4); break;
                case 6: e = bias + bias / 2 + r.nextInt(5) - 2; break;                       // squares overflow
                case 7: e = bias - bias / 2 - fracBits / 2 + r.nextInt(fracBits / 2 + 4) - 2; break; // squares underflow
                case 8: {
                    // an integer, often near 2^31 or a half-integer (conversions to int32)
                    double d;
                    switch (r.nextInt(4)) {
                        case 0: d = r.nextInt(2001) - 1000 + (r.nextBoolean() ? 0.5 : 0); break;
                        case 1: d = 2147483648.0 + (r.nextInt(9) - 4) * (f == SseRound.SINGLE ? 128 : 0.5); break;
                        case 2: d = r.nextInt(); break;
                        default: d = r.nextLong() >> r.nextInt(64); break;
                    }
                    if (r.nextBoolean()) d = -d;
                    return f == SseRound.SINGLE ? Float.floatToRawIntBits((float) d) & 0xFFFFFFFFL : Double.doubleToRawLongBits(d);
                }
                case 9: return sign | f.infinity;
                case 10: return sign | f.infinity | f.quiet | r.nextLong() & f.fraction & (r.nextBoolean() ? 0 : -1L);
                case 11: return sign | f.infinity | Math.max(1, r.nextLong() & (f.fraction >>> 1));
                case 12: return r.nextLong() & (f.sign << 1) - 1;
                case 13:
                    if (f == SseRound.DOUBLE) {
                        // around the single range's edges (CVTSD2SS)
                        int[] at = {127 - 150, 127 - 149, 127 - 127, 127 - 126, 127 - 125, 127 + 127, 127 + 128};
                        e = 1023 - 127 + at[r.nextInt(at.length)] + r.nextInt(3) - 1;
                        if (r.nextBoolean()) frac = frac & ~((1L << 29) - 1) | (r.nextBoolean() ? 1L << 28 : (1L << 28) + 1);
                        break;
                    }
                    e = 1 + r.nextInt(maxField - 1);
                    break;
                default: e = 1 + r.nextInt(maxField - 1); break;
            }
            return sign | (long) e << fracBits | frac;
        }

        /**
         * Two single operands: the second often related to the first (equal, an ulp away, negated,
         * scaled), or the two made so that their product or quotient lands at the underflow or the
         * overflow threshold.
         */
        int[] singlePair() {
            if (r.nextInt(5) == 0) {
                long[] ab = threshold(8, 23);
                return new int[] {(int) ab[0], (int) ab[1]};
            }
            int a = single();
            int b = r.nextInt(3) == 0 ? related(a, 23, 0xFF) : single();
            return r.nextBoolean() ? new int[] {a, b} : new int[] {b, a};
        }

        long[] doublePair() {
            if (r.nextInt(5) == 0) return threshold(11, 52);
            long a = dbl();
            long b = r.nextInt(3) == 0 ? related(a, 52, 0x7FF) : dbl();
            return r.nextBoolean() ? new long[] {a, b} : new long[] {b, a};
        }

        /** A fraction a few ulps above 1 or a few below 2 (all ones but a few). */
        long nearPowerOfTwo(int fracBits) {
            long k = r.nextInt(4);
            return r.nextBoolean() ? k : (1L << fracBits) - 1 - k;
        }

        /**
         * a and b, each a power of two times 1 + a few ulps or 2 - a few ulps, with a * b (or a / b)
         * within a factor of two of 2^emin or 2^(emax + 1): where tininess before and after rounding
         * differ, and where overflow depends on the rounding mode.
         */
        long[] threshold(int expBits, int fracBits) {
            int bias = (1 << (expBits - 1)) - 1;
            int target = r.nextBoolean() ? 1 - bias : bias + 1;            // unbiased exponent of the threshold
            target -= r.nextBoolean() ? 1 : r.nextInt(3);
            int ea = r.nextInt(2 * bias - 2) - bias + 2;                     // a's unbiased exponent
            boolean divide = r.nextBoolean();
            int eb = divide ? ea - target : target - ea;
            eb = Math.max(1 - bias, Math.min(bias, eb));
            long a = (long) (ea + bias) << fracBits | nearPowerOfTwo(fracBits);
            long b = (long) (eb + bias) << fracBits | nearPowerOfTwo(fracBits);
            long signs = r.nextInt(4);
            a |= (signs & 1) << (expBits + fracBits);
            b |= (signs >> 1) << (expBits + fracBits);
            return new long[] {a, b};
        }

        private int related(int a, int fracBits, int maxField) {
            return (int) related((long) a & 0xFFFFFFFFL, fracBits, maxField, 31);
        }

        private long related(long a, int fracBits, int maxField) {
            return related(a, fracBits, maxField, 63);
        }

        private long related(long a, int fracBits, int maxField, int signBit) {
            long mask = signBit == 63 ? -1L : 0xFFFFFFFFL;
            switch (r.nextInt(6)) {
                case 0: return a;
                case 1: return a ^ 1L << signBit;
                case 2: return (a + r.nextInt(5) - 2) & mask;
                case 3: return (a ^ 1L << signBit) + r.nextInt(3) - 1 & mask;
                case 4: {
                    // scaled by a power of two, keeping the class where possible
                    int e = (int) (a >>> fracBits) & maxField;
                    int ne = Math.max(1, Math.min(maxField - 1, e + r.nextInt(2 * fracBits + 5) - fracBits - 2));
                    return a & ~((long) maxField << fracBits) | (long) ne << fracBits;
                }
                default: return (a ^ r.nextLong() & ((1L << r.nextInt(fracBits)) - 1)) & mask;
            }
        }
    }

    // ---- the library side

    static final class Outcome {
        boolean fault;
        int mxcsr;
        long[] x0 = new long[2];
        int eax;
        int eflags;
    }

    /**
     * Whether a form has a per-operation entry as well as arith (ADDSD ... SQRTSS, which generated
     * code calls): compare checks both against the host.
     */
    static boolean hasScalarEntry(Form f) {
        return f.kind == Kind.ARITH && (f.form == SseFloat.SS || f.form == SseFloat.SD)
                && f.op != SseFloat.MIN && f.op != SseFloat.MAX;
    }

    /** A processor for helpers.SseOps' scalar entries, which take one (their memory is not used). */
    private static final Cpu ENTRY_CPU = new Cpu(new PhysicalMemory(1 << 16, 0));

    /**
     * A scalar form through its entry in helpers.SseOps, the one generated code calls: the fast
     * path, then SseFloat.scalar where that declines. The destination's low quadword written back,
     * or false for an unmasked exception (the entry raises it).
     */
    static boolean scalarEntry(FpuState s, Form f, int d, long b) {
        Cpu cpu = ENTRY_CPU;
        cpu.fpu.copyFrom(s);
        long a = s.xmm[2 * d];
        long r;
        try {
            if (f.form == SseFloat.SD) {
                switch (f.op) {
                    case SseFloat.ADD: r = SseOps.addsd(cpu, a, b); break;
                    case SseFloat.SUB: r = SseOps.subsd(cpu, a, b); break;
                    case SseFloat.MUL: r = SseOps.mulsd(cpu, a, b); break;
                    case SseFloat.DIV: r = SseOps.divsd(cpu, a, b); break;
                    default: r = SseOps.sqrtsd(cpu, a, b); break;
                }
            } else {
                int y = (int) b;
                switch (f.op) {
                    case SseFloat.ADD: r = SseOps.addss(cpu, a, y); break;
                    case SseFloat.SUB: r = SseOps.subss(cpu, a, y); break;
                    case SseFloat.MUL: r = SseOps.mulss(cpu, a, y); break;
                    case SseFloat.DIV: r = SseOps.divss(cpu, a, y); break;
                    default: r = SseOps.sqrtss(cpu, a, y); break;
                }
            }
        } catch (GuestFault e) {
            s.copyFrom(cpu.fpu);
            return false;
        }
        s.copyFrom(cpu.fpu);
        s.xmm[2 * d] = r;
        return true;
    }

    /** The library's outcome through arith and its kin, or ({@code entry}) a scalar form's own entry. */
    static Outcome library(Vector v, boolean entry) {
        FpuState s = new FpuState();
        s.mxcsr = v.mxcsr;
        int d = 0, src = v.same ? 0 : v.src;
        s.xmm[0] = v.x0[0];
        s.xmm[1] = v.x0[1];
        if (!v.same) {
            s.xmm[2 * src] = v.x1[0];
            s.xmm[2 * src + 1] = v.x1[1];
        }
        Form f = v.form;
        Outcome o = new Outcome();
        o.eax = v.eax;
        o.eflags = v.rflags & STATUS_FLAGS;
        switch (f.kind) {
            case ARITH:
                o.fault = entry ? !scalarEntry(s, f, d, s.xmm[2 * src]) : !SseFloat.arith(s, f.op, f.form, d, src);
                break;
            case CMP: o.fault = !SseFloat.compare(s, f.form, d, src, v.predicate); break;
            case COMIS: {
                int e = SseFloat.comis(s, f.dbl, f.flag, s.xmm[2 * d], s.xmm[2 * src]);
                o.fault = e < 0;
                if (!o.fault) o.eflags = e;
                break;
            }
            case CVT: o.fault = !SseFloat.convert(s, f.op, d, src); break;
            case FROMINT: o.fault = !SseFloat.fromInt(s, f.dbl, d, v.eax); break;
            case TOINT: {
                long r = SseFloat.toInt(s, f.dbl, f.flag, s.xmm[2 * src]);
                o.fault = (r & 1L << 32) != 0;
                if (!o.fault) o.eax = (int) r;
                break;
            }
            default: SseFloat.approx(s, f.op, f.form, d, src); break;
        }
        o.mxcsr = s.mxcsr;
        o.x0[0] = s.xmm[0];
        o.x0[1] = s.xmm[1];
        return o;
    }

    // ---- the host side

    static void encode(Vector v, byte[] b, int off) {
        System.arraycopy(v.bytes, 0, b, off, v.bytes.length);
        putLong(b, off + 16, v.x0[0]);
        putLong(b, off + 24, v.x0[1]);
        putLong(b, off + 32, v.x1[0]);
        putLong(b, off + 40, v.x1[1]);
        put32(b, off + 48, v.mxcsr);
        put32(b, off + 52, v.eax);
        put32(b, off + 56, v.rflags);
        put32(b, off + 60, v.bytes.length);
    }

    static void putLong(byte[] b, int off, long v) {
        put32(b, off, (int) v);
        put32(b, off + 4, (int) (v >>> 32));
    }

    /** Null when the host and the library agree (through each of its entries for the form), else a description. */
    static String compare(Vector v, byte[] out, int off) {
        String d = compare(v, out, off, false);
        if (d == null && hasScalarEntry(v.form)) {
            d = compare(v, out, off, true);
            return d == null ? null : "(per-operation entry)" + d;
        }
        return d;
    }

    static String compare(Vector v, byte[] out, int off, boolean entry) {
        Outcome o;
        try {
            o = library(v, entry);
        } catch (RuntimeException e) {
            return "library threw " + e + " at " + e.getStackTrace()[0];
        }
        int sig = get32(out, off);
        int hostMxcsr = get32(out, off + 4);
        int hostFlags = (int) get64(out, off + 8) & STATUS_FLAGS;
        long h0 = get64(out, off + 16), h1 = get64(out, off + 24);
        int hostEax = get32(out, off + 32);
        StringBuilder d = new StringBuilder();
        if (sig != 0 && sig != SIGFPE) {
            return "host signal " + sig;
        }
        if ((sig == SIGFPE) != o.fault) d.append(String.format(" fault host=%b lib=%b;", sig == SIGFPE, o.fault));
        if (hostMxcsr != o.mxcsr) d.append(String.format(" mxcsr host=%04X lib=%04X;", hostMxcsr, o.mxcsr));
        if (v.form.kind == Kind.APPROX && sig == 0) {
            String a = approxDiff(v, h0, h1, o);
            if (a != null) d.append(a);
        } else if (h0 != o.x0[0] || h1 != o.x0[1]) {
            d.append(String.format(" xmm0 host=%016X_%016X lib=%016X_%016X;", h1, h0, o.x0[1], o.x0[0]));
        }
        if (v.form.kind == Kind.COMIS && hostFlags != o.eflags) d.append(String.format(" eflags host=%03X lib=%03X;", hostFlags, o.eflags));
        if (v.form.kind == Kind.TOINT && hostEax != o.eax) d.append(String.format(" eax host=%08X lib=%08X;", hostEax, o.eax));
        return d.length() == 0 ? null : d.toString();
    }

    /** RCP/RSQRT: special cases exact, other lanes within the SDM's bound on both sides. */
    static String approxDiff(Vector v, long h0, long h1, Outcome o) {
        long[] src = v.same ? v.x0 : v.x1;
        int lanes = v.form.form == SseFloat.SS ? 1 : 4;
        StringBuilder d = new StringBuilder();
        long[] host = {h0, h1};
        for (int i = 0; i < 4; i++) {
            int q = i >> 1, sh = 32 * (i & 1);
            int hv = (int) (host[q] >>> sh), lv = (int) (o.x0[q] >>> sh);
            if (i >= lanes) {
                if (hv != lv) d.append(String.format(" lane%d host=%08X lib=%08X;", i, hv, lv));
                continue;
            }
            int x = (int) (src[q] >>> sh);
            String why = approxLane(v.form.op == SseFloat.RSQRT, x, hv, lv);
            if (why != null) d.append(String.format(" lane%d x=%08X host=%08X lib=%08X %s;", i, x, hv, lv, why));
        }
        return d.length() == 0 ? null : d.toString();
    }

    /** RCP's band of inputs whose result may or may not be flushed (Vol. 2 RCPSS): 1.11111111110100000000000B*2^125 to 1.00000000000110000000001B*2^126. */
    static final float RCP_BAND_LOW = Float.intBitsToFloat(0x7E7FE800), RCP_BAND_HIGH = Float.intBitsToFloat(0x7E800C01);

    static String approxLane(boolean rsqrt, int x, int hv, int lv) {
        float fx = Float.intBitsToFloat(x);
        boolean special = Float.isNaN(fx) || Float.isInfinite(fx) || (x & 0x7F800000) == 0 || rsqrt && x < 0;
        if (special) return hv == lv ? null : "special";
        double exact = rsqrt ? 1 / Math.sqrt(fx) : 1 / (double) fx;
        float h = Float.intBitsToFloat(hv), l = Float.intBitsToFloat(lv);
        boolean band = !rsqrt && Math.abs(fx) > RCP_BAND_LOW && Math.abs(fx) < RCP_BAND_HIGH;
        boolean tiny = !rsqrt && Math.abs(fx) >= RCP_BAND_HIGH;
        String hw = approxOk(exact, h, hv, x, band, tiny), lw = approxOk(exact, l, lv, x, band, tiny);
        if (hw != null) return "host " + hw + " (the host is outside the SDM's bound)";
        return lw == null ? null : "lib " + lw;
    }

    static String approxOk(double exact, float r, int bits, int x, boolean band, boolean tiny) {
        boolean signedZero = bits == (x & 0x80000000);
        if (tiny) return signedZero ? null : "not flushed";
        if (band && signedZero) return null;
        double err = Math.abs((r - exact) / exact);
        return err <= APPROX_BOUND ? null : String.format("relative error %.3g > 1.5*2^-12", err);
    }

    // ---- the test

    @Test
    void libraryAgreesWithTheHostCpu() throws Exception {
        String why = HOST.unavailableReason();
        if (why != null) System.out.println("SseHostOracleTest SKIPPED: " + why);
        assumeTrue(why == null, "SSE host oracle unavailable: " + why);
        List<Form> forms = new ArrayList<>();
        for (Form f : forms()) if (f.name.startsWith(ONLY)) forms.add(f);
        Generator gen = new Generator(SEED);
        Map<String, int[]> perForm = new TreeMap<>();
        Map<String, List<String>> examples = new TreeMap<>();
        int mismatches = 0, faults = 0, done = 0;
        final int batch = 50000;
        while (done < N) {
            int n = Math.min(batch, N - done);
            Vector[] vs = new Vector[n];
            byte[] records = new byte[n * REC];
            for (int k = 0; k < n; k++) {
                vs[k] = gen.next(forms);
                encode(vs[k], records, k * REC);
            }
            byte[] out = HOST.run(records);
            for (int k = 0; k < n; k++) {
                Vector v = vs[k];
                String key = v.form.kind == Kind.CMP ? v.form.name + "." + v.predicate : v.form.name;
                int[] c = perForm.computeIfAbsent(key, x -> new int[2]);
                c[0]++;
                if (get32(out, k * REC) != 0) faults++;
                String diff = compare(v, out, k * REC);
                if (diff != null) {
                    c[1]++;
                    mismatches++;
                    List<String> ex = examples.computeIfAbsent(key, x -> new ArrayList<>());
                    if (ex.size() < SHOW) ex.add(v.describe() + ":" + diff);
                }
            }
            done += n;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("SSE host oracle (%s): %d vectors over %d forms, %d mismatches (seed %d), %d faulted (#XM) on the host%n",
                HostProgram.vendor(), N, perForm.size(), mismatches, SEED, faults));
        for (Map.Entry<String, int[]> e : perForm.entrySet()) {
            if (e.getValue()[1] != 0) sb.append(String.format("  %-14s %7d / %d%n", e.getKey(), e.getValue()[1], e.getValue()[0]));
        }
        for (List<String> l : examples.values()) for (String s : l) sb.append("    ").append(s).append('\n');
        System.out.println(sb);
        assertEquals(0, mismatches, sb.toString());
    }
}
