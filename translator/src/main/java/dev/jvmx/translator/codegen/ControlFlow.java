package dev.jvmx.translator.codegen;

import dev.jvmx.translator.arch.Vector;
import dev.jvmx.translator.cpu.Cpu;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;

import static dev.jvmx.translator.codegen.Unit.Where.NEXT;
import static dev.jvmx.translator.codegen.Unit.Where.TARGET;

/**
 * Jumps, calls, returns, loops and software interrupts. Every one ends the block; direct
 * targets leave through a chain slot so that the dispatcher can link blocks (DESIGN.md rule 4).
 */
final class ControlFlow implements Opcodes {
    private ControlFlow() { }

    static void jmp(Emitter e) {
        e.exitTo(TARGET, CompiledBlock.TAKEN);
    }

    static void jcc(Emitter e) {
        Label taken = new Label();
        e.jumpIfCondition(false, taken);
        e.exitLeg(NEXT, CompiledBlock.FALLTHROUGH);
        e.label(taken);
        e.exitTo(TARGET, CompiledBlock.TAKEN);
    }

    static void jcxz(Emitter e) {
        Label taken = new Label();
        e.loadReg(Cpu.ECX, e.addressSize());
        e.jump(IFEQ, taken);
        e.exitLeg(NEXT, CompiledBlock.FALLTHROUGH);
        e.label(taken);
        e.exitTo(TARGET, CompiledBlock.TAKEN);
    }

    static void loop(Emitter e) {
        loop(e, -1);
    }

    /** LOOPE: also ends the loop when ZF is clear (condition NE holds). */
    static void loope(Emitter e) {
        loop(e, 5);
    }

    /** LOOPNE: also ends the loop when ZF is set (condition E holds). */
    static void loopne(Emitter e) {
        loop(e, 4);
    }

    /** (E)CX by the address size is decremented without touching flags; {@code exitCond} ends the loop early. */
    private static void loop(Emitter e, int exitCond) {
        int as = e.addressSize();
        e.loadReg(Cpu.ECX, as);
        e.iconst(1);
        e.op(ISUB);
        e.mask(as);
        e.storeReg(Cpu.ECX, as);
        Label notTaken = new Label();
        e.loadReg(Cpu.ECX, as);
        e.jump(IFEQ, notTaken);
        if (exitCond >= 0) {
            e.jumpIf(exitCond, notTaken);
        }
        e.exitLeg(TARGET, CompiledBlock.TAKEN);
        e.label(notTaken);
        e.exitTo(NEXT, CompiledBlock.FALLTHROUGH);
    }

    static void call(Emitter e) {
        e.pushNext();
        e.mask(e.size());
        e.push(e.size());
        e.exitTo(TARGET, CompiledBlock.TAKEN);
    }

    static void callInd(Emitter e) {
        int size = e.size();
        int t = e.temp();
        e.loadOperand(0, size);
        e.istore(t);
        e.pushNext();
        e.mask(size);
        e.push(size);
        e.iload(t);
        e.exitIndirectNear();
    }

    static void jmpInd(Emitter e) {
        e.loadOperand(0, e.size());
        e.exitIndirectNear();
    }

    /** RET, and RET imm16, which releases that many bytes of parameters after the pop. */
    static void ret(Emitter e) {
        int t = e.temp();
        e.pop(e.size());
        e.istore(t);
        if (e.operandCount() > 0) {
            e.pushImm(0, 2);
            e.adjustEspBy();
        }
        e.iload(t);
        e.exitIndirectNear();
    }

    static void jmpFar(Emitter e) {
        farDirect(e, Calls.JMP_FAR);
    }

    static void callFar(Emitter e) {
        farDirect(e, Calls.CALL_FAR);
    }

    private static void farDirect(Emitter e, HelperCall transfer) {
        e.callWithState(transfer, () -> {
            e.pushSelector();
            e.pushValue(0);
            e.iconst(e.size());
            e.pushNext();
        });
        e.exitFromCpu();
    }

    static void jmpFarInd(Emitter e) {
        farIndirect(e, Calls.JMP_FAR);
    }

    static void callFarInd(Emitter e) {
        farIndirect(e, Calls.CALL_FAR);
    }

    /** m16:16 or m16:32: the offset first, the selector after it. */
    private static void farIndirect(Emitter e, HelperCall transfer) {
        int size = e.size();
        Loc l = e.operand(0);
        int off = e.temp(), sel = e.temp(), lin2 = e.temp();
        e.read(size, l.value);
        e.istore(off);
        e.iload(l.value);
        e.iconst(size);
        e.op(IADD);
        e.istore(lin2);
        e.read(2, lin2);
        e.istore(sel);
        e.callWithState(transfer, () -> {
            e.iload(sel);
            e.iload(off);
            e.iconst(size);
            e.pushNext();
        });
        e.exitFromCpu();
    }

    static void retf(Emitter e) {
        e.callWithState(Calls.RET_FAR, () -> {
            e.iconst(e.size());
            if (e.operandCount() > 0) {
                e.pushImm(0, 2);
            } else {
                e.iconst(0);
            }
            e.pushNext();
        });
        e.exitFromCpu();
    }

    static void iret(Emitter e) {
        e.callWithState(Calls.IRET, () -> {
            e.iconst(e.size());
            e.pushNext();
        });
        e.exitFromCpu();
    }

    /** INT n: a software interrupt (kind 0 for Transfers.softwareInterrupt). */
    static void intN(Emitter e) {
        e.callWithState(Calls.SOFTWARE_INTERRUPT, () -> {
            e.pushImm(0, 1);
            e.pushNext();
            e.iconst(0);
        });
        e.exitFromCpu();
    }

    /** INT3: the breakpoint trap, a software exception (kind 1). */
    static void int3(Emitter e) {
        softwareException(e, Vector.BP, 1);
    }

    /** INTO: #OF when OF is set (kind 2), else nothing. */
    static void into(Emitter e) {
        Label over = new Label();
        e.jumpIf(0 /* O */, over);
        e.exitTo(NEXT, CompiledBlock.FALLTHROUGH);
        e.label(over);
        softwareException(e, Vector.OF, 2);
    }

    /** INT1: #DB as a privileged software exception (kind 3), a trap: its handler returns after it. */
    static void int1(Emitter e) {
        softwareException(e, Vector.DB, 3);
    }

    /** Delivers {@code vector} as a software exception of {@code kind} (as Interrupts numbers them), returning after the instruction. */
    private static void softwareException(Emitter e, int vector, int kind) {
        e.callWithState(Calls.SOFTWARE_INTERRUPT, () -> {
            e.iconst(vector);
            e.pushNext();
            e.iconst(kind);
        });
        e.exitFromCpu();
    }

    /** BOUND: a signed check of a register against [lower, upper] in memory; #BR when outside. */
    static void bound(Emitter e) {
        int size = e.size();
        Loc l = e.operand(1);
        int idx = e.temp(), lo = e.temp(), hi = e.temp(), lin2 = e.temp();
        e.loadOperand(0, size);
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
        e.jump(IF_ICMPLT, fail);
        e.iload(idx);
        e.iload(hi);
        e.jump(IF_ICMPLE, ok);
        e.label(fail);
        e.raise(Vector.BR, 0, false);
        e.label(ok);
    }
}
