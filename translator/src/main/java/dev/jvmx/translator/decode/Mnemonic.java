package dev.jvmx.translator.decode;

import dev.jvmx.vmx.ExitReason;

import java.util.List;

import static dev.jvmx.translator.decode.Facts.is;
import static dev.jvmx.translator.decode.Family.*;
import static dev.jvmx.translator.decode.FlagEffect.*;
import static dev.jvmx.vmx.ExitReason.*;

/**
 * Every instruction jvmx decodes, one row each, with the SDM's names: the single list for the
 * decoder, the disassembler, the code generator's dispatch, statistics and the test harnesses.
 *
 * <p>A row holds the instruction's family, its {@link Facts} and its encodings in the SDM's
 * opcode-map notation (Vol. 2, Appendix A), parsed by {@link OpcodeMaps}:
 * <ul>
 * <li>{@code "00 Eb,Gb"}: one-byte opcode 00 with its operand kinds ({@link OperandSpec});</li>
 * <li>{@code "0F AF Gv,Ev"}: a two-byte opcode;</li>
 * <li>{@code "80/2 Eb,Ib"}: a group member selected by ModRM.reg;</li>
 * <li>{@code "40-47 Zv"}, {@code "0F 80-8F Jz"}: a range of opcodes with the same operands
 *     (register in the low three bits, or a condition in the low four);</li>
 * <li>{@code "D8 C0-C7 ST0,STi"}, {@code "D9 E0"}: an x87 register form selected by its whole
 *     ModRM byte (or a range of them); the x87 memory forms are group members with the operand
 *     kinds of the SDM's x87 pages ({@code "DD/0 m64fp"}, {@code "D9/4 m14/28byte"});</li>
 * <li>a trailing {@code @b} or {@code @w} fixes the operation size (MOVSB, SAHF ...).</li>
 * </ul>
 * Adding an instruction is one row here and one emitter method (see codegen.Emitters).
 */
public enum Mnemonic {
    ADD(ARITH, is().lockable().flags(ALU), "00 Eb,Gb", "01 Ev,Gv", "02 Gb,Eb", "03 Gv,Ev", "04 AL,Ib", "05 eAX,Iz",
            "80/0 Eb,Ib", "81/0 Ev,Iz", "82/0 Eb,Ib", "83/0 Ev,Ibs"),
    OR(Family.LOGIC, is().lockable().flags(FlagEffect.LOGIC), "08 Eb,Gb", "09 Ev,Gv", "0A Gb,Eb", "0B Gv,Ev", "0C AL,Ib",
            "0D eAX,Iz", "80/1 Eb,Ib", "81/1 Ev,Iz", "82/1 Eb,Ib", "83/1 Ev,Ibs"),
    ADC(ARITH, is().lockable().flags(ALU), "10 Eb,Gb", "11 Ev,Gv", "12 Gb,Eb", "13 Gv,Ev", "14 AL,Ib", "15 eAX,Iz",
            "80/2 Eb,Ib", "81/2 Ev,Iz", "82/2 Eb,Ib", "83/2 Ev,Ibs"),
    SBB(ARITH, is().lockable().flags(ALU), "18 Eb,Gb", "19 Ev,Gv", "1A Gb,Eb", "1B Gv,Ev", "1C AL,Ib", "1D eAX,Iz",
            "80/3 Eb,Ib", "81/3 Ev,Iz", "82/3 Eb,Ib", "83/3 Ev,Ibs"),
    AND(Family.LOGIC, is().lockable().flags(FlagEffect.LOGIC), "20 Eb,Gb", "21 Ev,Gv", "22 Gb,Eb", "23 Gv,Ev", "24 AL,Ib",
            "25 eAX,Iz", "80/4 Eb,Ib", "81/4 Ev,Iz", "82/4 Eb,Ib", "83/4 Ev,Ibs"),
    SUB(ARITH, is().lockable().flags(ALU), "28 Eb,Gb", "29 Ev,Gv", "2A Gb,Eb", "2B Gv,Ev", "2C AL,Ib", "2D eAX,Iz",
            "80/5 Eb,Ib", "81/5 Ev,Iz", "82/5 Eb,Ib", "83/5 Ev,Ibs"),
    XOR(Family.LOGIC, is().lockable().flags(FlagEffect.LOGIC), "30 Eb,Gb", "31 Ev,Gv", "32 Gb,Eb", "33 Gv,Ev", "34 AL,Ib",
            "35 eAX,Iz", "80/6 Eb,Ib", "81/6 Ev,Iz", "82/6 Eb,Ib", "83/6 Ev,Ibs"),
    CMP(ARITH, is().flags(ALU), "38 Eb,Gb", "39 Ev,Gv", "3A Gb,Eb", "3B Gv,Ev", "3C AL,Ib", "3D eAX,Iz",
            "80/7 Eb,Ib", "81/7 Ev,Iz", "82/7 Eb,Ib", "83/7 Ev,Ibs"),
    TEST(Family.LOGIC, is().flags(FlagEffect.LOGIC), "84 Eb,Gb", "85 Ev,Gv", "A8 AL,Ib", "A9 eAX,Iz", "F6/0 Eb,Ib",
            "F6/1 Eb,Ib", "F7/0 Ev,Iz", "F7/1 Ev,Iz"),
    INC(INCDEC, is().lockable().flags(INC_DEC), "40-47 Zv", "FE/0 Eb", "FF/0 Ev"),
    DEC(INCDEC, is().lockable().flags(INC_DEC), "48-4F Zv", "FE/1 Eb", "FF/1 Ev"),
    NEG(ARITH, is().lockable().flags(ALU), "F6/3 Eb", "F7/3 Ev"),
    NOT(Family.LOGIC, is().lockable(), "F6/2 Eb", "F7/2 Ev"),

    MUL(MULDIV, is().flags(MULTIPLY), "F6/4 Eb", "F7/4 Ev"),
    IMUL(MULDIV, is().flags(MULTIPLY), "F6/5 Eb", "F7/5 Ev", "0F AF Gv,Ev", "69 Gv,Ev,Iz", "6B Gv,Ev,Ibs"),
    DIV(MULDIV, is().flags(DIVIDE), "F6/6 Eb", "F7/6 Ev"),
    IDIV(MULDIV, is().flags(DIVIDE), "F6/7 Eb", "F7/7 Ev"),

