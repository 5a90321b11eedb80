package dev.jvmx.translator.mem;

/**
 * What the MMU reads of the processor it belongs to (SDM Vol. 3A, chapter 4): the paging
 * controls in CR0, CR3, CR4 and IA32_EFER, EFLAGS.AC (for SMAP), whether accesses are user-mode accesses, and where a page
 * fault goes. The processor implements it; the MMU knows nothing else of it.
 */
public interface PagingRegisters {
    int cr0();

    int cr3();

    int cr4();

    /** IA32_EFER (its NXE bit makes bit 63 of PAE paging entries execute-disable). */
    long efer();

    /** EFLAGS.AC: at CPL < 3 it lifts SMAP's protection of user pages from supervisor data accesses. */
    boolean alignmentCheckFlag();

    /** CPL 3: accesses other than implicit supervisor ones are user-mode accesses (SDM Vol. 3A, 4.6). */
    boolean userMode();

    /** A #PF at {@code lin} with {@code errorCode}: the exception to throw (CR2 is loaded when it is delivered). */
    RuntimeException pageFault(int lin, int errorCode);
}
