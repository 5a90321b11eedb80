package dev.jvmx.translator.decode;

import dev.jvmx.translator.fpu.X87Encodings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Hand-decoded examples: each expected value is worked out from SDM Vol. 2 (Tables 2-1..2-3 for
 * ModRM/SIB, Appendix A for the maps, Table B-1 for tttn); the comment shows the working.
 */
class DecoderTest {
    private static final int EAX = 0, ECX = 1, EBX = 3, EBP = 5, ESI = 6, EDI = 7;
    private static final int ES = 0, CS = 1, SS = 2, DS = 3, FS = 4;

    private static Insn d32(int... bytes) {
        return decodeAt(0, true, bytes);
    }

    private static Insn d16(int... bytes) {
        return decodeAt(0, false, bytes);
    }

    private static Insn decodeAt(int eip, boolean default32, int... bytes) {
        return Decoder.decode(at -> bytes[at - eip], eip, default32);
    }

    private static void assertMem(Operand o, int size, int base, int index, int scale, int disp, int seg) {
        assertEquals(Operand.Kind.MEM, o.kind);
        assertEquals(size, o.size, "size");
        assertEquals(base, o.base, "base");
        assertEquals(index, o.index, "index");
        assertEquals(scale, o.scale, "scale");
        assertEquals(disp, o.disp, "disp");
        assertEquals(seg, o.seg, "seg");
    }

    private static void assertReg(Operand o, int size, int reg) {
        assertEquals(Operand.Kind.REG, o.kind);
        assertEquals(size, o.size);
        assertEquals(reg, o.reg);
    }

    @Test
    void sibWithEbpBaseUsesSs() {
        // ModRM 44 = mod 01, reg 000 (EAX), rm 100 (SIB);
        // SIB 8D = ss 10 (x4), index 001 (ECX), base 101 (EBP); disp8 10.
        Insn i = d32(0x8B, 0x44, 0x8D, 0x10);
        assertEquals(Mnemonic.MOV, i.mnemonic);
        assertEquals(4, i.length);
        assertEquals(4, i.operandSize);
        assertReg(i.op(0), 4, EAX);
        assertMem(i.op(1), 4, EBP, ECX, 2, 0x10, SS);
        assertNull(i.invalid);
    }

    @Test
    void addressSizePrefixSelects16BitForms() {
        // 67: 16-bit addressing; ModRM 46 = mod 01, reg EAX, rm 110 -> [BP+disp8].
        Insn i = d32(0x67, 0x8B, 0x46, 0x02);
        assertEquals(4, i.length);
        assertEquals(2, i.addressSize);
        assertEquals(4, i.operandSize);
        assertMem(i.op(1), 4, EBP, -1, 0, 2, SS);
    }

    @Test
    void sixteenBitAddressingTable() {
        // rm 000 = [BX+SI] (DS), rm 011 = [BP+DI] (SS), mod 00 rm 110 = [disp16] (DS).
        assertMem(d16(0x8B, 0x00).op(1), 2, EBX, ESI, 0, 0, DS);
        assertMem(d16(0x8B, 0x03).op(1), 2, EBP, EDI, 0, 0, SS);
        Insn direct = d16(0x8B, 0x06, 0x34, 0x92);
        assertEquals(4, direct.length);
        assertMem(direct.op(1), 2, -1, -1, 0, (short) 0x9234, DS);
        // mod 10 rm 100 = [SI+disp16].
        Insn si = d16(0x8B, 0x84, 0xFE, 0xFF);
        assertMem(si.op(1), 2, ESI, -1, 0, -2, DS);
    }

    @Test
    void sibWithoutBaseHasDisp32() {
        // ModRM 04 = mod 00 rm 100; SIB 8D: index ECX x4, base 101 with mod 00 -> disp32, no base.
        Insn i = d32(0x8B, 0x04, 0x8D, 0x78, 0x56, 0x34, 0x12);
        assertEquals(7, i.length);
        assertMem(i.op(1), 4, -1, ECX, 2, 0x12345678, DS);
        // SIB 24: index 100 = none, base ESP -> SS.
        assertMem(d32(0x8B, 0x04, 0x24).op(1), 4, 4, -1, 0, 0, SS);
    }