    ROL(Family.SHIFT, is().flags(ROTATE), "C0/0 Eb,Ib", "C1/0 Ev,Ib", "D0/0 Eb,ONE", "D1/0 Ev,ONE", "D2/0 Eb,CL",
            "D3/0 Ev,CL"),
    ROR(Family.SHIFT, is().flags(ROTATE), "C0/1 Eb,Ib", "C1/1 Ev,Ib", "D0/1 Eb,ONE", "D1/1 Ev,ONE", "D2/1 Eb,CL",
            "D3/1 Ev,CL"),
    RCL(Family.SHIFT, is().flags(ROTATE), "C0/2 Eb,Ib", "C1/2 Ev,Ib", "D0/2 Eb,ONE", "D1/2 Ev,ONE", "D2/2 Eb,CL",
            "D3/2 Ev,CL"),
    RCR(Family.SHIFT, is().flags(ROTATE), "C0/3 Eb,Ib", "C1/3 Ev,Ib", "D0/3 Eb,ONE", "D1/3 Ev,ONE", "D2/3 Eb,CL",
            "D3/3 Ev,CL"),
    /** SHL, and its alias SAL at /6. */
    SHL(Family.SHIFT, is().flags(FlagEffect.SHIFT), "C0/4 Eb,Ib", "C1/4 Ev,Ib", "D0/4 Eb,ONE", "D1/4 Ev,ONE",
            "D2/4 Eb,CL", "D3/4 Ev,CL", "C0/6 Eb,Ib", "C1/6 Ev,Ib", "D0/6 Eb,ONE", "D1/6 Ev,ONE", "D2/6 Eb,CL",
            "D3/6 Ev,CL"),
    SHR(Family.SHIFT, is().flags(FlagEffect.SHIFT), "C0/5 Eb,Ib", "C1/5 Ev,Ib", "D0/5 Eb,ONE", "D1/5 Ev,ONE",
            "D2/5 Eb,CL", "D3/5 Ev,CL"),
    SAR(Family.SHIFT, is().flags(SHIFT_ARITHMETIC), "C0/7 Eb,Ib", "C1/7 Ev,Ib", "D0/7 Eb,ONE", "D1/7 Ev,ONE",
            "D2/7 Eb,CL", "D3/7 Ev,CL"),
    SHLD(Family.SHIFT, is().flags(SHIFT_DOUBLE), "0F A4 Ev,Gv,Ib", "0F A5 Ev,Gv,CL"),
    SHRD(Family.SHIFT, is().flags(SHIFT_DOUBLE), "0F AC Ev,Gv,Ib", "0F AD Ev,Gv,CL"),

    DAA(BCD, is().flags(DECIMAL_ADJUST), "27 @b"),
    DAS(BCD, is().flags(DECIMAL_ADJUST), "2F @b"),
    AAA(BCD, is().flags(ASCII_ADJUST), "37 @b"),
    AAS(BCD, is().flags(ASCII_ADJUST), "3F @b"),
    AAM(BCD, is().flags(ASCII_MULTIPLY), "D4 Ib"),
    AAD(BCD, is().flags(ASCII_MULTIPLY), "D5 Ib"),

    MOV(DATA, is(), "88 Eb,Gb", "89 Ev,Gv", "8A Gb,Eb", "8B Gv,Ev", "A0 AL,Ob", "A1 eAX,Ov", "A2 Ob,AL", "A3 Ov,eAX",
            "B0-B7 Zb,Ib", "B8-BF Zv,Iz", "C6/0 Eb,Ib", "C7/0 Ev,Iz"),
    MOVZX(DATA, is(), "0F B6 Gv,Eb", "0F B7 Gv,Ew"),
    MOVSX(DATA, is(), "0F BE Gv,Eb", "0F BF Gv,Ew"),
    XCHG(DATA, is().lockable(), "86 Eb,Gb", "87 Ev,Gv", "91-97 Zv,eAX"),
    XADD(DATA, is().lockable().flags(ALU), "0F C0 Eb,Gb", "0F C1 Ev,Gv"),
    CMPXCHG(DATA, is().lockable().flags(ALU), "0F B0 Eb,Gb", "0F B1 Ev,Gv"),
    CMPXCHG8B(DATA, is().lockable().flags(ZF_ONLY), "0F C7/1 Mq"),
    BSWAP(DATA, is(), "0F C8-CF Zv"),
    LEA(DATA, is(), "8D Gv,M"),
    XLAT(DATA, is(), "D7 @b"),
    /** CBW or CWDE by operand size. */
    CBW(CONVERT, is(), "98"),
    /** CWD or CDQ by operand size. */
    CWD(CONVERT, is(), "99"),
    CMOVCC(DATA, is(), "0F 40-4F Gv,Ev"),
    SETCC(DATA, is(), "0F 90-9F Eb"),

    LAHF(FLAGS, is(), "9F @b"),
    SAHF(FLAGS, is().flags(FROM_AH), "9E @b"),
    /** Undocumented D6: AL = CF ? FF : 00. */
    SALC(FLAGS, is(), "D6 @b"),
    CLC(FLAGS, is().flags(CF_ONLY), "F8"),
    STC(FLAGS, is().flags(CF_ONLY), "F9"),
    CMC(FLAGS, is().flags(CF_ONLY), "F5"),
    CLD(FLAGS, is(), "FC"),
    STD(FLAGS, is(), "FD"),
    CLI(FLAGS, is().endsBlock(), "FA"),
    STI(FLAGS, is().endsBlock(), "FB"),

    PUSH(STACK, is(), "50-57 Zv", "68 Iz", "6A Ibs", "FF/6 Ev"),
    POP(STACK, is(), "58-5F Zv", "8F/0 Ev"),
    PUSH_SEG(STACK, is(), "06 ES", "0E CS", "16 SS", "1E DS", "0F A0 FS", "0F A8 GS"),
    PUSHA(STACK, is(), "60"),
    POPA(STACK, is(), "61"),
    PUSHF(STACK, is(), "9C"),
    POPF(STACK, is().flags(ALL_LOADED).endsBlock(), "9D"),
    ENTER(STACK, is(), "C8 Iw,Ib"),
    LEAVE(STACK, is(), "C9"),

    MOV_SEG_LOAD(SEGMENT, is(), "8E Sw,Ewv"),
    MOV_SEG_STORE(SEGMENT, is(), "8C Ewv,Sw"),
    POP_SEG(SEGMENT, is(), "07 ES", "17 SS", "1F DS", "0F A1 FS", "0F A9 GS"),
    LDS(SEGMENT, is(), "C5 Gv,Mp"),
    LES(SEGMENT, is(), "C4 Gv,Mp"),
    LFS(SEGMENT, is(), "0F B4 Gv,Mp"),
    LGS(SEGMENT, is(), "0F B5 Gv,Mp"),
    LSS(SEGMENT, is(), "0F B2 Gv,Mp"),

    JMP(CONTROL, is(), "E9 Jz", "EB Jb"),
    JMP_IND(CONTROL, is(), "FF/4 Ev"),
    JMP_FAR(CONTROL, is(), "EA Ap"),
    JMP_FAR_IND(CONTROL, is(), "FF/5 Mp"),
    CALL(CONTROL, is(), "E8 Jz"),
    CALL_IND(CONTROL, is(), "FF/2 Ev"),
    CALL_FAR(CONTROL, is(), "9A Ap"),
    CALL_FAR_IND(CONTROL, is(), "FF/3 Mp"),
    RET(CONTROL, is(), "C3", "C2 Iw"),
    RETF(CONTROL, is(), "CB", "CA Iw"),
    JCC(CONTROL, is(), "70-7F Jb", "0F 80-8F Jz"),
    JCXZ(CONTROL, is(), "E3 Jb"),
    LOOP(CONTROL, is(), "E2 Jb"),
    LOOPE(CONTROL, is(), "E1 Jb"),
    LOOPNE(CONTROL, is(), "E0 Jb"),
    INT(CONTROL, is(), "CD Ib"),
    INT3(CONTROL, is(), "CC"),
    INTO(CONTROL, is(), "CE"),
    /** INT1 (ICEBP): #DB as a privileged software exception, the debug trap of in-circuit emulators. */
    INT1(CONTROL, is(), "F1"),
    IRET(CONTROL, is(), "CF"),
    BOUND(CONTROL, is(), "62 Gv,Ma"),

