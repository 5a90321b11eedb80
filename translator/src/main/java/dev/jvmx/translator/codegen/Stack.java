package dev.jvmx.translator.codegen;

import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.Cpu;
import org.objectweb.asm.Opcodes;

/** PUSH, POP, PUSHA, POPA, PUSH Sreg, PUSHF, POPF, ENTER, LEAVE. */
final class Stack implements Opcodes {
    private Stack() { }

    /** PUSH ESP pushes the value before the decrement: the operand is read first. */
    static void push(Emitter e) {
        int size = e.size();
        e.loadOperand(0, size);
        e.push(size);
    }

    static void pop(Emitter e) {
        int size = e.size();
        int v = e.temp();
        e.peek(size, 0);
        e.istore(v);
        if (e.isMem(0)) {
            // SDM: with ESP as base, the address is computed after ESP is incremented. If the
            // store faults, ESP must be as before: write with the new ESP, then commit it.
            int oldEsp = e.temp(), newEsp = e.temp();
            e.loadReg32(Cpu.ESP);
            e.istore(oldEsp);
            e.adjustEsp(size);
            Loc l = e.operand(0);
            e.loadReg32(Cpu.ESP);
            e.istore(newEsp);
            e.iload(oldEsp);
            e.storeReg32(Cpu.ESP);
            e.iload(v);
            e.store(l, size);
            e.iload(newEsp);
            e.storeReg32(Cpu.ESP);
        } else {
            e.adjustEsp(size);
            e.iload(v);
            e.storeOperand(0, size);
        }
    }

    /**
     * PUSH Sreg. With a 32-bit operand size, recent processors write only the low 16 bits of
     * the slot (SDM Vol. 2, PUSH), leaving the rest of it unchanged.
     */
    static void pushSeg(Emitter e) {
        int size = e.size();
        int s = e.fixedRegister(0);
        int sel = e.temp(), lin = e.temp(), newEsp = e.temp();
        e.getCpu(Fields.SEG);
        e.iconst(s);
        e.op(AALOAD);
        Fields.SEGMENT_SELECTOR.get(e.mv);
        e.istore(sel);
        e.adjustEspInto(-size, newEsp);
        e.iload(newEsp);
        if (!e.stack32()) {
            e.mask(2);
        }
        e.pushSlot(size, lin);
        e.write(2, lin, sel);
        e.iload(newEsp);
        e.storeReg32(Cpu.ESP);
        e.countHole("PUSH_" + Seg.NAMES[s].toUpperCase());
    }

    static void pusha(Emitter e) {
        int size = e.size();
        int oldEsp = e.temp();
        e.loadReg32(Cpu.ESP);
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
        // Every slot is checked (#SS(0) with a non-flat SS) before anything is written; then ESP.
        // Real-mode slots wrap at 64 KiB like single pushes.
        int[] lins = new int[8];
        for (int r = 0; r < 8; r++) {
            lins[r] = e.temp();
            e.iload(oldEsp);
            e.iconst(-(r + 1) * size);
            e.op(IADD);
            if (!e.stack32()) {
                e.mask(2);
            }
            e.pushSlot(size, lins[r]);
        }
        for (int r = 0; r < 8; r++) {
            e.write(size, lins[r], vals[r]);
        }
        e.adjustEsp(-8 * size);
    }

    static void popa(Emitter e) {
        int size = e.size();
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
    }

    static void pushf(Emitter e) {
        e.callWithState(Calls.PUSHF, () -> e.iconst(e.size()));
    }

    /** IF or TF may change: interrupts are looked at on the block boundary after it. */
    static void popf(Emitter e) {
        e.callWithState(Calls.POPF, () -> e.iconst(e.size()));
        e.endBlockAfter();
    }

    static void enter(Emitter e) {
        boolean s32 = e.stack32();
        e.callWithState(Calls.ENTER, () -> {
            e.pushImm(0, 2);
            e.pushValue(1);
            e.iconst(0x1F);
            e.op(IAND);
            e.iconst(e.size());
            e.iconst(s32 ? 1 : 0);
        });
    }

    /** ESP = EBP; EBP = pop. Read first, so that a fault leaves both unchanged. */
    static void leave(Emitter e) {
        int size = e.size();
        boolean s32 = e.stack32();
        int v = e.temp(), lin = e.temp();
        e.loadReg32(Cpu.EBP);
        if (!s32) {
            e.mask(2);
        }
        e.stackSlot(size, false, lin);
        e.read(size, lin);
        e.istore(v);
        if (s32) {
            e.loadReg32(Cpu.EBP);
            e.storeReg32(Cpu.ESP);
        } else {
            e.loadReg(Cpu.EBP, 2);
            e.storeReg(Cpu.ESP, 2);
        }
        e.adjustEsp(size);
        e.iload(v);
        e.storeReg(Cpu.EBP, size);
    }
}
