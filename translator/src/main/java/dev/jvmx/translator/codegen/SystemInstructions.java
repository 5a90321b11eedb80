package dev.jvmx.translator.codegen;

import dev.jvmx.translator.cpu.Cr0;
import dev.jvmx.translator.cpu.Cr4;
import dev.jvmx.translator.cpu.Vector;
import dev.jvmx.translator.decode.Insn;
import dev.jvmx.translator.decode.Mnemonic;
import dev.jvmx.translator.decode.Operand;
import dev.jvmx.translator.exec.TranslationContext;
import dev.jvmx.vmx.CrAccessQualification;
import dev.jvmx.vmx.DescriptorTableInfo;
import dev.jvmx.vmx.ExitReason;
import dev.jvmx.vmx.MovDrQualification;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;

/**
 * Privileged and sensitive instructions: each is a VM exit (DESIGN.md rule 5) with its
 * SDM exit reason and a qualification fixed at translation time, after the #GP/#UD checks
 * the SDM makes before any exit. Mode checks use the block key (CPL, PE, VM); the CR4.TSD,
 * CR4.PCE and CR0.EM/TS checks read the Cpu at run time. Instructions without a VT-x exit
 * (SYSENTER, SYSEXIT, LAR, LSL, VERR, VERW, ARPL, SMSW) call {@code helpers.SystemOps}.
 *
 * <p>The family ends the block ({@code TranslationCache.endsBlock}); instructions after
 * which the mode or the translation-relevant state may differ leave unchained.
 */
final class SystemInstructions implements Opcodes {
    private static final String CPU_DESC = "(L" + Emitter.CPU + ";";
    private static final String OPS = Emitter.HELPERS + "SystemOps";
    private static final String CONTEXT = "dev/jvmx/translator/exit/ExitContext";

    private SystemInstructions() { }