    @Test
    void operandSizePrefixShortensImmediate() {
        Insn i = d32(0x66, 0xB8, 0x34, 0x12);
        assertEquals(Mnemonic.MOV, i.mnemonic);
        assertEquals(4, i.length);
        assertEquals(2, i.operandSize);
        assertReg(i.op(0), 2, EAX);
        assertEquals(0x1234, i.op(1).imm);
        assertTrue(i.hasPrefix(Prefix.OPSIZE));
    }

    @Test
    void group8BitTestImmediate() {
        // 0F BA /4 Ib; ModRM E0 = mod 11, reg 100, rm EAX.
        Insn i = d32(0x0F, 0xBA, 0xE0, 0x05);
        assertEquals(Mnemonic.BT, i.mnemonic);
        assertEquals(0x0FBA, i.opcode);
        assertEquals(4, i.modrmReg);
        assertEquals(4, i.length);
        assertReg(i.op(0), 4, EAX);
        assertEquals(5, i.op(1).imm);
        assertEquals(Mnemonic.INVALID, d32(0x0F, 0xBA, 0xD8, 0x05).mnemonic); // /3 undefined
    }

    @Test
    void enterHasTwoImmediates() {
        Insn i = d32(0xC8, 0x10, 0x00, 0x01);
        assertEquals(Mnemonic.ENTER, i.mnemonic);
        assertEquals(4, i.length);
        assertEquals(Operand.Kind.IMM, i.op(0).kind);
        assertEquals(16, i.op(0).imm);
        assertEquals(1, i.op(1).imm);
    }

    @Test
    void farCallPointerFollowsOperandSize() {
        Insn i = d32(0x9A, 0x78, 0x56, 0x34, 0x12, 0x00, 0x10);
        assertEquals(Mnemonic.CALL_FAR, i.mnemonic);
        assertEquals(7, i.length);
        assertEquals(Operand.Kind.FAR, i.op(0).kind);
        assertEquals(0x12345678, i.op(0).imm);
        assertEquals(0x1000, i.op(0).selector);
        assertEquals(6, i.op(0).size);
        Insn s = d16(0x9A, 0x34, 0x12, 0x00, 0x10);
        assertEquals(5, s.length);
        assertEquals(0x1234, s.op(0).imm);
        assertEquals(4, s.op(0).size);
    }

    @Test
    void farIndirectNeedsMemory() {
        // FF /3 and /5 with mod 11 are #UD; with memory, the operand is m16:32 (6 bytes).
        assertEquals(InvalidKind.UD, d32(0xFF, 0xD8).invalid);
        Insn i = d32(0xFF, 0x28);
        assertEquals(Mnemonic.JMP_FAR_IND, i.mnemonic);
        assertEquals(6, i.op(0).size);
        assertEquals(Mnemonic.JMP_IND, d32(0xFF, 0xE0).mnemonic);
        assertEquals(Mnemonic.CALL_IND, d32(0xFF, 0xD0).mnemonic);
        assertEquals(InvalidKind.UD, d32(0xFF, 0xF8).invalid); // FF /7
        assertEquals(InvalidKind.UD, d32(0x8D, 0xC0).invalid); // LEA with a register
        assertEquals(2, d32(0x8D, 0xC0).length);
        assertEquals(InvalidKind.UD, d32(0xC4, 0xC0).invalid); // LES with a register
        assertEquals(InvalidKind.UD, d32(0x0F, 0x01, 0xD0).invalid); // LGDT... mod 11 /2
    }

