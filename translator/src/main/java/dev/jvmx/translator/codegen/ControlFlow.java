package dev.jvmx.translator.codegen;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.arch.Vector;
import dev.jvmx.translator.decode.Insn;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;

/**
 * Jumps, calls, returns, loops and software interrupts. Every one ends the block; direct
 * targets leave through a chain slot so that the dispatcher can link blocks (DESIGN.md rule 4).
 */
final class ControlFlow implements Opcodes {
    private static final String CPU_DESC = "(L" + Emitter.CPU + ";";
    private static final String TRANSFERS = Emitter.HELPERS + "Transfers";

    private ControlFlow() { }

    /** The target of a relative branch, wrapped to the operand size (SDM: EIP AND 0000FFFFH for 16-bit). */
    private static int relTarget(Insn insn, Emitter e) {
        int t = e.nextEip() + insn.op(0).imm;
        return insn.operandSize == 2 ? t & 0xFFFF : t;
    }

    static void emit(Insn insn, Emitter e) {
        int size = insn.operandSize;
        switch (insn.mnemonic) {
            case JMP:
                e.exitTo(relTarget(insn, e), CompiledBlock.TAKEN);
                break;
            case JCC: {
                Label taken = new Label();
                e.jumpIf(insn.cond, taken);
                e.exitLeg(e.nextEip(), CompiledBlock.FALLTHROUGH);
                e.mv.visitLabel(taken);
                e.exitTo(relTarget(insn, e), CompiledBlock.TAKEN);
                break;
            }
            case JCXZ: {
                Label taken = new Label();
                e.loadReg(Cpu.ECX, insn.addressSize);
                e.mv.visitJumpInsn(IFEQ, taken);
                e.exitLeg(e.nextEip(), CompiledBlock.FALLTHROUGH);
                e.mv.visitLabel(taken);
                e.exitTo(relTarget(insn, e), CompiledBlock.TAKEN);
                break;
            }
            case LOOP:
            case LOOPE:
            case LOOPNE: {
                // (E)CX by the address size is decremented without touching flags.
                int as = insn.addressSize;
                e.loadReg(Cpu.ECX, as);
                e.iconst(1);
                e.op(ISUB);
                e.mask(as);
                e.storeReg(Cpu.ECX, as);
                Label notTaken = new Label();
                e.loadReg(Cpu.ECX, as);
                e.mv.visitJumpInsn(IFEQ, notTaken);
                if (insn.mnemonic == dev.jvmx.translator.decode.Mnemonic.LOOPE) {
                    e.jumpIf(5 /* NE */, notTaken);
                } else if (insn.mnemonic == dev.jvmx.translator.decode.Mnemonic.LOOPNE) {
                    e.jumpIf(4 /* E */, notTaken);
                }
                e.exitLeg(relTarget(insn, e), CompiledBlock.TAKEN);
                e.mv.visitLabel(notTaken);
                e.exitTo(e.nextEip(), CompiledBlock.FALLTHROUGH);
                break;
            }
            case CALL: {
                e.iconst(e.nextEip());
                e.mask(size);
                e.push(size);
                e.exitTo(relTarget(insn, e), CompiledBlock.TAKEN);
                break;
            }
            case CALL_IND: {
                int t = e.temp();
                e.loadOperand(insn.op(0), size);
                e.istore(t);
                e.iconst(e.nextEip());
                e.mask(size);
                e.push(size);
                e.iload(t);
                e.exitIndirectNear();
                break;
            }
            case JMP_IND:
                e.loadOperand(insn.op(0), size);
                e.exitIndirectNear();
                break;
            case RET: {
                int t = e.temp();
                e.pop(size);
                e.istore(t);
                if (insn.operands.length > 0) {
                    e.adjustEsp(insn.op(0).imm & 0xFFFF);
                }
                e.iload(t);
                e.exitIndirectNear();
                break;
            }
            case JMP_FAR:
            case CALL_FAR:
                farTransfer(insn, e, insn.op(0).selector, insn.op(0).imm);
                break;
            case JMP_FAR_IND:
            case CALL_FAR_IND: {
                // m16:16 or m16:32: offset first, selector after it.
                Loc l = e.resolve(insn.op(0));
                int off = e.temp(), sel = e.temp(), lin2 = e.temp();
                e.read(size, l.value);
                e.istore(off);
                e.iload(l.value);
                e.iconst(size);
                e.op(IADD);
                e.istore(lin2);
                e.read(2, lin2);
                e.istore(sel);
                farTransferDynamic(insn, e, sel, off);
                break;
            }
            case RETF:
                e.callWithState(TRANSFERS, "retFar", CPU_DESC + "III)V", () -> {
                    e.iconst(size);
                    e.iconst(insn.operands.length > 0 ? insn.op(0).imm & 0xFFFF : 0);
                    e.iconst(e.nextEip());
                });
                exitFromCpu(e);
                break;
            case IRET:
                e.callWithState(TRANSFERS, "iret", CPU_DESC + "II)V", () -> {
                    e.iconst(size);
                    e.iconst(e.nextEip());
                });
                exitFromCpu(e);
                break;
            case INT:
                softwareInterrupt(e, insn.op(0).imm & 0xFF, "INT");
                break;
            case INT3:
                softwareInterrupt(e, Vector.BP, "INT3");
                break;
            case INTO: {
                Label over = new Label();
                e.jumpIf(0 /* O */, over);
                e.exitTo(e.nextEip(), CompiledBlock.FALLTHROUGH);
                // Reached only when OF is set.
                e.mv.visitLabel(over);
                e.callWithState(TRANSFERS, "softwareInterrupt", CPU_DESC + "III)V", () -> {
                    e.iconst(Vector.OF);
                    e.iconst(e.nextEip());
                    e.iconst(2 /* INTO */);
                });
                exitFromCpu(e);
                break;
            }
            case BOUND: {
                // Signed bounds check of a register against [lower, upper] in memory; #BR when outside.
                Loc l = e.resolve(insn.op(1));
                int idx = e.temp(), lo = e.temp(), hi = e.temp(), lin2 = e.temp();
                e.loadReg(insn.op(0).reg, size);
                e.signExtend(size);
                e.istore(idx);
                e.read(size, l.value);
                e.signExtend(size);
                e.istore(lo);
                e.iload(l.value);
                e.iconst(size);
                e.op(IADD);
                e.istore(lin2);
                e.read(size, lin2);
                e.signExtend(size);
                e.istore(hi);
                Label fail = new Label(), ok = new Label();
                e.iload(idx);
                e.iload(lo);
                e.mv.visitJumpInsn(IF_ICMPLT, fail);
                e.iload(idx);
                e.iload(hi);
                e.mv.visitJumpInsn(IF_ICMPLE, ok);
                e.mv.visitLabel(fail);
                e.raise(Vector.BR, 0, false);
                e.mv.visitLabel(ok);
                break;
            }
            default:
                throw new IllegalStateException("not a control-flow instruction: " + insn.mnemonic);
        }
    }

