package dev.jvmx.translator.helpers;

import dev.jvmx.translator.cpu.Faults;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.cpu.GuestFault;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.SegmentCache;
import dev.jvmx.translator.arch.Vector;

/**
 * Far transfers that may change CS, CPL or the mode: far JMP, far CALL, far RET, IRET and
 * INT n (SDM Vol. 2 pages of those names; Vol. 3A, 5.8 for call gates). Called from
 * translated code with the guest state in {@link Cpu} and EIP at the instruction; they
 * leave EIP at the target.
 */
public final class Transfers {
    private Transfers() { }

    public static void jmpFar(Cpu cpu, int sel, int off, int size, int nextEip) {
        if (size == 2) off &= 0xFFFF;
        if (!cpu.protectedMode() || cpu.v86()) {
            Segmentation.loadReal(cpu, Seg.CS, sel);
            cpu.eip = off;
            return;
        }
        Descriptor d = checkedTarget(cpu, sel);
        if (d.code()) {
            checkCodeSameLevel(cpu, sel, d);
            checkLimit(cpu, off, d);
            Segmentation.loadCode(cpu, sel, d, cpu.cpl);
            cpu.eip = off;
            return;
        }
        int type = d.type();
        if (type == 4 || type == 0xC) { // call gate
            Descriptor code = gateTarget(cpu, sel, d);
            if (code.conforming() ? code.dpl() > cpu.cpl : code.dpl() != cpu.cpl) {
                throw Faults.raise(cpu, Vector.GP, d.gateSelector() & 0xFFFC, true);
            }
            int target = type == 0xC ? d.gateOffset() : d.gateOffset() & 0xFFFF;
            checkLimit(cpu, target, code);
            Segmentation.loadCode(cpu, d.gateSelector(), code, cpu.cpl);
            cpu.eip = target;
            return;
        }
        if (type == 5 || type == 1 || type == 9 || type == 3 || type == 0xB) {
            EventExits.taskSwitch(cpu, taskTarget(cpu, sel, d), TaskSwitch.SOURCE_JMP, nextEip);
            return;
        }
        throw Faults.raise(cpu, Vector.GP, sel & 0xFFFC, true);
    }

    public static void callFar(Cpu cpu, int sel, int off, int size, int nextEip) {
        if (size == 2) off &= 0xFFFF;
        int oldCs = cpu.seg[Seg.CS].selector;
        if (!cpu.protectedMode() || cpu.v86()) {
            pushPair(cpu, size, oldCs, nextEip);
            Segmentation.loadReal(cpu, Seg.CS, sel);
            cpu.eip = off;
            return;
        }
        Descriptor d = checkedTarget(cpu, sel);
        if (d.code()) {
            checkCodeSameLevel(cpu, sel, d);
            checkLimit(cpu, off, d);
            pushPair(cpu, size, oldCs, nextEip);
            Segmentation.loadCode(cpu, sel, d, cpu.cpl);
            cpu.eip = off;
            return;
        }
        int type = d.type();
        if (type == 4 || type == 0xC) {
            callGate(cpu, sel, d, nextEip);
            return;
        }
        if (type == 5 || type == 1 || type == 9 || type == 3 || type == 0xB) {
            EventExits.taskSwitch(cpu, taskTarget(cpu, sel, d), TaskSwitch.SOURCE_CALL, nextEip);
            return;
        }
        throw Faults.raise(cpu, Vector.GP, sel & 0xFFFC, true);
    }