    static void emit(Insn insn, Emitter e) {
        switch (insn.mnemonic) {
            case HLT:
                if (privileged(e)) {
                    if (TranslationContext.current().hltExits()) {
                        exit(e, insn, ExitReason.HLT, 0);
                    } else {
                        // "HLT exiting" 0: the processor halts in place, no VM exit.
                        e.callWithState(Emitter.EXIT_BRIDGE, "hlt", CPU_DESC + "I)V", () -> e.iconst(insn.length));
                    }
                    ControlFlow.exitFromCpu(e);
                }
                break;
            case MOV_TO_CR:
                if (privileged(e)) {
                    long q = CrAccessQualification.movToCr(insn.op(0).reg, insn.op(1).reg);
                    if (insn.op(0).reg == 0) {
                        // Exits or not by the CR0 guest/host mask and read shadow, decided on the source value.
                        e.callWithState(Emitter.EXIT_BRIDGE, "movToCr0", CPU_DESC + "JI)V", () -> {
                            e.mv.visitLdcInsn(q);
                            e.iconst(insn.length);
                        });
                    } else {
                        exit(e, insn, ExitReason.CONTROL_REGISTER_ACCESS, q);
                    }
                    ControlFlow.exitFromCpu(e);
                }
                break;
            case MOV_FROM_CR:
                if (privileged(e)) {
                    exit(e, insn, ExitReason.CONTROL_REGISTER_ACCESS,
                            CrAccessQualification.movFromCr(insn.op(1).reg, insn.op(0).reg));
                }
                break;
            case MOV_TO_DR:
                if (privileged(e)) {
                    exit(e, insn, ExitReason.MOV_DR, MovDrQualification.encode(insn.op(0).reg, false, insn.op(1).reg));
                }
                break;
            case MOV_FROM_DR:
                if (privileged(e)) {
                    exit(e, insn, ExitReason.MOV_DR, MovDrQualification.encode(insn.op(1).reg, true, insn.op(0).reg));
                }
                break;
            case CLTS:
                if (privileged(e)) {
                    exit(e, insn, ExitReason.CONTROL_REGISTER_ACCESS, CrAccessQualification.clts());
                    ControlFlow.exitFromCpu(e);
                }
                break;
            case LMSW:
                if (privileged(e)) {
                    lmsw(insn, e);
                }
                break;
            case SMSW:
                // Not an exit in VT-x: CR0's low bits are readable at any CPL (a virtualization hole).
                e.countHole("SMSW");
                smsw(insn, e);
                break;
            case LGDT:
            case LIDT:
                if (privileged(e)) {
                    descriptorTable(insn, e, insn.mnemonic == Mnemonic.LGDT ? DescriptorTableInfo.LGDT
                            : DescriptorTableInfo.LIDT);
                }
                break;
            case SGDT:
            case SIDT:
                e.countHole(insn.mnemonic.name());
                descriptorTable(insn, e, insn.mnemonic == Mnemonic.SGDT ? DescriptorTableInfo.SGDT
                        : DescriptorTableInfo.SIDT);
                break;
            case LLDT:
            case LTR:
                if (protectedOnly(e) && privileged(e)) {
                    ldtrTr(insn, e, insn.mnemonic == Mnemonic.LLDT ? DescriptorTableInfo.LLDT : DescriptorTableInfo.LTR);
                }
                break;
            case SLDT:
            case STR:
                if (protectedOnly(e)) {
                    e.countHole(insn.mnemonic.name());
                    ldtrTr(insn, e, insn.mnemonic == Mnemonic.SLDT ? DescriptorTableInfo.SLDT : DescriptorTableInfo.STR);
                }
                break;
            case INVLPG:
                if (privileged(e)) {
                    invlpg(insn, e);
                }
                break;
            case INVD:
                if (privileged(e)) {
                    exit(e, insn, ExitReason.INVD, 0);
                }
                break;
            case WBINVD:
                if (privileged(e)) {
                    exit(e, insn, ExitReason.WBINVD, 0);
                }
                break;
            case RDMSR:
            case WRMSR:
                if (privileged(e)) {
                    boolean write = insn.mnemonic == Mnemonic.WRMSR;
                    if ((TranslationContext.current().primary() & dev.jvmx.vmx.PrimaryProcessorControls.USE_MSR_BITMAPS) == 0) {
                        exit(e, insn, write ? ExitReason.WRMSR : ExitReason.RDMSR, 0);
                    } else {
                        // The MSR bitmaps decide on ECX at run time.
                        e.callWithState(Emitter.EXIT_BRIDGE, "msr", CPU_DESC + "ZI)V", () -> {
                            e.iconst(write ? 1 : 0);
                            e.iconst(insn.length);
                        });
                    }
                }
                break;
            case RDTSC:
                faultUnlessCr4(e, Cr4.TSD, false);
                if (TranslationContext.current().rdtscExits()) {
                    exit(e, insn, ExitReason.RDTSC, 0);
                } else {
                    rdtscInline(e);
                }
                break;
            case RDPMC:
                faultUnlessCr4(e, Cr4.PCE, true);
                exit(e, insn, ExitReason.RDPMC, 0);
                break;
            case CPUID:
                exit(e, insn, ExitReason.CPUID, 0);
                break;
            case SYSENTER:
                e.countHole("SYSENTER");
                e.callWithState(OPS, "sysenter", CPU_DESC + ")V", null);
                ControlFlow.exitFromCpu(e);
                break;
            case SYSEXIT:
                if (privileged(e)) {
                    e.callWithState(OPS, "sysexit", CPU_DESC + ")V", null);
                    ControlFlow.exitFromCpu(e);
                }
                break;
            case LAR:
            case LSL:
                if (protectedOnly(e)) {
                    int sel = e.temp();
                    e.loadOperand(insn.op(1), 2);
                    e.istore(sel);
                    e.callWithState(OPS, insn.mnemonic == Mnemonic.LAR ? "lar" : "lsl", CPU_DESC + "III)V", () -> {
                        e.iload(sel);
                        e.iconst(insn.op(0).reg);
                        e.iconst(insn.operandSize);
                    });
                }
                break;
            case VERR:
            case VERW:
                if (protectedOnly(e)) {
                    int sel = e.temp();
                    e.loadOperand(insn.op(0), 2);
                    e.istore(sel);
                    e.callWithState(OPS, "verify", CPU_DESC + "IZ)V", () -> {
                        e.iload(sel);
                        e.iconst(insn.mnemonic == Mnemonic.VERW ? 1 : 0);
                    });
                }
                break;
            case ARPL:
                if (protectedOnly(e)) {
                    arpl(insn, e);
                }
                break;
            default:
                e.raise(Vector.UD, 0, false);
                e.endBlockHere();
                break;
        }
    }

