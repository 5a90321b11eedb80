package dev.jvmx.translator.helpers;

import dev.jvmx.translator.cpu.Faults;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.cpu.GuestFault;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.SegmentCache;
import dev.jvmx.translator.arch.Vector;
import dev.jvmx.vmx.TaskSwitchQualification;

/**
 * The task-state segment: privilege-level stacks and task switches (SDM Vol. 3A, chapter 7).
 * A task switch is a VM exit (SDM Vol. 3C, 25.4.2): the instruction or event delivery makes the
 * checks on the new TSS's descriptor ({@link #newTss}) and exits ({@link EventExits#taskSwitch});
 * the exit handler performs the switch ({@link #switchTask}). Sources are those of the exit
 * qualification ({@link TaskSwitchQualification}).
 */
public final class TaskSwitch {
    public static final int SOURCE_CALL = TaskSwitchQualification.SOURCE_CALL;
    public static final int SOURCE_IRET = TaskSwitchQualification.SOURCE_IRET;
    public static final int SOURCE_JMP = TaskSwitchQualification.SOURCE_JMP;
    public static final int SOURCE_INTERRUPT = TaskSwitchQualification.SOURCE_IDT_TASK_GATE;

    private TaskSwitch() { }

    /** SS and ESP for privilege level {@code cpl} from the current TSS (32- or 16-bit). */
    public static int[] stackForCpl(Cpu cpu, int cpl) {
        boolean tss32 = (cpu.tr.access & 0x8) != 0;
        int base = cpu.tr.base;
        if (tss32) {
            int off = 4 + cpl * 8;
            if (off + 5 > cpu.tr.limit) {
                throw Faults.raise(cpu, Vector.TS, cpu.tr.selector & 0xFFFC, true);
            }
            return new int[] {cpu.mmu.readSystem16(base + off + 4), cpu.mmu.readSystem32(base + off)};
        }
        int off = 2 + cpl * 4;
        if (off + 3 > cpu.tr.limit) {
            throw Faults.raise(cpu, Vector.TS, cpu.tr.selector & 0xFFFC, true);
        }
        return new int[] {cpu.mmu.readSystem16(base + off + 2), cpu.mmu.readSystem16(base + off)};
    }

    /** Minimum TSS limits (SDM Vol. 3A, 7.2.2 and 7.6): 0x67 for a 32-bit TSS, 0x2B for a 16-bit one. */
    public static final int MIN_LIMIT32 = 0x67, MIN_LIMIT16 = 0x2B;

    private static final int[] SEG_ORDER = {Seg.ES, Seg.CS, Seg.SS, Seg.DS, Seg.FS, Seg.GS};

    /**
     * The checks on the new TSS that come before a VM exit for a task switch (SDM Vol. 3C, 25.4.2,
     * checks 2-4; Vol. 3A, 7.3 steps 2-4): the selector is in the GDT and not null, the descriptor
     * is a TSS, busy only for IRET, present, and at least the minimum size. Returns the descriptor.
     */
    public static Descriptor newTss(Cpu cpu, int selector, int source) {
        int sel = selector & 0xFFFF;
        boolean iret = source == SOURCE_IRET;
        int badVector = iret ? Vector.TS : Vector.GP;
        // Step 2/3: the new TSS descriptor: in the GDT, a TSS, busy only for IRET, present, big enough.
        if (Segmentation.inLdt(sel) || (sel & 0xFFFC) == 0) {
            throw Faults.raise(cpu, badVector, sel & 0xFFFC, true);
        }
        Descriptor d = Segmentation.read(cpu, sel, badVector);
        int type = d.type();
        if (!d.system() || (type & 5) != 1) {
            throw Faults.raise(cpu, badVector, sel & 0xFFFC, true);
        }
        boolean busy = (type & 2) != 0;
        if (iret ? !busy : busy) {
            throw Faults.raise(cpu, badVector, sel & 0xFFFC, true);
        }
        if (!d.present()) {
            throw Faults.raise(cpu, Vector.NP, sel & 0xFFFC, true);
        }
        if (Integer.compareUnsigned(d.limit(), (type & 8) != 0 ? MIN_LIMIT32 : MIN_LIMIT16) < 0) {
            throw Faults.raise(cpu, Vector.TS, sel & 0xFFFC, true);
        }
        return d;
    }