    @Test
    void lockNeedsLockableMemoryDestination() {
        assertEquals(InvalidKind.UD, d32(0xF0, 0x01, 0xC0).invalid); // lock add eax,eax
        Insn ok = d32(0xF0, 0x01, 0x00); // lock add [eax],eax
        assertNull(ok.invalid);
        assertEquals(Mnemonic.ADD, ok.mnemonic);
        assertTrue(ok.hasPrefix(Prefix.LOCK));
        assertEquals(InvalidKind.UD, d32(0xF0, 0x0F, 0xA3, 0x00).invalid); // lock bt
        assertEquals(InvalidKind.UD, d32(0xF0, 0x39, 0x00).invalid); // lock cmp
        assertEquals(InvalidKind.UD, d32(0xF0, 0x03, 0x00).invalid); // lock add eax,[eax]: register destination
        assertNull(d32(0xF0, 0x87, 0x00).invalid); // lock xchg [eax],eax
        assertNull(d32(0xF0, 0x0F, 0xC7, 0x08).invalid); // lock cmpxchg8b [eax]
    }

    @Test
    void fifteenBytesIsTheLimit() {
        int[] ok = new int[15];
        java.util.Arrays.fill(ok, 0x66);
        ok[14] = 0x90;
        Insn nop = d32(ok);
        assertNull(nop.invalid);
        assertEquals(15, nop.length);
        int[] tooLong = new int[17];
        java.util.Arrays.fill(tooLong, 0x66);
        tooLong[16] = 0x90;
        Insn gp = d32(tooLong);
        assertEquals(InvalidKind.GP, gp.invalid);
        assertEquals(Mnemonic.INVALID, gp.mnemonic);
    }

    @Test
    void immediatesExtendAsDefined() {
        assertEquals(-1, d32(0x83, 0xC0, 0xFF).op(1).imm); // 83 /0 Ib sign-extended
        assertEquals(0xFF, d32(0x80, 0xC0, 0xFF).op(1).imm);
        assertEquals(0xFFFFFF80, d32(0x6A, 0x80).op(0).imm); // PUSH Ib sign-extended
        assertEquals(-2, d32(0x6B, 0xC0, 0xFE).op(2).imm); // IMUL Gv,Ev,Ib
        assertEquals(0x80, d32(0xCD, 0x80).op(0).imm); // INT 80h
        assertEquals(0xFFFE, d32(0xC2, 0xFE, 0xFF).op(0).imm); // RET imm16 is unsigned
    }

    @Test
    void relativeTargets() {
        // E9 FB FF FF FF at 100h: next = 105h, rel -5 -> 100h.
        Insn j = decodeAt(0x100, true, 0xE9, 0xFB, 0xFF, 0xFF, 0xFF);
        assertEquals(Mnemonic.JMP, j.mnemonic);
        assertEquals(-5, j.op(0).imm);
        assertEquals(0x100, j.branchTarget(true));
        // 16-bit: EB 10 at FFF0h: next FFF2h + 10h wraps to 0002h.
        Insn s = decodeAt(0xFFF0, false, 0xEB, 0x10);
        assertEquals(0x0002, s.branchTarget(false));
        // Jcc: 74 = JE (tttn 0100); 0F 8F = JG (1111); 0F 9C = SETL (1100); 0F 42 = CMOVB (0010).
        assertEquals(4, d32(0x74, 0x00).cond);
        Insn jg = d32(0x0F, 0x8F, 0, 0, 0, 0);
        assertEquals(Mnemonic.JCC, jg.mnemonic);
        assertEquals(15, jg.cond);
        assertEquals(6, jg.length);
        assertEquals(12, d32(0x0F, 0x9C, 0xC0).cond);
        assertEquals(2, d32(0x0F, 0x42, 0xC0).cond);
        assertEquals(-1, d32(0xE2, 0x00).cond); // LOOP
    }

    @Test
    void nextEipWrapsIn16BitCode() {
        Insn i = decodeAt(0xFFFF, false, 0x90);
        assertEquals(0, i.nextEip(false));
        assertEquals(0x10000, i.nextEip(true));
    }

    @Test
    void moffsUsesAddressSize() {
        Insn i = d32(0x64, 0xA1, 0x78, 0x56, 0x34, 0x12);
        assertEquals(6, i.length);
        assertMem(i.op(1), 4, -1, -1, 0, 0x12345678, FS);
        Insn s = d16(0xA0, 0x34, 0x12);
        assertEquals(3, s.length);
        assertMem(s.op(1), 1, -1, -1, 0, 0x1234, DS);
        assertReg(s.op(0), 1, EAX);
    }