    private static void callGate(Cpu cpu, int gateSel, Descriptor gate, int nextEip) {
        Descriptor code = gateTarget(cpu, gateSel, gate);
        int codeSel = gate.gateSelector();
        boolean gate32 = gate.type() == 0xC;
        int size = gate32 ? 4 : 2;
        int target = gate32 ? gate.gateOffset() : gate.gateOffset() & 0xFFFF;
        checkLimit(cpu, target, code);
        int oldCs = cpu.seg[Seg.CS].selector;
        if (!code.conforming() && code.dpl() < cpu.cpl) {
            int newCpl = code.dpl();
            int[] ssEsp = TaskSwitch.stackForCpl(cpu, newCpl);
            int newSs = ssEsp[0];
            if ((newSs & 0xFFFC) == 0) {
                throw Faults.raise(cpu, Vector.TS, 0, true);
            }
            Descriptor ssd = Segmentation.read(cpu, newSs, Vector.TS);
            if ((newSs & 3) != newCpl || ssd.dpl() != newCpl || !ssd.writableData()) {
                throw Faults.raise(cpu, Vector.TS, newSs & 0xFFFC, true);
            }
            if (!ssd.present()) {
                throw Faults.raise(cpu, Vector.SS, newSs & 0xFFFC, true);
            }
            int params = gate.gateParamCount();
            StackOps.checkRoom(cpu, ssd, ssEsp[1], params + 4, size, newSs & 0xFFFC);
            int oldSs = cpu.seg[Seg.SS].selector;
            int oldEsp = cpu.regs[Cpu.ESP];
            int[] args = new int[params];
            for (int i = 0; i < params; i++) {
                args[i] = StackOps.peek(cpu, size, i * size);
            }
            boolean ss32 = (ssd.access() & SegmentCache.AR_DB) != 0;
            int ssBase = ssd.base();
            int sp = ssEsp[1];
            sp = pushAt(cpu, size, ssBase, ss32, sp, oldSs);
            sp = pushAt(cpu, size, ssBase, ss32, sp, oldEsp);
            for (int i = params - 1; i >= 0; i--) {
                sp = pushAt(cpu, size, ssBase, ss32, sp, args[i]);
            }
            sp = pushAt(cpu, size, ssBase, ss32, sp, oldCs);
            sp = pushAt(cpu, size, ssBase, ss32, sp, nextEip);
            Segmentation.markAccessed(cpu, newSs, ssd);
            cpu.seg[Seg.SS].set(newSs, ssBase, ssd.limit(), ssd.access() | SegmentCache.AR_ACCESSED);
            cpu.regs[Cpu.ESP] = ss32 ? sp : (ssEsp[1] & 0xFFFF0000) | (sp & 0xFFFF);
            Segmentation.loadCode(cpu, codeSel, code, newCpl);
        } else {
            pushPair(cpu, size, oldCs, nextEip);
            Segmentation.loadCode(cpu, codeSel, code, cpu.cpl);
        }
        cpu.eip = target;
    }

    /** A push onto the inner ring's stack of a call gate: a supervisor-mode write (StackOps.writeInner). */
    private static int pushAt(Cpu cpu, int size, int ssBase, boolean ss32, int sp, int v) {
        sp -= size;
        StackOps.writeInner(cpu, size, ssBase + (ss32 ? sp : sp & 0xFFFF), v);
        return sp;
    }

    public static void retFar(Cpu cpu, int size, int imm, int nextEip) {
        int off = StackOps.peek(cpu, size, 0);
        int sel = StackOps.peek(cpu, size, size) & 0xFFFF;
        if (!cpu.protectedMode() || cpu.v86()) {
            StackOps.adjust(cpu, 2 * size + imm);
            Segmentation.loadReal(cpu, Seg.CS, sel);
            cpu.eip = off;
            return;
        }
        int rpl = sel & 3;
        if ((sel & 0xFFFC) == 0) {
            throw Faults.raise(cpu, Vector.GP, 0, true);
        }
        Descriptor d = Segmentation.read(cpu, sel, Vector.GP);
        if (!d.code() || rpl < cpu.cpl || (d.conforming() ? d.dpl() > rpl : d.dpl() != rpl)) {
            throw Faults.raise(cpu, Vector.GP, sel & 0xFFFC, true);
        }
        if (!d.present()) {
            throw Faults.raise(cpu, Vector.NP, sel & 0xFFFC, true);
        }
        if (rpl == cpu.cpl) {
            checkLimit(cpu, off, d);
            StackOps.adjust(cpu, 2 * size + imm);
            Segmentation.loadCode(cpu, sel, d, cpu.cpl);
            cpu.eip = off;
            return;
        }
        // Return to an outer level: SS:ESP follow the immediate's bytes.
        int newEsp = StackOps.peek(cpu, size, 2 * size + imm);
        int newSs = StackOps.peek(cpu, size, 3 * size + imm) & 0xFFFF;
        loadOuterStack(cpu, newSs, rpl);
        checkLimit(cpu, off, d);
        Segmentation.loadCode(cpu, sel, d, rpl);
        Descriptor ssd = Segmentation.read(cpu, newSs, Vector.GP);
        cpu.seg[Seg.SS].set(newSs, ssd.base(), ssd.limit(), ssd.access() | SegmentCache.AR_ACCESSED);
        cpu.regs[Cpu.ESP] = size == 4 ? newEsp + imm : (newEsp & 0xFFFF) + imm;
        if (!cpu.stack32()) {
            cpu.regs[Cpu.ESP] &= 0xFFFF;
        }
        Segmentation.nullInaccessible(cpu);
        cpu.eip = off;
    }