    private static void softwareInterrupt(Emitter e, int vector, String name) {
        e.callWithState(TRANSFERS, "softwareInterrupt", CPU_DESC + "III)V", () -> {
            e.iconst(vector);
            e.iconst(e.nextEip());
            e.iconst(name.equals("INT3") ? 1 : 0);
        });
        exitFromCpu(e);
    }

    private static void farTransfer(Insn insn, Emitter e, int selector, int offset) {
        boolean call = insn.mnemonic == dev.jvmx.translator.decode.Mnemonic.CALL_FAR;
        e.callWithState(TRANSFERS, call ? "callFar" : "jmpFar", CPU_DESC + "IIII)V", () -> {
            e.iconst(selector & 0xFFFF);
            e.iconst(offset);
            e.iconst(insn.operandSize);
            e.iconst(e.nextEip());
        });
        exitFromCpu(e);
    }

    private static void farTransferDynamic(Insn insn, Emitter e, int selLocal, int offLocal) {
        boolean call = insn.mnemonic == dev.jvmx.translator.decode.Mnemonic.CALL_FAR_IND;
        e.callWithState(TRANSFERS, call ? "callFar" : "jmpFar", CPU_DESC + "IIII)V", () -> {
            e.iload(selLocal);
            e.iload(offLocal);
            e.iconst(insn.operandSize);
            e.iconst(e.nextEip());
        });
        exitFromCpu(e);
    }

    /** Ends the block at the EIP a helper left in the Cpu object (mode may have changed: no chaining). */
    static void exitFromCpu(Emitter e) {
        e.aloadCpu();
        e.mv.visitFieldInsn(GETFIELD, Emitter.CPU, "eip", "I");
        e.exitIndirect();
    }
}
