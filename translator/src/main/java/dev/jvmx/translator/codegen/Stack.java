package dev.jvmx.translator.codegen;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.decode.Operand;
import org.objectweb.asm.Opcodes;

/** PUSH, POP, PUSHA, POPA, PUSH Sreg, PUSHF, POPF, ENTER, LEAVE. */
final class Stack implements Opcodes {
    private Stack() { }

    static void emit(Insn insn, Emitter e) {
        int size = insn.operandSize;
        switch (insn.mnemonic) {
            case PUSH:
                // PUSH ESP pushes the value before the decrement: the operand is read first.
                e.loadOperand(insn.op(0), size);
                e.push(size);
                break;
            case POP: {
                Operand d = insn.op(0);
                int v = e.temp();
                e.peek(size, 0);
                e.istore(v);
                if (d.kind == Operand.Kind.MEM) {
                    // SDM: with ESP as base, the address is computed after ESP is incremented.
                    int oldEsp = e.temp();
                    e.iload(Emitter.regLocal(Cpu.ESP));
                    e.istore(oldEsp);
                    e.adjustEsp(size);
                    Loc l = e.resolve(d);
                    e.iload(v);
                    // Restore ESP if the store faults: write first with the new ESP, then commit.
                    int newEsp = e.temp();
                    e.iload(Emitter.regLocal(Cpu.ESP));
                    e.istore(newEsp);
                    e.iload(oldEsp);
                    e.istore(Emitter.regLocal(Cpu.ESP));
                    e.store(l, size);
                    e.iload(newEsp);
                    e.istore(Emitter.regLocal(Cpu.ESP));
                } else {
                    e.adjustEsp(size);
                    e.iload(v);
                    e.storeReg(d.reg, size);
                }
                break;
            }
            case PUSH_SEG:
                pushSegment(insn, e);
                break;
            case PUSHA: {
                int oldEsp = e.temp();
                e.iload(Emitter.regLocal(Cpu.ESP));
                e.istore(oldEsp);
                int[] vals = new int[8];
                for (int r = 0; r < 8; r++) {
                    vals[r] = e.temp();
                    if (r == Cpu.ESP) {
                        e.iload(oldEsp);
                        e.mask(size);
                    } else {
                        e.loadReg(r, size);
                    }
                    e.istore(vals[r]);
                }
                // Write all eight slots below the old ESP, then commit ESP.
                // Protected mode with a non-flat SS: every slot is limit-checked (#SS(0)) before
                // anything is written.
                int[] lins = new int[8];
                for (int r = 0; r < 8; r++) {
                    lins[r] = e.temp();
                    stackSlot(e, oldEsp, -(r + 1) * size, lins[r], size, true);
                }
                for (int r = 0; r < 8; r++) {
                    e.write(size, lins[r], vals[r]);
                }
                e.adjustEsp(-8 * size);
                break;
            }
            case POPA: {
                int[] vals = new int[8];
                for (int r = 7; r >= 0; r--) {
                    vals[r] = e.temp();
                    e.peek(size, (7 - r) * size);
                    e.istore(vals[r]);
                }
                for (int r = 0; r < 8; r++) {
                    if (r != Cpu.ESP) {
                        e.iload(vals[r]);
                        e.storeReg(r, size);
                    }
                }
                e.adjustEsp(8 * size);
                break;
            }
            case PUSHF:
                e.callWithState(Emitter.HELPERS + "EflagsOps", "pushf", "(L" + Emitter.CPU + ";I)V", () -> e.iconst(size));
                break;
            case POPF:
                e.callWithState(Emitter.HELPERS + "EflagsOps", "popf", "(L" + Emitter.CPU + ";I)V", () -> e.iconst(size));
                // IF or TF may have changed: interrupts are checked at the block boundary.
                e.endBlockAfter();
                break;
            case ENTER:
                e.callWithState(Emitter.HELPERS + "DataOps", "enter", "(L" + Emitter.CPU + ";IIIZ)V", () -> {
                    e.iconst(insn.op(0).imm & 0xFFFF);
                    e.iconst(insn.op(1).imm & 0x1F);
                    e.iconst(size);
                    e.iconst(e.stack32() ? 1 : 0);
                });
                break;
            case LEAVE: {
                // ESP = EBP; EBP = pop. Read first so a fault leaves both unchanged.
                int v = e.temp(), lin = e.temp();
                e.iload(Emitter.regLocal(Cpu.EBP));
                if (!e.stack32()) {
                    e.mask(2);
                }
                if (!e.protectedMode() || e.v86()) {
                    // Real mode / V86: reading past offset FFFF is #GP(0) (ss286 C9 data), no wrap.
                    org.objectweb.asm.Label inside = new org.objectweb.asm.Label();
                    e.op(DUP);
                    e.iconst(0x10000 - size);
                    e.mv.visitJumpInsn(IF_ICMPLE, inside);
                    e.raise(dev.jvmx.translator.arch.Vector.GP, 0, true);
                    e.mv.visitLabel(inside);
                } else {
                    // Protected mode: limit check when SS is not flat (#SS(0)).
                    e.istore(lin);
                    e.checkOffset(dev.jvmx.translator.arch.Seg.SS, lin, size, false);
                    e.iload(lin);
                }
                e.addSegBase(dev.jvmx.translator.arch.Seg.SS);
                e.istore(lin);
                e.read(size, lin);
                e.istore(v);
                if (e.stack32()) {
                    e.iload(Emitter.regLocal(Cpu.EBP));
                    e.istore(Emitter.regLocal(Cpu.ESP));
                } else {
                    e.loadReg(Cpu.EBP, 2);
                    e.storeReg(Cpu.ESP, 2);
                }
                e.adjustEsp(size);
                e.iload(v);
                e.storeReg(Cpu.EBP, size);
                break;
            }
            default:
                throw new IllegalStateException("not a stack instruction: " + insn.mnemonic);
        }
    }

