package dev.jvmx.translator.fpu;

import static dev.jvmx.translator.fpu.FpuImage.get16;
import static dev.jvmx.translator.fpu.FpuImage.get32;
import static dev.jvmx.translator.fpu.FpuImage.get64;
import static dev.jvmx.translator.fpu.FpuImage.put16;
import static dev.jvmx.translator.fpu.FpuImage.put32;
import static dev.jvmx.translator.fpu.FpuImage.put64;

/**
 * Runs one x87 instruction, given as its bytes (memory operand ModRM rm = 110, mod = 00, as the
 * native oracle addresses it through RSI), on the library: the map from the SDM's opcode tables
 * (Vol. 2, Appendix A.4, "x87 FPU instructions") to the {@link X87} methods. Protected mode,
 * 32-bit operand size unless a 66 prefix makes it 16.
 */
final class X87TestDecoder {
    /** The result of one instruction. */
    static final class Outcome {
        int trap;
        long rflags;
        int ax;
        final byte[] state = new byte[112];
        byte[] mem;
    }

    static final class Unsupported extends RuntimeException {
        Unsupported(String m) {
            super(m, null, false, false);
        }
    }

    private X87TestDecoder() { }

    static boolean waiting(byte[] insn) {
        int p = insn[0] == 0x66 ? 1 : 0;
        if ((insn[p] & 0xFF) == 0x9B) return true;
        int op = insn[p] & 0xFF, modrm = insn[p + 1] & 0xFF;
        int reg = modrm >> 3 & 7;
        boolean mem = modrm < 0xC0;
        if (op == 0x0F) return false;             // FXSAVE/FXRSTOR
        if (op == 0xD9 && mem && (reg == 6 || reg == 7)) return false; // FNSTENV, FNSTCW
        if (op == 0xDD && mem && (reg == 6 || reg == 7)) return false; // FNSAVE, FNSTSW m16
        if (op == 0xDF && modrm == 0xE0) return false;                 // FNSTSW AX
        if (op == 0xDB && modrm >= 0xE0 && modrm <= 0xE4) return false; // FNENI FNDISI FNCLEX FNINIT FNSETPM
        return true;
    }

    static Outcome execute(byte[] insn, int eflags, byte[] state, byte[] memIn) {
        FpuState s = new FpuState();
        FpuImage.restore(s, state, 0, true, false);
        byte[] mem = memIn.clone();
        Outcome o = new Outcome();
        o.rflags = eflags & 0xFFFFFFFFL;
        o.mem = mem;
        if (waiting(insn) && s.pending()) {
            o.trap = 8; // SIGFPE: #MF before the instruction
            put16(o.state, 0, s.cw);
            put16(o.state, 4, s.statusWord());
            put16(o.state, 8, s.abridgedTagWord());
            for (int i = 0; i < 8; i++) {
                put64(o.state, 28 + 10 * i, s.m(i));
                put16(o.state, 36 + 10 * i, s.se(i));
            }
            return o;
        }
        int p = 0;
        boolean op32 = true;
        if (insn[0] == 0x66) {
            op32 = false;
            p = 1;
        }
        int op = insn[p] & 0xFF;
        int modrm = insn.length > p + 1 ? insn[p + 1] & 0xFF : 0;
        int reg = modrm >> 3 & 7, i = modrm & 7;
        boolean isMem = modrm < 0xC0;
        if (op == 0x9B) {
            // FWAIT: only the pending check
        } else if (op == 0x0F) {
            int r = insn[p + 2] >> 3 & 7;
            if (r == 0) {
                FpuImage.fxsave(s, mem, 0);
            } else if (r == 1) {
                if (!FpuImage.fxrstorValid(mem, 0)) {
                    o.trap = 11; // #GP: SIGSEGV
                    return o;
                }
                FpuImage.fxrstor(s, mem, 0);
            } else {
                throw new Unsupported("0F AE /" + r);
            }
        } else if (isMem) {
            memoryForm(s, op, reg, mem, op32);
        } else {
            long f = registerForm(s, op, modrm, reg, i, eflags);
            if (f >= 0) {
                o.rflags = (eflags & ~0x8D5) | f;
            } else if (f == -2) {
                o.ax = s.statusWord();
            }
        }
        FpuImage.save(s, o.state, 0, true, false);
        return o;
    }