    private static void loadOuterStack(Cpu cpu, int newSs, int rpl) {
        if ((newSs & 0xFFFC) == 0) {
            throw Faults.raise(cpu, Vector.GP, 0, true);
        }
        Descriptor ssd = Segmentation.read(cpu, newSs, Vector.GP);
        if ((newSs & 3) != rpl || ssd.dpl() != rpl || !ssd.writableData()) {
            throw Faults.raise(cpu, Vector.GP, newSs & 0xFFFC, true);
        }
        if (!ssd.present()) {
            throw Faults.raise(cpu, Vector.SS, newSs & 0xFFFC, true);
        }
        Segmentation.markAccessed(cpu, newSs, ssd);
    }

    public static void iret(Cpu cpu, int size, int nextEip) {
        // IRET ends NMI blocking (SDM Vol. 3A, 6.7.1), even when it then faults; an exit for
        // that fault reports it as "NMI unblocking due to IRET" (SDM Vol. 3C, 27.2.2).
        if (!cpu.nmiBlocked) {
            iretUnblocked(cpu, size, nextEip);
            return;
        }
        cpu.nmiBlocked = false;
        cpu.request(Cpu.REQUEST_EVENT_WINDOW);
        try {
            iretUnblocked(cpu, size, nextEip);
        } catch (GuestFault f) {
            cpu.iretUnblockedNmi = f.vector >= 0;
            throw f;
        }
    }

