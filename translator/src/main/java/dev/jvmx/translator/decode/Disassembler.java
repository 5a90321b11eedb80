package dev.jvmx.translator.decode;

/**
 * AT&T-syntax text of a decoded instruction, following GNU objdump's conventions: source first,
 * '%' registers, '$' immediates, a size suffix when no register operand tells the size.
 * For logs and tests; not on the hot path.
 */
public final class Disassembler {
    private static final String[] REG8 = {"al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"};
    private static final String[] REG16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
    private static final String[] REG32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    private static final String[] SEG = {"es", "cs", "ss", "ds", "fs", "gs", "?6", "?7"};
    /** objdump's condition suffixes by tttn. */
    private static final String[] CC = {"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge",
            "le", "g"};

    private Disassembler() {
    }

    public static String format(Insn insn) {
        StringBuilder sb = new StringBuilder();
        if (insn.hasPrefix(Prefix.LOCK)) {
            sb.append("lock ");
        }
        Mnemonic m = insn.mnemonic;
        if (m.family() == Family.FPU) {
            return x87(sb, insn);
        }
        if (m.family() == Family.STRING || m == Mnemonic.INS || m == Mnemonic.OUTS) {
            if (insn.hasPrefix(Prefix.REP)) {
                sb.append(m == Mnemonic.CMPS || m == Mnemonic.SCAS ? "repz " : "rep ");
            } else if (insn.hasPrefix(Prefix.REPNE)) {
                sb.append("repnz ");
            }
            return stringOp(sb, insn);
        }
        Operand[] ops = insn.operands;
        String name = name(insn);
        boolean suffix = needsSuffix(insn);
        if (suffix) {
            name += suffix(insn.operandSize);
        }
        sb.append(name);
        int shown = 0;
        boolean intelOrder = m == Mnemonic.ENTER; // GNU as keeps ENTER's operands in Intel order
        for (int k = ops.length - 1; k >= 0; k--) {
            int i = intelOrder ? ops.length - 1 - k : k;
            Operand o = ops[i];
            if (o.kind == Operand.Kind.IMM && o.size == 1 && o.imm == 1 && isShift(m) && i == 1
                    && insn.opcode >= 0xD0 && insn.opcode <= 0xD1) {
                continue; // the implicit count of D0/D1
            }
            sb.append(shown == 0 ? pad(name) : ",");
            shown++;
            sb.append(operandText(insn, o));
        }
        return sb.toString();
    }

    private static String pad(String name) {
        return " ".repeat(Math.max(1, 7 - name.length()));
    }

    private static boolean isShift(Mnemonic m) {
        return m.family() == Family.SHIFT;
    }

    private static String name(Insn insn) {
        Mnemonic m = insn.mnemonic;
        switch (m) {
            case JCC: return "j" + CC[insn.cond];
            case SETCC: return "set" + CC[insn.cond];
            case CMOVCC: return "cmov" + CC[insn.cond];
            case JMP_IND: return "jmp";
            case CALL_IND: return "call";
            case JMP_FAR: case JMP_FAR_IND: return "ljmp";
            case CALL_FAR: case CALL_FAR_IND: return "lcall";
            case RETF: return "lret";
            case CBW: return insn.operandSize == 4 ? "cwtl" : "cbtw";
            case CWD: return insn.operandSize == 4 ? "cltd" : "cwtd";
            case MOV_SEG_LOAD: case MOV_SEG_STORE: case MOV_TO_CR: case MOV_FROM_CR: case MOV_TO_DR: case MOV_FROM_DR:
                return "mov";
            case PUSH_SEG: return "push";
            case POP_SEG: return "pop";
            case JCXZ: return insn.addressSize == 4 ? "jecxz" : "jcxz";
            case INT3: return "int3";
            case CMPSD_SSE: return "cmpsd";
            case INVALID: return "(bad)";
            case SGDT: case SIDT: case LGDT: case LIDT:
                return m.name().toLowerCase() + (insn.operandSize == 4 ? "l" : "w");
            case XLAT: return "xlat   %" + SEG[insn.segOverride >= 0 ? insn.segOverride : 3] + ":(%"
                    + (insn.addressSize == 4 ? "ebx" : "bx") + ")";
            case MOVZX: case MOVSX:
                return (m == Mnemonic.MOVZX ? "movz" : "movs") + suffix(insn.operands[1].size)
                        + suffix(insn.operands[0].size);
            default: return m.name().toLowerCase();
        }
    }

