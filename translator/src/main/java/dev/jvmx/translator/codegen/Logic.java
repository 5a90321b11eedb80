package dev.jvmx.translator.codegen;

import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.decode.Mnemonic;
import dev.jvmx.translator.flags.LazyFlags;
import org.objectweb.asm.Opcodes;

/** AND, OR, XOR, TEST, NOT. Logic ops clear CF and OF; AF is undefined (we clear it). */
final class Logic implements Opcodes {
    private Logic() { }

    static void emit(Insn insn, Emitter e) {
        int size = insn.operandSize;
        Mnemonic m = insn.mnemonic;
        Loc d = e.resolve(insn.op(0));
        if (m == Mnemonic.NOT) {
            e.load(d, size);
            e.iconst(-1);
            e.op(IXOR);
            e.mask(size);
            e.store(d, size);
            return;
        }
        int a = e.temp(), b = e.temp(), r = e.temp();
        e.load(d, size);
        e.istore(a);
        e.loadOperand(insn.op(1), size);
        e.istore(b);
        e.iload(a);
        e.iload(b);
        e.op(m == Mnemonic.OR ? IOR : m == Mnemonic.XOR ? IXOR : IAND);
        e.istore(r);
        if (m != Mnemonic.TEST) {
            e.iload(r);
            e.store(d, size);
        }
        e.setFlags(LazyFlags.op(LazyFlags.OP_LOGIC, size), r, a, b, false);
    }
}
