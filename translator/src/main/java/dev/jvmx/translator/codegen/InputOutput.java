package dev.jvmx.translator.codegen;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.decode.Mnemonic;
import dev.jvmx.translator.decode.Operand;
import dev.jvmx.translator.exec.TranslationContext;
import dev.jvmx.vmx.ExecutionControls;
import dev.jvmx.vmx.IoQualification;
import dev.jvmx.vmx.PrimaryProcessorControls;
import org.objectweb.asm.Opcodes;

/**
 * IN, OUT, INS, OUTS: VM exits with reason I/O instruction and the SDM's qualification,
 * fixed at translation time except for a port taken from DX. The block ends after each
 * one, so that what a device did (an interrupt, a request to stop) is seen at once.
 *
 * <p>IN and OUT consult the execution controls at translation time (SDM Vol. 3C, "I/O
 * Instructions"): without "use I/O bitmaps", "unconditional I/O exiting" decides for every
 * port; with it, the bitmaps decide for an immediate port now and for a DX port at run time
 * ({@code ExitBridge.inChecked}). A passed access calls the device directly, with no exit.
 * INS/OUTS always exit.
 */
final class InputOutput implements Opcodes {
    private static final String BRIDGE = Emitter.EXIT_BRIDGE;
    private static final String CPU = "L" + Emitter.CPU + ";";

    private InputOutput() { }

    /** How an IN/OUT leaves: a VM exit, a direct device access, or the bitmap asked at run time. */
    private enum Route { EXIT, PASS, CHECK }

    private static Route route(boolean immediate, int port, int size) {
        ExecutionControls c = TranslationContext.current();
        if ((c.primary() & PrimaryProcessorControls.USE_IO_BITMAPS) == 0 || immediate) {
            return c.ioExits(port, size) ? Route.EXIT : Route.PASS;
        }
        return Route.CHECK;
    }

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
            e.callWithState(Emitter.HELPERS + "StringOps", in ? "ins" : "outs", "(" + CPU + "JIIIII)V", () -> {
                e.mv.visitLdcInsn(qual);
                e.iload(port);
                e.iconst(size);
                e.iconst(insn.addressSize);
                e.iconst(insn.segOverride);
                e.iconst(e.nextEip());
            });
        } else {
            Route route = route(immediate, fixedPort, size);
            e.aloadCpu();
            if (route == Route.PASS) {
                e.iload(port);
                e.iconst(size);
            } else {
                e.mv.visitLdcInsn(qual);
                e.iload(port);
            }
            if (!in) {
                e.loadReg(Cpu.EAX, size);
            }
            String name, desc;
            if (route == Route.PASS) {
                name = in ? "portIn" : "portOut";
                desc = in ? "(" + CPU + "II)I" : "(" + CPU + "III)V";
            } else {
                name = route == Route.EXIT ? (in ? "in" : "out") : (in ? "inChecked" : "outChecked");
                desc = in ? "(" + CPU + "JI)I" : "(" + CPU + "JII)V";
            }
            e.mv.visitMethodInsn(INVOKESTATIC, BRIDGE, name, desc, false);
            if (in) {
                e.mask(size);
                e.storeReg(Cpu.EAX, size);
            }
        }
        e.endBlockAfter();
    }
}
