package dev.jvmx.translator.helpers;

import dev.jvmx.translator.cpu.Faults;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.cpu.GuestFault;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.SegmentCache;
import dev.jvmx.translator.arch.Vector;
import dev.jvmx.vmx.ExceptionInterruptionInfo;

import java.util.function.IntSupplier;

import static dev.jvmx.vmx.ExceptionInterruptionInfo.NMI_UNBLOCKING_DUE_TO_IRET;
import static dev.jvmx.vmx.ExceptionInterruptionInfo.TYPE_EXTERNAL_INTERRUPT;
import static dev.jvmx.vmx.ExceptionInterruptionInfo.TYPE_HARDWARE_EXCEPTION;
import static dev.jvmx.vmx.ExceptionInterruptionInfo.TYPE_NMI;
import static dev.jvmx.vmx.ExceptionInterruptionInfo.TYPE_PRIVILEGED_SOFTWARE_EXCEPTION;
import static dev.jvmx.vmx.ExceptionInterruptionInfo.TYPE_SOFTWARE_EXCEPTION;
import static dev.jvmx.vmx.ExceptionInterruptionInfo.TYPE_SOFTWARE_INTERRUPT;

/**
 * Interrupt and exception delivery (SDM Vol. 3A, chapter 6): the IVT in real mode, IDT
 * interrupt/trap/task gates in protected mode with the privilege-level stack switch, and
 * the double-fault and triple-fault rules; in VMX non-root operation (SDM Vol. 3C, 25.2), so an
 * exception the exception bitmap selects, an NMI under "NMI exiting", and a task gate leave
 * through a VM exit instead ({@link EventExits}), with the IDT-vectoring fields set when that
 * happens while another event is being delivered.
 *
 * <p>Events are described as the VMCS describes them: an interruption-information word
 * ({@link ExceptionInterruptionInfo}: vector, type, error code valid), an error code, and for a
 * software interrupt or exception the instruction length.
 */
public final class Interrupts {
    /** What {@link dev.jvmx.translator.cpu.InterruptListener} is told an event is (the -d int log). */
    public static final int EXTERNAL = 0, EXCEPTION = 1, SOFTWARE = 2, SOFTWARE_EXCEPTION = 3;

