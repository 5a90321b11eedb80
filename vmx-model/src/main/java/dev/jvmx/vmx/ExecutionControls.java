package dev.jvmx.vmx;

import dev.jvmx.vmx.ControlChangeListener.ChangeKind;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.jvmx.vmx.PinBasedControls.EXTERNAL_INTERRUPT_EXITING;
import static dev.jvmx.vmx.PinBasedControls.NMI_EXITING;
import static dev.jvmx.vmx.PrimaryProcessorControls.*;
import static dev.jvmx.vmx.SecondaryProcessorControls.DESCRIPTOR_TABLE_EXITING;
import static dev.jvmx.vmx.SecondaryProcessorControls.ENABLE_RDTSCP;
import static dev.jvmx.vmx.SecondaryProcessorControls.WBINVD_EXITING;

/**
 * The VM-execution control fields (SDM Vol. 3C, "VM-Execution Control Fields") and the rules of
 * "Instructions That Cause VM Exits Conditionally" that the translator applies at translation
 * time. Every change bumps {@link #generation()} and notifies listeners, so a translation that
 * baked a decision in can be invalidated.
 */
public final class ExecutionControls {
    /** CR0.TS and the CR0 bits LMSW can write (PE, MP, EM, TS). */
    private static final int CR0_PE = 1, CR0_TS = 1 << 3, LMSW_BITS = 0xF;
    private static final int VECTOR_PF = 14;

    private int pinBased;
    private int primary;
    private int secondary;
    private int exceptionBitmap;
    private int pfErrorCodeMask;
    private int pfErrorCodeMatch;
    private int cr0GuestHostMask;
    private int cr4GuestHostMask;
    private int cr0ReadShadow;
    private int cr4ReadShadow;
    private final IoBitmap ioBitmap = new IoBitmap(() -> changed(ChangeKind.IO_BITMAP));
    private final MsrBitmap msrBitmap = new MsrBitmap(() -> changed(ChangeKind.MSR_BITMAP));

    /** The VMCS whose control fields mirror these controls (handlers read them there). */
    private final Vmcs vmcs;
    private volatile int generation;
    private final CopyOnWriteArrayList<ControlChangeListener> listeners = new CopyOnWriteArrayList<>();

    // ---- change tracking ----

    /**
     * Incremented on every change of a control, bitmap, mask or shadow, but for "interrupt-window
     * exiting", which no translation bakes in (see {@link #setInterruptWindowExiting}).
     */
    public int generation() { return generation; }

    public void addListener(ControlChangeListener l) { listeners.add(l); }

    /** Controls written through to {@code vmcs}'s VM-execution control fields, all 0 for now. */
    private ExecutionControls(Vmcs vmcs) {
        this.vmcs = Objects.requireNonNull(vmcs, "vmcs");
        store();
    }

    /**
     * Controls under which every instruction that VT-x can make exit does: unconditional I/O
     * exiting (no bitmaps), HLT, INVLPG, RDPMC, RDTSC, CR3 load and store,
     * MOV DR, descriptor-table and WBINVD exiting, every CR0 and CR4 bit owned by the host
     * (read shadows 0). CPUID, INVD and the others VT-x makes exit unconditionally exit anyway.
     */
    public static ExecutionControls exitEverything(Vmcs vmcs) {
        ExecutionControls c = new ExecutionControls(vmcs);
        c.setPrimary(HLT_EXITING | INVLPG_EXITING | RDPMC_EXITING | RDTSC_EXITING | CR3_LOAD_EXITING
                | CR3_STORE_EXITING | MOV_DR_EXITING | UNCONDITIONAL_IO_EXITING | ACTIVATE_SECONDARY_CONTROLS);
        c.setSecondary(DESCRIPTOR_TABLE_EXITING | WBINVD_EXITING | ENABLE_RDTSCP);
        c.setCr0(0xFFFFFFFF, 0);
        c.setCr4(0xFFFFFFFF, 0);
        return c;
    }

    private void changed(ChangeKind kind) {
        generation++;
        store();
        for (ControlChangeListener l : listeners) l.controlsChanged(kind);
    }

