package dev.jvmx.translator.codegen;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.decode.Mnemonic;
import dev.jvmx.translator.exit.InstructionInformation;
import dev.jvmx.vmx.CrAccessQualification;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;

/**
 * Privileged and sensitive instructions: each is a VM exit (DESIGN.md rule 5) with its SDM exit
 * reason (from its {@link Mnemonic} row), after the privilege check the row names (made by
 * {@link Emitters} before any exit). Instructions without a VT-x exit (SYSENTER, SYSEXIT, LAR,
 * LSL, VERR, VERW, ARPL, SMSW) call {@code helpers.SystemOps}. A translation fixes the
 * qualification and whether the controls make the instruction exit when it is made; a first-tier
 * handler, shared by every instance of its form, computes both when it runs, from the same
 * methods ({@code exit.InstructionInformation}, {@code ExecutionControls.instructionExits}).
 *
 * <p>The family ends the block; instructions after which the mode or the translation-relevant
 * state may differ leave unchained.
 */
final class SystemInstructions implements Opcodes {
    private SystemInstructions() { }

    private static final InsnValue MOV_TO_CR = InsnValue.ofLong(InstructionInformation::movToCr);
    private static final InsnValue MOV_FROM_CR = InsnValue.ofLong(InstructionInformation::movFromCr);
    private static final InsnValue MOV_TO_DR = InsnValue.ofLong(InstructionInformation::movToDr);
    private static final InsnValue MOV_FROM_DR = InsnValue.ofLong(InstructionInformation::movFromDr);
    private static final InsnValue GDTR_IDTR_INFO = InsnValue.ofInt(InstructionInformation::gdtrIdtr);
    private static final InsnValue DISPLACEMENT = InsnValue.ofLong(InstructionInformation::displacement);
    private static final InsnValue LDTR_TR_INFO = InsnValue.ofInt(InstructionInformation::ldtrTr);

    static void hlt(Emitter e) {
        // "HLT exiting" 0: the processor halts in place, no VM exit.
        e.byControls(() -> e.exit(0), () -> e.callWithState(Calls.HLT_IN_PLACE, e::pushLength));
        e.exitFromCpu();
    }

    /** MOV to CR: exits or not by the controls and the source value, decided at run time. */
    static void movToCr(Emitter e) {
        controlRegister(e, () -> e.push(MOV_TO_CR), -1);
        e.exitFromCpu();
    }

    static void movFromCr(Emitter e) {
        controlRegister(e, () -> e.push(MOV_FROM_CR), -1);
    }

    static void clts(Emitter e) {
        controlRegister(e, () -> e.lconst(CrAccessQualification.clts()), -1);
        e.exitFromCpu();
    }

    /** A control-register access through {@code ExitBridge.controlRegister}, which applies the controls. */
    private static void controlRegister(Emitter e, Runnable pushQualification, int linLocal) {
        e.callWithState(Calls.CONTROL_REGISTER, () -> {
            pushQualification.run();
            e.pushLength();
            if (linLocal >= 0) {
                e.iload(linLocal);
            } else {
                e.iconst(0);
            }
        });
    }

    static void movToDr(Emitter e) {
        e.exitOrPass(() -> e.push(MOV_TO_DR), () -> e.iconst(0), -1);
    }

    static void movFromDr(Emitter e) {
        e.exitOrPass(() -> e.push(MOV_FROM_DR), () -> e.iconst(0), -1);
    }

    /** LMSW r/m16: the source data is part of the qualification (bits 31:16), known at run time. */
    static void lmsw(Emitter e) {
        int src = e.temp(), lin = -1;
        if (e.isMem(0)) {
            Loc l = e.operand(0);
            lin = l.value;
            e.read(2, l.value);
        } else {
            e.loadOperand(0, 2);
        }
        e.istore(src);
        long constant = CrAccessQualification.lmsw(e.isMem(0), 0);
        controlRegister(e, () -> {
            e.iload(src);
            e.op(I2L);
            e.lconst(0xFFFFL);
            e.op(LAND);
            e.iconst(16);
            e.op(LSHL);
            e.lconst(constant);
            e.op(LOR);
        }, lin);
        e.exitFromCpu();
    }

    /** SMSW r/m: CR0[15:0] to memory or a 16-bit register, all of CR0 to a 32-bit register. Not an exit. */
    static void smsw(Emitter e) {
        e.countHole("SMSW");
        int size = e.isMem(0) ? 2 : e.size();
        Loc l = e.operand(0);
        e.getCpu(Fields.CR0);
        e.mask(size);
        e.store(l, size);
    }

    static void lgdt(Emitter e) {
        descriptorTable(e);
    }

    static void lidt(Emitter e) {
        descriptorTable(e);
    }

    /** SGDT and SIDT do not fault at CPL 3: a virtualization hole when descriptor-table exiting is off. */
    static void sgdt(Emitter e) {
        e.countHole("SGDT");
        descriptorTable(e);
    }

    static void sidt(Emitter e) {
        e.countHole("SIDT");
        descriptorTable(e);
    }

    static void lldt(Emitter e) {
        ldtrTr(e);
    }

    static void ltr(Emitter e) {
        ldtrTr(e);
    }

    static void sldt(Emitter e) {
        e.countHole("SLDT");
        ldtrTr(e);
    }