    private static boolean needsSuffix(Insn insn) {
        Operand[] ops = insn.operands;
        if (ops.length == 0) {
            return false;
        }
        switch (insn.mnemonic) {
            case JMP_IND: case CALL_IND: case MOVZX: case MOVSX: case JMP_FAR_IND: case CALL_FAR_IND: case LEA:
            case BOUND: case MOV_SEG_LOAD: case MOV_SEG_STORE: case SGDT: case SIDT: case LGDT: case LIDT:
            case INVLPG: case CMPXCHG8B: case LLDT: case LTR: case SLDT: case STR: case VERR: case VERW:
            case LMSW: case SMSW: case ARPL: case PUSH: case POP: case LDMXCSR: case STMXCSR: case CLFLUSH:
                return false;
            default:
                break;
        }
        boolean mem = false;
        for (Operand o : ops) {
            if (o.kind == Operand.Kind.REG || o.kind == Operand.Kind.SEG || o.kind == Operand.Kind.CR
                    || o.kind == Operand.Kind.DR || o.kind == Operand.Kind.REL || o.kind == Operand.Kind.FAR
                    || o.kind == Operand.Kind.XMM || o.kind == Operand.Kind.MMX) {
                return false;
            }
            mem |= o.isMem();
        }
        return mem;
    }

    private static String suffix(int size) {
        return size == 1 ? "b" : size == 2 ? "w" : size == 4 ? "l" : "";
    }

    private static String operandText(Insn insn, Operand o) {
        switch (o.kind) {
            case IMM:
                return "$" + hex(o.imm & mask(o.size == 1 ? 1 : insn.operandSize < o.size ? o.size : o.size));
            case REL: {
                int target = insn.address + insn.length + o.imm;
                if (insn.operandSize == 2) {
                    target &= 0xFFFF;
                }
                return hex(target);
            }
            case FAR:
                return "$" + hex(o.selector) + ",$" + hex(o.imm);
            default: {
                boolean indirect = insn.mnemonic == Mnemonic.JMP_IND || insn.mnemonic == Mnemonic.CALL_IND
                        || insn.mnemonic == Mnemonic.JMP_FAR_IND || insn.mnemonic == Mnemonic.CALL_FAR_IND;
                if ((insn.mnemonic == Mnemonic.IN || insn.mnemonic == Mnemonic.OUT) && o.kind == Operand.Kind.REG
                        && o.size == 2 && o.reg == 2) {
                    return "(%dx)";
                }
                String text = o.kind == Operand.Kind.MEM ? memory(insn, o) : operand(o, insn.addressSize);
                return indirect ? "*" + text : text;
            }
        }
    }

