package dev.jvmx.translator.helpers;

import dev.jvmx.translator.cpu.Faults;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.SegmentCache;
import dev.jvmx.translator.arch.Vector;

/**
 * Segment register loads with the protection checks of SDM Vol. 3A, 5.5-5.8 and the MOV,
 * POP and LDS pages of Vol. 2. Real and virtual-8086 mode load base = selector * 16.
 */
public final class Segmentation {
    private Segmentation() { }

    /**
     * Translation-mode bits (for {@code BlockMode.of}): bit {@code MODE_CHECK_SHIFT + s} is set
     * when segment register {@code s} is not a flat, present, writable, expand-up 4 GiB data
     * segment (for CS: not a 4 GiB code segment) in protected mode. Accesses through such a
     * segment get limit and type checks; flat segments cost nothing (no check is emitted).
     */
    public static final int MODE_CHECK_SHIFT = 12;
    public static final int MODE_CHECK_MASK = 0x3F << MODE_CHECK_SHIFT;
    /**
     * Bit {@code MODE_ZERO_BASE_SHIFT + s} is set in protected mode when segment {@code s} has
     * base 0: translated code then adds no base. Segment loads end a block, so the bit holds
     * for the whole block.
     */
    public static final int MODE_ZERO_BASE_SHIFT = 18;

    public static int modeBits(Cpu cpu) {
        if (!cpu.protectedMode() || cpu.v86()) {
            return 0;
        }
        int m = 0;
        for (int s = 0; s < 6; s++) {
            SegmentCache c = cpu.seg[s];
            if (c.base == 0) {
                m |= 1 << (MODE_ZERO_BASE_SHIFT + s);
            }
            boolean flat = c.limit == -1 && (c.access & SegmentCache.AR_P) != 0
                    && (s == Seg.CS ? (c.access & 0x18) == 0x18 : (c.access & 0x1E) == 0x12);
            if (!flat) {
                m |= 1 << (MODE_CHECK_SHIFT + s);
            }
        }
        return m;
    }

    /**
     * The limit and type checks of a data or stack access at offset {@code ea} through segment
     * {@code s} (SDM Vol. 3A, 5.3 and 5.4.1.1): #GP(0), or #SS(0) for SS, when the access runs
     * past the limit (expand-up), touches the range at or below the limit (expand-down),
     * goes through a null or unusable segment, writes a code or read-only segment, or reads
     * an execute-only one. Called from translated code only for segments flagged by {@link #modeBits}.
     */
    public static void checkAccess(Cpu cpu, int s, int ea, int size, boolean write) {
        SegmentCache c = cpu.seg[s];
        if (!accessOk(c.access, c.limit, ea, size, write)) {
            throw Faults.raise(cpu, s == Seg.SS ? Vector.SS : Vector.GP, 0, true);
        }
    }

    /**
     * The check of {@link #checkAccess} on a segment given by its access rights (in the
     * {@link SegmentCache} layout) and limit, for segments not loaded yet (a new stack).
     */
    public static boolean accessOk(int a, int limit, int ea, int size, boolean write) {
        boolean ok = (a & SegmentCache.AR_P) != 0 && (a & SegmentCache.AR_S) != 0;
        boolean code = (a & 8) != 0;
        if (ok) {
            ok = write ? !code && (a & 2) != 0 : !code || (a & 2) != 0;
        }
        if (ok) {
            long first = ea & 0xFFFFFFFFL;
            long last = first + size - 1;
            long lim = limit & 0xFFFFFFFFL;
            if (!code && (a & 4) != 0) {
                long upper = (a & SegmentCache.AR_DB) != 0 ? 0xFFFFFFFFL : 0xFFFFL;
                ok = first > lim && last <= upper;
            } else {
                ok = last <= lim;
            }
        }
        return ok;
    }

    /** Real mode and virtual-8086 mode with a 32-bit address: the offset against the cached limit. */
    public static void checkRealLimit(Cpu cpu, int s, int ea, int size) {
        long last = (ea & 0xFFFFFFFFL) + size - 1;
        if (last > (cpu.seg[s].limit & 0xFFFFFFFFL)) {
            throw Faults.raise(cpu, s == Seg.SS ? Vector.SS : Vector.GP, 0, true);
        }
    }

    public static boolean inLdt(int sel) {
        return (sel & 4) != 0;
    }

    /** Reads the descriptor a selector names, or raises #GP(selector) past the table limit. */
    public static Descriptor read(Cpu cpu, int sel, int vectorOnLimit) {
        int index = sel & 0xFFF8;
        int base, limit;
        if (inLdt(sel)) {
            if ((cpu.ldtr.selector & 0xFFFC) == 0 || index + 7 > cpu.ldtr.limit) {
                throw Faults.raise(cpu, vectorOnLimit, sel & 0xFFFC, true);
            }
            base = cpu.ldtr.base;
            limit = cpu.ldtr.limit;
        } else {
            base = cpu.gdtrBase;
            limit = cpu.gdtrLimit;
        }
        if (index + 7 > limit) {
            throw Faults.raise(cpu, vectorOnLimit, sel & 0xFFFC, true);
        }
        return new Descriptor(cpu.mmu.readSystem32(base + index), cpu.mmu.readSystem32(base + index + 4));
    }

