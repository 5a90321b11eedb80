package dev.jvmx.runtime.gdb;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.exec.CodeCache;
import dev.jvmx.translator.mem.PhysicalMemory;

/**
 * Guest memory as a debugger sees it: by linear address, through the guest's paging as it is
 * now, without side effects (no #PF, no accessed or dirty bit, no TLB entry, no MMIO access:
 * device registers are not read or written behind the guest's back). Writes reach ROM too, as
 * a debugger's do, and drop the translations of the code they change.
 */
final class DebugMemory {
    private final Cpu cpu;
    private final CodeCache cache;

    DebugMemory(Cpu cpu, CodeCache cache) {
        this.cpu = cpu;
        this.cache = cache;
    }

    /** Where linear {@code lin} is in {@code memory.array}, or -1 (not mapped, or not RAM/ROM). */
    private int offset(int lin) {
        long phys = cpu.mmu.debugTranslate(lin);
        if (phys < 0) {
            return -1;
        }
        int e = cpu.memory.pageEntry((int) phys);
        if (e == PhysicalMemory.ON_DEMAND) {
            cpu.memory.grow(); // the guest is stopped: no block runs (the code cache drops its translations)
            e = cpu.memory.pageEntry((int) phys);
        }
        if (e < 0) {
            return -1;
        }
        return (e & ~(PhysicalMemory.PAGE_SIZE - 1)) + (int) (phys & (PhysicalMemory.PAGE_SIZE - 1));
    }

    /** Reads up to {@code len} bytes into {@code out}; returns how many could be read before the first unreadable one. */
    int read(int lin, int len, byte[] out) {
        for (int i = 0; i < len; i++) {
            int off = offset(lin + i);
            if (off < 0) {
                return i;
            }
            out[i] = cpu.memory.array[off];
        }
        return len;
    }

    /** Writes the bytes; false (nothing written) if any of them is not in RAM or ROM. */
    boolean write(int lin, byte[] data, int len) {
        int[] offs = new int[len];
        for (int i = 0; i < len; i++) {
            offs[i] = offset(lin + i);
            if (offs[i] < 0) {
                return false;
            }
        }
        for (int i = 0; i < len; i++) {
            cpu.memory.array[offs[i]] = data[i];
            int phys = (int) cpu.mmu.debugTranslate(lin + i);
            if (cpu.memory.isCodePage(phys)) {
                cache.invalidatePage(phys >>> PhysicalMemory.PAGE_SHIFT);
            }
        }
        return true;
    }
}
