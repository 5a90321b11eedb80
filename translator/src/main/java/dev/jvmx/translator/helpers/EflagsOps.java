package dev.jvmx.translator.helpers;

import dev.jvmx.translator.cpu.Faults;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.arch.Vector;

/**
 * The instructions that read or write IF and IOPL: PUSHF, POPF, CLI, STI. They are the
 * classic virtualization hole (they do not trap when they silently fail), so each use that
 * touches IF is counted by name.
 */
public final class EflagsOps {
    private EflagsOps() { }

    /** PUSHF/PUSHFD: the image has VM and RF clear (SDM Vol. 2, PUSHF). */
    public static void pushf(Cpu cpu, int size) {
        if (cpu.v86() && cpu.iopl() < 3) {
            throw Faults.raise(cpu, Vector.GP, 0, true);
        }
        int fl = cpu.getEflags() & ~(Eflags.VM | Eflags.RF);
        StackOps.push(cpu, size, size == 2 ? fl & 0xFFFF : fl);
        hole(cpu, "PUSHF");
    }

    /**
     * POPF/POPFD (SDM Vol. 2, POPF): which bits change depends on mode, CPL and IOPL;
     * VM, RF, VIP and VIF are never changed by POPF.
     */
    public static void popf(Cpu cpu, int size) {
        if (cpu.v86() && cpu.iopl() < 3) {
            throw Faults.raise(cpu, Vector.GP, 0, true);
        }
        int v = StackOps.peek(cpu, size, 0);
        StackOps.adjust(cpu, size);
        int old = cpu.getEflags();
        int changeable = Eflags.ARITH | Eflags.TF | Eflags.DF | Eflags.NT;
        if (size == 4) {
            changeable |= Eflags.AC | Eflags.ID;
        }
        if (!cpu.protectedMode() || (!cpu.v86() && cpu.cpl == 0)) {
            changeable |= Eflags.IF | Eflags.IOPL;
        } else if (!cpu.v86() && cpu.cpl <= cpu.iopl()) {
            changeable |= Eflags.IF;
        } else if (cpu.v86()) {
            changeable |= Eflags.IF; // IOPL = 3 here, checked above
        }
        if (size == 2) {
            changeable &= 0xFFFF;
        }
        int nf = (old & ~changeable) | (v & changeable);
        if (((old ^ v) & Eflags.IF) != 0) {
            hole(cpu, (changeable & Eflags.IF) != 0 ? "POPF_IF" : "POPF_IF_IGNORED");
        }
        cpu.setEflags(nf);
    }

    public static void cli(Cpu cpu) {
        checkIopl(cpu);
        cpu.eflags &= ~Eflags.IF;
        hole(cpu, "CLI");
    }

    public static void sti(Cpu cpu) {
        checkIopl(cpu);
        if ((cpu.eflags & Eflags.IF) == 0) {
            // Interrupts stay inhibited until after the instruction that follows STI.
            cpu.interruptShadow = true;
        }
        cpu.eflags |= Eflags.IF;
        hole(cpu, "STI");
    }

    private static void checkIopl(Cpu cpu) {
        if (cpu.protectedMode() && (cpu.v86() ? cpu.iopl() < 3 : cpu.cpl > cpu.iopl())) {
            throw Faults.raise(cpu, Vector.GP, 0, true);
        }
    }

    private static void hole(Cpu cpu, String name) {
        if (cpu.exitHandler != null) {
            cpu.exitHandler.hole(cpu, name);
        }
    }
}