    /** Sets the accessed bit of a code/data descriptor (a locked write in hardware). */
    public static void markAccessed(Cpu cpu, int sel, Descriptor d) {
        if ((d.high & 0x100) == 0 && !d.system()) {
            int base = inLdt(sel) ? cpu.ldtr.base : cpu.gdtrBase;
            cpu.mmu.writeSystem32(base + (sel & 0xFFF8) + 4, d.high | 0x100);
        }
    }

    /**
     * MOV/POP/LDS... into a data or stack segment register (not CS), with every check the
     * SDM lists for protected mode.
     */
    public static void loadData(Cpu cpu, int s, int sel) {
        sel &= 0xFFFF;
        if (!cpu.protectedMode() || cpu.v86()) {
            loadReal(cpu, s, sel);
            return;
        }
        int rpl = sel & 3;
        if (s == Seg.SS) {
            if ((sel & 0xFFFC) == 0) {
                throw Faults.raise(cpu, Vector.GP, 0, true);
            }
            Descriptor d = read(cpu, sel, Vector.GP);
            if (rpl != cpu.cpl || d.dpl() != cpu.cpl || !d.writableData()) {
                throw Faults.raise(cpu, Vector.GP, sel & 0xFFFC, true);
            }
            if (!d.present()) {
                throw Faults.raise(cpu, Vector.SS, sel & 0xFFFC, true);
            }
            markAccessed(cpu, sel, d);
            cpu.seg[s].set(sel, d.base(), d.limit(), d.access() | SegmentCache.AR_ACCESSED);
            return;
        }
        if ((sel & 0xFFFC) == 0) {
            // A null selector loads DS/ES/FS/GS without a fault; using it faults later.
            cpu.seg[s].set(sel, 0, 0, 0);
            return;
        }
        Descriptor d = read(cpu, sel, Vector.GP);
        if (d.system() || (d.code() && !d.readable())) {
            throw Faults.raise(cpu, Vector.GP, sel & 0xFFFC, true);
        }
        if (!d.conforming() && (rpl > d.dpl() || cpu.cpl > d.dpl())) {
            throw Faults.raise(cpu, Vector.GP, sel & 0xFFFC, true);
        }
        if (!d.present()) {
            throw Faults.raise(cpu, Vector.NP, sel & 0xFFFC, true);
        }
        markAccessed(cpu, sel, d);
        cpu.seg[s].set(sel, d.base(), d.limit(), d.access() | SegmentCache.AR_ACCESSED);
    }

    /**
     * Flat 32-bit protected-mode segments, as a loader or firmware leaves them without loading a
     * descriptor: CS a code segment ({@code codeSelector}), the others data ({@code dataSelector}),
     * all base 0, limit 4 GiB, present, accessed, 32-bit, page-granular.
     */
    public static void loadFlat32(Cpu cpu, int codeSelector, int dataSelector) {
        int code = SegmentCache.AR_P | SegmentCache.AR_S | 0xB | SegmentCache.AR_DB | SegmentCache.AR_G;
        int data = SegmentCache.AR_P | SegmentCache.AR_S | 0x3 | SegmentCache.AR_DB | SegmentCache.AR_G;
        for (int s = 0; s < 6; s++) {
            cpu.seg[s].set(s == Seg.CS ? codeSelector : dataSelector, 0, 0xFFFFFFFF, s == Seg.CS ? code : data);
        }
    }

    /** Real-mode / v86 load: only selector and base change (unreal mode keeps the cached limit). */
    public static void loadReal(Cpu cpu, int s, int sel) {
        SegmentCache c = cpu.seg[s];
        c.loadReal(sel);
        if (cpu.v86()) {
            c.limit = 0xFFFF;
            c.access = SegmentCache.AR_P | SegmentCache.AR_S | (3 << SegmentCache.AR_DPL_SHIFT)
                    | (s == Seg.CS ? 0xB : 0x3);
        }
    }

    /** Loads CS with a code segment descriptor for a far JMP/CALL/RET to the same or a new CPL. */
    public static void loadCode(Cpu cpu, int sel, Descriptor d, int newCpl) {
        sel = (sel & 0xFFFC) | newCpl;
        markAccessed(cpu, sel, d);
        cpu.seg[Seg.CS].set(sel, d.base(), d.limit(), d.access() | SegmentCache.AR_ACCESSED);
        setCpl(cpu, newCpl);
    }

    public static void setCpl(Cpu cpu, int newCpl) {
        cpu.setCpl(newCpl);
    }

    /**
     * After a privilege level change outward, data segment registers whose DPL is below the
     * new CPL are nulled (SDM Vol. 3A, 5.8.6 / RET).
     */
    public static void nullInaccessible(Cpu cpu) {
        for (int s : new int[] {Seg.ES, Seg.DS, Seg.FS, Seg.GS}) {
            SegmentCache c = cpu.seg[s];
            boolean conformingCode = (c.access & 0x1C) == 0x1C;
            if ((c.selector & 0xFFFC) != 0 && !conformingCode && c.dpl() < cpu.cpl) {
                c.set(0, 0, 0, 0);
            }
        }
    }
}
