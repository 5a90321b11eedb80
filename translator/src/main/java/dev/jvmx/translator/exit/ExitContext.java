package dev.jvmx.translator.exit;

import dev.jvmx.vmx.ExecutionControls;
import dev.jvmx.vmx.PrimaryProcessorControls;
import dev.jvmx.vmx.SecondaryProcessorControls;

/**
 * The VMCS-style exit-information fields that an exit handler needs beyond the reason and
 * the qualification (SDM Vol. 3C, "VM-Exit Information Fields"): the guest-linear address of
 * a memory operand and the VM-exit instruction-information word. Translated code fills them
 * at run time just before the exit call; only the fields of the exiting instruction are
 * meaningful, the others keep stale values.
 *
 * <p>It also carries the CPU's VM-execution controls, which the translator consults when it
 * compiles a block ({@code exec.TranslationContext}).
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

    /** The execution controls of this CPU; initially {@link #exitEverything()}. */
    public final ExecutionControls controls = exitEverything();
    /** {@link ExecutionControls#generation()} of {@link #controls} as constructed. */
    public final int initialGeneration = controls.generation();
    /** The translation cache whose blocks a change of {@link #controls} flushes (set once). */
    public Object flushTarget;

    /**
     * Controls under which every instruction that VT-x can make exit does: unconditional I/O
     * exiting (no bitmaps), HLT, INVLPG, MWAIT, MONITOR, RDPMC, RDTSC, CR3 load and store,
     * MOV DR, descriptor-table and WBINVD exiting, every CR0 and CR4 bit owned by the host
     * (read shadows 0). CPUID, INVD and the others VT-x makes exit unconditionally exit anyway.
     */
    public static ExecutionControls exitEverything() {
        ExecutionControls c = new ExecutionControls();
        c.setPrimary(PrimaryProcessorControls.HLT_EXITING | PrimaryProcessorControls.INVLPG_EXITING
                | PrimaryProcessorControls.MWAIT_EXITING | PrimaryProcessorControls.RDPMC_EXITING
                | PrimaryProcessorControls.RDTSC_EXITING | PrimaryProcessorControls.CR3_LOAD_EXITING
                | PrimaryProcessorControls.CR3_STORE_EXITING | PrimaryProcessorControls.MOV_DR_EXITING
                | PrimaryProcessorControls.UNCONDITIONAL_IO_EXITING | PrimaryProcessorControls.MONITOR_EXITING
                | PrimaryProcessorControls.ACTIVATE_SECONDARY_CONTROLS);
        c.setSecondary(SecondaryProcessorControls.DESCRIPTOR_TABLE_EXITING | SecondaryProcessorControls.WBINVD_EXITING);
        c.setCr0(0xFFFFFFFF, 0);
        c.setCr4(0xFFFFFFFF, 0);
        return c;
    }
}