    private static void iretUnblocked(Cpu cpu, int size, int nextEip) {
        if (!cpu.protectedMode()) {
            int ip = StackOps.peek(cpu, size, 0);
            int cs = StackOps.peek(cpu, size, size) & 0xFFFF;
            int fl = StackOps.peek(cpu, size, 2 * size);
            StackOps.adjust(cpu, 3 * size);
            Segmentation.loadReal(cpu, Seg.CS, cs);
            cpu.eip = size == 2 ? ip & 0xFFFF : ip;
            int keep = size == 2 ? 0xFFFF0000 : Eflags.VM | Eflags.VIF | Eflags.VIP;
            cpu.setEflags((cpu.getEflags() & keep) | (fl & ~keep));
            return;
        }
        if (cpu.v86()) {
            if (cpu.iopl() < 3) {
                throw Faults.raise(cpu, Vector.GP, 0, true);
            }
            int ip = StackOps.peek(cpu, size, 0);
            int cs = StackOps.peek(cpu, size, size) & 0xFFFF;
            int fl = StackOps.peek(cpu, size, 2 * size);
            StackOps.adjust(cpu, 3 * size);
            Segmentation.loadReal(cpu, Seg.CS, cs);
            cpu.eip = ip & (size == 2 ? 0xFFFF : -1);
            int keep = Eflags.IOPL | Eflags.VM | Eflags.VIF | Eflags.VIP | (size == 2 ? 0xFFFF0000 : 0);
            cpu.setEflags((cpu.getEflags() & keep) | (fl & ~keep));
            return;
        }
        if ((cpu.eflags & Eflags.NT) != 0) {
            int back = cpu.mmu.readSystem16(cpu.tr.base);
            EventExits.taskSwitch(cpu, back, TaskSwitch.SOURCE_IRET, nextEip);
            return;
        }
        int off = StackOps.peek(cpu, size, 0);
        int sel = StackOps.peek(cpu, size, size) & 0xFFFF;
        int fl = StackOps.peek(cpu, size, 2 * size);
        if (size == 4 && (fl & Eflags.VM) != 0 && cpu.cpl == 0) {
            returnToV86(cpu, off, sel, fl);
            return;
        }
        int rpl = sel & 3;
        if ((sel & 0xFFFC) == 0) {
            throw Faults.raise(cpu, Vector.GP, 0, true);
        }
        Descriptor d = Segmentation.read(cpu, sel, Vector.GP);
        if (!d.code() || rpl < cpu.cpl || (d.conforming() ? d.dpl() > rpl : d.dpl() != rpl)) {
            throw Faults.raise(cpu, Vector.GP, sel & 0xFFFC, true);
        }
        if (!d.present()) {
            throw Faults.raise(cpu, Vector.NP, sel & 0xFFFC, true);
        }
        int oldCpl = cpu.cpl;
        int newFlags = iretFlags(cpu, fl, size, oldCpl);
        if (rpl == cpu.cpl) {
            checkLimit(cpu, off, d);
            StackOps.adjust(cpu, 3 * size);
            Segmentation.loadCode(cpu, sel, d, rpl);
        } else {
            int newEsp = StackOps.peek(cpu, size, 3 * size);
            int newSs = StackOps.peek(cpu, size, 4 * size) & 0xFFFF;
            loadOuterStack(cpu, newSs, rpl);
            checkLimit(cpu, off, d);
            Segmentation.loadCode(cpu, sel, d, rpl);
            Descriptor ssd = Segmentation.read(cpu, newSs, Vector.GP);
            cpu.seg[Seg.SS].set(newSs, ssd.base(), ssd.limit(), ssd.access() | SegmentCache.AR_ACCESSED);
            cpu.regs[Cpu.ESP] = size == 4 ? newEsp : (cpu.regs[Cpu.ESP] & 0xFFFF0000) | (newEsp & 0xFFFF);
            Segmentation.nullInaccessible(cpu);
        }
        cpu.setEflags(newFlags);
        cpu.eip = size == 2 ? off & 0xFFFF : off;
    }

    /** EFLAGS after a protected-mode IRET: IOPL only at CPL 0, IF only when CPL <= IOPL. */
    private static int iretFlags(Cpu cpu, int fl, int size, int cpl) {
        int old = cpu.getEflags();
        int changeable = Eflags.ARITH | Eflags.TF | Eflags.DF | Eflags.NT | Eflags.RF | Eflags.AC | Eflags.ID;
        if (cpl <= cpu.iopl()) {
            changeable |= Eflags.IF;
        }
        if (cpl == 0) {
            changeable |= Eflags.IOPL | Eflags.VIF | Eflags.VIP;
        }
        if (size == 2) {
            changeable &= 0xFFFF;
        }
        return (old & ~changeable) | (fl & changeable);
    }

    private static void returnToV86(Cpu cpu, int off, int sel, int fl) {
        int esp = StackOps.peek(cpu, 4, 12);
        int ss = StackOps.peek(cpu, 4, 16) & 0xFFFF;
        int es = StackOps.peek(cpu, 4, 20) & 0xFFFF;
        int ds = StackOps.peek(cpu, 4, 24) & 0xFFFF;
        int fs = StackOps.peek(cpu, 4, 28) & 0xFFFF;
        int gs = StackOps.peek(cpu, 4, 32) & 0xFFFF;
        cpu.setEflags(fl);
        Segmentation.setCpl(cpu, 3);
        int[] sels = {es, sel, ss, ds, fs, gs};
        for (int s = 0; s < 6; s++) {
            Segmentation.loadReal(cpu, s, sels[s]);
        }
        cpu.regs[Cpu.ESP] = esp;
        cpu.eip = off & 0xFFFF;
    }

