package dev.jvmx.translator.decode;

import java.util.HashMap;
import java.util.Map;

/**
 * Operand kinds of the opcode tables, in the SDM's Appendix A notation (Eb, Gv, Iz, Jb ...).
 * Letters after the addressing method: b byte, w word, d doubleword, v/z operand size.
 */
enum OperandSpec {
    Eb(true), Ew(true), Ed(true), Ev(true),
    /** r/m: a memory word or a register of the operand size (MOV Sreg, SMSW, SLDT, STR). */
    Ewv(true),
    Gb(true), Gw(true), Gv(true),
    /** ModRM.rm as a 32-bit register whatever the mod (MOV CRn/DRn). */
    Rd(false),
    Cd(false), Dd(false), Sw(false),
    /** Memory only, operand-size sized (LEA). */
    M(true),
    /** Memory only, byte (INVLPG). */
    Mb(false),
    /** Far pointer m16:16 / m16:32. */
    Mp(false),
    /** Pseudo-descriptor m16&32 (LGDT ...): 6 bytes. */
    Ms(false),
    /** m64 (CMPXCHG8B). */
    Mq(false),
    /** Pair of operand-size words (BOUND). */
    Ma(false),
    /**
     * x87 memory operands, named as the SDM's instruction pages name them; a row writes the
     * environment and state images with their slash ({@code m14/28byte}, {@code m94/108byte}):
     * 14 or 28 and 94 or 108 bytes by the operand size.
     */
    m2byte(false), m16int(false), m32int(false), m64int(false), m32fp(false), m64fp(false), m80fp(false),
    m80dec(false), m14_28byte(false), m94_108byte(false), m512byte(false),
    /** x87 stack registers: ST(i) with i from ModRM.rm, and the stack top ST(0) that the opcode implies. */
    STi(false), ST0(false),
    /** AX whatever the operand size (FNSTSW AX). */
    AX(false),
    /** Immediate byte, zero-extended. */
    Ib(false),
    /** Immediate byte, sign-extended to the operand size. */
    Ibs(false),
    Iw(false),
    /** Immediate of the operand size (16 or 32 bits). */
    Iz(false),
    Jb(false), Jz(false),
    /** Direct far pointer ptr16:16 / ptr16:32. */
    Ap(false),
    /** Memory offset (moffs) of the address size. */
    Ob(true), Ov(true),
    /** General register from the low three opcode bits. */
    Zb(true), Zv(true),
    AL(true), eAX(true), CL(false), DX(false),
    /** The constant 1 of the D0-D3 shifts. */
    ONE(false),
    ES(false), CS(false), SS(false), DS(false), FS(false), GS(false),
    // SSE/SSE2 (SDM Vol. 2 A.2.1 and A.2.2): V an XMM register from ModRM.reg, W an XMM register from
    // ModRM.rm or memory, U an XMM register from ModRM.rm (a memory form is #UD); x 128 bits, q 64, d 32.
    Vx(false), Wx(false), Wq(false), Wd(false), Ux(false),
    /** m128, memory only (MOVNTPS, MOVNTDQ). */
    Mx(false),
    /** m32, memory only (LDMXCSR, STMXCSR, MOVNTI). */
    Md(false),
    /** A 32-bit general register from ModRM.reg whatever the operand size (MOVMSKPS, PMOVMSKB, MOVNTI). */
    Gd(false),
    // MMX (SDM Vol. 2 A.2.1 and A.2.2): P an MMX register from ModRM.reg, Q an MMX register from ModRM.rm
    // or memory, N an MMX register from ModRM.rm (a memory form is #UD); q 64 bits, d 32 (the memory
    // operand of PUNPCKLBW/WD/DQ mm, mm/m32).
    Pq(false), Qq(false), Qd(false), Nq(false);

    /** Whether this operand, when first of its kind in a row, gives the operation size. */
    final boolean sizing;

    OperandSpec(boolean sizing) {
        this.sizing = sizing;
    }

    boolean usesModrm() {
        switch (this) {
            case Eb: case Ew: case Ed: case Ev: case Ewv: case Gb: case Gw: case Gv: case Rd: case Cd: case Dd:
            case Sw: case M: case Mb: case Mp: case Ms: case Mq: case Ma: case STi:
            case Vx: case Wx: case Wq: case Wd: case Ux: case Mx: case Md: case Gd:
            case Pq: case Qq: case Qd: case Nq:
                return true;
            default:
                return x87Memory();
        }
    }

    /** The x87 memory operands (memory only; their size is the SDM's, see Decoder). */
    boolean x87Memory() {
        switch (this) {
            case m2byte: case m16int: case m32int: case m64int: case m32fp: case m64fp: case m80fp: case m80dec:
            case m14_28byte: case m94_108byte: case m512byte:
                return true;
            default:
                return false;
        }
    }

    /** Operands that only exist in the memory form: mod=3 is #UD. */
    boolean memoryOnly() {
        switch (this) {
            case M: case Mb: case Mp: case Ms: case Mq: case Ma: case Mx: case Md:
                return true;
            default:
                return x87Memory();
        }
    }

    /**
     * Parses an operand kind as the rows write it ({@code m14/28byte} is {@link #m14_28byte}).
     * Through a map of its own: {@code valueOf}'s first call finds an enum's constants by
     * reflection, which set up the JDK's core reflection on the guest's thread before its first
     * instruction.
     */
    static OperandSpec of(String text) {
        OperandSpec s = BY_NAME.get(text.replace('/', '_'));
        if (s == null) {
            throw new IllegalArgumentException("no operand kind " + text);
        }
        return s;
    }

    private static final Map<String, OperandSpec> BY_NAME = byName();

    private static Map<String, OperandSpec> byName() {
        Map<String, OperandSpec> m = new HashMap<>();
        for (OperandSpec s : values()) {
            m.put(s.name(), s);
        }
        return m;
    }
}
