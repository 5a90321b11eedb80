package dev.jvmx.translator.exit;

import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.decode.Decoder;
import dev.jvmx.translator.helpers.SystemOps;
import dev.jvmx.vmx.CrAccessQualification;
import dev.jvmx.vmx.DescriptorTableInfo;
import dev.jvmx.vmx.ExitInfo;
import dev.jvmx.vmx.ExitReason;
import dev.jvmx.vmx.InvlpgQualification;
import dev.jvmx.vmx.MovDrQualification;

/**
 * What a hypervisor's exit handlers do for the exits that are not I/O: perform the
 * instruction's architectural effect from the exit reason, the qualification and the
 * exit-information fields in the CPU's VMCS, then advance EIP past the instruction.
 * A guest fault raised here leaves EIP at the instruction (it is not advanced).
 * The instruction information and guest-linear address come from the VMCS ({@code cpu.exit}); a
 * descriptor-table exit's operand address is formed from its instruction information.
 */
public final class ArchitecturalExits {
    private ArchitecturalExits() { }

    /**
     * The exit in the CPU's VMCS: reason, qualification, length, instruction information and
     * address from there. Exceptions, NMIs, triple faults and task switches go to {@link EventHandlers}.
     */
    public static void emulate(Cpu cpu, ExitReason reason, long qualification, int length) {
        ExitInfo x = cpu.exit;
        switch (reason) {
            case EXCEPTION_OR_NMI:
                EventHandlers.exceptionOrNmi(cpu);
                return;
            case TASK_SWITCH:
                EventHandlers.taskSwitch(cpu);
                return;
            case TRIPLE_FAULT:
                EventHandlers.tripleFault(cpu);
                return;
            case GDTR_IDTR_ACCESS:
            case LDTR_TR_ACCESS: {
                int info = x.instructionInfo();
                perform(cpu, reason, qualification, length, info, operandAddress(cpu, reason, info, qualification));
                return;
            }
            default:
                perform(cpu, reason, qualification, length, x.instructionInfo(), (int) x.guestLinearAddress());
        }
    }

    /**
     * The linear address of a descriptor-table instruction's memory operand, formed as a VMM forms
     * it (KVM's get_vmx_mem_address): from the VM-exit instruction-information field (segment,
     * base, index, scaling, address size) and the displacement in the exit qualification (SDM
     * Vol. 3C, 27.2.1 and 27.2.5); the SDM leaves the guest-linear address undefined for these
     * exits. A register operand (LLDT, LTR, SLDT, STR) has none: 0.
     */
    static int operandAddress(Cpu cpu, ExitReason reason, int info, long displacement) {
        if (reason == ExitReason.LDTR_TR_ACCESS && DescriptorTableInfo.isRegisterOperand(info)) {
            return 0;
        }
        int offset = (int) displacement;
        if (!DescriptorTableInfo.isBaseInvalid(info)) {
            offset += cpu.regs[DescriptorTableInfo.baseReg(info)];
        }
        if (!DescriptorTableInfo.isIndexInvalid(info)) {
            offset += cpu.regs[DescriptorTableInfo.indexReg(info)] << DescriptorTableInfo.scaling(info);
        }
        if (DescriptorTableInfo.addressSize(info) == DescriptorTableInfo.ADDRESS_SIZE_16) {
            offset &= 0xFFFF;
        }
        return cpu.seg[DescriptorTableInfo.segment(info)].base + offset;
    }

