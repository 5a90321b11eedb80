package dev.jvmx.cputest;

import dev.jvmx.translator.decode.Family;
import dev.jvmx.translator.decode.FlagEffect;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.decode.Mnemonic;
import dev.jvmx.translator.decode.Operand;
import dev.jvmx.translator.decode.Prefix;

/**
 * The one place where the 80286 captured in the single-step data and the IA-32 CPU jvmx
 * models differ by design. A test a rule matches is counted as skipped under that rule,
 * never as passed. Each rule says why it exists.
 */
public final class SkipRules {
    public enum Rule {
        LENGTH_LIMIT("the 286 limits an instruction to 10 bytes (#GP beyond); IA-32 allows 15"),
        NO_FPU("an x87 escape that on an IA-32 processor writes memory, AX or EFLAGS, or raises #UD: the test "
                + "rig's 286 had no 80287, so the data records only its bus cycles (nothing changed); escapes "
                + "whose effect on what the data records is the same (loads, arithmetic, compares) are compared"),
        LOCK_NOT_LOCKABLE("the 286 accepts LOCK on any instruction; IA-32 raises #UD unless it prefixes "
                + "ADD/ADC/AND/BTx/CMPXCHG/DEC/INC/NEG/NOT/OR/SBB/SUB/XOR/XADD/XCHG with a memory destination"),
        NO_FS_GS("MOV to/from segment register 4 or 5: the 286 has no FS/GS and raises #UD; IA-32 has them"),
        UNDEFINED_286_ENCODING("an encoding the data marks undefined that the 286 executes as something "
                + "(an alias) while IA-32 raises #UD or defines it differently"),
        STRING_FAULT_AFTER_STEP("a string instruction whose element runs past offset FFFF: the 286 steps "
                + "SI/DI before its #GP/#SS is taken; IA-32 faults before any register changes, so the "
                + "instruction restarts (SDM Vol. 3A, 6.5: faults report the state before the instruction)");

        public final String reason;

        Rule(String reason) {
            this.reason = reason;
        }
    }

    private SkipRules() { }

    /**
     * The rule that excludes a test, or null.
     *
     * @param key     the file's opcode key ("F6.6", "8F", ...)
     * @param status  the data's metadata status of that opcode ("normal", "undefined", "fpu", ...)
     * @param length  the instruction's length in bytes, the trailing HLT not counted
     * @param raised  the exception the 286 raised (-1 for none)
     * @param insn    the instruction as jvmx decodes it (null if it does not)
     */
    public static Rule match(String key, String status, int length, int raised, Insn insn) {
        if (length > 10) {
            return Rule.LENGTH_LIMIT;
        }
        if (insn != null && (insn.opcode == 0x8C || insn.opcode == 0x8E) && (insn.modrmReg == 4 || insn.modrmReg == 5)) {
            return Rule.NO_FS_GS;
        }
        if (insn != null && insn.hasPrefix(Prefix.LOCK) && raised != 6 && !lockable(insn)) {
            return Rule.LOCK_NOT_LOCKABLE;
        }
        if ("fpu".equals(status) && (insn == null || escapeChangesRecordedState(insn))) {
            return Rule.NO_FPU;
        }
        if ("undefined".equals(status) && raised != 6) {
            return Rule.UNDEFINED_286_ENCODING;
        }
        if (insn != null && (raised == 13 || raised == 12) && (insn.mnemonic.family() == Family.STRING
                || insn.mnemonic == Mnemonic.INS || insn.mnemonic == Mnemonic.OUTS)) {
            return Rule.STRING_FAULT_AFTER_STEP;
        }
        return null;
    }

    /** x87 instructions that write their memory operand (or AX, for FNSTSW AX). */
    private static final java.util.Set<Mnemonic> X87_STORES = java.util.EnumSet.of(Mnemonic.FST, Mnemonic.FSTP,
            Mnemonic.FIST, Mnemonic.FISTP, Mnemonic.FISTTP, Mnemonic.FBSTP, Mnemonic.FNSTCW, Mnemonic.FNSTSW,
            Mnemonic.FNSTENV, Mnemonic.FNSAVE);

    /**
     * An escape whose IA-32 execution changes something the 286 data records: memory or AX (the
     * stores), EFLAGS (FCOMI and kin, by their rows' flag effect), or the flow (#UD for an
     * encoding IA-32 leaves undefined, and FISTTP, which jvmx's CPUID makes #UD). A store to a
     * register of the FPU stack changes nothing recorded.
     */
    static boolean escapeChangesRecordedState(Insn insn) {
        if (insn.invalid != null || insn.mnemonic == Mnemonic.FISTTP || insn.mnemonic.flags() != FlagEffect.NONE) {
            return true;
        }
        return X87_STORES.contains(insn.mnemonic) && (insn.operands.length == 0 || insn.operands[0].kind != Operand.Kind.ST);
    }

    /** SDM Vol. 2, LOCK: the instructions (their rows say which) and forms LOCK may prefix without #UD. */
    static boolean lockable(Insn insn) {
        if (insn.invalid != null || insn.operands.length == 0 || insn.operands[0].kind != Operand.Kind.MEM) {
            return false;
        }
        return insn.mnemonic.lockable();
    }
}