    MOVS(STRING, is(), "A4 @b", "A5"),
    CMPS(STRING, is().flags(ALU), "A6 @b", "A7"),
    STOS(STRING, is(), "AA @b", "AB"),
    LODS(STRING, is(), "AC @b", "AD"),
    SCAS(STRING, is().flags(ALU), "AE @b", "AF"),
    INS(IO, is().exit(IO_INSTRUCTION).endsBlock(), "6C @b", "6D"),
    OUTS(IO, is().exit(IO_INSTRUCTION).endsBlock(), "6E @b", "6F"),
    /** IN and OUT do not end their block: the code leaves it after one only when the device asked for attention. */
    IN(IO, is().exit(IO_INSTRUCTION), "E4 AL,Ib", "E5 eAX,Ib", "EC AL,DX", "ED eAX,DX"),
    OUT(IO, is().exit(IO_INSTRUCTION), "E6 Ib,AL", "E7 Ib,eAX", "EE DX,AL", "EF DX,eAX"),

    BT(BITOP, is().flags(BIT_TEST), "0F A3 Ev,Gv", "0F BA/4 Ev,Ib"),
    BTS(BITOP, is().lockable().flags(BIT_TEST), "0F AB Ev,Gv", "0F BA/5 Ev,Ib"),
    BTR(BITOP, is().lockable().flags(BIT_TEST), "0F B3 Ev,Gv", "0F BA/6 Ev,Ib"),
    BTC(BITOP, is().lockable().flags(BIT_TEST), "0F BB Ev,Gv", "0F BA/7 Ev,Ib"),
    BSF(BITOP, is().flags(BIT_SCAN), "0F BC Gv,Ev"),
    BSR(BITOP, is().flags(BIT_SCAN), "0F BD Gv,Ev"),

    HLT(SYSTEM, is().privilege(Privilege.CPL0).exit(ExitReason.HLT), "F4"),
    CPUID(SYSTEM, is().exit(ExitReason.CPUID), "0F A2"),
    RDTSC(SYSTEM, is().privilege(Privilege.TIME_STAMP_DISABLE).exit(ExitReason.RDTSC), "0F 31"),
    /** RDTSC and IA32_TSC_AUX in ECX; its register form makes group 0F 01's other register forms explicit rows. */
    RDTSCP(SYSTEM, is().privilege(Privilege.TIME_STAMP_DISABLE).exit(ExitReason.RDTSCP), "0F 01 F9"),
    /** Clear / set EFLAGS.AC, which lifts SMAP for supervisor data accesses (CPUID.(EAX=7,ECX=0):EBX[20]). */
    CLAC(FLAGS, is().privilege(Privilege.CPL0_ELSE_UNDEFINED), "0F 01 CA"),
    STAC(FLAGS, is().privilege(Privilege.CPL0_ELSE_UNDEFINED), "0F 01 CB"),
    RDMSR(SYSTEM, is().privilege(Privilege.CPL0).exit(ExitReason.RDMSR), "0F 32"),
    WRMSR(SYSTEM, is().privilege(Privilege.CPL0).exit(ExitReason.WRMSR), "0F 30"),
    RDPMC(SYSTEM, is().privilege(Privilege.PERFORMANCE_COUNTER_ENABLE).exit(ExitReason.RDPMC), "0F 33"),
    MOV_TO_CR(SYSTEM, is().privilege(Privilege.CPL0).exit(CONTROL_REGISTER_ACCESS), "0F 22 Cd,Rd"),
    MOV_FROM_CR(SYSTEM, is().privilege(Privilege.CPL0).exit(CONTROL_REGISTER_ACCESS), "0F 20 Rd,Cd"),
    MOV_TO_DR(SYSTEM, is().privilege(Privilege.CPL0).exit(MOV_DR), "0F 23 Dd,Rd"),
    MOV_FROM_DR(SYSTEM, is().privilege(Privilege.CPL0).exit(MOV_DR), "0F 21 Rd,Dd"),
    LGDT(SYSTEM, is().privilege(Privilege.CPL0).exit(GDTR_IDTR_ACCESS), "0F 01/2 Ms"),
    LIDT(SYSTEM, is().privilege(Privilege.CPL0).exit(GDTR_IDTR_ACCESS), "0F 01/3 Ms"),
    SGDT(SYSTEM, is().privilege(Privilege.USER_MODE_INSTRUCTION_PREVENTION).exit(GDTR_IDTR_ACCESS), "0F 01/0 Ms"),
    SIDT(SYSTEM, is().privilege(Privilege.USER_MODE_INSTRUCTION_PREVENTION).exit(GDTR_IDTR_ACCESS), "0F 01/1 Ms"),
    LLDT(SYSTEM, is().privilege(Privilege.PROTECTED_CPL0).exit(LDTR_TR_ACCESS), "0F 00/2 Ew"),
    LTR(SYSTEM, is().privilege(Privilege.PROTECTED_CPL0).exit(LDTR_TR_ACCESS), "0F 00/3 Ew"),
    SLDT(SYSTEM, is().privilege(Privilege.PROTECTED_USER_MODE_INSTRUCTION_PREVENTION).exit(LDTR_TR_ACCESS), "0F 00/0 Ewv"),
    STR(SYSTEM, is().privilege(Privilege.PROTECTED_USER_MODE_INSTRUCTION_PREVENTION).exit(LDTR_TR_ACCESS), "0F 00/1 Ewv"),
    LMSW(SYSTEM, is().privilege(Privilege.CPL0).exit(CONTROL_REGISTER_ACCESS), "0F 01/6 Ew", "0F 01 F0-F7 Ew"),
    /** Not an exit under VT-x: CR0's low bits are readable at any CPL unless CR4.UMIP (a virtualization hole). */
    SMSW(SYSTEM, is().privilege(Privilege.USER_MODE_INSTRUCTION_PREVENTION), "0F 01/4 Ewv", "0F 01 E0-E7 Ewv"),
    CLTS(SYSTEM, is().privilege(Privilege.CPL0).exit(CONTROL_REGISTER_ACCESS), "0F 06"),
    INVLPG(SYSTEM, is().privilege(Privilege.CPL0).exit(ExitReason.INVLPG), "0F 01/7 Mb"),
    INVD(SYSTEM, is().privilege(Privilege.CPL0).exit(ExitReason.INVD), "0F 08"),
    WBINVD(SYSTEM, is().privilege(Privilege.CPL0).exit(ExitReason.WBINVD), "0F 09"),
    LAR(SYSTEM, is().privilege(Privilege.PROTECTED), "0F 02 Gv,Ew"),
    LSL(SYSTEM, is().privilege(Privilege.PROTECTED), "0F 03 Gv,Ew"),
    VERR(SYSTEM, is().privilege(Privilege.PROTECTED), "0F 00/4 Ew"),
    VERW(SYSTEM, is().privilege(Privilege.PROTECTED), "0F 00/5 Ew"),
    ARPL(SYSTEM, is().privilege(Privilege.PROTECTED), "63 Ew,Gw"),
    SYSENTER(SYSTEM, is(), "0F 34"),
    SYSEXIT(SYSTEM, is().privilege(Privilege.CPL0), "0F 35"),