    /**
     * The instruction's effect given what an exit would report about it: for an exit's handler,
     * and for an instruction the execution controls let run without one.
     */
    public static void perform(Cpu cpu, ExitReason reason, long qualification, int length, int info, int linear) {
        boolean code32 = cpu.code32();
        switch (reason) {
            case HLT:
                cpu.halted = true;
                break;
            case CPUID:
                SystemOps.cpuid(cpu);
                break;
            case RDTSC:
                SystemOps.rdtsc(cpu);
                break;
            case RDTSCP:
                SystemOps.rdtscp(cpu);
                break;
            case RDPMC:
                SystemOps.rdpmc(cpu);
                break;
            case RDMSR:
                SystemOps.rdmsr(cpu);
                break;
            case WRMSR:
                SystemOps.wrmsr(cpu);
                break;
            case CONTROL_REGISTER_ACCESS:
                controlRegister(cpu, qualification);
                break;
            case MOV_DR: {
                int dr = MovDrQualification.dr(qualification);
                int gpr = MovDrQualification.gpr(qualification);
                if (MovDrQualification.isFromDr(qualification)) {
                    cpu.setReg32(gpr, SystemOps.movFromDr(cpu, dr));
                } else {
                    SystemOps.movToDr(cpu, dr, cpu.getReg32(gpr));
                }
                break;
            }
            case GDTR_IDTR_ACCESS: {
                int id = DescriptorTableInfo.identity(info);
                boolean idt = id == DescriptorTableInfo.SIDT || id == DescriptorTableInfo.LIDT;
                if (id == DescriptorTableInfo.LGDT || id == DescriptorTableInfo.LIDT) {
                    SystemOps.lgdt(cpu, idt, linear, DescriptorTableInfo.isOperandSize32(info) ? 4 : 2);
                } else {
                    SystemOps.sgdt(cpu, idt, linear);
                }
                break;
            }
            case LDTR_TR_ACCESS:
                ldtrTr(cpu, info, linear);
                break;
            case INVLPG:
                cpu.mmu.invlpg(InvlpgQualification.linearAddress(qualification));
                break;
            case INVD:
            case WBINVD:
            case PAUSE:
                break; // caches are not modelled; PAUSE is a hint
            default:
                throw new IllegalArgumentException("no architectural emulation for exit " + reason);
        }
        int next = cpu.eip + length;
        cpu.eip = code32 ? next : next & 0xFFFF;
    }

    private static void controlRegister(Cpu cpu, long q) {
        int cr = CrAccessQualification.cr(q);
        int gpr = CrAccessQualification.gpr(q);
        switch (CrAccessQualification.accessType(q)) {
            case CrAccessQualification.MOV_TO_CR:
                SystemOps.movToCr(cpu, cr, cpu.getReg32(gpr));
                break;
            case CrAccessQualification.MOV_FROM_CR:
                cpu.setReg32(gpr, SystemOps.movFromCr(cpu, cr));
                break;
            case CrAccessQualification.CLTS:
                SystemOps.clts(cpu);
                break;
            default:
                SystemOps.lmsw(cpu, CrAccessQualification.lmswSourceData(q));
                break;
        }
    }

    /**
     * The operand size of the exiting instruction, which the LDTR/TR instruction information does
     * not report: a VMM decodes the instruction at the guest RIP for it, as KVM's emulator does.
     */
    private static int operandSize(Cpu cpu) {
        boolean code32 = cpu.code32();
        int csBase = cpu.seg[Seg.CS].base;
        return Decoder.decode(off -> cpu.mmu.fetch8(csBase + off), cpu.eip, code32).operandSize;
    }

    private static void ldtrTr(Cpu cpu, int info, int lin) {
        int id = DescriptorTableInfo.identity(info);
        boolean register = DescriptorTableInfo.isRegisterOperand(info);
        int reg = DescriptorTableInfo.reg1(info);
        switch (id) {
            case DescriptorTableInfo.LLDT:
            case DescriptorTableInfo.LTR: {
                int sel = register ? cpu.getReg32(reg) & 0xFFFF : cpu.mmu.read16(lin);
                if (id == DescriptorTableInfo.LLDT) {
                    SystemOps.lldt(cpu, sel);
                } else {
                    SystemOps.ltr(cpu, sel);
                }
                break;
            }
            default: {
                int sel = id == DescriptorTableInfo.SLDT ? cpu.ldtr.selector : cpu.tr.selector;
                if (!register) {
                    cpu.mmu.write16(lin, sel);
                } else if (operandSize(cpu) == 4) {
                    // A 32-bit register receives the selector zero-extended (P6 and later).
                    cpu.setReg32(reg, sel & 0xFFFF);
                } else {
                    cpu.setReg(reg, 2, sel);
                }
                break;
            }
        }
    }
}
