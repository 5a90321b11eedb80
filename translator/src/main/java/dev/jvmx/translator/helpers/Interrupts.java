package dev.jvmx.translator.helpers;

import dev.jvmx.translator.cpu.Faults;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.cpu.GuestFault;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.SegmentCache;
import dev.jvmx.translator.arch.Vector;

/**
 * Interrupt and exception delivery (SDM Vol. 3A, chapter 6): the IVT in real mode, IDT
 * interrupt/trap/task gates in protected mode with the privilege-level stack switch, and
 * the double-fault and triple-fault rules.
 */
public final class Interrupts {
    /** Where an event comes from: decides the DPL check and the EXT bit of error codes. */
    public static final int EXTERNAL = 0, EXCEPTION = 1, SOFTWARE = 2, SOFTWARE_EXCEPTION = 3;

    /** Thrown when an exception occurs while delivering a double fault: the CPU shuts down. */
    public static final class TripleFault extends RuntimeException {
        public TripleFault(String message) {
            super(message, null, false, false);
        }
    }

    private Interrupts() { }

    /**
     * Delivers an exception raised by an instruction whose state is in {@code cpu} (EIP at
     * the faulting instruction), applying the double-fault rules (SDM Vol. 3A, Table 6-5).
     */
    public static void deliverException(Cpu cpu, int vector, boolean hasError, int error) {
        try {
            deliver(cpu, vector, EXCEPTION, hasError, error, cpu.eip);
        } catch (GuestFault second) {
            int v2 = second.vector;
            boolean df = vector == Vector.DF
                    || (Vector.contributory(vector) && Vector.contributory(v2))
                    || (vector == Vector.PF && (Vector.contributory(v2) || v2 == Vector.PF));
            if (vector == Vector.DF) {
                throw new TripleFault("triple fault: " + Vector.name(v2) + " while delivering #DF");
            }
            if (df) {
                try {
                    deliver(cpu, Vector.DF, EXCEPTION, true, 0, cpu.eip);
                } catch (GuestFault third) {
                    throw new TripleFault("triple fault: " + Vector.name(third.vector) + " while delivering #DF");
                }
            } else {
                // Benign pairs: the second exception is delivered as if the first never happened.
                deliverException(cpu, v2, second.hasErrorCode, second.errorCode);
            }
        }
    }

    /** Delivers an external (hardware) interrupt at an instruction boundary. */
    public static void deliverExternal(Cpu cpu, int vector) {
        try {
            deliver(cpu, vector, EXTERNAL, false, 0, cpu.eip);
        } catch (GuestFault f) {
            deliverException(cpu, f.vector, f.hasErrorCode, f.errorCode);
        }
        cpu.halted = false;
    }