    /** Thrown when an exception occurs while delivering a double fault: the CPU shuts down. */
    public static final class TripleFault extends RuntimeException {
        public TripleFault(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * A triple fault inside an instruction's helper, as the fault that carries it to the execution
     * loop (which stops on it in {@link #deliverException}).
     */
    static GuestFault shutdown(Cpu cpu, TripleFault t) {
        GuestFault f = cpu.fault(GuestFault.SHUTDOWN, 0, false);
        f.shutdown = t.getMessage();
        return f;
    }

    private Interrupts() { }

    /**
     * Delivers the exception {@code f} raised by an instruction whose state is in {@code cpu}
     * (EIP at the faulting instruction), applying the double-fault rules (SDM Vol. 3A, Table 6-5).
     */
    public static void deliverException(Cpu cpu, GuestFault f) {
        if (f.vector == GuestFault.SHUTDOWN) {
            throw new TripleFault(f.shutdown);
        }
        int info = info(cpu, f.vector, TYPE_HARDWARE_EXCEPTION, f.hasErrorCode);
        // A fault of an IRET that ended NMI blocking says so in its exit (SDM Vol. 3C, 27.2.2).
        int unblocked = cpu.iretUnblockedNmi && f.vector != Vector.DF ? NMI_UNBLOCKING_DUE_TO_IRET : 0;
        cpu.iretUnblockedNmi = false;
        exception(cpu, info, f.errorCode, f.payload, unblocked, 0, 0, 0);
    }

    /**
     * An instruction breakpoint (DR0-DR3 with R/W = 00): #DB before the instruction at EIP, a
     * fault, reporting the breakpoints hit in DR6 B0-B3 ({@code hits}). Its frame keeps RF as it
     * is (clear, or the breakpoint would not have fired): the handler sets RF in the frame to
     * return to the instruction without the breakpoint firing again (SDM Vol. 3B, 18.3.1.1).
     */
    public static void instructionBreakpoint(Cpu cpu, int hits) {
        debugException(cpu, hits);
    }

    /**
     * A debug trap after an instruction: data breakpoints hit (DR6 B0-B3, which it sets in place
     * of the old ones) and the single step (BS), in {@code payload}; EIP is after the instruction,
     * or at a REP string instruction stopped after the iteration that hit.
     */
    public static void debugTrap(Cpu cpu, int payload) {
        debugException(cpu, payload);
    }

    /** #DB with {@code dr6Bits}: breakpoint bits (B0-B3) replace the old ones, BS, BD and BT add to DR6. */
    private static void debugException(Cpu cpu, int dr6Bits) {
        if ((dr6Bits & 0xF) != 0) {
            cpu.dr[6] &= ~0xF;
        }
        exception(cpu, info(cpu, Vector.DB, TYPE_HARDWARE_EXCEPTION, false), 0, dr6Bits, 0, 0, 0, 0);
    }

    /**
     * The single-step trap (SDM Vol. 3A, "Single-Step Exception Condition") after an instruction
     * that began with EFLAGS.TF set and completed: #DB reporting DR6.BS, EIP already after the
     * instruction. Under the exception bitmap it is a VM exit with BS as its qualification.
     */
    public static void singleStepTrap(Cpu cpu) {
        debugException(cpu, SystemOps.DR6_BS);
    }

    /** Delivers an external (hardware) interrupt at an instruction boundary. */
    public static void deliverExternal(Cpu cpu, int vector) {
        event(cpu, ExceptionInterruptionInfo.encode(vector, TYPE_EXTERNAL_INTERRUPT, false), 0, 0, interruptedRf(cpu));
        cpu.halted = false;
    }

    /**
     * Whether an external interrupt waiting at the INTR line may be taken at this instruction
     * boundary (the caller has ruled out STI and MOV SS blocking): RFLAGS.IF = 1, or
     * "external-interrupt exiting", under which IF does not block it (SDM Vol. 3C, "Changes to
     * Event Blocking").
     */
    public static boolean externalInterruptOpen(Cpu cpu) {
        return (cpu.eflags & Eflags.IF) != 0 || cpu.controls.externalInterruptExits();
    }

    /**
     * Takes the external interrupt waiting at the INTR line: a VM exit under "external-interrupt
     * exiting" ({@link EventExits#externalInterrupt}), else its vector from {@code acknowledge}
     * (the interrupt-acknowledge cycle) delivered through the guest IDT. Either wakes a halted
     * CPU when the interrupt reaches the guest.
     */
    public static void takeExternal(Cpu cpu, IntSupplier acknowledge) {
        if (cpu.controls.externalInterruptExits()) {
            EventExits.externalInterrupt(cpu, acknowledge);
            return;
        }
        int vector = acknowledge.getAsInt();
        if (vector >= 0) {
            deliverExternal(cpu, vector);
        }
        cpu.halted = false;
    }

    /**
     * Whether "interrupt-window exiting" makes the open interrupt window exit before the next
     * instruction: RFLAGS.IF = 1 and no STI or MOV SS blocking (SDM Vol. 3C, 25.2). Such an exit
     * comes before an external interrupt is taken and after an NMI.
     */
    public static boolean interruptWindowExits(Cpu cpu) {
        return cpu.controls.interruptWindowExits() && (cpu.eflags & Eflags.IF) != 0 && !cpu.interruptShadow;
    }

    /** The interrupt-window exit (basic reason 7); call when {@link #interruptWindowExits} says so. */
    public static void exitForInterruptWindow(Cpu cpu) {
        EventExits.interruptWindow(cpu);
    }

    /** Delivers an NMI at an instruction boundary (the caller has set NMI blocking), or exits under "NMI exiting". */
    public static void deliverNmi(Cpu cpu) {
        int info = ExceptionInterruptionInfo.encode(Vector.NMI, TYPE_NMI, false);
        if (EventExits.exits(cpu, info, 0)) {
            // The NMI leaves as the exit instead of reaching the guest, whose NMI blocking stays as
            // it was; a VMM that injects it blocks NMIs then (SDM Vol. 3C, "Event Injection").
            cpu.nmiBlocked = false;
            EventExits.exceptionOrNmi(cpu, info, 0, 0, 0, 0, 0, 0);
        } else {
            event(cpu, info, 0, 0, interruptedRf(cpu));
        }
        cpu.halted = false;
    }

    /**
     * INT n ({@code kind} 0), INT3 (1), INTO (2) and INT1 (3): a software interrupt, a software
     * exception (#BP, #OF), or INT1's privileged software exception (#DB without the gate's DPL
     * check; interruption type 5 in the VMCS); the exception bitmap may make the exceptions exit. EIP is at the instruction,
     * {@code nextEip} after it; the handler returns there. A fault while delivering it is that
     * instruction's fault, left to the caller (the execution loop delivers it), unless the
     * exception bitmap makes it exit, with this event in the IDT-vectoring fields.
     */
    public static void deliverSoftware(Cpu cpu, int vector, int kind, int nextEip) {
        if (cpu.v86() && kind == 0 && cpu.iopl() < 3) {
            throw Faults.raise(cpu, Vector.GP, 0, true);
        }
        int type = kind == 0 ? TYPE_SOFTWARE_INTERRUPT : kind == 3 ? TYPE_PRIVILEGED_SOFTWARE_EXCEPTION
                : TYPE_SOFTWARE_EXCEPTION;
        int info = ExceptionInterruptionInfo.encode(vector, type, false);
        int length = (nextEip - cpu.eip) & 0xFFFF;
        try {
            if (kind != 0 && EventExits.exits(cpu, info, 0)) {
                EventExits.exceptionOrNmi(cpu, info, 0, 0, length, 0, 0, 0);
                return;
            }
            try {
                deliver(cpu, info, 0, length, nextEip, 0);
            } catch (GuestFault second) {
                if (second.vector >= 0) {
                    int info2 = info(cpu, second.vector, TYPE_HARDWARE_EXCEPTION, second.hasErrorCode);
                    if (EventExits.exits(cpu, info2, second.errorCode)) {
                        EventExits.exceptionOrNmi(cpu, info2, second.errorCode, second.payload, 0, info, 0, length);
                        return;
                    }
                }
                throw second;
            }
        } catch (TripleFault t) {
            throw shutdown(cpu, t);
        }
    }

    /**
     * Delivers an event a VM entry injects ({@link EventExits#vmEntry}): not checked against the
     * exception bitmap, and loading no CR2 or DR6 (the VMM did what it wanted of that); a fault
     * while delivering it is handled as in guest execution (SDM Vol. 3C, "Event Injection").
     */
    static void inject(Cpu cpu, int info, int errorCode, int length) {
        if (!cpu.protectedMode()) {
            info &= ~ExceptionInterruptionInfo.ERROR_CODE_VALID;
        }
        if (ExceptionInterruptionInfo.type(info) == TYPE_NMI) {
            // An injected NMI blocks NMIs until its handler's IRET, as a delivered one does.
            cpu.nmiBlocked = true;
        }
        // An injected event wakes a guest that was in the HLT state: it runs the handler.
        cpu.halted = false;
        event(cpu, info, errorCode, length, 0);
    }

    /** An interruption-information word; no error code is delivered in real mode (SDM Vol. 3C, 27.2.2). */
    private static int info(Cpu cpu, int vector, int type, boolean hasErrorCode) {
        return ExceptionInterruptionInfo.encode(vector, type, hasErrorCode && cpu.protectedMode());
    }

    /**
     * An exception the processor raised, with {@code outer} the event whose delivery raised it (0
     * for none): its exit, or its delivery after it loads the state it carries ({@code payload}).
     */
    private static void exception(Cpu cpu, int info, int errorCode, int payload, int exitBits,
            int outer, int outerErrorCode, int outerLength) {
        if (EventExits.exits(cpu, info, errorCode)) {
            EventExits.exceptionOrNmi(cpu, info | exitBits, errorCode, payload, 0, outer, outerErrorCode, outerLength);
            return;
        }
        int vector = ExceptionInterruptionInfo.vector(info);
        loadPayload(cpu, vector, payload);
        event(cpu, info, errorCode, 0, faultClass(vector, payload) ? Eflags.RF : interruptedRf(cpu));
    }

    /**
     * Whether an exception is a fault whose frame has RF set (SDM Vol. 3B, 18.3.1.1: every
     * fault-class exception but an instruction breakpoint's #DB), so that the instruction it
     * returns to does not hit an instruction breakpoint again. #DB is a fault only for general
     * detect (DR6.BD); #BP and #OF are traps, #DF and #MC aborts.
     */
    public static boolean faultClass(int vector, int payload) {
        return switch (vector) {
            case Vector.DE, Vector.BR, Vector.UD, Vector.NM, Vector.TS, Vector.NP, Vector.SS, Vector.GP, Vector.PF,
                    Vector.MF, Vector.AC, Vector.XM -> true;
            case Vector.DB -> (payload & SystemOps.DR6_BD) != 0;
            default -> false;
        };
    }

    /**
     * RF for the frame of an interrupt or a trap: set when a REP string instruction stopped
     * before its last iteration (SDM Vol. 3B, 18.3.1.1), else as EFLAGS has it.
     */
    private static int interruptedRf(Cpu cpu) {
        return cpu.repUnfinished ? Eflags.RF : 0;
    }

    /**
     * What an exception's delivery loads when it starts (SDM Vol. 3A, 6.15, and 17.2): a #PF its
     * linear address into CR2; a #DB its bits into DR6, and it clears DR7.GD. An exception that
     * exits loads nothing; a VMM reflecting it loads this itself.
     */
    public static void loadPayload(Cpu cpu, int vector, int payload) {
        if (vector == Vector.PF) {
            cpu.cr2 = payload;
        } else if (vector == Vector.DB) {
            cpu.dr[6] |= payload;
            cpu.dr[7] &= ~SystemOps.DR7_GD;
        }
    }

    /**
     * Delivers event {@code info} through the IVT or IDT, returning to EIP (to the next
     * instruction, {@code length} bytes on, for a software interrupt or exception). A fault while
     * delivering it is a second exception: it exits if the exception bitmap says so (this event in
     * the IDT-vectoring fields), or combines with this one by the double-fault rules.
     */
    private static void event(Cpu cpu, int info, int errorCode, int length, int frameRf) {
        int returnEip = cpu.eip;
        if (ExceptionInterruptionInfo.isSoftware(info)) {
            int next = cpu.eip + length;
            returnEip = cpu.code32() ? next : next & 0xFFFF;
        }
        try {
            deliver(cpu, info, errorCode, length, returnEip, frameRf);
            cpu.repUnfinished = false; // the frame holds the unfinished instruction's state
        } catch (GuestFault second) {
            if (second.vector < 0) {
                throw second;
            }
            nested(cpu, info, errorCode, length, second.vector, second.hasErrorCode, second.errorCode, second.payload);
        }
    }

    /** Exception {@code v2} raised while delivering {@code first} (SDM Vol. 3A, Table 6-5). */
    private static void nested(Cpu cpu, int first, int firstErrorCode, int firstLength,
            int v2, boolean hasError2, int error2, int payload2) {
        int info2 = info(cpu, v2, TYPE_HARDWARE_EXCEPTION, hasError2);
        if (EventExits.exits(cpu, info2, error2)) {
            EventExits.exceptionOrNmi(cpu, info2, error2, payload2, 0, first, firstErrorCode, firstLength);
            return;
        }
        if (ExceptionInterruptionInfo.type(first) == TYPE_HARDWARE_EXCEPTION) {
            int v1 = ExceptionInterruptionInfo.vector(first);
            if (v1 == Vector.DF) {
                EventExits.tripleFault(cpu, "triple fault: " + Vector.name(v2) + " while delivering #DF");
                return;
            }
            if (Vector.doubleFault(v1, v2)) {
                loadPayload(cpu, v2, payload2);
                // A #DF that exits is not "during event delivery" (SDM Vol. 3C, 27.2.4): no IDT-vectoring.
                exception(cpu, info(cpu, Vector.DF, TYPE_HARDWARE_EXCEPTION, true), 0, 0, 0, 0, 0, 0);
                return;
            }
        }
        // Benign pairs, and faults while delivering an interrupt: the second exception is
        // delivered as if the first never happened.
        exception(cpu, info2, error2, payload2, 0, 0, 0, 0);
    }

    /**
     * Delivers event {@code info} through the IVT or IDT. {@code returnEip} is what the handler's
     * IRET returns to. A task gate is a VM exit (the handler switches tasks). Faults raised here
     * propagate to the caller.
     */
    private static void deliver(Cpu cpu, int info, int error, int length, int returnEip, int frameRf) {
        int vector = ExceptionInterruptionInfo.vector(info);
        int eventType = ExceptionInterruptionInfo.type(info);
        boolean hasError = ExceptionInterruptionInfo.isErrorCodeValid(info);
        // Software interrupts and exceptions (INT n, INT3, INTO) check the gate's DPL and set no
        // EXT bit in error codes; INT1 does neither (SDM Vol. 3A, 6.13).
        boolean software = eventType == TYPE_SOFTWARE_INTERRUPT || eventType == TYPE_SOFTWARE_EXCEPTION;
        int ext = software ? 0 : 1;
        if (cpu.interruptListener != null) {
            int kind = eventType == TYPE_HARDWARE_EXCEPTION || eventType == TYPE_PRIVILEGED_SOFTWARE_EXCEPTION ? EXCEPTION
                    : eventType == TYPE_SOFTWARE_INTERRUPT ? SOFTWARE
                    : eventType == TYPE_SOFTWARE_EXCEPTION ? SOFTWARE_EXCEPTION : EXTERNAL;
            cpu.interruptListener.delivering(cpu, vector, kind, hasError, error);
        }
        if (!cpu.protectedMode()) {
            deliverReal(cpu, vector, returnEip);
            return;
        }
        if (cpu.v86() && eventType == TYPE_SOFTWARE_INTERRUPT && cpu.iopl() < 3) {
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
        if (software && gate.dpl() < cpu.cpl) {
            throw Faults.raise(cpu, Vector.GP, entry + 2, true);
        }
        if (!gate.present()) {
            throw Faults.raise(cpu, Vector.NP, entry + 2 + ext, true);
        }
        if (type == 5) {
            EventExits.taskGate(cpu, gate.gateSelector(), info, error, length);
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
        int oldFlags = cpu.getEflags() | frameRf;
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
