package dev.jvmx.translator.decode;

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
    /** Any memory, for x87 escapes: only its length matters. */
    Mx(false),
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
    ES(false), CS(false), SS(false), DS(false), FS(false), GS(false);

    /** Whether this operand, when first of its kind in a row, gives the operation size. */
    final boolean sizing;

    OperandSpec(boolean sizing) {
        this.sizing = sizing;
    }

    boolean usesModrm() {
        switch (this) {
            case Eb: case Ew: case Ed: case Ev: case Ewv: case Gb: case Gw: case Gv: case Rd: case Cd: case Dd:
            case Sw: case M: case Mb: case Mp: case Ms: case Mq: case Ma: case Mx:
                return true;
            default:
                return false;
        }
    }

    /** Operands that only exist in the memory form: mod=3 is #UD. */
    boolean memoryOnly() {
        switch (this) {
            case M: case Mb: case Mp: case Ms: case Mq: case Ma:
                return true;
            default:
                return false;
        }
    }
}