    /**
     * Delivers through the IVT or IDT. {@code returnEip} is what the handler's IRET returns
     * to. Faults raised here propagate to the caller.
     */
    public static void deliver(Cpu cpu, int vector, int kind, boolean hasError, int error, int returnEip) {
        int ext = kind == EXTERNAL || kind == EXCEPTION ? 1 : 0;
        if (!cpu.protectedMode()) {
            deliverReal(cpu, vector, returnEip);
            return;
        }
        if (cpu.v86() && kind == SOFTWARE && cpu.iopl() < 3) {
            throw Faults.raise(cpu, Vector.GP, 0, true);
        }
        int entry = vector * 8;
        if (entry + 7 > cpu.idtrLimit) {
            throw Faults.raise(cpu, Vector.GP, entry + 2 + ext, true);
        }
        Descriptor gate = new Descriptor(cpu.mmu.readSystem32(cpu.idtrBase + entry),
                cpu.mmu.readSystem32(cpu.idtrBase + entry + 4));
        int type = gate.type();
        boolean valid = !gate.system() ? false : type == 5 || type == 6 || type == 7 || type == 0xE || type == 0xF;
        if (!valid) {
            throw Faults.raise(cpu, Vector.GP, entry + 2 + ext, true);
        }
        if ((kind == SOFTWARE || kind == SOFTWARE_EXCEPTION) && gate.dpl() < cpu.cpl) {
            throw Faults.raise(cpu, Vector.GP, entry + 2, true);
        }
        if (!gate.present()) {
            throw Faults.raise(cpu, Vector.NP, entry + 2 + ext, true);
        }
        if (type == 5) {
            boolean clean = TaskSwitch.switchTask(cpu, gate.gateSelector(), TaskSwitch.SOURCE_INTERRUPT, returnEip);
            if (clean && hasError) {
                StackOps.push(cpu, (cpu.tr.access & 0x8) != 0 ? 4 : 2, error);
            }
            return;
        }
        boolean gate32 = (type & 8) != 0;
        int size = gate32 ? 4 : 2;
        int sel = gate.gateSelector();
        if ((sel & 0xFFFC) == 0) {
            throw Faults.raise(cpu, Vector.GP, ext, true);
        }
        Descriptor code = Segmentation.read(cpu, sel, Vector.GP);
        if (!code.code() || code.dpl() > cpu.cpl) {
            throw Faults.raise(cpu, Vector.GP, (sel & 0xFFFC) + ext, true);
        }
        if (!code.present()) {
            throw Faults.raise(cpu, Vector.NP, (sel & 0xFFFC) + ext, true);
        }
        int offset = gate32 ? gate.gateOffset() : gate.gateOffset() & 0xFFFF;
        int oldFlags = cpu.getEflags();
        int oldCs = cpu.seg[Seg.CS].selector;
        boolean fromV86 = cpu.v86();
        if (!code.conforming() && code.dpl() < cpu.cpl) {
            // Inner privilege: new stack from the TSS.
            int newCpl = code.dpl();
            if (fromV86 && newCpl != 0) {
                // From virtual-8086 mode the handler must run at CPL 0 (SDM Vol. 2, INT n).
                throw Faults.raise(cpu, Vector.GP, (sel & 0xFFFC) + ext, true);
            }
            int[] ssEsp = TaskSwitch.stackForCpl(cpu, newCpl);
            int newSs = ssEsp[0], newEsp = ssEsp[1];
            if ((newSs & 0xFFFC) == 0) {
                throw Faults.raise(cpu, Vector.TS, ext, true);
            }
            Descriptor ssd = Segmentation.read(cpu, newSs, Vector.TS);
            if ((newSs & 3) != newCpl || ssd.dpl() != newCpl || !ssd.writableData()) {
                throw Faults.raise(cpu, Vector.TS, (newSs & 0xFFFC) + ext, true);
            }
            if (!ssd.present()) {
                throw Faults.raise(cpu, Vector.SS, (newSs & 0xFFFC) + ext, true);
            }
            StackOps.checkRoom(cpu, ssd, newEsp, (fromV86 ? 9 : 5) + (hasError ? 1 : 0), size,
                    (newSs & 0xFFFC) + ext);
            int oldSs = cpu.seg[Seg.SS].selector;
            int oldEsp = cpu.regs[Cpu.ESP];
            boolean ss32 = (ssd.access() & SegmentCache.AR_DB) != 0;
            int ssBase = ssd.base();
            int sp = newEsp;
            int[] pushes;
            if (fromV86) {
                pushes = new int[] {cpu.seg[Seg.GS].selector, cpu.seg[Seg.FS].selector, cpu.seg[Seg.DS].selector,
                    cpu.seg[Seg.ES].selector, oldSs, oldEsp, oldFlags, oldCs, returnEip};
            } else {
                pushes = new int[] {oldSs, oldEsp, oldFlags, oldCs, returnEip};
            }
            // Write the whole frame before changing any state, so a fault leaves the CPU as it was;
            // the writes are the new ring's, supervisor-mode accesses.
            for (int v : pushes) {
                sp -= size;
                StackOps.writeInner(cpu, size, ssBase + (ss32 ? sp : sp & 0xFFFF), v);
            }
            if (hasError) {
                sp -= size;
                StackOps.writeInner(cpu, size, ssBase + (ss32 ? sp : sp & 0xFFFF), error);
            }
            Segmentation.markAccessed(cpu, newSs, ssd);
            cpu.seg[Seg.SS].set(newSs, ssBase, ssd.limit(), ssd.access() | SegmentCache.AR_ACCESSED);
            cpu.regs[Cpu.ESP] = ss32 ? sp : (newEsp & 0xFFFF0000) | (sp & 0xFFFF);
            if (fromV86) {
                for (int s : new int[] {Seg.ES, Seg.DS, Seg.FS, Seg.GS}) {
                    cpu.seg[s].set(0, 0, 0, 0);
                }
            }
            Segmentation.loadCode(cpu, sel, code, newCpl);
        } else {
            if (fromV86) {
                throw Faults.raise(cpu, Vector.GP, (sel & 0xFFFC) + ext, true);
            }
            int newCpl = cpu.cpl;
            StackOps.checkRoomHere(cpu, hasError ? 4 : 3, size, ext);
            int[] frame = hasError ? new int[] {oldFlags, oldCs, returnEip, error} : new int[] {oldFlags, oldCs, returnEip};
            int ssBase = cpu.seg[Seg.SS].base;
            boolean ss32 = cpu.stack32();
            int sp = cpu.regs[Cpu.ESP];
            for (int v : frame) {
                sp -= size;
                StackOps.write(cpu, size, ssBase + (ss32 ? sp : sp & 0xFFFF), v);
            }
            cpu.regs[Cpu.ESP] = ss32 ? sp : (cpu.regs[Cpu.ESP] & 0xFFFF0000) | (sp & 0xFFFF);
            Segmentation.loadCode(cpu, sel, code, newCpl);
        }
        int fl = cpu.getEflags() & ~(Eflags.TF | Eflags.NT | Eflags.RF | Eflags.VM);
        if ((type & 1) == 0) {
            fl &= ~Eflags.IF; // interrupt gate
        }
        cpu.setEflags(fl);
        cpu.eip = offset;
    }

    private static void deliverReal(Cpu cpu, int vector, int returnEip) {
        int entry = vector * 4;
        if (entry + 3 > cpu.idtrLimit) {
            throw Faults.raise(cpu, Vector.GP, 0, true);
        }
        int ip = cpu.mmu.read16(cpu.idtrBase + entry) & 0xFFFF;
        int cs = cpu.mmu.read16(cpu.idtrBase + entry + 2) & 0xFFFF;
        int fl = cpu.getEflags();
        StackOps.push(cpu, 2, fl & 0xFFFF);
        StackOps.push(cpu, 2, cpu.seg[Seg.CS].selector);
        StackOps.push(cpu, 2, returnEip & 0xFFFF);
        cpu.setEflags(fl & ~(Eflags.IF | Eflags.TF | Eflags.AC));
        Segmentation.loadReal(cpu, Seg.CS, cs);
        cpu.eip = ip;
    }
}