    static void str(Emitter e) {
        e.countHole("STR");
        ldtrTr(e);
    }

    /**
     * LGDT, LIDT, SGDT, SIDT m: the displacement (the qualification) and the instruction
     * information go to the VMCS, from which the handler forms the operand's address; the linear
     * address serves an instruction the controls let run.
     */
    private static void descriptorTable(Emitter e) {
        int lin = e.temp();
        e.linearAddress(0);
        e.istore(lin);
        e.exitOrPass(() -> e.push(DISPLACEMENT), () -> e.push(GDTR_IDTR_INFO), lin);
    }

    /** LLDT, LTR, SLDT, STR r/m16. */
    private static void ldtrTr(Emitter e) {
        int lin = -1;
        if (e.isMem(0)) {
            lin = e.temp();
            e.linearAddress(0);
            e.istore(lin);
        }
        e.exitOrPass(() -> e.push(DISPLACEMENT), () -> e.push(LDTR_TR_INFO), lin);
    }

    /** INVLPG m: the qualification is the linear address of the operand. */
    static void invlpg(Emitter e) {
        int lin = e.temp();
        e.linearAddress(0);
        e.istore(lin);
        e.exitOrPass(() -> {
            e.iload(lin);
            e.op(I2L);
            e.lconst(0xFFFFFFFFL);
            e.op(LAND);
        }, () -> e.iconst(0), lin);
        e.exitFromCpu();
    }

    static void invd(Emitter e) {
        e.exit(0);
    }

    static void wbinvd(Emitter e) {
        e.exitOrPass(() -> e.lconst(0), () -> e.iconst(0), -1);
    }

    static void rdmsr(Emitter e) {
        msr(e, false);
    }

    static void wrmsr(Emitter e) {
        msr(e, true);
    }

    /** Without "use MSR bitmaps" an exit; with it, the bitmaps decide on ECX at run time. */
    private static void msr(Emitter e, boolean write) {
        e.byControls(() -> e.exit(0), () -> e.callWithState(Calls.MSR, () -> {
            e.iconst(write ? 1 : 0);
            e.pushLength();
        }));
    }

    /** RDTSC with "RDTSC exiting" 0: EDX:EAX = the TSC, no exit. */
    static void rdtsc(Emitter e) {
        e.byControls(() -> e.exit(0), () -> rdtscInPlace(e));
    }

    private static void rdtscInPlace(Emitter e) {
        e.aloadCpu();
        e.call(Calls.TSC);
        e.op(DUP2);
        e.op(L2I);
        e.storeReg32(Cpu.EAX);
        e.iconst(32);
        e.op(LUSHR);
        e.op(L2I);
        e.storeReg32(Cpu.EDX);
    }

    /**
     * RDTSCP: EDX:EAX = the TSC, ECX = IA32_TSC_AUX. Under VT-x it exits (reason 51) with "RDTSC
     * exiting" and "enable RDTSCP"; without "enable RDTSCP" the helper raises #UD.
     */
    static void rdtscp(Emitter e) {
        e.byControls(() -> e.exit(0), () -> e.callWithState(Calls.RDTSCP, null));
    }

    static void rdpmc(Emitter e) {
        e.exitOrPass(() -> e.lconst(0), () -> e.iconst(0), -1);
    }

    static void cpuid(Emitter e) {
        e.exit(0);
    }

    /** SYSENTER does not fault at CPL 3 where VT-x would need it to: a hole. */
    static void sysenter(Emitter e) {
        e.countHole("SYSENTER");
        e.callWithState(Calls.SYSENTER, null);
        e.exitFromCpu();
    }

    static void sysexit(Emitter e) {
        e.callWithState(Calls.SYSEXIT, null);
        e.exitFromCpu();
    }

    static void lar(Emitter e) {
        accessInfo(e, Calls.LAR);
    }

    static void lsl(Emitter e) {
        accessInfo(e, Calls.LSL);
    }

    private static void accessInfo(Emitter e, HelperCall helper) {
        int sel = e.temp();
        e.loadOperand(1, 2);
        e.istore(sel);
        e.callWithState(helper, () -> {
            e.iload(sel);
            e.pushValue(0);
            e.iconst(e.size());
        });
    }

    static void verr(Emitter e) {
        verify(e, false);
    }

    static void verw(Emitter e) {
        verify(e, true);
    }

    private static void verify(Emitter e, boolean write) {
        int sel = e.temp();
        e.loadOperand(0, 2);
        e.istore(sel);
        e.callWithState(Calls.VERIFY, () -> {
            e.iload(sel);
            e.iconst(write ? 1 : 0);
        });
    }

    /** ARPL r/m16, r16: the destination is written only when its RPL is raised. */
    static void arpl(Emitter e) {
        Loc dst = e.operand(0);
        int old = e.temp(), src = e.temp(), res = e.temp();
        e.load(dst, 2);
        e.istore(old);
        e.loadOperand(1, 2);
        e.istore(src);
        e.callWithState(Calls.ARPL, () -> {
            e.iload(old);
            e.iload(src);
        });
        e.istore(res);
        Label same = new Label();
        e.iload(res);
        e.iload(old);
        e.jump(IF_ICMPEQ, same);
        e.iload(res);
        e.store(dst, 2);
        e.label(same);
    }
}
