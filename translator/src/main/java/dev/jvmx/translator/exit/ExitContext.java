package dev.jvmx.translator.exit;

/**
 * The VMCS-style exit-information fields that an exit handler needs beyond the reason and
 * the qualification (SDM Vol. 3C, "VM-Exit Information Fields"): the guest-linear address of
 * a memory operand and the VM-exit instruction-information word. Translated code fills them
 * at run time just before the exit call; only the fields of the exiting instruction are
 * meaningful, the others keep stale values.
 */
public final class ExitContext {
    /** Guest-linear address of the memory operand (LGDT ... STR, LMSW m16, INVLPG). */
    public int linearAddress;
    /** VM-exit instruction-information field (descriptor-table exits: {@code DescriptorTableInfo}). */
    public int instructionInfo;
    /**
     * Operand size in bytes (2 or 4) of the exiting instruction. VT-x keeps it in the
     * instruction information only for LGDT/SGDT; SLDT/STR/SMSW to a 32-bit register need it too.
     */
    public int operandSize;
}
