package dev.jvmx.translator.helpers;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.mem.Mmu;
import dev.jvmx.translator.mem.PhysicalMemory;

/**
 * A helper's guest data access: the probe translated code makes inline, in Java. On a hit in the
 * current privilege's TLB the bytes are in the RAM array; otherwise the MMU's slow path walks,
 * faults, reports watchpoints and code writes, and fills the TLB for the next access.
 *
 * <p>The MMU's {@code read32}/{@code write32} are the slow paths alone: they walk and fill every
 * time. Helpers that access memory on every call (the x87's and SSE's memory operands, string
 * instructions) come here first. A hit is exactly what the slow path would do: a page enters the
 * TLB only as RAM mapped at that offset, its write side only when writable, not read-only and not
 * holding translated code, and a page with a debugger's watchpoint never enters it.
 */
public final class DataAccess {
    private DataAccess() { }

    public static int read8(Cpu cpu, int lin) {
        int off = Mmu.hit(cpu.tlbRead, lin, 1);
        return off >= 0 ? cpu.memory.array[off] & 0xFF : cpu.mmu.read8(lin);
    }

    /** The 16-bit value at {@code lin}, zero-extended. */
    public static int read16(Cpu cpu, int lin) {
        int off = Mmu.hit(cpu.tlbRead, lin, 2);
        return off >= 0 ? PhysicalMemory.ram16(cpu.memory.array, off) : cpu.mmu.read16(lin);
    }

    public static int read32(Cpu cpu, int lin) {
        int off = Mmu.hit(cpu.tlbRead, lin, 4);
        return off >= 0 ? PhysicalMemory.ram32(cpu.memory.array, off) : cpu.mmu.read32(lin);
    }

    /** The 8 bytes at {@code lin}; across a page, or on a miss, as two 4-byte reads, low first. */
    public static long read64(Cpu cpu, int lin) {
        int off = Mmu.hit(cpu.tlbRead, lin, 8);
        if (off >= 0) {
            return (long) PhysicalMemory.VH64.get(cpu.memory.array, off);
        }
        long lo = read32(cpu, lin) & 0xFFFFFFFFL;
        return lo | (long) read32(cpu, lin + 4) << 32;
    }

    public static void write8(Cpu cpu, int lin, int v) {
        int off = Mmu.hit(cpu.tlbWrite, lin, 1);
        if (off >= 0) {
            cpu.memory.array[off] = (byte) v;
        } else {
            cpu.mmu.write8(lin, v);
        }
    }

    public static void write16(Cpu cpu, int lin, int v) {
        int off = Mmu.hit(cpu.tlbWrite, lin, 2);
        if (off >= 0) {
            PhysicalMemory.setRam16(cpu.memory.array, off, v);
        } else {
            cpu.mmu.write16(lin, v);
        }
    }

    public static void write32(Cpu cpu, int lin, int v) {
        int off = Mmu.hit(cpu.tlbWrite, lin, 4);
        if (off >= 0) {
            PhysicalMemory.setRam32(cpu.memory.array, off, v);
        } else {
            cpu.mmu.write32(lin, v);
        }
    }

    /** Writes 8 bytes at {@code lin}; across a page, or on a miss, as two 4-byte writes, low first. */
    public static void write64(Cpu cpu, int lin, long v) {
        int off = Mmu.hit(cpu.tlbWrite, lin, 8);
        if (off >= 0) {
            PhysicalMemory.VH64.set(cpu.memory.array, off, v);
            return;
        }
        write32(cpu, lin, (int) v);
        write32(cpu, lin + 4, (int) (v >>> 32));
    }

    /** Writes 8 bytes at {@code lin} after making sure neither page faults (an SSE or MMX store of a quadword). */
    public static void store64(Cpu cpu, int lin, long v) {
        prepareWrite(cpu, lin, 8);
        write64(cpu, lin, v);
    }

    /**
     * {@link Mmu#prepareWrite}: a write of {@code size} bytes that comes after the instruction has
     * changed other state raises its #PF, and its restart for a write into the running block's
     * code, now. A write-side hit on one page can do neither, so there is nothing to prepare.
     */
    public static void prepareWrite(Cpu cpu, int lin, int size) {
        if (Mmu.hit(cpu.tlbWrite, lin, size) < 0) {
            cpu.mmu.prepareWrite(lin, size);
        }
    }
}