    /** Writes the controls into the VMCS's control fields (the bitmaps themselves have no VMCS field here). */
    private void store() {
        vmcs.write(VmcsField.PIN_BASED_CONTROLS, pinBased);
        vmcs.write(VmcsField.PRIMARY_PROCESSOR_CONTROLS, primary);
        vmcs.write(VmcsField.SECONDARY_PROCESSOR_CONTROLS, secondary);
        vmcs.write(VmcsField.EXCEPTION_BITMAP, exceptionBitmap);
        vmcs.write(VmcsField.PAGE_FAULT_ERROR_CODE_MASK, pfErrorCodeMask);
        vmcs.write(VmcsField.PAGE_FAULT_ERROR_CODE_MATCH, pfErrorCodeMatch);
        vmcs.write(VmcsField.CR0_GUEST_HOST_MASK, cr0GuestHostMask);
        vmcs.write(VmcsField.CR4_GUEST_HOST_MASK, cr4GuestHostMask);
        vmcs.write(VmcsField.CR0_READ_SHADOW, cr0ReadShadow);
        vmcs.write(VmcsField.CR4_READ_SHADOW, cr4ReadShadow);
    }

    // ---- fields (a handler reads the others from the VMCS) ----

    public int primary() { return primary; }
    public int cr0GuestHostMask() { return cr0GuestHostMask; }
    public IoBitmap ioBitmap() { return ioBitmap; }
    public MsrBitmap msrBitmap() { return msrBitmap; }

    /** The SDM: with "activate secondary controls" 0 the processor acts as if all secondary controls were 0. */
    private int effectiveSecondary() { return (primary & ACTIVATE_SECONDARY_CONTROLS) != 0 ? secondary : 0; }

    public void setPinBased(int v) { pinBased = v; changed(ChangeKind.PIN_BASED); }
    public void setPrimary(int v) { primary = v; changed(ChangeKind.PRIMARY_PROCESSOR); }
    public void setSecondary(int v) { secondary = v; changed(ChangeKind.SECONDARY_PROCESSOR); }
    public void setExceptionBitmap(int v) { exceptionBitmap = v; changed(ChangeKind.EXCEPTION_BITMAP); }

    /**
     * Sets or clears "interrupt-window exiting" alone, as a VMM does around each interrupt it holds
     * for its guest. Only the execution loop's event check reads it, so translations stay valid:
     * listeners hear {@link ChangeKind#INTERRUPT_WINDOW} and the generation stays.
     */
    public void setInterruptWindowExiting(boolean on) {
        primary = on ? primary | INTERRUPT_WINDOW_EXITING : primary & ~INTERRUPT_WINDOW_EXITING;
        store();
        for (ControlChangeListener l : listeners) l.controlsChanged(ChangeKind.INTERRUPT_WINDOW);
    }

    public void setPageFaultErrorCodeMaskMatch(int mask, int match) {
        pfErrorCodeMask = mask;
        pfErrorCodeMatch = match;
        changed(ChangeKind.EXCEPTION_BITMAP);
    }

    public void setCr0(int guestHostMask, int readShadow) {
        cr0GuestHostMask = guestHostMask;
        cr0ReadShadow = readShadow;
        changed(ChangeKind.CR_MASKS_AND_SHADOWS);
    }

    public void setCr4(int guestHostMask, int readShadow) {
        cr4GuestHostMask = guestHostMask;
        cr4ReadShadow = readShadow;
        changed(ChangeKind.CR_MASKS_AND_SHADOWS);
    }

    // ---- decisions (SDM Vol. 3C, "Instructions That Cause VM Exits Conditionally") ----

    private boolean primary(int bit) { return (primary & bit) != 0; }

    /** IN/OUT/INS/OUTS: with "use I/O bitmaps" 1 the bitmaps decide and "unconditional I/O exiting" is ignored. */
    public boolean ioExits(int port, int size) {
        if (primary(USE_IO_BITMAPS)) return ioBitmap.exits(port, size);
        return primary(UNCONDITIONAL_IO_EXITING);
    }

