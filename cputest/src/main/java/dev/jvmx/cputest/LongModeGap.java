package dev.jvmx.cputest;

/**
 * The one list of what 64-bit mode lacks among the IA-32 user-mode instructions, for the host
 * fuzzer's 64-bit path ({@link HostMode#X86_64}), each with the oracle that covers it instead.
 * Facts from the SDM Vol. 2 opcode tables (column "64-Bit Mode": Invalid / N.E.) and Vol. 1,
 * 3.2.1 and 3.3.7 (no 16-bit addressing; 67 selects 32-bit addresses).
 *
 * <p>Entries with {@code inMix} are instructions the fuzzer draws: on the 64-bit path such a draw
 * is counted under its entry (the report prints the counts) and another item is drawn. The
 * others are not in the fuzzer's mix on either path and are listed so the list is complete.
 *
 * <p>Not gaps, because the host still checks them: the one-byte INC/DEC (40-4F are REX
 * prefixes in 64-bit mode) is assembled for the host as FF /0 or FF /1, which the SDM defines
 * as the same operation, while jvmx runs the one-byte form; an address with no base and no
 * index (ModRM mod 00 r/m 101, RIP-relative in 64-bit mode) is assembled for the host as a SIB
 * byte with no base and no index (04 25), the same 32-bit address.
 */
public enum LongModeGap {
    BCD_ADJUST(true, "DAA DAS AAA AAS AAM AAD", "invalid (#UD) in 64-bit mode",
            "ss286 files 27 2F 37 3F D4 D5 (hardware); translator BcdTest (SDM cases); the 32-bit host path"),
    PUSH_POP_32(true, "PUSH/POP with a 32-bit operand (register, memory, immediate), PUSHFD, POPFD",
            "64-bit mode has no 32-bit stack operand size (these push and pop 8 bytes)",
            "ss286 files 50-5F 68 6A 8F 9C 9D FF.6 (hardware, 16-bit forms; the 64-bit path runs the 16-bit forms on the host too);"
                    + " translator BasicExecutionTest and RegressionTest (32-bit forms); the 32-bit host path"),
    ADDRESS_16(true, "16-bit addressing (67 in 32-bit code: BX/BP/SI/DI forms)",
            "64-bit mode has no 16-bit addresses (67 selects 32-bit ones)",
            "ss286 (every 16-bit ModRM form, real mode, hardware); the 32-bit host path"),
    LAHF_SAHF(true, "LAHF SAHF", "valid in 64-bit mode only where CPUID.80000001H:ECX.LAHF-SAHF[bit 0] = 1 (a gap only on such hosts)",
            "ss286 files 9E 9F; the 32-bit host path"),
    PUSHA_POPA(false, "PUSHA PUSHAD POPA POPAD", "invalid (#UD) in 64-bit mode", "ss286 files 60 61; the 32-bit host path if added to the mix"),
    BOUND(false, "BOUND", "invalid in 64-bit mode (62 is the EVEX prefix)", "ss286 file 62"),
    INTO(false, "INTO", "invalid (#UD) in 64-bit mode", "ss286 file CE"),
    LDS_LES(false, "LDS LES", "invalid in 64-bit mode (C4 C5 are VEX prefixes)", "ss286 files C4 C5; translator SegmentsTest (protected mode)"),
    ARPL(false, "ARPL", "63 is MOVSXD in 64-bit mode", "translator SystemInstructionsTest (SDM cases; ss286 is real mode, where ARPL is #UD)"),
    SEGMENT_PUSH_POP(false, "PUSH/POP ES CS SS DS", "invalid (#UD) in 64-bit mode", "ss286 files 06 07 0E 16 17 1E 1F");

    /** The fuzzer draws these (on the 64-bit path: counts them and draws again). */
    public final boolean inMix;
    public final String instructions;
    /** Why 64-bit mode cannot run them. */
    public final String why;
    /** What checks them instead. */
    public final String oracle;

    LongModeGap(boolean inMix, String instructions, String why, String oracle) {
        this.inMix = inMix;
        this.instructions = instructions;
        this.why = why;
        this.oracle = oracle;
    }
}
