package dev.jvmx.translator.cpu;

import dev.jvmx.translator.fpu.FpuState;
import dev.jvmx.translator.mem.TlbFlush;

/**
 * The architectural state of one virtual processor while another one's is in the {@link Cpu}.
 * A machine with several processors runs them in turn on one {@link Cpu} object (so translated
 * code, which reads the Cpu's fields, stays as it is on one processor): switching saves the
 * running processor's state here and loads the next one's. What the processors share stays in
 * the Cpu: memory and the TLB arrays (flushed on a switch), the VMX controls, the exit handler,
 * the instruction count (the machine's virtual clock) and the request bits.
 */
public final class VcpuContext {
    private final int[] regs = new int[8];
    private int eip, eflags, flagOp, flagRes, flagA, flagB;
    private final SegmentCache[] seg = new SegmentCache[6];
    private int cr0, cr2, cr3, cr4;
    private final int[] dr = new int[8];
    private int gdtrBase, gdtrLimit, idtrBase, idtrLimit;
    private final SegmentCache ldtr = new SegmentCache();
    private final SegmentCache tr = new SegmentCache();
    private int cpl;
    private int sysenterCs, sysenterEsp, sysenterEip, tscAux;
    private long efer, miscEnable, pat, tsc, apicBase;
    private LocalApicLink apic;
    private boolean nmiBlocked, iretUnblockedNmi, eventHeld, interruptShadow, repUnfinished, halted;
    private int pendingDebugTraps;
    private final FpuState fpu = new FpuState();

    public VcpuContext() {
        for (int i = 0; i < seg.length; i++) {
            seg[i] = new SegmentCache();
        }
    }

    /** Copies the processor state that is {@code cpu}'s own (not what the processors share) into this context. */
    public void save(Cpu cpu) {
        System.arraycopy(cpu.regs, 0, regs, 0, regs.length);
        eip = cpu.eip;
        eflags = cpu.eflags;
        flagOp = cpu.flagOp;
        flagRes = cpu.flagRes;
        flagA = cpu.flagA;
        flagB = cpu.flagB;
        for (int i = 0; i < seg.length; i++) {
            seg[i].copyFrom(cpu.seg[i]);
        }
        cr0 = cpu.cr0;
        cr2 = cpu.cr2;
        cr3 = cpu.cr3;
        cr4 = cpu.cr4;
        System.arraycopy(cpu.dr, 0, dr, 0, dr.length);
        gdtrBase = cpu.gdtrBase;
        gdtrLimit = cpu.gdtrLimit;
        idtrBase = cpu.idtrBase;
        idtrLimit = cpu.idtrLimit;
        ldtr.copyFrom(cpu.ldtr);
        tr.copyFrom(cpu.tr);
        cpl = cpu.cpl;
        sysenterCs = cpu.sysenterCs;
        sysenterEsp = cpu.sysenterEsp;
        sysenterEip = cpu.sysenterEip;
        tscAux = cpu.tscAux;
        efer = cpu.efer;
        miscEnable = cpu.miscEnable;
        pat = cpu.pat;
        tsc = cpu.tsc;
        apicBase = cpu.apicBase;
        apic = cpu.apic;
        nmiBlocked = cpu.nmiBlocked;
        iretUnblockedNmi = cpu.iretUnblockedNmi;
        eventHeld = cpu.eventHeld;
        interruptShadow = cpu.interruptShadow;
        repUnfinished = cpu.repUnfinished;
        pendingDebugTraps = cpu.pendingDebugTraps;
        halted = cpu.halted;
        fpu.copyFrom(cpu.fpu);
    }

    /**
     * Puts this context's state into {@code cpu} and flushes the TLB (its entries were the other
     * processor's translations; translated code is keyed by physical address and stays).
     */
    public void load(Cpu cpu) {
        System.arraycopy(regs, 0, cpu.regs, 0, regs.length);
        cpu.eip = eip;
        cpu.eflags = eflags;
        cpu.flagOp = flagOp;
        cpu.flagRes = flagRes;
        cpu.flagA = flagA;
        cpu.flagB = flagB;
        for (int i = 0; i < seg.length; i++) {
            cpu.seg[i].copyFrom(seg[i]);
        }
        cpu.cr0 = cr0;
        cpu.cr2 = cr2;
        cpu.cr3 = cr3;
        cpu.cr4 = cr4;
        System.arraycopy(dr, 0, cpu.dr, 0, dr.length);
        cpu.breakpoints.update(cpu);
        cpu.gdtrBase = gdtrBase;
        cpu.gdtrLimit = gdtrLimit;
        cpu.idtrBase = idtrBase;
        cpu.idtrLimit = idtrLimit;
        cpu.ldtr.copyFrom(ldtr);
        cpu.tr.copyFrom(tr);
        cpu.sysenterCs = sysenterCs;
        cpu.sysenterEsp = sysenterEsp;
        cpu.sysenterEip = sysenterEip;
        cpu.tscAux = tscAux;
        cpu.efer = efer;
        cpu.miscEnable = miscEnable;
        cpu.pat = pat;
        cpu.tsc = tsc;
        cpu.apicBase = apicBase;
        cpu.apic = apic;
        cpu.nmiBlocked = nmiBlocked;
        cpu.iretUnblockedNmi = iretUnblockedNmi;
        cpu.eventHeld = eventHeld;
        cpu.interruptShadow = interruptShadow;
        cpu.repUnfinished = repUnfinished;
        cpu.pendingDebugTraps = pendingDebugTraps;
        cpu.halted = halted;
        cpu.fpu.copyFrom(fpu);
        cpu.setCpl(cpl);
        cpu.mmu.flushAll(TlbFlush.STATE_LOADED);
    }

    /** The saved EFLAGS (without the lazy arithmetic flags): what a waiting processor's IF is. */
    public int eflags() {
        return eflags;
    }

    /** Whether the saved processor is inside an NMI handler (NMIs blocked until its IRET). */
    public boolean nmiBlocked() {
        return nmiBlocked;
    }

    /** Whether the saved processor is halted (HLT, or waiting for a start-up IPI). */
    public boolean halted() {
        return halted;
    }

    /** The saved processor's local APIC link (its CPUID and APIC MSRs). */
    public LocalApicLink apic() {
        return apic;
    }

    /** The saved processor's TSC offset (see helpers.Tsc). */
    public long tsc() {
        return tsc;
    }

    /** Gives the saved processor its own local APIC (a context saved from another processor's state). */
    public void setApic(LocalApicLink link) {
        apic = link;
    }
}
