package dev.jvmx.translator.helpers;

import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.arch.Vector;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.cpu.Faults;
import dev.jvmx.translator.cpu.SegmentCache;

/**
 * The guest stack for helpers that work on the Cpu object (SS:ESP or SS:SP by SS.B). In
 * protected mode every access is checked against SS's limit and type (#SS(0)), so far
 * transfers and the other helpers fault exactly where the SDM says when SS is not flat.
 */
public final class StackOps {
    private StackOps() { }

    private static int linear(Cpu cpu, int esp) {
        return cpu.seg[Seg.SS].base + (cpu.stack32() ? esp : esp & 0xFFFF);
    }

    private static int moved(Cpu cpu, int delta) {
        if (cpu.stack32()) {
            return cpu.regs[Cpu.ESP] + delta;
        }
        return (cpu.regs[Cpu.ESP] & 0xFFFF0000) | ((cpu.regs[Cpu.ESP] + delta) & 0xFFFF);
    }

    public static void write(Cpu cpu, int size, int lin, int v) {
        if (size == 4) {
            cpu.mmu.write32(lin, v);
        } else {
            cpu.mmu.write16(lin, v);
        }
    }

    /**
     * A push onto the new stack of a transfer to an inner ring, made before CPL changes: a
     * supervisor-mode write (Mmu.writeSupervisor), as the SDM has the processor push that frame
     * at the new privilege level.
     */
    public static void writeInner(Cpu cpu, int size, int lin, int v) {
        cpu.mmu.writeSupervisor(lin, v, size);
    }

    public static int read(Cpu cpu, int size, int lin) {
        return size == 4 ? cpu.mmu.read32(lin) : cpu.mmu.read16(lin) & 0xFFFF;
    }

    public static void push(Cpu cpu, int size, int v) {
        int nsp = moved(cpu, -size);
        check(cpu, nsp, size, true);
        write(cpu, size, linear(cpu, nsp), v);
        cpu.regs[Cpu.ESP] = nsp;
    }

    public static int peek(Cpu cpu, int size, int offset) {
        check(cpu, cpu.regs[Cpu.ESP] + offset, size, false);
        return read(cpu, size, linear(cpu, cpu.regs[Cpu.ESP] + offset));
    }

    /**
     * Protected mode: the access at stack offset {@code esp} must lie within SS (#SS(0)).
     * Real and virtual-8086 mode with a 16-bit stack: a read that runs past offset FFFF is
     * #GP(0) and does not wrap, as {@code Emitter.peek} does for inline pops (the hardware-
     * captured 286 RETF tests with SP = FFFF).
     */
    private static void check(Cpu cpu, int esp, int size, boolean write) {
        if (cpu.protectedMode() && !cpu.v86()) {
            Segmentation.checkAccess(cpu, Seg.SS, cpu.stack32() ? esp : esp & 0xFFFF, size, write);
        } else if (!write && !cpu.stack32() && (esp & 0xFFFF) > 0x10000 - size) {
            throw Faults.raise(cpu, Vector.GP, 0, true);
        }
    }

    /**
     * A stack not loaded yet (the inner stack of a call gate or an interrupt): {@code count}
     * pushes of {@code size} bytes below {@code sp} must fit in the segment {@code ssd}, else
     * #SS({@code errorCode}) before anything is written (SDM Vol. 2, CALL and INT n).
     */
    public static void checkRoom(Cpu cpu, Descriptor ssd, int sp, int count, int size, int errorCode) {
        boolean ss32 = (ssd.access() & SegmentCache.AR_DB) != 0;
        for (int i = 0; i < count; i++) {
            sp -= size;
            if (!Segmentation.accessOk(ssd.access(), ssd.limit(), ss32 ? sp : sp & 0xFFFF, size, true)) {
                throw Faults.raise(cpu, Vector.SS, errorCode, true);
            }
        }
    }

    /** The same for the current SS (an interrupt at the same privilege level). */
    public static void checkRoomHere(Cpu cpu, int count, int size, int errorCode) {
        if (!cpu.protectedMode() || cpu.v86()) {
            return;
        }
        int sp = cpu.regs[Cpu.ESP];
        for (int i = 0; i < count; i++) {
            sp -= size;
            int off = cpu.stack32() ? sp : sp & 0xFFFF;
            SegmentCache c = cpu.seg[Seg.SS];
            if (!Segmentation.accessOk(c.access, c.limit, off, size, true)) {
                throw Faults.raise(cpu, Vector.SS, errorCode, true);
            }
        }
    }

    public static int pop(Cpu cpu, int size) {
        int v = peek(cpu, size, 0);
        adjust(cpu, size);
        return v;
    }

    public static void adjust(Cpu cpu, int delta) {
        cpu.regs[Cpu.ESP] = moved(cpu, delta);
    }
}