    @Test
    void lastSegmentOverrideWins() {
        Insn i = d32(0x26, 0x2E, 0x36, 0x8B, 0x00);
        assertEquals(5, i.length);
        assertEquals(SS, i.segOverride);
        assertEquals(SS, i.op(1).seg);
        // F2 then F3: F3 counts.
        Insn rep = d32(0xF2, 0xF3, 0xA4);
        assertEquals(Mnemonic.MOVS, rep.mnemonic);
        assertEquals(1, rep.operandSize);
        assertEquals(0, rep.operands.length);
        assertTrue(rep.hasPrefix(Prefix.REP));
        assertTrue(!rep.hasPrefix(Prefix.REPNE));
    }

    @Test
    void segmentAndControlRegisterMoves() {
        assertEquals(InvalidKind.UD, d32(0x8E, 0xC8).invalid); // MOV CS,r/m
        Insn ds = d32(0x8E, 0xD8);
        assertEquals(Mnemonic.MOV_SEG_LOAD, ds.mnemonic);
        assertEquals(Operand.Kind.SEG, ds.op(0).kind);
        assertEquals(DS, ds.op(0).reg);
        assertEquals(InvalidKind.UD, d32(0x8C, 0xF0).invalid); // Sreg 6
        Insn store = d32(0x8C, 0x00);
        assertEquals(Mnemonic.MOV_SEG_STORE, store.mnemonic);
        assertEquals(2, store.op(0).size); // memory destination is a word
        Insn cr = d32(0x0F, 0x20, 0x00); // mod 00 still means a register
        assertEquals(Mnemonic.MOV_FROM_CR, cr.mnemonic);
        assertEquals(3, cr.length);
        assertReg(cr.op(0), 4, EAX);
        assertEquals(Operand.Kind.CR, cr.op(1).kind);
        assertEquals(InvalidKind.UD, d32(0x0F, 0x22, 0xC8).invalid); // CR1
        assertNull(d32(0x0F, 0x21, 0xE0).invalid); // DR4 aliases DR6
        assertEquals(Mnemonic.MOV_TO_DR, d32(0x0F, 0x23, 0xF8).mnemonic);
    }

    @Test
    void fencesAreTheRegisterFormsOf0FAE() {
        // 0F AE /5 /6 /7 with mod = 11: LFENCE, MFENCE, SFENCE (any r/m); the memory forms of /5 /6
        // are not jvmx's (XRSTOR, XSAVEOPT), and /0 /1 are FXSAVE/FXRSTOR.
        assertEquals(Mnemonic.LFENCE, d32(0x0F, 0xAE, 0xE8).mnemonic);
        assertEquals(Mnemonic.MFENCE, d32(0x0F, 0xAE, 0xF0).mnemonic);
        assertEquals(Mnemonic.MFENCE, d32(0x0F, 0xAE, 0xF7).mnemonic);
        assertEquals(Mnemonic.SFENCE, d32(0x0F, 0xAE, 0xF8).mnemonic);
        assertEquals(3, d32(0x0F, 0xAE, 0xF0).length);
        assertNull(d32(0x0F, 0xAE, 0xF0).invalid);
        assertEquals(InvalidKind.UD, d32(0x0F, 0xAE, 0x30).invalid);
        assertEquals(InvalidKind.UD, d32(0x0F, 0xAE, 0xC0).invalid);
        assertEquals(Mnemonic.FXSAVE, d32(0x0F, 0xAE, 0x00).mnemonic);
        // NP: prefixed, they are other instructions (66: TPAUSE; F3: UMONITOR; F2: UMWAIT ...)
        assertEquals(InvalidKind.UD, d32(0x66, 0x0F, 0xAE, 0xF0).invalid);
        assertEquals(InvalidKind.UD, d32(0xF3, 0x0F, 0xAE, 0xF0).invalid);
        assertEquals(InvalidKind.UD, d32(0xF2, 0x0F, 0xAE, 0xE8).invalid);
    }

