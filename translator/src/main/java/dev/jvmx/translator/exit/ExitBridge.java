package dev.jvmx.translator.exit;

import dev.jvmx.translator.arch.Vector;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.cpu.Faults;
import dev.jvmx.translator.helpers.SystemOps;
import dev.jvmx.vmx.CrAccessQualification;
import dev.jvmx.vmx.ExecutionControls;
import dev.jvmx.vmx.ExitReason;
import dev.jvmx.vmx.IoQualification;

/**
 * The static entry points generated code calls for VM exits (DESIGN.md rule 5): one call with
 * the exit reason and a qualification fixed at translation time. The bridge writes the exit
 * into the CPU's VMCS, as the processor does on a VM exit, and calls the CPU's
 * {@link dev.jvmx.translator.cpu.VmExitHandler}, which reads it there.
 */
public final class ExitBridge {
    private static final ExitReason[] REASONS = new ExitReason[65];

    static {
        for (ExitReason r : ExitReason.values()) {
            REASONS[r.number()] = r;
        }
    }

    private ExitBridge() { }

    /** IN: the qualification's port field is filled from {@code port} (DX forms). */
    public static int in(Cpu cpu, long qualification, int port, int length) {
        ioBreakpoints(cpu, port, IoQualification.size(qualification));
        cpu.recordExit(ExitReason.IO_INSTRUCTION, qualification | ((long) (port & 0xFFFF) << 16), length);
        return cpu.exitHandler.ioIn(cpu);
    }

    public static void out(Cpu cpu, long qualification, int port, int value, int length) {
        ioBreakpoints(cpu, port, IoQualification.size(qualification));
        cpu.recordExit(ExitReason.IO_INSTRUCTION, qualification | ((long) (port & 0xFFFF) << 16), length);
        cpu.exitHandler.ioOut(cpu, value);
    }

    /** IN from a port the controls pass: no exit, the device answers (zero-extended to {@code size}). */
    public static int portIn(Cpu cpu, int port, int size) {
        ioBreakpoints(cpu, port, size);
        return cpu.exitHandler.portRead(cpu, port & 0xFFFF, size);
    }

    public static void portOut(Cpu cpu, int port, int size, int value) {
        ioBreakpoints(cpu, port, size);
        cpu.exitHandler.portWrite(cpu, port & 0xFFFF, size, value);
    }

    /** The guest's I/O breakpoints (DR7 R/W 10 with CR4.DE) see every port access; one test while none is set. */
    public static void ioBreakpoints(Cpu cpu, int port, int size) {
        if (cpu.breakpoints.io != 0) {
            cpu.breakpoints.ioAccessed(port & 0xFFFF, size);
        }
    }

    /**
     * IN with the port in DX under "use I/O bitmaps": the bitmaps decide per port at run time
     * (SDM Vol. 3C, "I/O Instructions"), so the qualification is completed only on an exit.
     */
    public static int inChecked(Cpu cpu, long qualification, int port, int length) {
        int size = IoQualification.size(qualification);
        if (cpu.controls.ioExits(port & 0xFFFF, size)) {
            return in(cpu, qualification, port, length);
        }
        return portIn(cpu, port, size);
    }

    public static void outChecked(Cpu cpu, long qualification, int port, int value, int length) {
        int size = IoQualification.size(qualification);
        if (cpu.controls.ioExits(port & 0xFFFF, size)) {
            out(cpu, qualification, port, value, length);
        } else {
            portOut(cpu, port, size, value);
        }
    }

    /** HLT with "HLT exiting" 0: the processor halts, no VM exit. EIP moves past the instruction. */
    public static void hlt(Cpu cpu, int length) {
        cpu.halted = true;
        advance(cpu, length);
    }

