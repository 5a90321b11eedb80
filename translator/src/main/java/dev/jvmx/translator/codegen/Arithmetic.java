package dev.jvmx.translator.codegen;

import dev.jvmx.translator.flags.LazyFlags;
import org.objectweb.asm.Opcodes;

/** ADD, ADC, SUB, SBB, CMP, NEG, INC, DEC: results and lazy flags (SDM Vol. 2). */
final class Arithmetic implements Opcodes {
    private Arithmetic() { }

    static void add(Emitter e) {
        binary(e, true, false, true);
    }

    static void adc(Emitter e) {
        binary(e, true, true, true);
    }

    static void sub(Emitter e) {
        binary(e, false, false, true);
    }

    static void sbb(Emitter e) {
        binary(e, false, true, true);
    }

    /** CMP is SUB without the store. */
    static void cmp(Emitter e) {
        binary(e, false, false, false);
    }

    /** dest = dest +/- src (+/- CF); the lazy flags keep the operands (LazyFlags OP_ADD, OP_SUB). */
    private static void binary(Emitter e, boolean add, boolean withCarry, boolean store) {
        int size = e.size();
        Loc d = e.operand(0);
        int a = e.temp(), b = e.temp(), r = e.temp();
        if (store) {
            e.loadForUpdate(d, size);
        } else {
            e.load(d, size);
        }
        e.istore(a);
        e.loadOperand(1, size);
        e.istore(b);
        e.iload(a);
        e.iload(b);
        e.op(add ? IADD : ISUB);
        if (withCarry) {
            e.loadCf();
            e.op(add ? IADD : ISUB);
        }
        e.mask(size);
        e.istore(r);
        if (store) {
            e.iload(r);
            e.store(d, size);
        }
        // SUB and CMP compare their operands directly: a later Jcc fuses with them.
        e.setFlags(LazyFlags.op(add ? LazyFlags.OP_ADD : LazyFlags.OP_SUB, size), r, a, b, !add && !withCarry);
    }

    /** NEG is 0 - x: the SUB rule with a = 0. */
    static void neg(Emitter e) {
        int size = e.size();
        Loc d = e.operand(0);
        int a = e.temp(), b = e.temp(), r = e.temp();
        e.loadForUpdate(d, size);
        e.istore(b);
        e.iconst(0);
        e.istore(a);
        e.iconst(0);
        e.iload(b);
        e.op(ISUB);
        e.mask(size);
        e.istore(r);
        e.iload(r);
        e.store(d, size);
        e.setFlags(LazyFlags.op(LazyFlags.OP_SUB, size), r, a, b, true);
    }

    static void inc(Emitter e) {
        step(e, true);
    }

    static void dec(Emitter e) {
        step(e, false);
    }

    /** INC/DEC keep CF: it is carried in b (LazyFlags OP_INC/OP_DEC). */
    private static void step(Emitter e, boolean up) {
        int size = e.size();
        Loc d = e.operand(0);
        int a = e.temp(), b = e.temp(), r = e.temp();
        e.loadForUpdate(d, size);
        e.istore(a);
        e.loadCf();
        e.istore(b);
        e.iload(a);
        e.iconst(1);
        e.op(up ? IADD : ISUB);
        e.mask(size);
        e.istore(r);
        e.iload(r);
        e.store(d, size);
        e.setFlags(LazyFlags.op(up ? LazyFlags.OP_INC : LazyFlags.OP_DEC, size), r, a, b, false);
    }
}