    /** Raises #UD by definition; its own name so statistics can tell it from garbage. */
    UD2(Family.INVALID, is(), "0F 0B"),
    /** NOP, and the hint NOPs of 0F 18-1F (PREFETCHh, the multi-byte NOP). */
    NOP(Family.NOP, is(), "90", "0F 18-1F Ev"),
    /** F3 90: the decoder renames a NOP with a REP prefix. */
    PAUSE(Family.NOP, is().exit(ExitReason.PAUSE)),
    /**
     * The fences (SSE/SSE2 in the SDM's pages, decoded although CPUID reports neither): jvmx's CPU
     * reports the TSC-deadline timer, and the SDM (Vol. 3A, 10.5.4.1) has software order an xAPIC
     * write before a WRMSR to IA32_TSC_DEADLINE with MFENCE, as Linux does. One guest thread does
     * every memory access in program order, so a fence has nothing to wait for.
     */
    LFENCE(Family.NOP, is().np(), "0F AE E8-EF"),
    MFENCE(Family.NOP, is().np(), "0F AE F0-F7"),
    SFENCE(Family.NOP, is().np(), "0F AE F8-FF"),
    // ---- x87 FPU (SDM Vol. 2 and its opcode map A.4): memory forms by ModRM.reg ("D8/0 m32fp"),
    // register forms by the whole ModRM byte ("D8 C0-C7 ST0,STi"); a register form no row names is
    // #UD. Operands in Intel order, destination first. None ends a block.
    FADD(FPU, is(), "D8/0 m32fp", "DC/0 m64fp", "D8 C0-C7 ST0,STi", "DC C0-C7 STi,ST0"),
    FADDP(FPU, is(), "DE C0-C7 STi,ST0"),
    FIADD(FPU, is(), "DA/0 m32int", "DE/0 m16int"),
    FMUL(FPU, is(), "D8/1 m32fp", "DC/1 m64fp", "D8 C8-CF ST0,STi", "DC C8-CF STi,ST0"),
    FMULP(FPU, is(), "DE C8-CF STi,ST0"),
    FIMUL(FPU, is(), "DA/1 m32int", "DE/1 m16int"),
    FSUB(FPU, is(), "D8/4 m32fp", "DC/4 m64fp", "D8 E0-E7 ST0,STi", "DC E8-EF STi,ST0"),
    FSUBP(FPU, is(), "DE E8-EF STi,ST0"),
    FISUB(FPU, is(), "DA/4 m32int", "DE/4 m16int"),
    FSUBR(FPU, is(), "D8/5 m32fp", "DC/5 m64fp", "D8 E8-EF ST0,STi", "DC E0-E7 STi,ST0"),
    FSUBRP(FPU, is(), "DE E0-E7 STi,ST0"),
    FISUBR(FPU, is(), "DA/5 m32int", "DE/5 m16int"),
    FDIV(FPU, is(), "D8/6 m32fp", "DC/6 m64fp", "D8 F0-F7 ST0,STi", "DC F8-FF STi,ST0"),
    FDIVP(FPU, is(), "DE F8-FF STi,ST0"),
    FIDIV(FPU, is(), "DA/6 m32int", "DE/6 m16int"),
    FDIVR(FPU, is(), "D8/7 m32fp", "DC/7 m64fp", "D8 F8-FF ST0,STi", "DC F0-F7 STi,ST0"),
    FDIVRP(FPU, is(), "DE F0-F7 STi,ST0"),
    FIDIVR(FPU, is(), "DA/7 m32int", "DE/7 m16int"),
    FSQRT(FPU, is(), "D9 FA"),
    FCHS(FPU, is(), "D9 E0"),
    FABS(FPU, is(), "D9 E1"),
    FRNDINT(FPU, is(), "D9 FC"),
    FSCALE(FPU, is(), "D9 FD"),
    FXTRACT(FPU, is(), "D9 F4"),
    FPREM(FPU, is(), "D9 F8"),
    FPREM1(FPU, is(), "D9 F5"),
    FSIN(FPU, is(), "D9 FE"),
    FCOS(FPU, is(), "D9 FF"),
    FSINCOS(FPU, is(), "D9 FB"),
    FPTAN(FPU, is(), "D9 F2"),
    FPATAN(FPU, is(), "D9 F3"),
    F2XM1(FPU, is(), "D9 F0"),
    FYL2X(FPU, is(), "D9 F1"),
    FYL2XP1(FPU, is(), "D9 F9"),

    FCOM(FPU, is(), "D8/2 m32fp", "DC/2 m64fp", "D8 D0-D7 STi"),
    FCOMP(FPU, is(), "D8/3 m32fp", "DC/3 m64fp", "D8 D8-DF STi"),
    FCOMPP(FPU, is(), "DE D9"),
    FUCOM(FPU, is(), "DD E0-E7 STi"),
    FUCOMP(FPU, is(), "DD E8-EF STi"),
    FUCOMPP(FPU, is(), "DA E9"),
    FICOM(FPU, is(), "DA/2 m32int", "DE/2 m16int"),
    FICOMP(FPU, is(), "DA/3 m32int", "DE/3 m16int"),
    FCOMI(FPU, is().flags(FLOAT_COMPARE), "DB F0-F7 ST0,STi"),
    FCOMIP(FPU, is().flags(FLOAT_COMPARE), "DF F0-F7 ST0,STi"),
    FUCOMI(FPU, is().flags(FLOAT_COMPARE), "DB E8-EF ST0,STi"),
    FUCOMIP(FPU, is().flags(FLOAT_COMPARE), "DF E8-EF ST0,STi"),
    FTST(FPU, is(), "D9 E4"),
    FXAM(FPU, is(), "D9 E5"),

    FLD(FPU, is(), "D9/0 m32fp", "DD/0 m64fp", "DB/5 m80fp", "D9 C0-C7 STi"),
    FILD(FPU, is(), "DF/0 m16int", "DB/0 m32int", "DF/5 m64int"),
    FBLD(FPU, is(), "DF/4 m80dec"),
    FLD1(FPU, is(), "D9 E8"),
    FLDL2T(FPU, is(), "D9 E9"),
    FLDL2E(FPU, is(), "D9 EA"),
    FLDPI(FPU, is(), "D9 EB"),
    FLDLG2(FPU, is(), "D9 EC"),
    FLDLN2(FPU, is(), "D9 ED"),
    FLDZ(FPU, is(), "D9 EE"),
    FST(FPU, is(), "D9/2 m32fp", "DD/2 m64fp", "DD D0-D7 STi"),
    FSTP(FPU, is(), "D9/3 m32fp", "DD/3 m64fp", "DB/7 m80fp", "DD D8-DF STi"),
    FIST(FPU, is(), "DF/2 m16int", "DB/2 m32int"),
    FISTP(FPU, is(), "DF/3 m16int", "DB/3 m32int", "DF/7 m64int"),
    /** SSE3: #UD, as on a processor whose CPUID reports no SSE3 (jvmx's does not). */
    FISTTP(FPU, is(), "DF/1 m16int", "DB/1 m32int", "DD/1 m64int"),
    FBSTP(FPU, is(), "DF/6 m80dec"),

