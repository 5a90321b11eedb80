package dev.jvmx.translator.helpers;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.arch.Seg;

/** Data instructions whose semantics are easier stated in Java than emitted: CMPXCHG8B, ENTER. */
public final class DataOps {
    private DataOps() { }

    /** CMPXCHG8B m64: compare EDX:EAX with m64; equal: m64 = ECX:EBX, ZF = 1; else EDX:EAX = m64, ZF = 0. */
    public static void cmpxchg8b(Cpu cpu, int lin) {
        int lo = DataAccess.read32(cpu, lin);
        int hi = DataAccess.read32(cpu, lin + 4);
        int fl = cpu.getEflags();
        if (lo == cpu.regs[Cpu.EAX] && hi == cpu.regs[Cpu.EDX]) {
            DataAccess.write32(cpu, lin, cpu.regs[Cpu.EBX]);
            DataAccess.write32(cpu, lin + 4, cpu.regs[Cpu.ECX]);
            fl |= Eflags.ZF;
        } else {
            // The destination is written back with its own value (a locked cycle always writes).
            DataAccess.write32(cpu, lin, lo);
            DataAccess.write32(cpu, lin + 4, hi);
            cpu.regs[Cpu.EAX] = lo;
            cpu.regs[Cpu.EDX] = hi;
            fl &= ~Eflags.ZF;
        }
        cpu.setEflags(fl);
    }

    /** Protected mode: a stack access of ENTER must lie within SS (#SS(0), SDM Vol. 2 ENTER). */
    private static void checkStack(Cpu cpu, int off, int size, boolean write) {
        if (cpu.protectedMode() && !cpu.v86()) {
            Segmentation.checkAccess(cpu, Seg.SS, off, size, write);
        }
    }

    /** ENTER imm16, imm8 (SDM Vol. 2, ENTER), nesting level taken modulo 32. */
    public static void enter(Cpu cpu, int allocSize, int level, int size, boolean stack32) {
        int ssBase = cpu.seg[Seg.SS].base;
        int sp = cpu.regs[Cpu.ESP];
        int bp = cpu.regs[Cpu.EBP];
        int mask = stack32 ? -1 : 0xFFFF;
        // Compute everything first, write, then commit, so a fault leaves registers unchanged.
        sp -= size;
        checkStack(cpu, sp & mask, size, true);
        StackOps.write(cpu, size, ssBase + (sp & mask), size == 2 ? bp & 0xFFFF : bp);
        int frameTemp = sp;
        if (level > 0) {
            int b = bp;
            for (int i = 1; i < level; i++) {
                b -= size;
                checkStack(cpu, b & mask, size, false);
                int v = StackOps.read(cpu, size, ssBase + (b & mask));
                sp -= size;
                checkStack(cpu, sp & mask, size, true);
                StackOps.write(cpu, size, ssBase + (sp & mask), v);
            }
            sp -= size;
            checkStack(cpu, sp & mask, size, true);
            StackOps.write(cpu, size, ssBase + (sp & mask), size == 2 ? frameTemp & 0xFFFF : frameTemp);
        }
        sp -= allocSize;
        if (size == 2) {
            cpu.regs[Cpu.EBP] = (cpu.regs[Cpu.EBP] & 0xFFFF0000) | (frameTemp & 0xFFFF);
        } else {
            cpu.regs[Cpu.EBP] = stack32 ? frameTemp : (cpu.regs[Cpu.EBP] & 0xFFFF0000) | (frameTemp & 0xFFFF);
        }
        cpu.regs[Cpu.ESP] = stack32 ? sp : (cpu.regs[Cpu.ESP] & 0xFFFF0000) | (sp & 0xFFFF);
    }
}
