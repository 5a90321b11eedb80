package dev.jvmx.translator.decode;

/**
 * IA-32 instruction decoder for 16- and 32-bit code segments (SDM Vol. 2 chapter 2 and Appendix A).
 * Stateless and thread-safe; the only allocations are the {@link Insn} and its operands.
 */
public final class Decoder {
    /** SDM Vol. 2 2.3.11: an instruction longer than this raises #GP(0). */
    public static final int MAX_LENGTH = 15;

    private static final int ES = 0, CS = 1, SS = 2, DS = 3, FS = 4, GS = 5;

    /** 16-bit ModRM.rm: base and index registers (SDM Vol. 2 Table 2-1). */
    private static final int[] BASE16 = {3, 3, 5, 5, 6, 7, 5, 3};
    private static final int[] INDEX16 = {6, 7, 6, 7, -1, -1, -1, -1};

    /** Thrown when a 16th byte would be needed; preallocated, no stack trace. */
    private static final class TooLong extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLong() {
            super("instruction longer than 15 bytes", null, false, false);
        }
    }

    private static final TooLong TOO_LONG = new TooLong();

    private Decoder() {
    }

    /**
     * Decodes the instruction at {@code eip}. {@code default32} is CS.D. Exceptions thrown by
     * the fetcher (page faults) propagate.
     */
    public static Insn decode(CodeFetcher f, int eip, boolean default32) {
        try {
            return decodeChecked(f, eip, default32);
        } catch (TooLong e) {
            return new Insn(Mnemonic.INVALID, -1, -1, -1, 0, -1, default32 ? 4 : 2, default32 ? 4 : 2, null, -1, eip,
                    MAX_LENGTH, InvalidKind.GP, default32);
        }
    }

    private static int fetch(CodeFetcher f, int eip, int pos, boolean default32) {
        if (pos >= MAX_LENGTH) {
            throw TOO_LONG;
        }
        int at = eip + pos;
        return f.fetch(default32 ? at : at & 0xFFFF) & 0xFF;
    }

    private static Insn decodeChecked(CodeFetcher f, int eip, boolean d32) {
        int pos = 0;
        int prefixes = 0;
        int seg = -1;
        int b;
        prefixLoop:
        while (true) {
            b = fetch(f, eip, pos++, d32);
            switch (b) {
                case 0x26: seg = ES; break;
                case 0x2E: seg = CS; break;
                case 0x36: seg = SS; break;
                case 0x3E: seg = DS; break;
                case 0x64: seg = FS; break;
                case 0x65: seg = GS; break;
                case 0x66: prefixes |= Prefix.OPSIZE; break;
                case 0x67: prefixes |= Prefix.ADDRSIZE; break;
                case 0xF0: prefixes |= Prefix.LOCK; break;
                // Of F2 and F3 the last one counts.
                case 0xF2: prefixes = (prefixes & ~Prefix.REP) | Prefix.REPNE; break;
                case 0xF3: prefixes = (prefixes & ~Prefix.REPNE) | Prefix.REP; break;
                default: break prefixLoop;
            }
        }
        int opsize = (d32 ^ (prefixes & Prefix.OPSIZE) != 0) ? 4 : 2;
        int adsize = (d32 ^ (prefixes & Prefix.ADDRSIZE) != 0) ? 4 : 2;

        int opcode = b;
        OpcodeRow row;
        if (b == 0x0F) {
            int b2 = fetch(f, eip, pos++, d32);
            opcode = 0x0F00 | b2;
            row = OpcodeMaps.TWO_BYTE[b2];
            // SSE: F2 or F3 (the last one) selects the row before 66 does (SDM Vol. 2, 2.1.2); a
            // prefix that selects the instruction does not change the operand size.
            int k = (prefixes & Prefix.REP) != 0 ? OpcodeMaps.PF3 : (prefixes & Prefix.REPNE) != 0 ? OpcodeMaps.PF2
                    : (prefixes & Prefix.OPSIZE) != 0 ? OpcodeMaps.P66 : OpcodeMaps.NP;
            OpcodeRow sse = OpcodeMaps.MANDATORY[k][b2];
            if (sse != null) {
                row = sse;
                if (k == OpcodeMaps.P66) {
                    opsize = d32 ? 4 : 2;
                }
            }
        } else {
            row = OpcodeMaps.ONE_BYTE[b];
        }

        int modrm = -1, mod = 0, reg = -1, rm = 0;
        if (row.modrm) {
            modrm = fetch(f, eip, pos++, d32);
            mod = modrm >> 6;
            reg = (modrm >> 3) & 7;
            rm = modrm & 7;
            if (row.group != null) {
                row = mod == 3 ? row.member(modrm) : row.group[reg];
            }
        }
        Mnemonic mnemonic = row.mnemonic;
        boolean ud = mnemonic == Mnemonic.INVALID || mnemonic == Mnemonic.UD2;

        // ModRM memory addressing comes before any immediate in the byte stream.
        Operand memory = null;
        if (row.rmSpec != null && mod != 3) {
            int memSize = memorySize(row.rmSpec, opsize);
            int base, index = -1, scale = 0, disp = 0;
            if (adsize == 2) {
                if (mod == 0 && rm == 6) {
                    base = -1;
                    disp = (short) fetch16(f, eip, pos, d32);
                    pos += 2;
                } else {
                    base = BASE16[rm];
                    index = INDEX16[rm];
                    if (mod == 1) {
                        disp = (byte) fetch(f, eip, pos++, d32);
                    } else if (mod == 2) {
                        disp = (short) fetch16(f, eip, pos, d32);
                        pos += 2;
                    }
                }
            } else {
                base = rm;
                if (rm == 4) {
                    int sib = fetch(f, eip, pos++, d32);
                    scale = sib >> 6;
                    index = (sib >> 3) & 7;
                    if (index == 4) {
                        index = -1;
                    }
                    base = sib & 7;
                    if (base == 5 && mod == 0) {
                        base = -1;
                        disp = fetch32(f, eip, pos, d32);
                        pos += 4;
                    }
                } else if (rm == 5 && mod == 0) {
                    base = -1;
                    disp = fetch32(f, eip, pos, d32);
                    pos += 4;
                }
                if (mod == 1) {
                    disp = (byte) fetch(f, eip, pos++, d32);
                } else if (mod == 2) {
                    disp = fetch32(f, eip, pos, d32);
                    pos += 4;
                }
            }
            int effSeg = seg >= 0 ? seg : (base == 5 || (adsize == 4 && base == 4)) ? SS : DS;
            memory = Operand.mem(memSize, base, index, scale, disp, effSeg);
        }

        OperandSpec[] specs = row.operands;
        int count = specs.length;
        Operand[] ops = count == 0 ? null : new Operand[count];
        for (int i = 0; i < count; i++) {
            OperandSpec s = specs[i];
            Operand o;
            switch (s) {
                case m2byte: case m16int: case m32int: case m64int: case m32fp: case m64fp: case m80fp:
                case m80dec: case m14_28byte: case m94_108byte: case m512byte:
                case Eb: case Ew: case Ed: case Ev: case Ewv:
                case M: case Mb: case Mp: case Ms: case Mq: case Ma: case Md:
                    if (mod != 3) {
                        o = memory;
                    } else {
                        if (s.memoryOnly()) {
                            ud = true;
                        }
                        o = Operand.reg(registerSize(s, opsize), rm);
                    }
                    break;
                case Wx: case Wq: case Wd: case Mx:
                    if (mod != 3) {
                        o = memory;
                    } else {
                        ud |= s == OperandSpec.Mx;
                        o = Operand.xmm(rm);
                    }
                    break;
                case Ux:
                    ud |= mod != 3;
                    o = mod != 3 ? memory : Operand.xmm(rm);
                    break;
                case Vx: o = Operand.xmm(reg); break;
                case Qq: case Qd: o = mod != 3 ? memory : Operand.mmx(rm); break;
                case Nq:
                    ud |= mod != 3;
                    o = mod != 3 ? memory : Operand.mmx(rm);
                    break;
                case Pq: o = Operand.mmx(reg); break;
                case Gd: o = Operand.reg(4, reg); break;
                case Gb: o = Operand.reg(1, reg); break;
                case Gw: o = Operand.reg(2, reg); break;
                case Gv: o = Operand.reg(opsize, reg); break;
                case Rd: o = Operand.reg(4, rm); break;
                case Cd:
                    // CR1 and CR5-CR7 are reserved (SDM Vol. 2 MOV-Move to/from Control Registers).
                    if (reg == 1 || reg >= 5) {
                        ud = true;
                    }
                    o = Operand.cr(reg);
                    break;
                case Dd: o = Operand.dr(reg); break;
                case Sw:
                    if (reg > GS || (mnemonic == Mnemonic.MOV_SEG_LOAD && reg == CS)) {
                        ud = true;
                    }
                    o = Operand.seg(reg);
                    break;
                case Ib: o = Operand.imm(1, fetch(f, eip, pos++, d32)); break;
                case Ibs: o = Operand.imm(opsize, (byte) fetch(f, eip, pos++, d32)); break;
                case Iw:
                    o = Operand.imm(2, fetch16(f, eip, pos, d32));
                    pos += 2;
                    break;
                case Iz:
                    if (opsize == 2) {
                        o = Operand.imm(2, fetch16(f, eip, pos, d32));
                        pos += 2;
                    } else {
                        o = Operand.imm(4, fetch32(f, eip, pos, d32));
                        pos += 4;
                    }
                    break;
                case Jb: o = Operand.rel(1, (byte) fetch(f, eip, pos++, d32)); break;
                case Jz:
                    if (opsize == 2) {
                        o = Operand.rel(2, (short) fetch16(f, eip, pos, d32));
                        pos += 2;
                    } else {
                        o = Operand.rel(4, fetch32(f, eip, pos, d32));
                        pos += 4;
                    }
                    break;
                case Ap: {
                    int offset;
                    if (opsize == 2) {
                        offset = fetch16(f, eip, pos, d32);
                        pos += 2;
                    } else {
                        offset = fetch32(f, eip, pos, d32);
                        pos += 4;
                    }
                    int selector = fetch16(f, eip, pos, d32);
                    pos += 2;
                    o = Operand.far(opsize + 2, selector, offset);
                    break;
                }
                case Ob: case Ov: {
                    int offset;
                    if (adsize == 2) {
                        offset = (short) fetch16(f, eip, pos, d32);
                        pos += 2;
                    } else {
                        offset = fetch32(f, eip, pos, d32);
                        pos += 4;
                    }
                    o = Operand.mem(s == OperandSpec.Ob ? 1 : opsize, -1, -1, 0, offset, seg >= 0 ? seg : DS);
                    break;
                }
                case Zb: o = Operand.reg(1, opcode & 7); break;
                case Zv: o = Operand.reg(opsize, opcode & 7); break;
                case AL: o = Operand.reg(1, 0); break;
                case eAX: o = Operand.reg(opsize, 0); break;
                case CL: o = Operand.reg(1, 1); break;
                case DX: o = Operand.reg(2, 2); break;
                case AX: o = Operand.reg(2, 0); break;
                case STi: o = Operand.st(rm); break;
                case ST0: o = Operand.stTop(); break;
                case ONE: o = Operand.imm(1, 1); break;
                case ES: o = Operand.seg(ES); break;
                case CS: o = Operand.seg(CS); break;
                case SS: o = Operand.seg(SS); break;
                case DS: o = Operand.seg(DS); break;
                case FS: o = Operand.seg(FS); break;
                case GS: o = Operand.seg(GS); break;
                default: throw new AssertionError(s);
            }
            ops[i] = o;
        }

        if (opcode == 0x90 && (prefixes & Prefix.REP) != 0) {
            mnemonic = Mnemonic.PAUSE;
        }
        // The register forms of MOVLPS and MOVHPS are other instructions (SDM Vol. 2, MOVHLPS, MOVLHPS).
        if (mod == 3 && mnemonic == Mnemonic.MOVLPS && opcode == 0x0F12) {
            mnemonic = Mnemonic.MOVHLPS;
        } else if (mod == 3 && mnemonic == Mnemonic.MOVHPS && opcode == 0x0F16) {
            mnemonic = Mnemonic.MOVLHPS;
        }
        if (mnemonic.np() && (prefixes & (Prefix.OPSIZE | Prefix.REP | Prefix.REPNE)) != 0) {
            ud = true;
        }
        if ((prefixes & Prefix.LOCK) != 0
                && (!mnemonic.lockable() || ops == null || !ops[0].isMem())) {
            ud = true;
        }
        int size;
        if (row.fixedSize != 0) {
            size = row.fixedSize;
        } else if (row.sizingIndex >= 0 && row.sizingIndex < count) {
            size = ops[row.sizingIndex].size;
        } else {
            size = opsize;
        }
        int cond = (mnemonic == Mnemonic.JCC || mnemonic == Mnemonic.SETCC || mnemonic == Mnemonic.CMOVCC)
                ? opcode & 0xF : -1;
        if (ud && mnemonic != Mnemonic.UD2) {
            mnemonic = Mnemonic.INVALID;
        }
        return new Insn(mnemonic, opcode, modrm, reg, prefixes, seg, size, adsize, ops, cond, eip, pos,
                ud ? InvalidKind.UD : null, d32);
    }

    private static int memorySize(OperandSpec s, int opsize) {
        switch (s) {
            case Eb: case Mb: return 1;
            case Ew: case Ewv: return 2;
            case Ed: case Wd: case Md: case Qd: return 4;
            case Wq: case Qq: case Nq: return 8;
            case Wx: case Ux: case Mx: return 16;
            case m2byte: case m16int: return 2;
            case m32int: case m32fp: return 4;
            case m64int: case m64fp: return 8;
            case m80fp: case m80dec: return 10;
            // SDM Vol. 1, 8.1.10 and 8.1.11: the 16- and 32-bit environment and state images.
            case m14_28byte: return opsize == 4 ? 28 : 14;
            case m94_108byte: return opsize == 4 ? 108 : 94;
            case m512byte: return 512;
            case Mp: return opsize + 2;
            case Ms: return 6;
            case Mq: return 8;
            case Ma: return opsize * 2;
            default: return opsize; // Ev, M
        }
    }

    private static int registerSize(OperandSpec s, int opsize) {
        switch (s) {
            case Eb: case Mb: return 1;
            case Ew: return 2;
            case Ed: return 4;
            default: return opsize;
        }
    }

    private static int fetch16(CodeFetcher f, int eip, int pos, boolean d32) {
        return fetch(f, eip, pos, d32) | fetch(f, eip, pos + 1, d32) << 8;
    }

    private static int fetch32(CodeFetcher f, int eip, int pos, boolean d32) {
        return fetch16(f, eip, pos, d32) | fetch16(f, eip, pos + 2, d32) << 16;
    }
}
