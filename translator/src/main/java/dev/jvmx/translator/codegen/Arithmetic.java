package dev.jvmx.translator.codegen;

import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.decode.Mnemonic;
import dev.jvmx.translator.flags.LazyFlags;
import org.objectweb.asm.Opcodes;

/** ADD, ADC, SUB, SBB, CMP, NEG, INC, DEC: results and lazy flags (SDM Vol. 2). */
final class Arithmetic implements Opcodes {
    private Arithmetic() { }

    static void emit(Insn insn, Emitter e) {
        int size = insn.operandSize;
        Mnemonic m = insn.mnemonic;
        Loc d = e.resolve(insn.op(0));
        int a = e.temp(), b = e.temp(), r = e.temp();
        e.load(d, size);
        e.istore(a);
        switch (m) {
            case INC:
            case DEC:
                // CF is preserved: carried in b (LazyFlags OP_INC/OP_DEC).
                e.loadCf();
                e.istore(b);
                e.iload(a);
                e.iconst(1);
                e.op(m == Mnemonic.INC ? IADD : ISUB);
                e.mask(size);
                e.istore(r);
                e.iload(r);
                e.store(d, size);
                e.setFlags(LazyFlags.op(m == Mnemonic.INC ? LazyFlags.OP_INC : LazyFlags.OP_DEC, size), r, a, b, false);
                return;
            case NEG:
                // NEG is 0 - x: the SUB rule with a = 0.
                e.iload(a);
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
                return;
            default:
                break;
        }
        e.loadOperand(insn.op(1), size);
        e.istore(b);
        boolean add = m == Mnemonic.ADD || m == Mnemonic.ADC;
        e.iload(a);
        e.iload(b);
        e.op(add ? IADD : ISUB);
        if (m == Mnemonic.ADC || m == Mnemonic.SBB) {
            e.loadCf();
            e.op(add ? IADD : ISUB);
        }
        e.mask(size);
        e.istore(r);
        if (m != Mnemonic.CMP) {
            e.iload(r);
            e.store(d, size);
        }
        boolean plain = m == Mnemonic.SUB || m == Mnemonic.CMP;
        e.setFlags(LazyFlags.op(add ? LazyFlags.OP_ADD : LazyFlags.OP_SUB, size), r, a, b, plain);
    }
}