    private static void memoryForm(FpuState s, int op, int reg, byte[] mem, boolean op32) {
        switch (op) {
            case 0xD8:
                if (reg == 2 || reg == 3) X87.fcomM32(s, get32(mem, 0), reg - 2);
                else X87.arithM32(s, reg, get32(mem, 0));
                return;
            case 0xDC:
                if (reg == 2 || reg == 3) X87.fcomM64(s, get64(mem, 0), reg - 2);
                else X87.arithM64(s, reg, get64(mem, 0));
                return;
            case 0xDA:
                if (reg == 2 || reg == 3) X87.ficom(s, get32(mem, 0), reg - 2);
                else X87.arithInt(s, reg, get32(mem, 0));
                return;
            case 0xDE:
                if (reg == 2 || reg == 3) X87.ficom(s, (short) get16(mem, 0), reg - 2);
                else X87.arithInt(s, reg, (short) get16(mem, 0));
                return;
            case 0xD9:
                switch (reg) {
                    case 0: X87.fldM32(s, get32(mem, 0)); return;
                    case 2: if (X87.fstM32(s, false)) put32(mem, 0, (int) s.rm); return;
                    case 3: if (X87.fstM32(s, true)) put32(mem, 0, (int) s.rm); return;
                    case 4: FpuImage.loadEnvironment(s, mem, 0, op32, false); return;
                    case 5: X87.fldcw(s, get16(mem, 0)); return;
                    case 6: FpuImage.storeEnvironment(s, mem, 0, op32, false); return;
                    case 7: put16(mem, 0, s.cw); return;
                    default: throw new Unsupported("D9 /1");
                }
            case 0xDB:
                switch (reg) {
                    case 0: X87.fild(s, get32(mem, 0)); return;
                    case 1: if (X87.fist(s, 32, true, true)) put32(mem, 0, (int) s.rm); return;
                    case 2: if (X87.fist(s, 32, false, false)) put32(mem, 0, (int) s.rm); return;
                    case 3: if (X87.fist(s, 32, true, false)) put32(mem, 0, (int) s.rm); return;
                    case 5: X87.fldM80(s, get64(mem, 0), get16(mem, 8)); return;
                    case 7: if (X87.fstpM80(s)) { put64(mem, 0, s.rm); put16(mem, 8, s.rse); } return;
                    default: throw new Unsupported("DB /" + reg);
                }
            case 0xDD:
                switch (reg) {
                    case 0: X87.fldM64(s, get64(mem, 0)); return;
                    case 1: if (X87.fist(s, 64, true, true)) put64(mem, 0, s.rm); return;
                    case 2: if (X87.fstM64(s, false)) put64(mem, 0, s.rm); return;
                    case 3: if (X87.fstM64(s, true)) put64(mem, 0, s.rm); return;
                    case 4: FpuImage.restore(s, mem, 0, op32, false); return;
                    case 6: FpuImage.save(s, mem, 0, op32, false); return;
                    case 7: put16(mem, 0, s.statusWord()); return;
                    default: throw new Unsupported("DD /5");
                }
            case 0xDF:
                switch (reg) {
                    case 0: X87.fild(s, (short) get16(mem, 0)); return;
                    case 1: if (X87.fist(s, 16, true, true)) put16(mem, 0, (int) s.rm); return;
                    case 2: if (X87.fist(s, 16, false, false)) put16(mem, 0, (int) s.rm); return;
                    case 3: if (X87.fist(s, 16, true, false)) put16(mem, 0, (int) s.rm); return;
                    case 4: X87.fbld(s, get64(mem, 0), get16(mem, 8)); return;
                    case 5: X87.fild(s, get64(mem, 0)); return;
                    case 6: if (X87.fbstp(s)) { put64(mem, 0, s.rm); put16(mem, 8, s.rse); } return;
                    case 7: if (X87.fist(s, 64, true, false)) put64(mem, 0, s.rm); return;
                    default: throw new Unsupported("DF");
                }
            default:
                throw new Unsupported(Integer.toHexString(op));
        }
    }

