package dev.jvmx.translator.semantics;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.cpu.Seg;

/** The guest stack for helpers that work on the Cpu object (SS:ESP or SS:SP by SS.B). */
public final class StackOps {
    private StackOps() { }

    private static int linear(Cpu cpu, int esp) {
        return cpu.seg[Seg.SS].base + (cpu.stack32() ? esp : esp & 0xFFFF);
    }

    private static int moved(Cpu cpu, int delta) {
        if (cpu.stack32()) {
            return cpu.esp + delta;
        }
        return (cpu.esp & 0xFFFF0000) | ((cpu.esp + delta) & 0xFFFF);
    }

    public static void write(Cpu cpu, int size, int lin, int v) {
        if (size == 4) {
            cpu.mmu.write32(lin, v);
        } else {
            cpu.mmu.write16(lin, v);
        }
    }

    public static int read(Cpu cpu, int size, int lin) {
        return size == 4 ? cpu.mmu.read32(lin) : cpu.mmu.read16(lin) & 0xFFFF;
    }

    public static void push(Cpu cpu, int size, int v) {
        int nsp = moved(cpu, -size);
        write(cpu, size, linear(cpu, nsp), v);
        cpu.esp = nsp;
    }

    public static int peek(Cpu cpu, int size, int offset) {
        return read(cpu, size, linear(cpu, cpu.esp + offset));
    }

    public static int pop(Cpu cpu, int size) {
        int v = peek(cpu, size, 0);
        adjust(cpu, size);
        return v;
    }

    public static void adjust(Cpu cpu, int delta) {
        cpu.esp = moved(cpu, delta);
    }
}