    private static long mask(int size) {
        return size == 1 ? 0xFFL : size == 2 ? 0xFFFFL : 0xFFFFFFFFL;
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v & 0xFFFFFFFFL);
    }

    /** Text of a register-like operand, or of a memory operand without a segment prefix. */
    static String operand(Operand o, int addressSize) {
        switch (o.kind) {
            case REG:
                return "%" + (o.size == 1 ? REG8 : o.size == 2 ? REG16 : REG32)[o.reg];
            case SEG:
                return "%" + SEG[o.reg];
            case CR:
                return "%cr" + o.reg;
            case XMM:
                return "%xmm" + o.reg;
            case MMX:
                return "%mm" + o.reg;
            case DR:
                return "%db" + o.reg;
            case IMM:
                return "$" + hex(o.imm);
            case REL:
                return "." + (o.imm >= 0 ? "+" : "") + o.imm;
            case FAR:
                return "$" + hex(o.selector) + ",$" + hex(o.imm);
            default:
                return address(o, addressSize);
        }
    }

    private static String memory(Insn insn, Operand o) {
        String prefix = insn.segOverride >= 0 ? "%" + SEG[insn.segOverride] + ":" : "";
        return prefix + address(o, insn.addressSize);
    }

    private static String address(Operand o, int addressSize) {
        String[] regs = addressSize == 4 ? REG32 : REG16;
        StringBuilder sb = new StringBuilder();
        if (o.base < 0 && o.index < 0) {
            return hex(o.disp & (addressSize == 4 ? 0xFFFFFFFFL : 0xFFFFL));
        }
        if (o.disp != 0) {
            sb.append(o.disp < 0 ? "-" + hex(-(long) o.disp) : hex(o.disp));
        }
        sb.append('(');
        if (o.base >= 0) {
            sb.append('%').append(regs[o.base]);
        }
        if (o.index >= 0) {
            sb.append(",%").append(regs[o.index]);
            if (addressSize == 4) {
                sb.append(',').append(1 << o.scale);
            }
        }
        return sb.append(')').toString();
    }

    /** Integer memory operands: suffix s, l, ll by size (fp ones: s, l, t). */
    private static final java.util.Set<Mnemonic> X87_INTEGER = java.util.EnumSet.of(Mnemonic.FIADD, Mnemonic.FIMUL,
            Mnemonic.FISUB, Mnemonic.FISUBR, Mnemonic.FIDIV, Mnemonic.FIDIVR, Mnemonic.FICOM, Mnemonic.FICOMP,
            Mnemonic.FILD, Mnemonic.FIST, Mnemonic.FISTP, Mnemonic.FISTTP);

    /**
     * x87 instructions as objdump prints them: the memory operand's type in the suffix (flds,
     * fildll, fldt ...), none for the control words and images (fldenv gets s or l only when a 66
     * prefix makes it differ from the code's default), "%st" for the implied stack top and
     * "%st(i)" for an encoded register. AT&T syntax names the ST(i)-destination forms of FSUB and
     * FDIV (DC and DE E0-FF) by the reverse operation: Intel's FSUBR ST(i),ST(0) is
     * {@code fsub %st,%st(i)}, and so on (GNU as's SYSV386_COMPAT).
     */
    private static String x87(StringBuilder sb, Insn insn) {
        Mnemonic m = insn.mnemonic;
        String name;
        switch (m) {
            case WAIT: name = "fwait"; break;
            case FNENI: name = "fneni(8087 only)"; break;
            case FNDISI: name = "fndisi(8087 only)"; break;
            case FNSETPM: name = "fnsetpm(287 only)"; break;
            default: name = m.name().toLowerCase(); break;
        }
        Operand[] ops = insn.operands;
        if (ops.length == 2 && ops[0].kind == Operand.Kind.ST) {
            switch (m) {
                case FSUB: case FSUBP: name = name.replace("fsub", "fsubr"); break;
                case FSUBR: case FSUBRP: name = name.replace("fsubr", "fsub"); break;
                case FDIV: case FDIVP: name = name.replace("fdiv", "fdivr"); break;
                case FDIVR: case FDIVRP: name = name.replace("fdivr", "fdiv"); break;
                default: break;
            }
        }
        if (ops.length == 1 && ops[0].isMem()) {
            name += x87Suffix(insn, ops[0].size);
        }
        sb.append(name);
        for (int k = ops.length - 1; k >= 0; k--) {
            Operand o = ops[k];
            sb.append(k == ops.length - 1 ? pad(name) : ",");
            switch (o.kind) {
                case ST0: sb.append("%st"); break;
                case ST: sb.append("%st(").append(o.reg).append(')'); break;
                case MEM: sb.append(memory(insn, o)); break;
                default: sb.append(operand(o, insn.addressSize)); break;
            }
        }
        return sb.toString();
    }

    private static String x87Suffix(Insn insn, int size) {
        switch (insn.mnemonic) {
            case FLDENV: case FNSTENV: case FRSTOR: case FNSAVE:
                return !insn.hasPrefix(Prefix.OPSIZE) ? "" : insn.operandSize == 2 ? "s" : "l";
            case FBLD: case FBSTP: case FLDCW: case FNSTCW: case FNSTSW: case FXSAVE: case FXRSTOR:
                return "";
            default:
                break;
        }
        if (X87_INTEGER.contains(insn.mnemonic)) {
            return size == 2 ? "s" : size == 4 ? "l" : "ll";
        }
        return size == 4 ? "s" : size == 8 ? "l" : "t";
    }

    private static String stringOp(StringBuilder sb, Insn insn) {
        int size = insn.operandSize;
        String acc = "%" + (size == 1 ? "al" : size == 2 ? "ax" : "eax");
        String a = insn.addressSize == 4 ? "e" : "";
        String src = "%" + (insn.segOverride >= 0 ? SEG[insn.segOverride] : "ds") + ":(%" + a + "si)";
        String dst = "%es:(%" + a + "di)";
        String sfx = suffix(size);
        switch (insn.mnemonic) {
            case MOVS: return sb.append("movs").append(sfx).append(' ').append(src).append(',').append(dst).toString();
            case CMPS: return sb.append("cmps").append(sfx).append(' ').append(dst).append(',').append(src).toString();
            case STOS: return sb.append("stos ").append(acc).append(',').append(dst).toString();
            case LODS: return sb.append("lods ").append(src).append(',').append(acc).toString();
            case SCAS: return sb.append("scas ").append(dst).append(',').append(acc).toString();
            case INS: return sb.append("ins").append(sfx).append(" (%dx),").append(dst).toString();
            default: return sb.append("outs").append(sfx).append(' ').append(src).append(",(%dx)").toString();
        }
    }
}