    /**
     * A control-register access (MOV to/from CR, CLTS, LMSW; state in {@code cpu}, EIP at the
     * instruction) that exits or not by the controls read at run time (SDM Vol. 3C, "Other
     * Causes of VM Exits": the CR0/CR4 guest/host masks against the read shadows, the CR3-target
     * values, CR3-load/store exiting). jvmx has no CR0 apart from the guest's, so a MOV to CR0
     * also exits when a host-owned bit of the source differs from the guest's CR0 (never the case
     * while the shadow mirrors CR0 in the owned bits, as a VMM keeps it); the inline path
     * therefore loads the whole source, exactly what the exit handler would do.
     */
    public static void controlRegister(Cpu cpu, long qualification, int length, int linear) {
        ExecutionControls c = cpu.controls;
        int cr = CrAccessQualification.cr(qualification);
        boolean exits;
        switch (CrAccessQualification.accessType(qualification)) {
            case CrAccessQualification.MOV_TO_CR: {
                int src = cpu.getReg32(CrAccessQualification.gpr(qualification));
                exits = c.movToCrExits(cr, src) || cr == 0 && ((src ^ cpu.cr0) & c.cr0GuestHostMask()) != 0;
                break;
            }
            case CrAccessQualification.MOV_FROM_CR:
                exits = c.movFromCrExits(cr);
                break;
            case CrAccessQualification.CLTS:
                exits = c.cltsExits();
                break;
            default:
                exits = c.lmswExits(CrAccessQualification.lmswSourceData(qualification));
                break;
        }
        if (exits) {
            cpu.recordExit(ExitReason.CONTROL_REGISTER_ACCESS, qualification, length);
            cpu.exit.guestLinearAddress(linear & 0xFFFFFFFFL);
            cpu.exitHandler.exit(cpu);
        } else {
            ArchitecturalExits.perform(cpu, ExitReason.CONTROL_REGISTER_ACCESS, qualification, length, 0, 0);
        }
    }

    /**
     * An instruction the execution controls let run without an exit (decided at translation
     * time): its effect, from what its exit would have reported.
     */
    public static void pass(Cpu cpu, int reason, long qualification, int length, int info, int linear) {
        ArchitecturalExits.perform(cpu, REASONS[reason], qualification, length, info, linear);
    }

    /**
     * RDMSR / WRMSR under "use MSR bitmaps": exits if the bitmap for ECX (read or write) says
     * so or ECX is outside both MSR ranges; otherwise the access happens without an exit.
     */
    public static void msr(Cpu cpu, boolean write, int length) {
        if (cpu.controls.msrExits(cpu.regs[Cpu.ECX], write)) {
            exit(cpu, (write ? ExitReason.WRMSR : ExitReason.RDMSR).number(), 0, length);
            return;
        }
        if (write) {
            SystemOps.wrmsr(cpu);
        } else {
            SystemOps.rdmsr(cpu);
        }
        advance(cpu, length);
    }

    private static void advance(Cpu cpu, int length) {
        int next = cpu.eip + length;
        cpu.eip = cpu.code32() ? next : next & 0xFFFF;
    }

    /** A generic exit: the guest state is already in {@code cpu}, EIP at the instruction. */
    public static void exit(Cpu cpu, int reason, long qualification, int length) {
        cpu.recordExit(REASONS[reason], qualification, length);
        cpu.exitHandler.exit(cpu);
    }

    /**
     * An exit that also reports the VM-exit instruction-information field and the guest-linear
     * address of its memory operand (descriptor-table exits, INVLPG, LMSW m16).
     */
    public static void exitWithInfo(Cpu cpu, int reason, long qualification, int length, int info, int linear) {
        cpu.recordExit(REASONS[reason], qualification, length);
        cpu.exit.instructionInfo(info).guestLinearAddress(linear & 0xFFFFFFFFL);
        cpu.exitHandler.exit(cpu);
    }

    /**
     * Whether the instruction with this exit reason exits under the controls in force, whatever
     * its operands: a first-tier handler's question at run time (a translation decided it when
     * it was made).
     */
    public static boolean instructionExits(Cpu cpu, int reason) {
        return cpu.controls.instructionExits(ExitReason.ofNumber(reason));
    }

    /** Counts a virtualization hole that VT-x itself would not exit on. */
    public static void hole(Cpu cpu, String name) {
        cpu.exitHandler.hole(cpu, name);
    }

    /**
     * Protected-mode I/O permission (SDM Vol. 1, 19.5): allowed when CPL <= IOPL outside
     * virtual-8086 mode, else every bit for the accessed ports in the TSS bitmap must be clear.
     */
    public static void checkIoPermission(Cpu cpu, int port, int size) {
        if (!cpu.v86() && cpu.cpl <= cpu.iopl()) {
            return;
        }
        int type = cpu.tr.access & 0xF;
        if ((type != 0x9 && type != 0xB) || cpu.tr.limit < 0x67) {
            throw Faults.raise(cpu, Vector.GP, 0, true);
        }
        int base = cpu.mmu.readSystem16(cpu.tr.base + 0x66);
        int byteOff = base + (port >>> 3);
        if (byteOff + 1 > cpu.tr.limit) {
            throw Faults.raise(cpu, Vector.GP, 0, true);
        }
        int bits = cpu.mmu.readSystem16(cpu.tr.base + byteOff);
        int mask = ((1 << size) - 1) << (port & 7);
        if ((bits & mask) != 0) {
            throw Faults.raise(cpu, Vector.GP, 0, true);
        }
    }
}