    @Test
    void oddOnes() {
        assertEquals(Mnemonic.PAUSE, d32(0xF3, 0x90).mnemonic);
        assertEquals(Mnemonic.NOP, d32(0x90).mnemonic);
        Insn ud2 = d32(0x0F, 0x0B);
        assertEquals(Mnemonic.UD2, ud2.mnemonic);
        assertEquals(InvalidKind.UD, ud2.invalid);
        assertEquals(Mnemonic.SALC, d32(0xD6).mnemonic);
        Insn test = d32(0xF6, 0xC8, 0x05); // F6 /1 = TEST alias
        assertEquals(Mnemonic.TEST, test.mnemonic);
        assertEquals(3, test.length);
        assertEquals(6, d32(0xD9, 0x05, 0, 0, 0, 0).length); // FLD m32 [disp32]
        assertEquals(Family.FPU, d32(0xDD, 0xC0).mnemonic.family());
        assertEquals(2, d32(0xDD, 0xC0).length);
        assertEquals(Mnemonic.POP, d32(0x8F, 0xC0).mnemonic);
        assertEquals(InvalidKind.UD, d32(0x8F, 0xC8).invalid);
        Insn cx8 = d32(0x0F, 0xC7, 0x08);
        assertEquals(Mnemonic.CMPXCHG8B, cx8.mnemonic);
        assertEquals(8, cx8.op(0).size);
        assertEquals(InvalidKind.UD, d32(0x0F, 0xC7, 0xC8).invalid);
        assertEquals(Mnemonic.BSWAP, d32(0x0F, 0xCB).mnemonic);
        assertEquals(EBX, d32(0x0F, 0xCB).op(0).reg);
        Insn aam = d32(0xD4, 0x10);
        assertEquals(Mnemonic.AAM, aam.mnemonic);
        assertEquals(0x10, aam.op(0).imm);
        Insn shl = d32(0xD1, 0xF0); // D1 /6 is SAL = SHL
        assertEquals(Mnemonic.SHL, shl.mnemonic);
        assertEquals(1, shl.op(1).imm);
        Insn out = d32(0xEE);
        assertEquals(Mnemonic.OUT, out.mnemonic);
        assertEquals(1, out.operandSize);
        assertReg(out.op(0), 2, 2); // DX
        assertEquals(2, d32(0x66, 0xEF).operandSize);
        assertEquals(Mnemonic.CBW, d32(0x98).mnemonic);
        assertEquals(Family.CONVERT, Mnemonic.CWD.family());
        assertEquals(Mnemonic.MOVZX, d32(0x0F, 0xB6, 0xC0).mnemonic);
        assertEquals(4, d32(0x0F, 0xB6, 0xC0).operandSize);
        assertReg(d32(0x0F, 0xB6, 0xC4).op(1), 1, 4); // AH
    }

    @Test
    void fetchFaultsPropagate() {
        // 8B 8B: ModRM mod 10 needs a disp32 from byte 2, which faults.
        RuntimeException fault = new IllegalStateException("page fault");
        RuntimeException thrown = assertThrows(IllegalStateException.class,
                () -> Decoder.decode(at -> { if (at >= 2) throw fault; return 0x8B; }, 0, true));
        assertSame(fault, thrown);
    }

    /**
     * The x87 rows against the table of undefined encodings measured on an Intel host
     * (fpu.X87Encodings, itself checked against the host by EncodingTableTest): every register
     * form and every memory form by ModRM.reg is #UD exactly when the host raises #UD. (FISTTP
     * decodes; its emitter raises #UD because jvmx reports no SSE3.)
     */
    @Test
    void x87UndefinedEncodingsAreTheMeasuredOnes() {
        for (int op = 0xD8; op <= 0xDF; op++) {
            for (int modrm = 0; modrm < 256; modrm++) {
                int m = modrm < 0xC0 ? modrm & 0x38 : modrm; // memory forms as [EAX]
                Insn i = d32(op, m, 0, 0, 0, 0);
                boolean undefined = X87Encodings.undefined(op, m);
                assertEquals(undefined, i.invalid == InvalidKind.UD, String.format("%02X %02X: %s", op, m, i.mnemonic));
                assertEquals(2, i.length, "opcode and ModRM");
            }
        }
        assertEquals(Mnemonic.FISTTP, d32(0xDB, 0x08).mnemonic);
        assertEquals(0x308, d32(0xDB, 0x08).fop);
        assertEquals(0x1FA, d32(0x66, 0xD9, 0xFA).fop, "prefixes are not part of FOP");
    }

