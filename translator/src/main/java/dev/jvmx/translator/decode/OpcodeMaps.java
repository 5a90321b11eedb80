package dev.jvmx.translator.decode;

/**
 * The opcode maps of SDM Vol. 2 Appendix A as data: the one-byte map, the two-byte (0F) map and
 * the groups selected by ModRM.reg. Prefix bytes and the 0F escape are handled by the decoder
 * and have no row. INVALID rows with operands exist only so that the length of an undefined or
 * out-of-scope (MMX/SSE) encoding is still computed.
 */
final class OpcodeMaps {
    static final OpcodeRow[] ONE_BYTE = new OpcodeRow[256];
    static final OpcodeRow[] TWO_BYTE = new OpcodeRow[256];

    private static final String ALU = "ADD OR ADC SBB AND SUB XOR CMP";
    private static final String SHIFTS = "ROL ROR RCL RCR SHL SHR SHL SAR";

    private OpcodeMaps() {
    }

    static {
        // 00-3F: the eight ALU operations in their six forms, with the column 6/7 odd ones.
        String[] alu = ALU.split(" ");
        String[] aluForms = {"Eb,Gb", "Ev,Gv", "Gb,Eb", "Gv,Ev", "AL,Ib", "eAX,Iz"};
        for (int op = 0; op < 8; op++) {
            for (int form = 0; form < 6; form++) {
                one(op * 8 + form, alu[op] + " " + aluForms[form]);
            }
        }
        one(0x06, "PUSH_SEG ES");
        one(0x07, "POP_SEG ES");
        one(0x0E, "PUSH_SEG CS");
        one(0x16, "PUSH_SEG SS");
        one(0x17, "POP_SEG SS");
        one(0x1E, "PUSH_SEG DS");
        one(0x1F, "POP_SEG DS");
        one(0x27, "DAA @b");
        one(0x2F, "DAS @b");
        one(0x37, "AAA @b");
        one(0x3F, "AAS @b");
        for (int r = 0; r < 8; r++) {
            one(0x40 + r, "INC Zv");
            one(0x48 + r, "DEC Zv");
            one(0x50 + r, "PUSH Zv");
            one(0x58 + r, "POP Zv");
            one(0xB0 + r, "MOV Zb,Ib");
            one(0xB8 + r, "MOV Zv,Iz");
        }
        one(0x60, "PUSHA");
        one(0x61, "POPA");
        one(0x62, "BOUND Gv,Ma");
        one(0x63, "ARPL Ew,Gw");
        one(0x68, "PUSH Iz");
        one(0x69, "IMUL Gv,Ev,Iz");
        one(0x6A, "PUSH Ibs");
        one(0x6B, "IMUL Gv,Ev,Ibs");
        one(0x6C, "INS @b");
        one(0x6D, "INS");
        one(0x6E, "OUTS @b");
        one(0x6F, "OUTS");
        for (int c = 0; c < 16; c++) {
            one(0x70 + c, "JCC Jb");
        }
        ONE_BYTE[0x80] = group(ALU, "Eb,Ib");
        ONE_BYTE[0x81] = group(ALU, "Ev,Iz");
        ONE_BYTE[0x82] = group(ALU, "Eb,Ib"); // alias of 80 outside 64-bit mode
        ONE_BYTE[0x83] = group(ALU, "Ev,Ibs");
        one(0x84, "TEST Eb,Gb");
        one(0x85, "TEST Ev,Gv");
        one(0x86, "XCHG Eb,Gb");
        one(0x87, "XCHG Ev,Gv");
        one(0x88, "MOV Eb,Gb");
        one(0x89, "MOV Ev,Gv");
        one(0x8A, "MOV Gb,Eb");
        one(0x8B, "MOV Gv,Ev");
        one(0x8C, "MOV_SEG_STORE Ewv,Sw");
        one(0x8D, "LEA Gv,M");
        one(0x8E, "MOV_SEG_LOAD Sw,Ewv");
        ONE_BYTE[0x8F] = groupRows("POP Ev", "INVALID Ev", "INVALID Ev", "INVALID Ev", "INVALID Ev", "INVALID Ev",
                "INVALID Ev", "INVALID Ev");
        one(0x90, "NOP"); // F3 90 is PAUSE: the decoder checks the prefix
        for (int r = 1; r < 8; r++) {
            one(0x90 + r, "XCHG Zv,eAX");
        }
        one(0x98, "CBW");
        one(0x99, "CWD");
        one(0x9A, "CALL_FAR Ap");
        one(0x9B, "WAIT");
        one(0x9C, "PUSHF");
        one(0x9D, "POPF");
        one(0x9E, "SAHF @b");
        one(0x9F, "LAHF @b");
        one(0xA0, "MOV AL,Ob");
        one(0xA1, "MOV eAX,Ov");
        one(0xA2, "MOV Ob,AL");
        one(0xA3, "MOV Ov,eAX");
        one(0xA4, "MOVS @b");
        one(0xA5, "MOVS");
        one(0xA6, "CMPS @b");
        one(0xA7, "CMPS");
        one(0xA8, "TEST AL,Ib");
        one(0xA9, "TEST eAX,Iz");
        one(0xAA, "STOS @b");
        one(0xAB, "STOS");
        one(0xAC, "LODS @b");
        one(0xAD, "LODS");
        one(0xAE, "SCAS @b");
        one(0xAF, "SCAS");
        ONE_BYTE[0xC0] = group(SHIFTS, "Eb,Ib");
        ONE_BYTE[0xC1] = group(SHIFTS, "Ev,Ib");
        one(0xC2, "RET Iw");
        one(0xC3, "RET");
        one(0xC4, "LES Gv,Mp");
        one(0xC5, "LDS Gv,Mp");
        ONE_BYTE[0xC6] = groupRows("MOV Eb,Ib", "INVALID Eb", "INVALID Eb", "INVALID Eb", "INVALID Eb",
                "INVALID Eb", "INVALID Eb", "INVALID Eb");
        ONE_BYTE[0xC7] = groupRows("MOV Ev,Iz", "INVALID Ev", "INVALID Ev", "INVALID Ev", "INVALID Ev",
                "INVALID Ev", "INVALID Ev", "INVALID Ev");
        one(0xC8, "ENTER Iw,Ib");
        one(0xC9, "LEAVE");
        one(0xCA, "RETF Iw");
        one(0xCB, "RETF");
        one(0xCC, "INT3");
        one(0xCD, "INT Ib");
        one(0xCE, "INTO");
        one(0xCF, "IRET");
        ONE_BYTE[0xD0] = group(SHIFTS, "Eb,ONE");
        ONE_BYTE[0xD1] = group(SHIFTS, "Ev,ONE");
        ONE_BYTE[0xD2] = group(SHIFTS, "Eb,CL");
        ONE_BYTE[0xD3] = group(SHIFTS, "Ev,CL");
        one(0xD4, "AAM Ib");
        one(0xD5, "AAD Ib");
        one(0xD6, "SALC @b");
        one(0xD7, "XLAT @b");
        for (int esc = 0xD8; esc <= 0xDF; esc++) {
            one(esc, "FPU Mx");
        }
        one(0xE0, "LOOPNE Jb");
        one(0xE1, "LOOPE Jb");
        one(0xE2, "LOOP Jb");
        one(0xE3, "JCXZ Jb");
        one(0xE4, "IN AL,Ib");
        one(0xE5, "IN eAX,Ib");
        one(0xE6, "OUT Ib,AL");
        one(0xE7, "OUT Ib,eAX");
        one(0xE8, "CALL Jz");
        one(0xE9, "JMP Jz");
        one(0xEA, "JMP_FAR Ap");
        one(0xEB, "JMP Jb");
        one(0xEC, "IN AL,DX");
        one(0xED, "IN eAX,DX");
        one(0xEE, "OUT DX,AL");
        one(0xEF, "OUT DX,eAX");
        one(0xF1, "INVALID"); // INT1/ICEBP: not modelled
        one(0xF4, "HLT");
        one(0xF5, "CMC");
        ONE_BYTE[0xF6] = groupRows("TEST Eb,Ib", "TEST Eb,Ib", "NOT Eb", "NEG Eb", "MUL Eb", "IMUL Eb", "DIV Eb",
                "IDIV Eb");
        ONE_BYTE[0xF7] = groupRows("TEST Ev,Iz", "TEST Ev,Iz", "NOT Ev", "NEG Ev", "MUL Ev", "IMUL Ev", "DIV Ev",
                "IDIV Ev");
        one(0xF8, "CLC");
        one(0xF9, "STC");
        one(0xFA, "CLI");
        one(0xFB, "STI");
        one(0xFC, "CLD");
        one(0xFD, "STD");
        ONE_BYTE[0xFE] = groupRows("INC Eb", "DEC Eb", "INVALID Eb", "INVALID Eb", "INVALID Eb", "INVALID Eb",
                "INVALID Eb", "INVALID Eb");
        ONE_BYTE[0xFF] = groupRows("INC Ev", "DEC Ev", "CALL_IND Ev", "CALL_FAR_IND Mp", "JMP_IND Ev",
                "JMP_FAR_IND Mp", "PUSH Ev", "INVALID Ev");

        // 0F map.
        TWO_BYTE[0x00] = groupRows("SLDT Ewv", "STR Ewv", "LLDT Ew", "LTR Ew", "VERR Ew", "VERW Ew", "INVALID Ew",
                "INVALID Ew");
        TWO_BYTE[0x01] = new OpcodeRow(
                rows("SGDT Ms", "SIDT Ms", "LGDT Ms", "LIDT Ms", "SMSW Ewv", "INVALID Ev", "LMSW Ew", "INVLPG Mb"),
                rows("INVALID Ev", "INVALID Ev", "INVALID Ev", "INVALID Ev", "SMSW Ewv", "INVALID Ev", "LMSW Ew",
                        "INVALID Ev"));
        two(0x02, "LAR Gv,Ew");
        two(0x03, "LSL Gv,Ew");
        two(0x06, "CLTS");
        two(0x08, "INVD");
        two(0x09, "WBINVD");
        two(0x0B, "UD2");
        two(0x0D, "INVALID Ev"); // PREFETCHW
        for (int b = 0x10; b <= 0x17; b++) {
            two(b, "INVALID Ev"); // SSE
        }
        for (int b = 0x18; b <= 0x1F; b++) {
            two(b, "NOP Ev"); // hint NOPs, incl. the PREFETCHh group at 0F 18
        }
        two(0x20, "MOV_FROM_CR Rd,Cd");
        two(0x21, "MOV_FROM_DR Rd,Dd");
        two(0x22, "MOV_TO_CR Cd,Rd");
        two(0x23, "MOV_TO_DR Dd,Rd");
        two(0x24, "INVALID Ev"); // MOV from TR: 386/486 only
        two(0x26, "INVALID Ev"); // MOV to TR
        for (int b = 0x28; b <= 0x2F; b++) {
            two(b, "INVALID Ev");
        }
        two(0x30, "WRMSR");
        two(0x31, "RDTSC");
        two(0x32, "RDMSR");
        two(0x33, "RDPMC");
        two(0x34, "SYSENTER");
        two(0x35, "SYSEXIT");
        for (int c = 0; c < 16; c++) {
            two(0x40 + c, "CMOVCC Gv,Ev");
            two(0x80 + c, "JCC Jz");
            two(0x90 + c, "SETCC Eb");
        }
        for (int b = 0x50; b <= 0x7F; b++) {
            two(b, "INVALID Ev"); // SSE / MMX
        }
        for (int b = 0x70; b <= 0x73; b++) {
            two(b, "INVALID Ev,Ib");
        }
        two(0x77, "INVALID"); // EMMS
        two(0xA0, "PUSH_SEG FS");
        two(0xA1, "POP_SEG FS");
        two(0xA2, "CPUID");
        two(0xA3, "BT Ev,Gv");
        two(0xA4, "SHLD Ev,Gv,Ib");
        two(0xA5, "SHLD Ev,Gv,CL");
        two(0xA8, "PUSH_SEG GS");
        two(0xA9, "POP_SEG GS");
        two(0xAB, "BTS Ev,Gv");
        two(0xAC, "SHRD Ev,Gv,Ib");
        two(0xAD, "SHRD Ev,Gv,CL");
        two(0xAE, "INVALID Ev"); // group 15: FXSAVE ...
        two(0xAF, "IMUL Gv,Ev");
        two(0xB0, "CMPXCHG Eb,Gb");
        two(0xB1, "CMPXCHG Ev,Gv");
        two(0xB2, "LSS Gv,Mp");
        two(0xB3, "BTR Ev,Gv");
        two(0xB4, "LFS Gv,Mp");
        two(0xB5, "LGS Gv,Mp");
        two(0xB6, "MOVZX Gv,Eb");
        two(0xB7, "MOVZX Gv,Ew");
        two(0xB8, "INVALID Ev"); // POPCNT
        two(0xB9, "INVALID Ev"); // UD1
        TWO_BYTE[0xBA] = groupRows("INVALID Ev,Ib", "INVALID Ev,Ib", "INVALID Ev,Ib", "INVALID Ev,Ib", "BT Ev,Ib",
                "BTS Ev,Ib", "BTR Ev,Ib", "BTC Ev,Ib");
        two(0xBB, "BTC Ev,Gv");
        two(0xBC, "BSF Gv,Ev");
        two(0xBD, "BSR Gv,Ev");
        two(0xBE, "MOVSX Gv,Eb");
        two(0xBF, "MOVSX Gv,Ew");
        two(0xC0, "XADD Eb,Gb");
        two(0xC1, "XADD Ev,Gv");
        two(0xC2, "INVALID Ev,Ib");
        two(0xC3, "INVALID Ev");
        two(0xC4, "INVALID Ev,Ib");
        two(0xC5, "INVALID Ev,Ib");
        two(0xC6, "INVALID Ev,Ib");
        TWO_BYTE[0xC7] = groupRows("INVALID Ev", "CMPXCHG8B Mq", "INVALID Ev", "INVALID Ev", "INVALID Ev",
                "INVALID Ev", "INVALID Ev", "INVALID Ev");
        for (int r = 0; r < 8; r++) {
            two(0xC8 + r, "BSWAP Zv");
        }
        for (int b = 0xD0; b <= 0xFF; b++) {
            two(b, "INVALID Ev"); // MMX / SSE, and UD0 at FF
        }

        OpcodeRow undefined = OpcodeRow.parse("INVALID");
        for (int i = 0; i < 256; i++) {
            if (TWO_BYTE[i] == null) {
                TWO_BYTE[i] = undefined;
            }
        }
    }

    private static void one(int opcode, String row) {
        ONE_BYTE[opcode] = OpcodeRow.parse(row);
    }

    private static void two(int opcode, String row) {
        TWO_BYTE[opcode] = OpcodeRow.parse(row);
    }

    /** A group whose eight members share their operand kinds. */
    private static OpcodeRow group(String mnemonics, String operands) {
        String[] names = mnemonics.split(" ");
        OpcodeRow[] g = new OpcodeRow[8];
        for (int i = 0; i < 8; i++) {
            g[i] = OpcodeRow.parse(names[i] + " " + operands);
        }
        return new OpcodeRow(g, null);
    }

    private static OpcodeRow groupRows(String... rows) {
        return new OpcodeRow(rows(rows), null);
    }

    private static OpcodeRow[] rows(String... rows) {
        OpcodeRow[] g = new OpcodeRow[8];
        for (int i = 0; i < 8; i++) {
            g[i] = OpcodeRow.parse(rows[i]);
        }
        return g;
    }
}
