package dev.jvmx.translator.fpu;

import static dev.jvmx.translator.fpu.FpuImage.get32;
import static dev.jvmx.translator.fpu.FpuImage.put32;

/**
 * Which x87 encodings the host CPU executes and which raise #UD (SIGILL): every D8-DF opcode with
 * every register ModRM (C0-FF) and every ModRM.reg of a memory operand. Run by hand:
 * {@code java -cp target/classes:target/test-classes dev.jvmx.translator.fpu.EncodingProbe}.
 */
final class EncodingProbe {
    private EncodingProbe() { }

    /** Returns, per opcode D8..DF, a 256-bit map (as booleans) of the ModRM values that #UD. */
    static boolean[][] undefined() throws Exception {
        int n = 8 * (64 + 8);
        byte[] rec = new byte[n * HostX87.REC];
        int k = 0;
        for (int op = 0; op < 8; op++) {
            for (int modrm = 0xC0; modrm <= 0xFF; modrm++) encode(rec, k++, 0xD8 + op, modrm);
            for (int reg = 0; reg < 8; reg++) encode(rec, k++, 0xD8 + op, reg << 3 | 6);
        }
        byte[] out = HostX87.run(rec);
        boolean[][] ud = new boolean[8][256];
        k = 0;
        for (int op = 0; op < 8; op++) {
            for (int modrm = 0xC0; modrm <= 0xFF; modrm++) ud[op][modrm] = get32(out, HostX87.REC * k++) == 4;
            for (int reg = 0; reg < 8; reg++) ud[op][reg << 3 | 6] = get32(out, HostX87.REC * k++) == 4;
        }
        return ud;
    }

    private static void encode(byte[] rec, int k, int op, int modrm) {
        X87Vectors.Vector v = new X87Vectors.Vector();
        v.form = new X87Vectors.Form("probe", X87Vectors.Mem.NONE, false, op, modrm);
        v.eflags = 0x202;
        put32(v.state, 0, 0xFFFF037F);
        put32(v.state, 4, 0xFFFF0000);
        put32(v.state, 8, 0xFFFF0000); // all valid: no stack faults
        HostOracleTest.encode(v, rec, k * HostX87.REC);
    }

    public static void main(String[] a) throws Exception {
        if (HostX87.unavailableReason() != null) throw new IllegalStateException(HostX87.unavailableReason());
        boolean[][] ud = undefined();
        for (int op = 0; op < 8; op++) {
            StringBuilder b = new StringBuilder(String.format("%02X #UD:", 0xD8 + op));
            for (int reg = 0; reg < 8; reg++) if (ud[op][reg << 3 | 6]) b.append(" mem/").append(reg);
            for (int m = 0xC0; m <= 0xFF; m++) if (ud[op][m]) b.append(String.format(" %02X", m));
            System.out.println(b);
        }
    }
}