    /**
     * x87 escapes D8-DF and WAIT. jvmx has no x87 and CPUID does not report FPU, so a guest
     * must run with CR0.EM (math emulation) or not use the FPU: an escape raises #NM when
     * CR0.EM or CR0.TS is set and #UD otherwise (there is no FPU to answer it). WAIT raises
     * #NM when CR0.TS and CR0.MP are both set; otherwise there is no pending x87 exception
     * and it does nothing.
     */
    static void emitFpu(Insn insn, Emitter e) {
        Label none = new Label();
        e.aloadCpu();
        e.mv.visitFieldInsn(GETFIELD, Emitter.CPU, "cr0", "I");
        if (insn.mnemonic == Mnemonic.WAIT) {
            e.iconst(Cr0.TS | Cr0.MP);
            e.op(IAND);
            e.iconst(Cr0.TS | Cr0.MP);
            e.mv.visitJumpInsn(IF_ICMPNE, none);
            e.raise(Vector.NM, 0, false);
            e.mv.visitLabel(none);
            return;
        }
        e.iconst(Cr0.EM | Cr0.TS);
        e.op(IAND);
        e.mv.visitJumpInsn(IFEQ, none);
        e.raise(Vector.NM, 0, false);
        e.mv.visitLabel(none);
        e.raise(Vector.UD, 0, false);
        e.endBlockHere();
    }

    /** CPL 0 only (real mode counts as 0): else #GP(0). Returns false when the fault was emitted. */
    static boolean privileged(Emitter e) {
        if (e.protectedMode() && (e.v86() || e.cpl() != 0)) {
            e.raise(Vector.GP, 0, true);
            e.endBlockHere();
            return false;
        }
        return true;
    }

    /** Protected mode only: #UD in real-address and virtual-8086 mode (LLDT, LTR, LAR ...). */
    private static boolean protectedOnly(Emitter e) {
        if (!e.protectedMode() || e.v86()) {
            e.raise(Vector.UD, 0, false);
            e.endBlockHere();
            return false;
        }
        return true;
    }

    /** RDTSC / RDPMC: #GP(0) when the CR4 bit is clear (TSD: set) and CPL > 0 (v86 is CPL 3). */
    private static void faultUnlessCr4(Emitter e, int bit, boolean faultWhenClear) {
        if (!e.protectedMode() || (!e.v86() && e.cpl() == 0)) {
            return;
        }
        Label ok = new Label();
        e.aloadCpu();
        e.mv.visitFieldInsn(GETFIELD, Emitter.CPU, "cr4", "I");
        e.iconst(bit);
        e.op(IAND);
        e.mv.visitJumpInsn(faultWhenClear ? IFNE : IFEQ, ok);
        e.raise(Vector.GP, 0, true);
        e.mv.visitLabel(ok);
    }

    /** RDTSC with "RDTSC exiting" 0: EDX:EAX = the TSC (helpers.Tsc.read), no exit. */
    private static void rdtscInline(Emitter e) {
        e.aloadCpu();
        e.mv.visitMethodInsn(INVOKESTATIC, Emitter.HELPERS + "Tsc", "read", "(L" + Emitter.CPU + ";)J", false);
        e.op(DUP2);
        e.op(L2I);
        e.storeReg(dev.jvmx.translator.cpu.Cpu.EAX, 4);
        e.iconst(32);
        e.op(LUSHR);
        e.op(L2I);
        e.storeReg(dev.jvmx.translator.cpu.Cpu.EDX, 4);
    }

    /** The exit: guest state to Cpu, one invokestatic with reason and qualification, state back. */
    static void exit(Emitter e, Insn insn, ExitReason reason, long qualification) {
        e.callWithState(Emitter.EXIT_BRIDGE, "exit", "(L" + Emitter.CPU + ";IJI)V", () -> {
            e.iconst(reason.number());
            e.mv.visitLdcInsn(qualification);
            e.iconst(insn.length);
        });
    }

    /** An exit whose qualification is {@code constant} OR the zero-extended int in {@code local} shifted left. */
    private static void exitDynamic(Emitter e, Insn insn, ExitReason reason, long constant, int local, int shift) {
        e.callWithState(Emitter.EXIT_BRIDGE, "exit", "(L" + Emitter.CPU + ";IJI)V", () -> {
            e.iconst(reason.number());
            e.iload(local);
            e.op(I2L);
            e.mv.visitLdcInsn(0xFFFFFFFFL);
            e.op(LAND);
            if (shift != 0) {
                e.iconst(shift);
                e.op(LSHL);
            }
            e.mv.visitLdcInsn(constant);
            e.op(LOR);
            e.iconst(insn.length);
        });
    }

    /** Stores the int on the JVM stack into an ExitContext field. */
    private static void setContext(Emitter e, String field) {
        int t = e.temp();
        e.istore(t);
        e.aloadCpu();
        e.mv.visitFieldInsn(GETFIELD, Emitter.CPU, "exitContext", "L" + CONTEXT + ";");
        e.iload(t);
        e.mv.visitFieldInsn(PUTFIELD, CONTEXT, field, "I");
    }

