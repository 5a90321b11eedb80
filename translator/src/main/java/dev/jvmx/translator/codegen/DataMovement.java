package dev.jvmx.translator.codegen;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.decode.Operand;
import dev.jvmx.translator.flags.LazyFlags;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;

/** MOV and friends, LEA, XCHG, XADD, CMPXCHG(8B), CMOVcc, SETcc, BSWAP, XLAT, CBW/CWD. */
final class DataMovement implements Opcodes {
    private DataMovement() { }

    static void emit(Insn insn, Emitter e) {
        int size = insn.operandSize;
        switch (insn.mnemonic) {
            case MOV: {
                Loc d = e.resolve(insn.op(0));
                e.loadOperand(insn.op(1), size);
                e.store(d, size);
                break;
            }
            case MOVZX:
            case MOVSX: {
                int srcSize = insn.op(1).size;
                e.loadOperand(insn.op(1), srcSize);
                if (insn.mnemonic == dev.jvmx.translator.decode.Mnemonic.MOVSX) {
                    e.signExtend(srcSize);
                    e.mask(size);
                }
                e.storeReg(insn.op(0).reg, size);
                break;
            }
            case LEA:
                e.effectiveAddress(insn.op(1));
                e.mask(size);
                e.storeReg(insn.op(0).reg, size);
                break;
            case XCHG: {
                Operand o0 = insn.op(0), o1 = insn.op(1);
                Loc a = e.resolve(o0), b = e.resolve(o1);
                int va = e.temp(), vb = e.temp();
                e.load(a, size);
                e.istore(va);
                e.load(b, size);
                e.istore(vb);
                // Memory first, so a fault leaves both registers untouched.
                if (b.isMem()) {
                    e.iload(va);
                    e.store(b, size);
                    e.iload(vb);
                    e.store(a, size);
                } else {
                    e.iload(vb);
                    e.store(a, size);
                    e.iload(va);
                    e.store(b, size);
                }
                break;
            }
            case XADD: {
                Loc d = e.resolve(insn.op(0));
                int a = e.temp(), b = e.temp(), r = e.temp();
                e.load(d, size);
                e.istore(a);
                e.loadReg(insn.op(1).reg, size);
                e.istore(b);
                e.iload(a);
                e.iload(b);
                e.op(IADD);
                e.mask(size);
                e.istore(r);
                if (d.isMem()) {
                    e.iload(r);
                    e.store(d, size);
                    e.iload(a);
                    e.storeReg(insn.op(1).reg, size);
                } else {
                    e.iload(a);
                    e.storeReg(insn.op(1).reg, size);
                    e.iload(r);
                    e.store(d, size);
                }
                e.setFlags(LazyFlags.op(LazyFlags.OP_ADD, size), r, a, b, false);
                break;
            }
            case CMPXCHG: {
                // Compare accumulator with destination: equal -> dest = src, else acc = dest.
                // The destination is written in both cases (SDM: the processor never produces a locked read without a write).
                Loc d = e.resolve(insn.op(0));
                int acc = e.temp(), dv = e.temp(), r = e.temp();
                e.load(d, size);
                e.istore(dv);
                e.loadReg(Cpu.EAX, size);
                e.istore(acc);
                e.iload(acc);
                e.iload(dv);
                e.op(ISUB);
                e.mask(size);
                e.istore(r);
                Label ne = new Label(), done = new Label();
                e.iload(acc);
                e.iload(dv);
                e.mv.visitJumpInsn(IF_ICMPNE, ne);
                e.loadReg(insn.op(1).reg, size);
                e.store(d, size);
                e.mv.visitJumpInsn(GOTO, done);
                e.mv.visitLabel(ne);
                if (d.isMem()) {
                    e.iload(dv);
                    e.store(d, size);
                }
                e.iload(dv);
                e.storeReg(Cpu.EAX, size);
                e.mv.visitLabel(done);
                e.setFlags(LazyFlags.op(LazyFlags.OP_SUB, size), r, acc, dv, true);
                break;
            }
            case CMPXCHG8B: {
                Loc d = e.resolve(insn.op(0));
                e.callWithState(Emitter.HELPERS + "DataOps", "cmpxchg8b", "(L" + Emitter.CPU + ";I)V",
                        () -> e.iload(d.value));
                break;
            }
            case CMOVCC: {
                // The source is read whatever the condition (it may fault); the write is conditional.
                int v = e.temp();
                e.loadOperand(insn.op(1), size);
                e.istore(v);
                Label skip = new Label();
                e.jumpIf(insn.cond ^ 1, skip);
                e.iload(v);
                e.storeReg(insn.op(0).reg, size);
                e.mv.visitLabel(skip);
                break;
            }
            case SETCC: {
                Loc d = e.resolve(insn.op(0));
                e.loadCond(insn.cond);
                e.store(d, 1);
                break;
            }
            case BSWAP: {
                int r = insn.op(0).reg;
                if (size == 4) {
                    e.iload(Emitter.regLocal(r));
                    e.mv.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "reverseBytes", "(I)I", false);
                    e.istore(Emitter.regLocal(r));
                } else {
                    // BSWAP of a 16-bit register is undefined; hardware clears the low word.
                    e.iconst(0);
                    e.storeReg(r, 2);
                }
                break;
            }
            case XLAT: {
                int lin = e.temp();
                e.iload(Emitter.regLocal(Cpu.EBX));
                e.loadReg(Cpu.EAX, 1);
                e.op(IADD);
                if (insn.addressSize == 2) {
                    e.mask(2);
                }
                e.addSegBase(insn.segOverride >= 0 ? insn.segOverride : Seg.DS);
                e.istore(lin);
                e.read(1, lin);
                e.storeReg(Cpu.EAX, 1);
                break;
            }
            case CBW:
                if (size == 2) { // CBW: AX = sign-extend AL
                    e.loadReg(Cpu.EAX, 1);
                    e.signExtend(1);
                    e.storeReg(Cpu.EAX, 2);
                } else { // CWDE
                    e.loadReg(Cpu.EAX, 2);
                    e.signExtend(2);
                    e.storeReg(Cpu.EAX, 4);
                }
                break;
            case CWD:
                if (size == 2) { // CWD: DX = sign of AX
                    e.loadReg(Cpu.EAX, 2);
                    e.signExtend(2);
                    e.iconst(31);
                    e.op(ISHR);
                    e.storeReg(Cpu.EDX, 2);
                } else { // CDQ
                    e.iload(Emitter.regLocal(Cpu.EAX));
                    e.iconst(31);
                    e.op(ISHR);
                    e.istore(Emitter.regLocal(Cpu.EDX));
                }
                break;
            default:
                throw new IllegalStateException("not a data-movement instruction: " + insn.mnemonic);
        }
    }

}
