package dev.jvmx.translator.codegen;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.decode.Mnemonic;
import dev.jvmx.translator.decode.Operand;
import dev.jvmx.vmx.IoQualification;
import org.objectweb.asm.Opcodes;

/**
 * IN, OUT, INS, OUTS: VM exits with reason I/O instruction and the SDM's qualification,
 * fixed at translation time except for a port taken from DX. The block ends after each
 * one, so that what a device did (an interrupt, a request to stop) is seen at once.
 */
final class InputOutput implements Opcodes {
    private static final String BRIDGE = Emitter.EXIT_BRIDGE;
    private static final String CPU = "L" + Emitter.CPU + ";";

    private InputOutput() { }

    static void emit(Insn insn, Emitter e) {
        int size = insn.operandSize;
        boolean in = insn.mnemonic == Mnemonic.IN || insn.mnemonic == Mnemonic.INS;
        boolean string = insn.mnemonic == Mnemonic.INS || insn.mnemonic == Mnemonic.OUTS;
        boolean rep = string && (insn.prefixes & (dev.jvmx.translator.decode.Prefix.REP | dev.jvmx.translator.decode.Prefix.REPNE)) != 0;
        Operand portOp = string ? null : insn.op(in ? 1 : 0);
        boolean immediate = portOp != null && portOp.kind == Operand.Kind.IMM;
        int fixedPort = immediate ? portOp.imm & 0xFF : 0;
        long qual = IoQualification.encode(size, in, string, rep, immediate, fixedPort);
        int port = e.temp();
        if (immediate) {
            e.iconst(fixedPort);
        } else {
            e.loadReg(Cpu.EDX, 2);
        }
        e.istore(port);
        if (e.protectedMode()) {
            // CPL > IOPL (or virtual-8086 mode) consults the TSS I/O permission bitmap.
            e.aloadCpu();
            e.iload(port);
            e.iconst(size);
            e.mv.visitMethodInsn(INVOKESTATIC, BRIDGE, "checkIoPermission", "(" + CPU + "II)V", false);
        }
        if (string) {
            e.callWithState(Emitter.SEMANTICS + "Strings", in ? "ins" : "outs", "(" + CPU + "JIIIII)V", () -> {
                e.mv.visitLdcInsn(qual);
                e.iload(port);
                e.iconst(size);
                e.iconst(insn.addressSize);
                e.iconst(insn.segOverride);
                e.iconst(e.nextEip());
            });
        } else if (in) {
            e.aloadCpu();
            e.mv.visitLdcInsn(qual);
            e.iload(port);
            e.mv.visitMethodInsn(INVOKESTATIC, BRIDGE, "in", "(" + CPU + "JI)I", false);
            e.mask(size);
            e.storeReg(Cpu.EAX, size);
        } else {
            e.aloadCpu();
            e.mv.visitLdcInsn(qual);
            e.iload(port);
            e.loadReg(Cpu.EAX, size);
            e.mv.visitMethodInsn(INVOKESTATIC, BRIDGE, "out", "(" + CPU + "JII)V", false);
        }
        e.endBlockAfter();
    }
}
