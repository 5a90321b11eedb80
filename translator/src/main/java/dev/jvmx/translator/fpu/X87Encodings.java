package dev.jvmx.translator.fpu;

/**
 * Which D8-DF encodings are undefined (#UD) and which undocumented aliases execute, as measured
 * on an Intel host CPU ({@code EncodingProbe} in the tests, which also checks this table) and
 * consistent with the SDM's opcode map (Vol. 2, Appendix A.4.2) for the documented ones.
 *
 * <p>Executed aliases: D9 D8+i FSTP1 ({@link X87#fstp1}), DC D0+i FCOM2 and DC D8+i FCOMP3 (as
 * D8 D0/D8), DD C8+i FXCH4 and DF C8+i FXCH7 (as FXCH), DE D0+i FCOMP5 (as FCOMP), DF C0+i FFREEP
 * ({@link X87#ffreep}), DF D0+i FSTP8 and DF D8+i FSTP9 (as FSTP ST(i)), and DB E0/E1/E4
 * (FNENI/FNDISI/FNSETPM of the 8087/287: no-ops, not waiting).
 */
public final class X87Encodings {
    private X87Encodings() { }

    /**
     * True when opcode (D8..DF) with this ModRM raises #UD: for a memory operand only ModRM.reg
     * matters (D9 /1, DB /4, DB /6, DD /5).
     */
    public static boolean undefined(int opcode, int modrm) {
        int reg = modrm >> 3 & 7;
        if (modrm < 0xC0) {
            return (opcode == 0xD9 && reg == 1) || (opcode == 0xDB && (reg == 4 || reg == 6))
                    || (opcode == 0xDD && reg == 5);
        }
        switch (opcode) {
            case 0xD9:
                return (modrm >= 0xD1 && modrm <= 0xD7) || modrm == 0xE2 || modrm == 0xE3 || modrm == 0xE6
                        || modrm == 0xE7 || modrm == 0xEF;
            case 0xDA:
                return modrm >= 0xE0 && modrm != 0xE9;
            case 0xDB:
                return (modrm >= 0xE5 && modrm <= 0xE7) || modrm >= 0xF8;
            case 0xDD:
                return modrm >= 0xF0;
            case 0xDE:
                return modrm >= 0xD8 && modrm <= 0xDF && modrm != 0xD9;
            case 0xDF:
                return (modrm >= 0xE1 && modrm <= 0xE7) || modrm >= 0xF8;
            default:
                return false;
        }
    }
}
