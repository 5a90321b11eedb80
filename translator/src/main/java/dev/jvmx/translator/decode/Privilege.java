package dev.jvmx.translator.decode;

/**
 * The privilege check the SDM makes before an instruction does anything (and before any VM
 * exit it may take). IOPL-sensitive instructions (CLI, STI, PUSHF, POPF, INT n, IN, OUT ...)
 * have rules that depend on more than the mode and are checked by their run-time helpers.
 */
public enum Privilege {
    NONE,
    /** #GP(0) unless CPL 0 (real-address mode counts as CPL 0; virtual-8086 mode as CPL 3). */
    CPL0,
    /** #UD in real-address and virtual-8086 mode. */
    PROTECTED,
    /** #UD in real-address and virtual-8086 mode, then #GP(0) unless CPL 0 (LLDT, LTR). */
    PROTECTED_CPL0,
    /** RDTSC: #GP(0) when CR4.TSD is set and CPL > 0 (checked at run time). */
    TIME_STAMP_DISABLE,
    /** RDPMC: #GP(0) when CR4.PCE is clear and CPL > 0 (checked at run time). */
    PERFORMANCE_COUNTER_ENABLE,
    /** STAC, CLAC: #UD unless CPL 0 (real-address mode counts as CPL 0; virtual-8086 mode as CPL 3). */
    CPL0_ELSE_UNDEFINED,
    /** SGDT, SIDT, SMSW: #GP(0) when CR4.UMIP is set and CPL > 0 (user-mode instruction prevention, checked at run time). */
    USER_MODE_INSTRUCTION_PREVENTION,
    /** SLDT, STR: #UD in real-address and virtual-8086 mode, then the UMIP check. */
    PROTECTED_USER_MODE_INSTRUCTION_PREVENTION
}
