package dev.jvmx.translator.codegen;

import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.decode.Mnemonic;
import dev.jvmx.translator.decode.Operand;
import org.objectweb.asm.Opcodes;

/**
 * Segment register loads and stores: MOV Sreg, r/m16; MOV r/m, Sreg; POP Sreg; LDS, LES, LFS,
 * LGS, LSS (SDM Vol. 2). Loads go through {@code helpers.Segmentation.loadData}, which makes
 * the real, virtual-8086 and protected-mode checks. Segment bases are cached in locals for the
 * whole block and SS.B decides the stack width, so every load ends the block unchained.
 */
final class Segments implements Opcodes {
    private static final String CPU_DESC = "(L" + Emitter.CPU + ";";
    private static final String SEGMENTATION = Emitter.HELPERS + "Segmentation";
    private static final String OPS = Emitter.HELPERS + "SystemOps";

    private Segments() { }

    static void emit(Insn insn, Emitter e) {
        switch (insn.mnemonic) {
            case MOV_SEG_LOAD: {
                int sel = e.temp();
                e.loadOperand(insn.op(1), 2);
                e.istore(sel);
                load(e, insn.op(0).reg, sel, true);
                leave(e);
                break;
            }
            case MOV_SEG_STORE:
                store(insn, e);
                break;
            case POP_SEG: {
                // The selector is read, the register loaded, and only then ESP moves (a fault leaves ESP).
                int size = insn.operandSize;
                int sel = e.temp();
                e.peek(size, 0);
                e.mask(2);
                e.istore(sel);
                load(e, insn.op(0).reg, sel, true);
                e.adjustEsp(size);
                leave(e);
                break;
            }
            case LDS:
            case LES:
            case LFS:
            case LGS:
            case LSS:
                loadFarPointer(insn, e);
                break;
            default:
                throw new IllegalStateException("not a segment instruction: " + insn.mnemonic);
        }
    }

    private static int segmentOf(Mnemonic m) {
        switch (m) {
            case LDS: return Seg.DS;
            case LES: return Seg.ES;
            case LFS: return Seg.FS;
            case LGS: return Seg.GS;
            default: return Seg.SS;
        }
    }

    /** Loads segment register {@code s} with the selector in local {@code sel}; MOV/POP SS inhibit interrupts. */
    private static void load(Emitter e, int s, int sel, boolean shadowOnSs) {
        e.callWithState(shadowOnSs ? OPS : SEGMENTATION, shadowOnSs ? "loadSegment" : "loadData", CPU_DESC + "II)V",
                () -> {
                    e.iconst(s);
                    e.iload(sel);
                });
    }

    /** Ends the block at the next instruction, unchained: the block's cached segment bases are stale. */
    private static void leave(Emitter e) {
        e.iconst(e.nextEip());
        e.exitIndirect();
    }

    /** LDS/LES/LFS/LGS/LSS r, m16:16 / m16:32: offset first, selector after it; the segment is loaded first. */
    private static void loadFarPointer(Insn insn, Emitter e) {
        int size = insn.operandSize;
        Loc l = e.resolve(insn.op(1));
        int off = e.temp(), sel = e.temp(), lin2 = e.temp();
        e.read(size, l.value);
        e.istore(off);
        e.iload(l.value);
        e.iconst(size);
        e.op(IADD);
        e.istore(lin2);
        e.read(2, lin2);
        e.istore(sel);
        load(e, segmentOf(insn.mnemonic), sel, false);
        e.iload(off);
        e.storeReg(insn.op(0).reg, size);
        leave(e);
    }

    /**
     * MOV r/m, Sreg: 16 bits to memory; to a 32-bit register the selector zero-extended (P6 and
     * later). Reading CS or SS reveals the CPL (ring aliasing): a virtualization hole.
     */
    private static void store(Insn insn, Emitter e) {
        Operand dst = insn.op(0);
        int s = insn.op(1).reg;
        if (s == Seg.CS || s == Seg.SS) {
            e.countHole("MOV_FROM_SREG");
        }
        int size = dst.isMem() ? 2 : insn.operandSize;
        Loc l = e.resolve(dst);
        e.aloadCpu();
        e.mv.visitFieldInsn(GETFIELD, Emitter.CPU, "seg", "[Ldev/jvmx/translator/cpu/SegmentCache;");
        e.iconst(s);
        e.op(AALOAD);
        e.mv.visitFieldInsn(GETFIELD, "dev/jvmx/translator/cpu/SegmentCache", "selector", "I");
        e.store(l, size);
    }
}
