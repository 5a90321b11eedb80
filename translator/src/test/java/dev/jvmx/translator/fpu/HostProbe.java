package dev.jvmx.translator.fpu;

import static dev.jvmx.translator.fpu.FpuImage.get16;
import static dev.jvmx.translator.fpu.FpuImage.get64;
import static dev.jvmx.translator.fpu.FpuImage.put16;
import static dev.jvmx.translator.fpu.FpuImage.put32;
import static dev.jvmx.translator.fpu.FpuImage.put64;

/** Runs single instructions on the host and on the library for exploration: java ... HostProbe. */
final class HostProbe {
    private HostProbe() { }

    /** Host and library results of one instruction with ST(0) = (m, se), ST(1) = (m1, se1), control word cw. */
    static String probe(int[] insn, int cw, long m, int se, long m1, int se1) throws Exception {
        X87Vectors.Vector v = new X87Vectors.Vector();
        byte[] b = new byte[insn.length];
        for (int k = 0; k < b.length; k++) b[k] = (byte) insn[k];
        v.form = new X87Vectors.Form("probe", X87Vectors.Mem.NONE, true, insn);
        v.eflags = 0x202;
        put32(v.state, 0, 0xFFFF0000 | cw);
        put32(v.state, 4, 0xFFFF0000);
        put32(v.state, 8, 0xFFFF0000 | 0xFFF0);
        put64(v.state, 28, m);
        put16(v.state, 36, se);
        put64(v.state, 38, m1);
        put16(v.state, 46, se1);
        byte[] rec = new byte[HostX87.REC];
        HostOracleTest.encode(v, rec, 0);
        byte[] out = HostX87.run(rec);
        X87TestDecoder.Outcome o = X87TestDecoder.execute(v.form.bytes, v.eflags, v.state, v.mem);
        int top = get16(out, HostX87.STATE + 4) >> 11 & 7;
        return String.format("host sw=%04X st0=%s st1=%s | lib sw=%04X st0=%s st1=%s", get16(out, HostX87.STATE + 4),
                Float80.toString(get64(out, HostX87.STATE + 28), get16(out, HostX87.STATE + 36)),
                Float80.toString(get64(out, HostX87.STATE + 38), get16(out, HostX87.STATE + 46)),
                get16(o.state, 4), Float80.toString(get64(o.state, 28), get16(o.state, 36)),
                Float80.toString(get64(o.state, 38), get16(o.state, 46))) + (top < 0 ? "" : "");
    }

    public static void main(String[] a) throws Exception {
        if (HostX87.unavailableReason() != null) throw new IllegalStateException(HostX87.unavailableReason());
        int[][] ops = {{0xD9, 0xFE}, {0xD9, 0xFF}, {0xD9, 0xF2}, {0xD9, 0xFB}};
        String[] names = {"fsin", "fcos", "fptan", "fsincos"};
        long[] ms = {0xF3D67007782AA685L, 0x8000000000000000L, 0x0000000000000001L};
        int[] es = new int[40]; for (int k = 0; k < 38; k++) es[k] = 0x3FFF - 58 - k; es[38] = 0; es[39] = 0x3FFF - 200;
        for (int op = 0; op < ops.length; op++) {
            for (int e : es) {
                for (long m : ms) {
                    for (int sign = 0; sign < 2; sign++) {
                        for (int rc = 0; rc < 4; rc++) {
                            System.out.println(names[op] + " " + Float80.toString(m, e | sign << 15) + " rc" + rc + ": "
                                    + probe(ops[op], 0x37F | rc << 10, m, e | sign << 15, 0, 0));
                        }
                    }
                }
            }
        }
    }
}