    /**
     * Switches to the task whose TSS selector is {@code selector} (SDM Vol. 3A, 7.3, steps 1-14):
     * what a VMM's handler of a task-switch exit does. The caller has checked a task gate's DPL and
     * presence, or (JMP/CALL straight to a TSS) the TSS descriptor's DPL. {@code returnEip} is the
     * EIP saved in the old task. Returns false when a fault in the context of the new task was
     * delivered here (the switch itself completed, and EIP is already at that fault's handler).
     */
    public static boolean switchTask(Cpu cpu, int selector, int source, int returnEip) {
        int sel = selector & 0xFFFF;
        boolean iret = source == SOURCE_IRET;
        boolean nest = source == SOURCE_CALL || source == SOURCE_INTERRUPT;
        Descriptor d = newTss(cpu, sel, source);
        int type = d.type();
        boolean new32 = (type & 8) != 0;
        int newBase = d.base();
        boolean old32 = (cpu.tr.access & 8) != 0;
        int oldBase = cpu.tr.base;
        int oldSel = cpu.tr.selector;
        if (Integer.compareUnsigned(cpu.tr.limit, old32 ? MIN_LIMIT32 : MIN_LIMIT16) < 0) {
            throw Faults.raise(cpu, Vector.TS, oldSel & 0xFFFC, true);
        }

        // Read the whole new state first, so a page fault here changes nothing.
        int nCr3 = cpu.cr3, nEip, nFlags, nLdt;
        boolean debugTrap = false;
        int[] nRegs = new int[8];
        int[] nSegs = new int[6];
        if (new32) {
            nCr3 = cpu.mmu.readSystem32(newBase + 0x1C);
            nEip = cpu.mmu.readSystem32(newBase + 0x20);
            nFlags = cpu.mmu.readSystem32(newBase + 0x24);
            for (int r = 0; r < 8; r++) {
                nRegs[r] = cpu.mmu.readSystem32(newBase + 0x28 + 4 * r);
            }
            for (int i = 0; i < 6; i++) {
                nSegs[SEG_ORDER[i]] = cpu.mmu.readSystem16(newBase + 0x48 + 4 * i);
            }
            nLdt = cpu.mmu.readSystem16(newBase + 0x60);
            debugTrap = (cpu.mmu.readSystem16(newBase + 0x64) & 1) != 0; // T: #DB once the new task runs
        } else {
            nEip = cpu.mmu.readSystem16(newBase + 0x0E);
            nFlags = cpu.mmu.readSystem16(newBase + 0x10);
            for (int r = 0; r < 8; r++) {
                // A 16-bit TSS holds the low words; the upper halves are left as they are.
                nRegs[r] = (cpu.getReg32(r) & 0xFFFF0000) | cpu.mmu.readSystem16(newBase + 0x12 + 2 * r);
            }
            for (int i = 0; i < 4; i++) {
                nSegs[SEG_ORDER[i]] = cpu.mmu.readSystem16(newBase + 0x22 + 2 * i);
            }
            nLdt = cpu.mmu.readSystem16(newBase + 0x2A);
        }
        // Make sure the writes that follow cannot fault halfway: probe both ends of both TSSs.
        cpu.mmu.translateSystem(oldBase, true);
        cpu.mmu.translateSystem(oldBase + (old32 ? MIN_LIMIT32 : MIN_LIMIT16), true);
        cpu.mmu.translateSystem(newBase, true);

        // Step 8-10: save the current task; a JMP or IRET leaves it not busy, IRET clears its NT.
        int oldFlags = cpu.getEflags();
        if (iret) {
            oldFlags &= ~Eflags.NT;
        }
        if (!nest) {
            setBusy(cpu, oldSel, false);
        }
        if (old32) {
            cpu.mmu.writeSystem32(oldBase + 0x20, returnEip);
            cpu.mmu.writeSystem32(oldBase + 0x24, oldFlags);
            for (int r = 0; r < 8; r++) {
                cpu.mmu.writeSystem32(oldBase + 0x28 + 4 * r, cpu.getReg32(r));
            }
            for (int i = 0; i < 6; i++) {
                cpu.mmu.writeSystem16(oldBase + 0x48 + 4 * i, cpu.seg[SEG_ORDER[i]].selector);
            }
        } else {
            cpu.mmu.writeSystem16(oldBase + 0x0E, returnEip);
            cpu.mmu.writeSystem16(oldBase + 0x10, oldFlags);
            for (int r = 0; r < 8; r++) {
                cpu.mmu.writeSystem16(oldBase + 0x12 + 2 * r, cpu.getReg32(r));
            }
            for (int i = 0; i < 4; i++) {
                cpu.mmu.writeSystem16(oldBase + 0x22 + 2 * i, cpu.seg[SEG_ORDER[i]].selector);
            }
        }
        // Step 11: CALL and interrupts link the new task back to the old one and set its NT.
        if (nest) {
            cpu.mmu.writeSystem16(newBase, oldSel);
            nFlags |= Eflags.NT;
        }
        // Step 12: the new TSS becomes busy and TR names it; CR0.TS is set.
        if (!iret) {
            setBusy(cpu, sel, true);
        }
        cpu.tr.set(sel, newBase, d.limit(), d.access() | 2);
        cpu.cr0 |= Cr0.TS;
        // A task switch clears DR7's local enables L0-L3 (SDM Vol. 3B, 18.2.4); the new TSS's T
        // flag asks for a #DB (DR6.BT) before the new task's first instruction (18.3.1.5).
        cpu.dr[7] &= ~0x55;
        cpu.breakpoints.update(cpu);
        if (debugTrap) {
            cpu.pendingDebugTraps |= SystemOps.DR6_BT;
            cpu.request(Cpu.REQUEST_EVENT_WINDOW);
        }

        // Step 13: the new task's state.
        if (!new32) {
            nFlags &= 0xFFFF;
        }
        if (new32 && cpu.mmu.pagingEnabled() && nCr3 != cpu.cr3) {
            cpu.cr3 = nCr3;
            cpu.mmu.flushNonGlobal();
        } else if (new32) {
            cpu.cr3 = nCr3;
        }
        cpu.setEflags(nFlags);
        cpu.eip = nEip;
        for (int r = 0; r < 8; r++) {
            cpu.setReg32(r, nRegs[r]);
        }
        for (int s = 0; s < 6; s++) {
            // Selectors only: the descriptors are loaded and checked below (step 14).
            cpu.seg[s].set(nSegs[s], 0, 0, 0);
        }
        cpu.ldtr.set(nLdt, 0, 0, 0);

        // Step 14: faults from here on belong to the new task.
        try {
            loadNewDescriptors(cpu, nLdt, nSegs);
            return true;
        } catch (GuestFault f) {
            if (f.vector < 0) {
                throw f;
            }
            Interrupts.deliverException(cpu, f);
            return false;
        }
    }