    FXCH(FPU, is(), "D9 C8-CF STi"),
    /** FCMOVcc: one row per condition, as the SDM and objdump name them; the condition is the row's. */
    FCMOVB(FPU, is(), "DA C0-C7 ST0,STi"),
    FCMOVE(FPU, is(), "DA C8-CF ST0,STi"),
    FCMOVBE(FPU, is(), "DA D0-D7 ST0,STi"),
    FCMOVU(FPU, is(), "DA D8-DF ST0,STi"),
    FCMOVNB(FPU, is(), "DB C0-C7 ST0,STi"),
    FCMOVNE(FPU, is(), "DB C8-CF ST0,STi"),
    FCMOVNBE(FPU, is(), "DB D0-D7 ST0,STi"),
    FCMOVNU(FPU, is(), "DB D8-DF ST0,STi"),
    FFREE(FPU, is(), "DD C0-C7 STi"),
    FINCSTP(FPU, is(), "D9 F7"),
    FDECSTP(FPU, is(), "D9 F6"),
    FNOP(FPU, is(), "D9 D0"),

    FLDCW(FPU, is(), "D9/5 m2byte"),
    FNSTCW(FPU, is(), "D9/7 m2byte"),
    FNSTSW(FPU, is(), "DD/7 m2byte", "DF E0 AX"),
    FNCLEX(FPU, is(), "DB E2"),
    FNINIT(FPU, is(), "DB E3"),
    FLDENV(FPU, is(), "D9/4 m14/28byte"),
    FNSTENV(FPU, is(), "D9/6 m14/28byte"),
    FRSTOR(FPU, is(), "DD/4 m94/108byte"),
    FNSAVE(FPU, is(), "DD/6 m94/108byte"),
    FXSAVE(FPU, is(), "0F AE/0 m512byte"),
    FXRSTOR(FPU, is(), "0F AE/1 m512byte"),
    /** WAIT/FWAIT checks pending x87 exceptions (and #NM), so it belongs with the FPU. */
    WAIT(FPU, is(), "9B"),
    /** The 8087's FNENI and FNDISI and the 287's FNSETPM: no-ops on IA-32 processors. */
    FNENI(FPU, is(), "DB E0"),
    FNDISI(FPU, is(), "DB E1"),
    FNSETPM(FPU, is(), "DB E4"),

    // Undocumented register forms that Intel processors execute (measured, see fpu.X87Encodings):
    // rows of their own, named as in the literature, so that statistics tell them apart.
    /** As FSTP ST(i), but an empty ST(0) is no stack underflow (X87.fstp1). */
    FSTP1(FPU, is(), "D9 D8-DF STi"),
    FCOM2(FPU, is(), "DC D0-D7 STi"),
    FCOMP3(FPU, is(), "DC D8-DF STi"),
    FXCH4(FPU, is(), "DD C8-CF STi"),
    FCOMP5(FPU, is(), "DE D0-D7 STi"),
    /** FFREE ST(i), then pop (AMD documents it). */
    FFREEP(FPU, is(), "DF C0-C7 STi"),
    FXCH7(FPU, is(), "DF C8-CF STi"),
    FSTP8(FPU, is(), "DF D0-D7 STi"),
    FSTP9(FPU, is(), "DF D8-DF STi"),

