package dev.jvmx.translator.semantics;

import dev.jvmx.translator.codegen.Faults;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.cpu.Vector;

/** The task-state segment: privilege-level stacks and task switches (SDM Vol. 3A, chapter 7). */
public final class TaskSwitch {
    public static final int SOURCE_CALL = 0, SOURCE_IRET = 1, SOURCE_JMP = 2, SOURCE_INTERRUPT = 3;

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

    /**
     * Switches to the task named by a TSS selector (or task gate's target) (SDM Vol. 3A, 7.3).
     * Not yet translated: raises #GP(selector), which is what a CPU without the TSS would do.
     */
    public static void switchTask(Cpu cpu, int selector, int source, int returnEip) {
        throw Faults.raise(cpu, Vector.GP, selector & 0xFFFC, true);
    }
}
