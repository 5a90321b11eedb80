package dev.jvmx.translator.codegen;

import dev.jvmx.translator.arch.Seg;
import org.objectweb.asm.Opcodes;

/**
 * Segment register loads and stores: MOV Sreg, r/m16; MOV r/m, Sreg; POP Sreg; LDS, LES, LFS,
 * LGS, LSS (SDM Vol. 2). Loads go through {@code helpers.Segmentation.loadData} (or
 * {@code SystemOps.loadSegment}, which adds the interrupt shadow of SS), which make the real,
 * virtual-8086 and protected-mode checks. Segment bases are cached for the whole block and SS.B
 * decides the stack width, so every load ends the block, unchained.
 */
final class Segments implements Opcodes {
    private Segments() { }

    static void movSegLoad(Emitter e) {
        int sel = e.temp();
        e.loadOperand(1, 2);
        e.istore(sel);
        load(e, Calls.LOAD_SEGMENT, e.fixedRegister(0), sel);
        leave(e);
    }

    /** POP Sreg: the selector is read, the register loaded, and only then ESP moves (a fault leaves ESP). */
    static void popSeg(Emitter e) {
        int size = e.size();
        int sel = e.temp();
        e.peek(size, 0);
        e.mask(2);
        e.istore(sel);
        load(e, Calls.LOAD_SEGMENT, e.fixedRegister(0), sel);
        e.adjustEsp(size);
        leave(e);
    }

    static void lds(Emitter e) {
        loadFarPointer(e, Seg.DS);
    }

    static void les(Emitter e) {
        loadFarPointer(e, Seg.ES);
    }

    static void lfs(Emitter e) {
        loadFarPointer(e, Seg.FS);
    }

    static void lgs(Emitter e) {
        loadFarPointer(e, Seg.GS);
    }

    static void lss(Emitter e) {
        loadFarPointer(e, Seg.SS);
    }

    /** Loads segment register {@code s} with the selector in local {@code sel}. */
    private static void load(Emitter e, HelperCall loader, int s, int sel) {
        e.callWithState(loader, () -> {
            e.iconst(s);
            e.iload(sel);
        });
    }

    /** Ends the block at the next instruction, unchained: the block's cached segment bases are stale. */
    private static void leave(Emitter e) {
        e.pushNext();
        e.exitIndirect();
    }

    /** LDS/LES/LFS/LGS/LSS r, m16:16 / m16:32: the offset first, the selector after it; the segment is loaded first. */
    private static void loadFarPointer(Emitter e, int s) {
        int size = e.size();
        Loc l = e.operand(1);
        int off = e.temp(), sel = e.temp(), lin2 = e.temp();
        e.read(size, l.value);
        e.istore(off);
        e.iload(l.value);
        e.iconst(size);
        e.op(IADD);
        e.istore(lin2);
        e.read(2, lin2);
        e.istore(sel);
        load(e, Calls.LOAD_DATA_SEGMENT, s, sel);
        e.iload(off);
        e.storeOperand(0, size);
        leave(e);
    }

    /**
     * MOV r/m, Sreg: 16 bits to memory; to a 32-bit register the selector zero-extended (P6 and
     * later). Reading CS or SS reveals the CPL (ring aliasing): a virtualization hole.
     */
    static void movSegStore(Emitter e) {
        int s = e.fixedRegister(1);
        if (s == Seg.CS || s == Seg.SS) {
            e.countHole("MOV_FROM_SREG");
        }
        int size = e.isMem(0) ? 2 : e.size();
        Loc l = e.operand(0);
        e.getCpu(Fields.SEG);
        e.iconst(s);
        e.op(AALOAD);
        Fields.SEGMENT_SELECTOR.get(e.mv);
        e.store(l, size);
    }
}