    /**
     * Stores into {@code linLocal} the linear address of the stack slot at {@code base + delta}
     * (in the stack's address size); in protected mode the slot is first checked against SS
     * (the check is emitted only when SS is not flat in this block's mode).
     */
    private static void stackSlot(Emitter e, int baseLocal, int delta, int linLocal, int size, boolean write) {
        e.iload(baseLocal);
        e.iconst(delta);
        e.op(IADD);
        if (!e.stack32()) {
            e.mask(2);
        }
        e.istore(linLocal);
        if (e.protectedMode() && !e.v86()) {
            e.checkOffset(dev.jvmx.translator.arch.Seg.SS, linLocal, size, write);
        }
        e.iload(linLocal);
        e.addSegBase(dev.jvmx.translator.arch.Seg.SS);
        e.istore(linLocal);
    }

    /**
     * PUSH Sreg. With a 32-bit operand size, recent processors write only the low 16 bits
     * of the slot (SDM Vol. 2, PUSH), leaving the rest of it unchanged.
     */
    private static void pushSegment(Insn insn, Emitter e) {
        int size = insn.operandSize;
        int s = insn.op(0).reg;
        int sel = e.temp(), lin = e.temp(), newEsp = e.temp();
        e.aloadCpu();
        e.mv.visitFieldInsn(GETFIELD, Emitter.CPU, "seg", "[Ldev/jvmx/translator/cpu/SegmentCache;");
        e.iconst(s);
        e.op(AALOAD);
        e.mv.visitFieldInsn(GETFIELD, "dev/jvmx/translator/cpu/SegmentCache", "selector", "I");
        e.istore(sel);
        e.iload(Emitter.regLocal(Cpu.ESP));
        e.iconst(-size);
        e.op(IADD);
        if (!e.stack32()) {
            e.mask(2);
            e.iload(Emitter.regLocal(Cpu.ESP));
            e.iconst(0xFFFF0000);
            e.op(IAND);
            e.op(IOR);
        }
        e.istore(newEsp);
        e.iload(newEsp);
        if (!e.stack32()) {
            e.mask(2);
        }
        e.istore(lin);
        if (e.protectedMode() && !e.v86()) {
            e.checkOffset(dev.jvmx.translator.arch.Seg.SS, lin, size, true);
        }
        e.iload(lin);
        e.addSegBase(dev.jvmx.translator.arch.Seg.SS);
        e.istore(lin);
        e.write(2, lin, sel);
        e.iload(newEsp);
        e.istore(Emitter.regLocal(Cpu.ESP));
        e.countHole("PUSH_" + dev.jvmx.translator.arch.Seg.NAMES[s].toUpperCase());
    }
}