    /** INT n / INT3 / INTO / INT1: {@code kind} 0 = INT n, 1 = INT3, 2 = INTO, 3 = INT1. */
    public static void softwareInterrupt(Cpu cpu, int vector, int nextEip, int kind) {
        Interrupts.deliverSoftware(cpu, vector, kind, nextEip);
    }

    // ---- checks shared by the transfers

    /**
     * JMP/CALL to a task gate or a TSS descriptor: the gate's (or TSS's) DPL must be at least
     * CPL and RPL, and a gate must be present (SDM Vol. 2 JMP/CALL, "TASK-GATE", "TASK-STATE-SEGMENT").
     * Returns the selector of the TSS to switch to.
     */
    private static int taskTarget(Cpu cpu, int sel, Descriptor d) {
        if (d.dpl() < cpu.cpl || d.dpl() < (sel & 3)) {
            throw Faults.raise(cpu, Vector.GP, sel & 0xFFFC, true);
        }
        if (d.type() != 5) {
            return sel; // busy and presence of a TSS are checked by the switch
        }
        if (!d.present()) {
            throw Faults.raise(cpu, Vector.NP, sel & 0xFFFC, true);
        }
        return d.gateSelector();
    }

    private static Descriptor checkedTarget(Cpu cpu, int sel) {
        if ((sel & 0xFFFC) == 0) {
            throw Faults.raise(cpu, Vector.GP, 0, true);
        }
        return Segmentation.read(cpu, sel, Vector.GP);
    }

    private static void checkCodeSameLevel(Cpu cpu, int sel, Descriptor d) {
        int rpl = sel & 3;
        boolean ok = d.conforming() ? d.dpl() <= cpu.cpl : rpl <= cpu.cpl && d.dpl() == cpu.cpl;
        if (!ok) {
            throw Faults.raise(cpu, Vector.GP, sel & 0xFFFC, true);
        }
        if (!d.present()) {
            throw Faults.raise(cpu, Vector.NP, sel & 0xFFFC, true);
        }
    }

    private static Descriptor gateTarget(Cpu cpu, int gateSel, Descriptor gate) {
        if (gate.dpl() < cpu.cpl || gate.dpl() < (gateSel & 3)) {
            throw Faults.raise(cpu, Vector.GP, gateSel & 0xFFFC, true);
        }
        if (!gate.present()) {
            throw Faults.raise(cpu, Vector.NP, gateSel & 0xFFFC, true);
        }
        int codeSel = gate.gateSelector();
        if ((codeSel & 0xFFFC) == 0) {
            throw Faults.raise(cpu, Vector.GP, 0, true);
        }
        Descriptor code = Segmentation.read(cpu, codeSel, Vector.GP);
        if (!code.code() || code.dpl() > cpu.cpl) {
            throw Faults.raise(cpu, Vector.GP, codeSel & 0xFFFC, true);
        }
        if (!code.present()) {
            throw Faults.raise(cpu, Vector.NP, codeSel & 0xFFFC, true);
        }
        return code;
    }

    private static void checkLimit(Cpu cpu, int off, Descriptor d) {
        if (Integer.compareUnsigned(off, d.limit()) > 0) {
            throw Faults.raise(cpu, Vector.GP, 0, true);
        }
    }

    private static void pushPair(Cpu cpu, int size, int cs, int eip) {
        // Both slots are written before ESP moves, so a fault leaves ESP unchanged.
        int esp = cpu.regs[Cpu.ESP];
        try {
            StackOps.push(cpu, size, size == 2 ? cs & 0xFFFF : cs);
            StackOps.push(cpu, size, size == 2 ? eip & 0xFFFF : eip);
        } catch (RuntimeException ex) {
            cpu.regs[Cpu.ESP] = esp;
            throw ex;
        }
    }
}