    // ---- MMX, SSE and SSE2 (SDM Vol. 2; opcode map A.3 with the mandatory prefixes NP, 66, F3, F2).
    // An instruction with forms on XMM and on MMX registers (PADDB: 66 0F FC and NP 0F FC) is one row.
    // An XMM form checks, before anything else, the CPUID feature (SSE or SSE2, else #UD), CR0.EM and
    // CR4.OSFXSR (#UD) and CR0.TS (#NM); a 16-byte memory operand must be 16-byte aligned (#GP(0))
    // except for the MOVU forms. An MMX form checks the CPUID features (MMX, with SSE or SSE2 for
    // their additions) and CR0.EM (#UD), CR0.TS (#NM), then a pending x87 exception (#MF), and
    // aliases MM0-MM7 to the x87 registers (helpers.MmxOps); its memory operand may sit anywhere.
    MOVUPS(Family.SSE, is(), "NP 0F 10 Vx,Wx", "NP 0F 11 Wx,Vx"),
    MOVUPD(Family.SSE, is(), "66 0F 10 Vx,Wx", "66 0F 11 Wx,Vx"),
    MOVSS(Family.SSE, is(), "F3 0F 10 Vx,Wd", "F3 0F 11 Wd,Vx"),
    MOVSD(Family.SSE, is(), "F2 0F 10 Vx,Wq", "F2 0F 11 Wq,Vx"),
    /** Its register form (0F 12 /r, mod = 3) is MOVHLPS: the decoder renames it. */
    MOVLPS(Family.SSE, is(), "NP 0F 12 Vx,Wq", "NP 0F 13 Mq,Vx"),
    MOVHLPS(Family.SSE, is()),
    MOVLPD(Family.SSE, is(), "66 0F 12 Vx,Mq", "66 0F 13 Mq,Vx"),
    /** Its register form (0F 16 /r, mod = 3) is MOVLHPS: the decoder renames it. */
    MOVHPS(Family.SSE, is(), "NP 0F 16 Vx,Wq", "NP 0F 17 Mq,Vx"),
    MOVLHPS(Family.SSE, is()),
    MOVHPD(Family.SSE, is(), "66 0F 16 Vx,Mq", "66 0F 17 Mq,Vx"),
    MOVAPS(Family.SSE, is(), "NP 0F 28 Vx,Wx", "NP 0F 29 Wx,Vx"),
    MOVAPD(Family.SSE, is(), "66 0F 28 Vx,Wx", "66 0F 29 Wx,Vx"),
    MOVNTPS(Family.SSE, is(), "NP 0F 2B Mx,Vx"),
    MOVNTPD(Family.SSE, is(), "66 0F 2B Mx,Vx"),
    MOVMSKPS(Family.SSE, is(), "NP 0F 50 Gd,Ux"),
    MOVMSKPD(Family.SSE, is(), "66 0F 50 Gd,Ux"),
    ANDPS(Family.SSE, is(), "NP 0F 54 Vx,Wx"),
    ANDPD(Family.SSE, is(), "66 0F 54 Vx,Wx"),
    ANDNPS(Family.SSE, is(), "NP 0F 55 Vx,Wx"),
    ANDNPD(Family.SSE, is(), "66 0F 55 Vx,Wx"),
    ORPS(Family.SSE, is(), "NP 0F 56 Vx,Wx"),
    ORPD(Family.SSE, is(), "66 0F 56 Vx,Wx"),
    XORPS(Family.SSE, is(), "NP 0F 57 Vx,Wx"),
    XORPD(Family.SSE, is(), "66 0F 57 Vx,Wx"),
    PUNPCKLBW(Family.SSE, is(), "NP 0F 60 Pq,Qd", "66 0F 60 Vx,Wx"),
    PUNPCKLWD(Family.SSE, is(), "NP 0F 61 Pq,Qd", "66 0F 61 Vx,Wx"),
    PUNPCKLDQ(Family.SSE, is(), "NP 0F 62 Pq,Qd", "66 0F 62 Vx,Wx"),
    PACKSSWB(Family.SSE, is(), "NP 0F 63 Pq,Qq", "66 0F 63 Vx,Wx"),
    PCMPGTB(Family.SSE, is(), "NP 0F 64 Pq,Qq", "66 0F 64 Vx,Wx"),
    PCMPGTW(Family.SSE, is(), "NP 0F 65 Pq,Qq", "66 0F 65 Vx,Wx"),
    PCMPGTD(Family.SSE, is(), "NP 0F 66 Pq,Qq", "66 0F 66 Vx,Wx"),
    PACKUSWB(Family.SSE, is(), "NP 0F 67 Pq,Qq", "66 0F 67 Vx,Wx"),
    PUNPCKHBW(Family.SSE, is(), "NP 0F 68 Pq,Qq", "66 0F 68 Vx,Wx"),
    PUNPCKHWD(Family.SSE, is(), "NP 0F 69 Pq,Qq", "66 0F 69 Vx,Wx"),
    PUNPCKHDQ(Family.SSE, is(), "NP 0F 6A Pq,Qq", "66 0F 6A Vx,Wx"),
    PACKSSDW(Family.SSE, is(), "NP 0F 6B Pq,Qq", "66 0F 6B Vx,Wx"),
    PUNPCKLQDQ(Family.SSE, is(), "66 0F 6C Vx,Wx"),
    PUNPCKHQDQ(Family.SSE, is(), "66 0F 6D Vx,Wx"),
    MOVD(Family.SSE, is(), "NP 0F 6E Pq,Ed", "NP 0F 7E Ed,Pq", "66 0F 6E Vx,Ed", "66 0F 7E Ed,Vx"),
    MOVDQA(Family.SSE, is(), "66 0F 6F Vx,Wx", "66 0F 7F Wx,Vx"),
    MOVDQU(Family.SSE, is(), "F3 0F 6F Vx,Wx", "F3 0F 7F Wx,Vx"),
    PSHUFD(Family.SSE, is(), "66 0F 70 Vx,Wx,Ib"),
    PSHUFHW(Family.SSE, is(), "F3 0F 70 Vx,Wx,Ib"),
    PSHUFLW(Family.SSE, is(), "F2 0F 70 Vx,Wx,Ib"),
    PSRLW(Family.SSE, is(), "NP 0F 71/2 Nq,Ib", "NP 0F D1 Pq,Qq", "66 0F 71/2 Ux,Ib", "66 0F D1 Vx,Wx"),
    PSRAW(Family.SSE, is(), "NP 0F 71/4 Nq,Ib", "NP 0F E1 Pq,Qq", "66 0F 71/4 Ux,Ib", "66 0F E1 Vx,Wx"),
    PSLLW(Family.SSE, is(), "NP 0F 71/6 Nq,Ib", "NP 0F F1 Pq,Qq", "66 0F 71/6 Ux,Ib", "66 0F F1 Vx,Wx"),
    PSRLD(Family.SSE, is(), "NP 0F 72/2 Nq,Ib", "NP 0F D2 Pq,Qq", "66 0F 72/2 Ux,Ib", "66 0F D2 Vx,Wx"),
    PSRAD(Family.SSE, is(), "NP 0F 72/4 Nq,Ib", "NP 0F E2 Pq,Qq", "66 0F 72/4 Ux,Ib", "66 0F E2 Vx,Wx"),
    PSLLD(Family.SSE, is(), "NP 0F 72/6 Nq,Ib", "NP 0F F2 Pq,Qq", "66 0F 72/6 Ux,Ib", "66 0F F2 Vx,Wx"),
    PSRLQ(Family.SSE, is(), "NP 0F 73/2 Nq,Ib", "NP 0F D3 Pq,Qq", "66 0F 73/2 Ux,Ib", "66 0F D3 Vx,Wx"),
    PSRLDQ(Family.SSE, is(), "66 0F 73/3 Ux,Ib"),
    PSLLQ(Family.SSE, is(), "NP 0F 73/6 Nq,Ib", "NP 0F F3 Pq,Qq", "66 0F 73/6 Ux,Ib", "66 0F F3 Vx,Wx"),
    PSLLDQ(Family.SSE, is(), "66 0F 73/7 Ux,Ib"),
    PCMPEQB(Family.SSE, is(), "NP 0F 74 Pq,Qq", "66 0F 74 Vx,Wx"),
    PCMPEQW(Family.SSE, is(), "NP 0F 75 Pq,Qq", "66 0F 75 Vx,Wx"),
    PCMPEQD(Family.SSE, is(), "NP 0F 76 Pq,Qq", "66 0F 76 Vx,Wx"),
    /** MOVQ xmm, xmm/m64 (F3 0F 7E) and xmm/m64, xmm (66 0F D6): the upper quadword of an XMM destination is zeroed. */
    MOVQ(Family.SSE, is(), "NP 0F 6F Pq,Qq", "NP 0F 7F Qq,Pq", "F3 0F 7E Vx,Wq", "66 0F D6 Wq,Vx"),
    /** Stores a general register: it needs CPUID's SSE2 only, not the SSE state (no CR0/CR4 checks). */
    MOVNTI(Family.SSE, is().np(), "0F C3 Md,Gd"),
    PADDQ(Family.SSE, is(), "NP 0F D4 Pq,Qq", "66 0F D4 Vx,Wx"),
    PMOVMSKB(Family.SSE, is(), "NP 0F D7 Gd,Nq", "66 0F D7 Gd,Ux"),
    PAND(Family.SSE, is(), "NP 0F DB Pq,Qq", "66 0F DB Vx,Wx"),
    PANDN(Family.SSE, is(), "NP 0F DF Pq,Qq", "66 0F DF Vx,Wx"),
    MOVNTDQ(Family.SSE, is(), "66 0F E7 Mx,Vx"),
    POR(Family.SSE, is(), "NP 0F EB Pq,Qq", "66 0F EB Vx,Wx"),
    PXOR(Family.SSE, is(), "NP 0F EF Pq,Qq", "66 0F EF Vx,Wx"),
    PSUBB(Family.SSE, is(), "NP 0F F8 Pq,Qq", "66 0F F8 Vx,Wx"),
    PSUBW(Family.SSE, is(), "NP 0F F9 Pq,Qq", "66 0F F9 Vx,Wx"),
    PSUBD(Family.SSE, is(), "NP 0F FA Pq,Qq", "66 0F FA Vx,Wx"),
    PSUBQ(Family.SSE, is(), "NP 0F FB Pq,Qq", "66 0F FB Vx,Wx"),
    PADDB(Family.SSE, is(), "NP 0F FC Pq,Qq", "66 0F FC Vx,Wx"),
    PADDW(Family.SSE, is(), "NP 0F FD Pq,Qq", "66 0F FD Vx,Wx"),
    PADDD(Family.SSE, is(), "NP 0F FE Pq,Qq", "66 0F FE Vx,Wx"),
    UNPCKLPS(Family.SSE, is(), "NP 0F 14 Vx,Wx"),
    UNPCKLPD(Family.SSE, is(), "66 0F 14 Vx,Wx"),
    UNPCKHPS(Family.SSE, is(), "NP 0F 15 Vx,Wx"),
    UNPCKHPD(Family.SSE, is(), "66 0F 15 Vx,Wx"),
    /** PINSRW xmm, r32/m16, imm8: a register gives its low word; memory is two bytes. */
    PINSRW(Family.SSE, is(), "NP 0F C4 Pq,Ew,Ib", "66 0F C4 Vx,Ew,Ib"),
    PEXTRW(Family.SSE, is(), "NP 0F C5 Gd,Nq,Ib", "66 0F C5 Gd,Ux,Ib"),
    SHUFPS(Family.SSE, is(), "NP 0F C6 Vx,Wx,Ib"),
    SHUFPD(Family.SSE, is(), "66 0F C6 Vx,Wx,Ib"),
    PMULLW(Family.SSE, is(), "NP 0F D5 Pq,Qq", "66 0F D5 Vx,Wx"),
    PSUBUSB(Family.SSE, is(), "NP 0F D8 Pq,Qq", "66 0F D8 Vx,Wx"),
    PSUBUSW(Family.SSE, is(), "NP 0F D9 Pq,Qq", "66 0F D9 Vx,Wx"),
    PMINUB(Family.SSE, is(), "NP 0F DA Pq,Qq", "66 0F DA Vx,Wx"),
    PADDUSB(Family.SSE, is(), "NP 0F DC Pq,Qq", "66 0F DC Vx,Wx"),
    PADDUSW(Family.SSE, is(), "NP 0F DD Pq,Qq", "66 0F DD Vx,Wx"),
    PMAXUB(Family.SSE, is(), "NP 0F DE Pq,Qq", "66 0F DE Vx,Wx"),
    PAVGB(Family.SSE, is(), "NP 0F E0 Pq,Qq", "66 0F E0 Vx,Wx"),
    PAVGW(Family.SSE, is(), "NP 0F E3 Pq,Qq", "66 0F E3 Vx,Wx"),
    PMULHUW(Family.SSE, is(), "NP 0F E4 Pq,Qq", "66 0F E4 Vx,Wx"),
    PMULHW(Family.SSE, is(), "NP 0F E5 Pq,Qq", "66 0F E5 Vx,Wx"),
    PSUBSB(Family.SSE, is(), "NP 0F E8 Pq,Qq", "66 0F E8 Vx,Wx"),
    PSUBSW(Family.SSE, is(), "NP 0F E9 Pq,Qq", "66 0F E9 Vx,Wx"),
    PMINSW(Family.SSE, is(), "NP 0F EA Pq,Qq", "66 0F EA Vx,Wx"),
    PADDSB(Family.SSE, is(), "NP 0F EC Pq,Qq", "66 0F EC Vx,Wx"),
    PADDSW(Family.SSE, is(), "NP 0F ED Pq,Qq", "66 0F ED Vx,Wx"),
    PMAXSW(Family.SSE, is(), "NP 0F EE Pq,Qq", "66 0F EE Vx,Wx"),
    PMULUDQ(Family.SSE, is(), "NP 0F F4 Pq,Qq", "66 0F F4 Vx,Wx"),
    PMADDWD(Family.SSE, is(), "NP 0F F5 Pq,Qq", "66 0F F5 Vx,Wx"),
    PSADBW(Family.SSE, is(), "NP 0F F6 Pq,Qq", "66 0F F6 Vx,Wx"),
    LDMXCSR(Family.SSE, is(), "0F AE/2 Md"),
    STMXCSR(Family.SSE, is(), "0F AE/3 Md"),
    /** Writes back and invalidates a cache line: nothing to do without caches, but its checks (CPUID.01H:EDX.CLFSH, the segment). */
    CLFLUSH(Family.SSE, is().np(), "0F AE/7 Mb"),