    /** Returns new arithmetic EFLAGS (FCOMI), -2 for FNSTSW AX, -1 otherwise. */
    private static long registerForm(FpuState s, int op, int modrm, int reg, int i, int eflags) {
        switch (op) {
            case 0xD8:
                if (reg == 2 || reg == 3) X87.fcom(s, i, false, reg - 2);
                else X87.arith(s, reg, 0, i, false);
                return -1;
            case 0xDC:
                if (reg == 2 || reg == 3) { X87.fcom(s, i, false, reg - 2); return -1; } // aliases of D8 D0/D8
                X87.arith(s, X87.registerFormOp(op, reg), i, 0, false);
                return -1;
            case 0xDE:
                if (modrm == 0xD9) {
                    X87.fcom(s, 1, false, 2);
                    return -1;
                }
                if (reg == 2) { X87.fcom(s, i, false, 1); return -1; } // FCOMP alias
                if (reg == 3) throw new Unsupported("DE " + Integer.toHexString(modrm));
                X87.arith(s, X87.registerFormOp(op, reg), i, 0, true);
                return -1;
            case 0xD9:
                if (reg == 0) { X87.fld(s, i); return -1; }
                if (reg == 1) { X87.fxch(s, i); return -1; }
                if (reg == 3) { X87.fstp1(s, i); return -1; }
                switch (modrm) {
                    case 0xD0: X87.fnop(s); return -1;
                    case 0xE0: X87.fchs(s); return -1;
                    case 0xE1: X87.fabs(s); return -1;
                    case 0xE4: X87.ftst(s); return -1;
                    case 0xE5: X87.fxam(s); return -1;
                    case 0xE8: case 0xE9: case 0xEA: case 0xEB: case 0xEC: case 0xED: case 0xEE:
                        X87.fldConst(s, modrm - 0xE8);
                        return -1;
                    case 0xF0: X87.f2xm1(s); return -1;
                    case 0xF1: X87.fyl2x(s); return -1;
                    case 0xF2: X87.fptan(s); return -1;
                    case 0xF3: X87.fpatan(s); return -1;
                    case 0xF4: X87.fxtract(s); return -1;
                    case 0xF5: X87.fprem(s, true); return -1;
                    case 0xF6: X87.fdecstp(s); return -1;
                    case 0xF7: X87.fincstp(s); return -1;
                    case 0xF8: X87.fprem(s, false); return -1;
                    case 0xF9: X87.fyl2xp1(s); return -1;
                    case 0xFA: X87.fsqrt(s); return -1;
                    case 0xFB: X87.fsincos(s); return -1;
                    case 0xFC: X87.frndint(s); return -1;
                    case 0xFD: X87.fscale(s); return -1;
                    case 0xFE: X87.fsin(s); return -1;
                    case 0xFF: X87.fcos(s); return -1;
                    default: throw new Unsupported("D9 " + Integer.toHexString(modrm));
                }
            case 0xDA:
                if (modrm == 0xE9) { X87.fcom(s, 1, true, 2); return -1; }
                if (reg < 4) { X87.fcmov(s, i, X87.fcmovCondition(reg, false, eflags)); return -1; }
                throw new Unsupported("DA " + Integer.toHexString(modrm));
            case 0xDB:
                if (reg < 4) { X87.fcmov(s, i, X87.fcmovCondition(reg, true, eflags)); return -1; }
                if (modrm == 0xE2) { X87.fnclex(s); return -1; }
                if (modrm == 0xE3) { X87.fninit(s); return -1; }
                if (modrm == 0xE0 || modrm == 0xE1 || modrm == 0xE4) return -1;
                if (reg == 5) return X87.fcomi(s, i, true, false);
                if (reg == 6) return X87.fcomi(s, i, false, false);
                throw new Unsupported("DB " + Integer.toHexString(modrm));
            case 0xDD:
                switch (reg) {
                    case 0: X87.ffree(s, i); return -1;
                    case 1: X87.fxch(s, i); return -1; // alias
                    case 2: X87.fst(s, i, false); return -1;
                    case 3: X87.fst(s, i, true); return -1;
                    case 4: X87.fcom(s, i, true, 0); return -1;
                    case 5: X87.fcom(s, i, true, 1); return -1;
                    default: throw new Unsupported("DD " + Integer.toHexString(modrm));
                }
            case 0xDF:
                if (modrm == 0xE0) return -2;
                if (reg == 0) { X87.ffreep(s, i); return -1; }
                if (reg == 1) { X87.fxch(s, i); return -1; }
                if (reg == 2 || reg == 3) { X87.fst(s, i, true); return -1; }
                if (reg == 5) return X87.fcomi(s, i, true, true);
                if (reg == 6) return X87.fcomi(s, i, false, true);
                throw new Unsupported("DF " + Integer.toHexString(modrm));
            default:
                throw new Unsupported(Integer.toHexString(op));
        }
    }
}