    /**
     * Whether an instruction whose exit has this reason exits under these controls whatever its
     * operands: what a first-tier handler, which serves every instance of its form, asks at run
     * time. CPUID and INVD always exit; RDMSR and WRMSR always exit without "use MSR bitmaps"
     * (with it, the bitmaps decide on ECX: false here); reasons decided by operands (I/O, control
     * registers) are false here.
     */
    public boolean instructionExits(ExitReason reason) {
        switch (reason) {
            case CPUID: case INVD: return true;
            case HLT: return primary(HLT_EXITING);
            case RDTSC: return primary(RDTSC_EXITING);
            // RDTSCP exits (reason 51) only with "RDTSC exiting" and "enable RDTSCP" (SDM Vol. 3C, 26.1.3).
            case RDTSCP: return primary(RDTSC_EXITING) && rdtscpEnabled();
            case RDPMC: return primary(RDPMC_EXITING);
            case INVLPG: return primary(INVLPG_EXITING);
            case PAUSE: return primary(PAUSE_EXITING);
            case MOV_DR: return primary(MOV_DR_EXITING);
            case WBINVD: return (effectiveSecondary() & WBINVD_EXITING) != 0;
            // LGDT, LIDT, SGDT, SIDT; LLDT, LTR, SLDT, STR.
            case GDTR_IDTR_ACCESS: case LDTR_TR_ACCESS: return (effectiveSecondary() & DESCRIPTOR_TABLE_EXITING) != 0;
            case RDMSR: case WRMSR: return !primary(USE_MSR_BITMAPS);
            default: return false;
        }
    }

    /** "Enable RDTSCP": while it is 0, RDTSCP is #UD in VMX non-root operation (SDM Vol. 3C, 26.3). */
    public boolean rdtscpEnabled() { return (effectiveSecondary() & ENABLE_RDTSCP) != 0; }

    /** An NMI exits (as an exception-or-NMI exit) instead of going through the guest IDT. */
    public boolean nmiExits() { return (pinBased & NMI_EXITING) != 0; }

    /**
     * An external interrupt exits instead of going through the guest IDT, and RFLAGS.IF no longer
     * holds it back (STI and MOV SS blocking still do: SDM Vol. 3C, "Changes to Event Blocking").
     */
    public boolean externalInterruptExits() { return (pinBased & EXTERNAL_INTERRUPT_EXITING) != 0; }

    /** An open interrupt window (RFLAGS.IF = 1, no STI or MOV SS blocking) exits before the next instruction. */
    public boolean interruptWindowExits() { return primary(INTERRUPT_WINDOW_EXITING); }

    /**
     * MOV to CRn of newValue. CR0/CR4: exits unless newValue matches the read shadow in every bit
     * set in the guest/host mask. CR3: "CR3-load exiting" (the CR3-target count is 0, as KVM
     * leaves it: no target value exempts a load). IA-32 has no CR8.
     */
    public boolean movToCrExits(int cr, int newValue) {
        switch (cr) {
            case 0: return ((newValue ^ cr0ReadShadow) & cr0GuestHostMask) != 0;
            case 4: return ((newValue ^ cr4ReadShadow) & cr4GuestHostMask) != 0;
            case 3: return primary(CR3_LOAD_EXITING);
            default: return false;
        }
    }

    /** MOV from CRn: only CR3 (CR3-store exiting) can exit on IA-32 (CR8-store exiting needs CR8). */
    public boolean movFromCrExits(int cr) {
        return cr == 3 && primary(CR3_STORE_EXITING);
    }

    /** CLTS exits if CR0.TS is set in both the CR0 guest/host mask and the CR0 read shadow. */
    public boolean cltsExits() { return (cr0GuestHostMask & cr0ReadShadow & CR0_TS) != 0; }

    /**
     * LMSW of source exits if, for a PE, MP, EM or TS bit owned by the host, it would write a value
     * differing from the read shadow; since LMSW never clears PE, PE only counts when it sets it.
     */
    public boolean lmswExits(int source) {
        int owned = cr0GuestHostMask & LMSW_BITS;
        if ((owned & CR0_PE) != 0 && (source & CR0_PE) != 0 && (cr0ReadShadow & CR0_PE) == 0) return true;
        return ((source ^ cr0ReadShadow) & owned & ~CR0_PE) != 0;
    }

    /** RDMSR (write false) / WRMSR (write true): all exit without "use MSR bitmaps". */
    public boolean msrExits(int msr, boolean write) {
        return !primary(USE_MSR_BITMAPS) || msrBitmap.exits(msr, write);
    }

    /**
     * An exception with vector 0-31 exits if its exception-bitmap bit is 1, except #PF: when
     * (error code AND PFEC_MASK) = PFEC_MATCH bit 14 decides as usual, otherwise its sense is inverted.
     */
    public boolean exceptionExits(int vector, int pfErrorCode) {
        if (vector < 0 || vector > 31) return false;
        boolean bit = (exceptionBitmap & (1 << vector)) != 0;
        if (vector != VECTOR_PF) return bit;
        boolean matches = (pfErrorCode & pfErrorCodeMask) == pfErrorCodeMatch;
        return matches == bit;
    }
}