    private static void setBusy(Cpu cpu, int sel, boolean busy) {
        int addr = cpu.gdtrBase + (sel & 0xFFF8) + 4;
        int high = cpu.mmu.readSystem32(addr);
        cpu.mmu.writeSystem32(addr, busy ? high | 0x200 : high & ~0x200);
    }

    /** Table 7-1 (SDM Vol. 3A): the LDT, CS, SS and data segments of the new task. */
    private static void loadNewDescriptors(Cpu cpu, int ldt, int[] sels) {
        if ((ldt & 0xFFFC) != 0) {
            if (Segmentation.inLdt(ldt)) {
                throw Faults.raise(cpu, Vector.TS, ldt & 0xFFFC, true);
            }
            Descriptor ld = Segmentation.read(cpu, ldt, Vector.TS);
            if (!ld.system() || ld.type() != 2) {
                throw Faults.raise(cpu, Vector.TS, ldt & 0xFFFC, true);
            }
            if (!ld.present()) {
                throw Faults.raise(cpu, Vector.TS, ldt & 0xFFFC, true);
            }
            cpu.ldtr.set(ldt, ld.base(), ld.limit(), ld.access());
        }
        if (cpu.v86()) {
            Segmentation.setCpl(cpu, 3);
            for (int s = 0; s < 6; s++) {
                Segmentation.loadReal(cpu, s, sels[s]);
            }
            return;
        }
        int cs = sels[Seg.CS];
        int cpl = cs & 3;
        if ((cs & 0xFFFC) == 0) {
            throw Faults.raise(cpu, Vector.TS, 0, true);
        }
        Descriptor cd = Segmentation.read(cpu, cs, Vector.TS);
        if (!cd.code() || (cd.conforming() ? cd.dpl() > cpl : cd.dpl() != cpl)) {
            throw Faults.raise(cpu, Vector.TS, cs & 0xFFFC, true);
        }
        if (!cd.present()) {
            throw Faults.raise(cpu, Vector.NP, cs & 0xFFFC, true);
        }
        int ss = sels[Seg.SS];
        if ((ss & 0xFFFC) == 0) {
            throw Faults.raise(cpu, Vector.TS, 0, true);
        }
        Descriptor sd = Segmentation.read(cpu, ss, Vector.TS);
        if (!sd.writableData() || sd.dpl() != cpl || (ss & 3) != cpl) {
            throw Faults.raise(cpu, Vector.TS, ss & 0xFFFC, true);
        }
        if (!sd.present()) {
            throw Faults.raise(cpu, Vector.SS, ss & 0xFFFC, true);
        }
        Segmentation.loadCode(cpu, cs, cd, cpl);
        Segmentation.markAccessed(cpu, ss, sd);
        cpu.seg[Seg.SS].set(ss, sd.base(), sd.limit(), sd.access() | SegmentCache.AR_ACCESSED);
        for (int s : new int[] {Seg.ES, Seg.DS, Seg.FS, Seg.GS}) {
            int v = sels[s];
            if ((v & 0xFFFC) == 0) {
                cpu.seg[s].set(v, 0, 0, 0);
                continue;
            }
            Descriptor dd = Segmentation.read(cpu, v, Vector.TS);
            if (dd.system() || (dd.code() && !dd.readable())
                    || (!dd.conforming() && (dd.dpl() < cpl || dd.dpl() < (v & 3)))) {
                throw Faults.raise(cpu, Vector.TS, v & 0xFFFC, true);
            }
            if (!dd.present()) {
                throw Faults.raise(cpu, Vector.NP, v & 0xFFFC, true);
            }
            Segmentation.markAccessed(cpu, v, dd);
            cpu.seg[s].set(v, dd.base(), dd.limit(), dd.access() | SegmentCache.AR_ACCESSED);
        }
    }
}