    /**
     * SSE rows by mandatory prefix (SDM Vol. 2, 2.1.2 and Table A-3): F2 or F3, the last of them,
     * before 66, which then does not change the operand size; an opcode with no row for the prefix
     * is #UD (NP 0F 6F is MMX's MOVQ, F2 0F 6F nothing); the register forms of MOVLPS and MOVHPS are MOVHLPS and
     * MOVLHPS; U operands (the 66 0F 71-73 shifts) and M operands have no memory or register form.
     */
    @Test
    void sseRowsBySelectingPrefix() {
        assertEquals(Mnemonic.MOVDQA, d32(0x66, 0x0F, 0x6F, 0xC1).mnemonic);
        assertEquals(Mnemonic.MOVDQU, d32(0xF3, 0x0F, 0x6F, 0xC1).mnemonic);
        assertEquals(Mnemonic.MOVDQU, d32(0x66, 0xF3, 0x0F, 0x6F, 0xC1).mnemonic, "F3 before 66");
        assertEquals(Mnemonic.MOVDQU, d32(0xF2, 0xF3, 0x0F, 0x6F, 0xC1).mnemonic, "the last of F2, F3");
        assertEquals(Mnemonic.MOVQ, d32(0x0F, 0x6F, 0xC1).mnemonic, "NP: MMX's MOVQ");
        assertEquals(Mnemonic.INVALID, d32(0xF2, 0x0F, 0x6F, 0xC1).mnemonic);
        assertEquals(Mnemonic.MOVUPS, d32(0x0F, 0x10, 0x00).mnemonic);
        assertEquals(Mnemonic.MOVUPD, d32(0x66, 0x0F, 0x10, 0x00).mnemonic);
        assertEquals(Mnemonic.MOVSS, d32(0xF3, 0x0F, 0x10, 0x00).mnemonic);
        assertEquals(Mnemonic.MOVSD, d32(0xF2, 0x0F, 0x10, 0x00).mnemonic);
        assertEquals(4, d32(0x66, 0x0F, 0x6E, 0xC0).operandSize, "66 selected the row: the operand size stays 32");
        assertEquals(Mnemonic.MOVLPS, d32(0x0F, 0x12, 0x00).mnemonic);
        assertEquals(Mnemonic.MOVHLPS, d32(0x0F, 0x12, 0xC1).mnemonic);
        assertEquals(Mnemonic.MOVLHPS, d32(0x0F, 0x16, 0xC1).mnemonic);
        assertEquals(InvalidKind.UD, d32(0x66, 0x0F, 0x12, 0xC1).invalid, "MOVLPD has no register form");
        assertEquals(InvalidKind.UD, d32(0x66, 0x0F, 0xE7, 0xC1).invalid, "MOVNTDQ has no register form");
        Insn shift = d32(0x66, 0x0F, 0x73, 0xDA, 0x05);
        assertEquals(Mnemonic.PSRLDQ, shift.mnemonic);
        assertEquals(5, shift.length);
        assertEquals(Operand.Kind.XMM, shift.operands[0].kind);
        assertEquals(2, shift.operands[0].reg);
        Insn noMember = d32(0x66, 0x0F, 0x73, 0xC2, 0x05);
        assertEquals(Mnemonic.INVALID, noMember.mnemonic, "66 0F 73 /0");
        assertEquals(5, noMember.length, "its immediate still counted");
        assertEquals(InvalidKind.UD, d32(0x66, 0x0F, 0x71, 0x50, 0x00, 0x05).invalid, "U: no memory form");
        Insn m = d32(0x66, 0x0F, 0x6F, 0x04, 0x24);
        assertEquals(16, m.operands[1].size, "m128");
        assertEquals(InvalidKind.UD, d32(0xF0, 0x66, 0x0F, 0xEF, 0x00).invalid, "LOCK");
        assertEquals(Mnemonic.LDMXCSR, d32(0x0F, 0xAE, 0x10).mnemonic);
        assertEquals(Mnemonic.STMXCSR, d32(0x0F, 0xAE, 0x18).mnemonic);
        assertEquals(Mnemonic.CLFLUSH, d32(0x0F, 0xAE, 0x38).mnemonic);
        assertEquals(Mnemonic.SFENCE, d32(0x0F, 0xAE, 0xF8).mnemonic);
        assertEquals(Mnemonic.MOVNTI, d32(0x0F, 0xC3, 0x00).mnemonic);
        assertEquals(InvalidKind.UD, d32(0x66, 0x0F, 0xC3, 0x00).invalid, "NP");
        assertEquals("movdqa (%eax),%xmm1", d32(0x66, 0x0F, 0x6F, 0x08).toString());
        assertEquals("pshufd $0x1b,%xmm1,%xmm0", d32(0x66, 0x0F, 0x70, 0xC1, 0x1B).toString());
    }