    // SSE/SSE2 floating point (semantics in fpu.SseFloat): packed forms read an aligned m128, scalar
    // ones an m32 or m64 at any address. An unmasked SIMD floating-point exception is #XM, or #UD
    // with CR4.OSXMMEXCPT = 0; the destination is then unchanged. The conversions with an MMX
    // operand are below, with the rest of MMX.
    ADDPS(Family.SSE, is(), "NP 0F 58 Vx,Wx"),
    ADDSS(Family.SSE, is(), "F3 0F 58 Vx,Wd"),
    ADDPD(Family.SSE, is(), "66 0F 58 Vx,Wx"),
    ADDSD(Family.SSE, is(), "F2 0F 58 Vx,Wq"),
    MULPS(Family.SSE, is(), "NP 0F 59 Vx,Wx"),
    MULSS(Family.SSE, is(), "F3 0F 59 Vx,Wd"),
    MULPD(Family.SSE, is(), "66 0F 59 Vx,Wx"),
    MULSD(Family.SSE, is(), "F2 0F 59 Vx,Wq"),
    SUBPS(Family.SSE, is(), "NP 0F 5C Vx,Wx"),
    SUBSS(Family.SSE, is(), "F3 0F 5C Vx,Wd"),
    SUBPD(Family.SSE, is(), "66 0F 5C Vx,Wx"),
    SUBSD(Family.SSE, is(), "F2 0F 5C Vx,Wq"),
    MINPS(Family.SSE, is(), "NP 0F 5D Vx,Wx"),
    MINSS(Family.SSE, is(), "F3 0F 5D Vx,Wd"),
    MINPD(Family.SSE, is(), "66 0F 5D Vx,Wx"),
    MINSD(Family.SSE, is(), "F2 0F 5D Vx,Wq"),
    DIVPS(Family.SSE, is(), "NP 0F 5E Vx,Wx"),
    DIVSS(Family.SSE, is(), "F3 0F 5E Vx,Wd"),
    DIVPD(Family.SSE, is(), "66 0F 5E Vx,Wx"),
    DIVSD(Family.SSE, is(), "F2 0F 5E Vx,Wq"),
    MAXPS(Family.SSE, is(), "NP 0F 5F Vx,Wx"),
    MAXSS(Family.SSE, is(), "F3 0F 5F Vx,Wd"),
    MAXPD(Family.SSE, is(), "66 0F 5F Vx,Wx"),
    MAXSD(Family.SSE, is(), "F2 0F 5F Vx,Wq"),
    SQRTPS(Family.SSE, is(), "NP 0F 51 Vx,Wx"),
    SQRTSS(Family.SSE, is(), "F3 0F 51 Vx,Wd"),
    SQRTPD(Family.SSE, is(), "66 0F 51 Vx,Wx"),
    SQRTSD(Family.SSE, is(), "F2 0F 51 Vx,Wq"),
    /** Approximations (relative error at most 1.5 * 2^-12): no exceptions, MXCSR unchanged. */
    RSQRTPS(Family.SSE, is(), "NP 0F 52 Vx,Wx"),
    RSQRTSS(Family.SSE, is(), "F3 0F 52 Vx,Wd"),
    RCPPS(Family.SSE, is(), "NP 0F 53 Vx,Wx"),
    RCPSS(Family.SSE, is(), "F3 0F 53 Vx,Wd"),
    /** The predicate is imm8[2:0] (EQ LT LE UNORD NEQ NLT NLE ORD); each lane all ones or zero. */
    CMPPS(Family.SSE, is(), "NP 0F C2 Vx,Wx,Ib"),
    CMPSS(Family.SSE, is(), "F3 0F C2 Vx,Wd,Ib"),
    CMPPD(Family.SSE, is(), "66 0F C2 Vx,Wx,Ib"),
    /** Not the string instruction CMPSD, which is {@link #CMPS}. */
    CMPSD_SSE(Family.SSE, is(), "F2 0F C2 Vx,Wq,Ib"),
    UCOMISS(Family.SSE, is().flags(FLOAT_COMPARE), "NP 0F 2E Vx,Wd"),
    UCOMISD(Family.SSE, is().flags(FLOAT_COMPARE), "66 0F 2E Vx,Wq"),
    COMISS(Family.SSE, is().flags(FLOAT_COMPARE), "NP 0F 2F Vx,Wd"),
    COMISD(Family.SSE, is().flags(FLOAT_COMPARE), "66 0F 2F Vx,Wq"),
    CVTSI2SS(Family.SSE, is(), "F3 0F 2A Vx,Ed"),
    CVTSI2SD(Family.SSE, is(), "F2 0F 2A Vx,Ed"),
    CVTTSS2SI(Family.SSE, is(), "F3 0F 2C Gd,Wd"),
    CVTTSD2SI(Family.SSE, is(), "F2 0F 2C Gd,Wq"),
    CVTSS2SI(Family.SSE, is(), "F3 0F 2D Gd,Wd"),
    CVTSD2SI(Family.SSE, is(), "F2 0F 2D Gd,Wq"),
    CVTPS2PD(Family.SSE, is(), "NP 0F 5A Vx,Wq"),
    CVTPD2PS(Family.SSE, is(), "66 0F 5A Vx,Wx"),
    CVTSS2SD(Family.SSE, is(), "F3 0F 5A Vx,Wd"),
    CVTSD2SS(Family.SSE, is(), "F2 0F 5A Vx,Wq"),
    CVTDQ2PS(Family.SSE, is(), "NP 0F 5B Vx,Wx"),
    CVTPS2DQ(Family.SSE, is(), "66 0F 5B Vx,Wx"),
    CVTTPS2DQ(Family.SSE, is(), "F3 0F 5B Vx,Wx"),
    CVTTPD2DQ(Family.SSE, is(), "66 0F E6 Vx,Wx"),
    CVTPD2DQ(Family.SSE, is(), "F2 0F E6 Vx,Wx"),
    CVTDQ2PD(Family.SSE, is(), "F3 0F E6 Vx,Wq"),