    private static int addressSizeField(Insn insn) {
        return insn.addressSize == 4 ? DescriptorTableInfo.ADDRESS_SIZE_32 : DescriptorTableInfo.ADDRESS_SIZE_16;
    }

    /** LGDT, LIDT, SGDT, SIDT m: the linear address and the instruction information go to the exit context. */
    private static void descriptorTable(Insn insn, Emitter e, int identity) {
        Operand m = insn.op(0);
        int info = DescriptorTableInfo.encodeGdtrIdtr(identity, m.index >= 0 ? m.scale : 0, addressSizeField(insn),
                insn.operandSize == 4, m.seg, m.index >= 0 ? m.index : DescriptorTableInfo.NONE,
                m.base >= 0 ? m.base : DescriptorTableInfo.NONE);
        e.linearAddress(m);
        setContext(e, "linearAddress");
        e.iconst(info);
        setContext(e, "instructionInfo");
        e.iconst(insn.operandSize);
        setContext(e, "operandSize");
        exit(e, insn, ExitReason.GDTR_IDTR_ACCESS, 0);
    }

    /** LLDT, LTR, SLDT, STR r/m16. */
    private static void ldtrTr(Insn insn, Emitter e, int identity) {
        Operand o = insn.op(0);
        int info;
        if (o.isMem()) {
            info = DescriptorTableInfo.encodeLdtrTrMemory(identity, o.index >= 0 ? o.scale : 0, addressSizeField(insn),
                    o.seg, o.index >= 0 ? o.index : DescriptorTableInfo.NONE, o.base >= 0 ? o.base : DescriptorTableInfo.NONE);
            e.linearAddress(o);
            setContext(e, "linearAddress");
        } else {
            info = DescriptorTableInfo.encodeLdtrTrRegister(identity, o.reg);
        }
        e.iconst(info);
        setContext(e, "instructionInfo");
        e.iconst(o.isMem() ? 2 : o.size);
        setContext(e, "operandSize");
        exit(e, insn, ExitReason.LDTR_TR_ACCESS, 0);
    }

    /** LMSW r/m16: the source data is part of the qualification (bits 31:16), known at run time. */
    private static void lmsw(Insn insn, Emitter e) {
        Operand o = insn.op(0);
        int src = e.temp();
        if (o.isMem()) {
            Loc l = e.resolve(o);
            e.iload(l.value);
            setContext(e, "linearAddress");
            e.read(2, l.value);
        } else {
            e.loadReg(o.reg, 2);
        }
        e.istore(src);
        exitDynamic(e, insn, ExitReason.CONTROL_REGISTER_ACCESS, CrAccessQualification.lmsw(o.isMem(), 0), src, 16);
        ControlFlow.exitFromCpu(e);
    }

    /** SMSW r/m: CR0[15:0] to memory or a 16-bit register, all of CR0 to a 32-bit register. */
    private static void smsw(Insn insn, Emitter e) {
        Operand o = insn.op(0);
        int size = o.isMem() ? 2 : insn.operandSize;
        Loc l = e.resolve(o);
        e.aloadCpu();
        e.mv.visitFieldInsn(GETFIELD, Emitter.CPU, "cr0", "I");
        e.mask(size);
        e.store(l, size);
    }

    /** INVLPG m: the qualification is the linear address of the operand. */
    private static void invlpg(Insn insn, Emitter e) {
        int lin = e.temp();
        e.linearAddress(insn.op(0));
        e.istore(lin);
        e.iload(lin);
        setContext(e, "linearAddress");
        exitDynamic(e, insn, ExitReason.INVLPG, 0, lin, 0);
        ControlFlow.exitFromCpu(e);
    }

    /** ARPL r/m16, r16: the destination is written only when its RPL is raised. */
    private static void arpl(Insn insn, Emitter e) {
        Loc dst = e.resolve(insn.op(0));
        int old = e.temp(), src = e.temp(), res = e.temp();
        e.load(dst, 2);
        e.istore(old);
        e.loadReg(insn.op(1).reg, 2);
        e.istore(src);
        e.callWithState(OPS, "arpl", CPU_DESC + "II)I", () -> {
            e.iload(old);
            e.iload(src);
        });
        e.istore(res);
        Label same = new Label();
        e.iload(res);
        e.iload(old);
        e.mv.visitJumpInsn(IF_ICMPEQ, same);
        e.iload(res);
        e.store(dst, 2);
        e.mv.visitLabel(same);
    }
}