    /**
     * MMX rows (SDM Vol. 2 A.2: P an MMX register from ModRM.reg, Q one from ModRM.rm or memory, N a
     * register only): the NP forms of the rows that 66 makes XMM forms, the m32 of PUNPCKLBW and kin,
     * the register-only forms, and the prefix that selects MOVQ2DQ and MOVDQ2Q.
     */
    @Test
    void mmxRows() {
        Insn paddb = d32(0x0F, 0xFC, 0xCA);
        assertEquals(Mnemonic.PADDB, paddb.mnemonic);
        assertEquals(Operand.Kind.MMX, paddb.operands[0].kind);
        assertEquals(1, paddb.operands[0].reg);
        assertEquals(2, paddb.operands[1].reg);
        assertEquals("paddb  %mm2,%mm1", paddb.toString());
        assertEquals(Operand.Kind.XMM, d32(0x66, 0x0F, 0xFC, 0xCA).operands[0].kind);
        assertEquals(8, d32(0x0F, 0x6F, 0x08).operands[1].size, "m64");
        assertEquals(4, d32(0x0F, 0x60, 0x08).operands[1].size, "PUNPCKLBW mm, m32");
        assertEquals(InvalidKind.UD, d32(0x0F, 0x71, 0x50, 0x00, 0x05).invalid, "N: no memory form");
        assertEquals(Mnemonic.INVALID, d32(0x0F, 0x71, 0xC0, 0x05).mnemonic, "0F 71 /0");
        assertEquals(Mnemonic.PSRAW, d32(0x0F, 0x71, 0xE3, 0x05).mnemonic);
        assertEquals(InvalidKind.UD, d32(0x0F, 0xF7, 0x00).invalid, "MASKMOVQ: registers only");
        assertEquals(InvalidKind.UD, d32(0x0F, 0xE7, 0xC0).invalid, "MOVNTQ: memory only");
        assertEquals(Mnemonic.EMMS, d32(0x0F, 0x77).mnemonic);
        assertEquals(InvalidKind.UD, d32(0x66, 0x0F, 0x77).invalid);
        assertEquals(Mnemonic.MOVQ2DQ, d32(0xF3, 0x0F, 0xD6, 0xC1).mnemonic);
        assertEquals(Mnemonic.MOVDQ2Q, d32(0xF2, 0x0F, 0xD6, 0xC1).mnemonic);
        assertEquals(InvalidKind.UD, d32(0x0F, 0xD6, 0xC1).invalid, "NP 0F D6");
        assertEquals(Mnemonic.CVTPI2PS, d32(0x0F, 0x2A, 0xC1).mnemonic);
        assertEquals(Operand.Kind.XMM, d32(0x0F, 0x2A, 0xC1).operands[0].kind);
        assertEquals(Operand.Kind.MMX, d32(0x0F, 0x2A, 0xC1).operands[1].kind);
        assertEquals(16, d32(0x66, 0x0F, 0x2D, 0x00).operands[1].size, "CVTPD2PI's m128");
        assertEquals(Mnemonic.MASKMOVDQU, d32(0x66, 0x0F, 0xF7, 0xC1).mnemonic);
    }
}