    // MMX's own instructions, SSE's and SSE2's additions on MMX registers, and the masked stores.
    /** Empties the MMX state: every x87 tag empty. */
    EMMS(Family.SSE, is(), "NP 0F 77"),
    PSHUFW(Family.SSE, is(), "NP 0F 70 Pq,Qq,Ib"),
    MOVNTQ(Family.SSE, is(), "NP 0F E7 Mq,Pq"),
    /** MOVQ2DQ xmm, mm: the upper quadword zeroed. */
    MOVQ2DQ(Family.SSE, is(), "F3 0F D6 Vx,Nq"),
    MOVDQ2Q(Family.SSE, is(), "F2 0F D6 Pq,Ux"),
    /**
     * MASKMOVQ mm1, mm2 and MASKMOVDQU xmm1, xmm2: the bytes of the first operand whose mask byte
     * (the second operand) has bit 7 set, to DS:(E)DI (a segment override applies).
     */
    MASKMOVQ(Family.SSE, is(), "NP 0F F7 Pq,Nq"),
    MASKMOVDQU(Family.SSE, is(), "66 0F F7 Vx,Ux"),
    /** CVTPI2PS xmm, mm/m64: the upper quadword kept. */
    CVTPI2PS(Family.SSE, is(), "NP 0F 2A Vx,Qq"),
    CVTPI2PD(Family.SSE, is(), "66 0F 2A Vx,Qq"),
    CVTTPS2PI(Family.SSE, is(), "NP 0F 2C Pq,Wq"),
    CVTPS2PI(Family.SSE, is(), "NP 0F 2D Pq,Wq"),
    /** CVT(T)PD2PI mm, xmm/m128: a memory operand 16-byte aligned. */
    CVTTPD2PI(Family.SSE, is(), "66 0F 2C Pq,Wx"),
    CVTPD2PI(Family.SSE, is(), "66 0F 2D Pq,Wx"),

    /**
     * Undefined or out-of-scope encodings (#UD). Their operand kinds still give the length:
     * the 0F rows that a mandatory prefix selects (the NP, 66, F3, F2 rows above take precedence),
     * the unused group members.
     */
    INVALID(Family.INVALID, is(), "D9/1 M", "DB/4 M", "DB/6 M", "DD/5 M", "8F/1 Ev", "8F/2 Ev", "8F/3 Ev", "8F/4 Ev", "8F/5 Ev", "8F/6 Ev", "8F/7 Ev",
            "C6/1 Eb", "C6/2 Eb", "C6/3 Eb", "C6/4 Eb", "C6/5 Eb", "C6/6 Eb", "C6/7 Eb",
            "C7/1 Ev", "C7/2 Ev", "C7/3 Ev", "C7/4 Ev", "C7/5 Ev", "C7/6 Ev", "C7/7 Ev",
            "FE/2 Eb", "FE/3 Eb", "FE/4 Eb", "FE/5 Eb", "FE/6 Eb", "FE/7 Eb", "FF/7 Ev",
            "0F 00/6 Ew", "0F 00/7 Ew", "0F 01/5 Ev", "0F 0D Ev", "0F 10-17 Ev", "0F 24 Ev", "0F 26 Ev",
            "0F 28-2F Ev", "0F 50-6F Ev", "0F 70-73 Ev,Ib", "0F 74-76 Ev", "0F 77", "0F 78-7F Ev",
            "0F AE/4 Ev", "0F AE/5 Ev", "0F AE/6 Ev",
            "0F B8 Ev", "0F B9 Ev", "0F BA/0 Ev,Ib", "0F BA/1 Ev,Ib", "0F BA/2 Ev,Ib", "0F BA/3 Ev,Ib",
            "0F C2 Ev,Ib", "0F C4-C6 Ev,Ib", "0F C7/0 Ev", "0F C7/2 Ev", "0F C7/3 Ev", "0F C7/4 Ev",
            "0F C7/5 Ev", "0F C7/6 Ev", "0F C7/7 Ev", "0F D0-FF Ev");

    private final Family family;
    private final Facts facts;
    private final List<String> encodings;

    Mnemonic(Family family, Facts facts, String... encodings) {
        this.family = family;
        this.facts = facts;
        this.encodings = List.of(encodings);
    }

    public Family family() {
        return family;
    }

    public Facts facts() {
        return facts;
    }

    /** The row's encodings as written above (the decoder's maps are built from them). */
    public List<String> encodings() {
        return encodings;
    }

    /** SDM Vol. 2, LOCK: accepts the prefix with a memory destination. */
    /** A 66, F2 or F3 prefix makes it another instruction (see {@link Facts#np}). */
    public boolean np() {
        return facts.unprefixedOnly();
    }

    public boolean lockable() {
        return facts.lock();
    }

    public FlagEffect flags() {
        return facts.flagEffect();
    }

    public Privilege privilege() {
        return facts.check();
    }

    /** The VT-x exit reason the instruction may leave through, or null. */
    public ExitReason exitReason() {
        return facts.exitReason();
    }

    /** Decoding of a block stops after this instruction: it may change control flow or the mode. */
    public boolean endsBlock() {
        return facts.blockEnd() || family.endsBlock;
    }
}
