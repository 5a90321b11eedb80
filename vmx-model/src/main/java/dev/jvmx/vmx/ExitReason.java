package dev.jvmx.vmx;

/** Basic VM-exit reasons, numbered as in Intel SDM Vol. 3D, Appendix C. */
public enum ExitReason {
    EXCEPTION_OR_NMI(0),
    EXTERNAL_INTERRUPT(1),
    TRIPLE_FAULT(2),
    INIT_SIGNAL(3),
    STARTUP_IPI(4),
    IO_SMI(5),
    OTHER_SMI(6),
    INTERRUPT_WINDOW(7),
    NMI_WINDOW(8),
    TASK_SWITCH(9),
    CPUID(10),
    GETSEC(11),
    HLT(12),
    INVD(13),
    INVLPG(14),
    RDPMC(15),
    RDTSC(16),
    RSM(17),
    VMCALL(18),
    VMCLEAR(19),
    VMLAUNCH(20),
    VMPTRLD(21),
    VMPTRST(22),
    VMREAD(23),
    VMRESUME(24),
    VMWRITE(25),
    VMXOFF(26),
    VMXON(27),
    CONTROL_REGISTER_ACCESS(28),
    MOV_DR(29),
    IO_INSTRUCTION(30),
    RDMSR(31),
    WRMSR(32),
    ENTRY_FAILURE_GUEST_STATE(33),
    ENTRY_FAILURE_MSR_LOADING(34),
    MWAIT(36),
    MONITOR_TRAP_FLAG(37),
    MONITOR(39),
    PAUSE(40),
    ENTRY_FAILURE_MACHINE_CHECK(41),
    TPR_BELOW_THRESHOLD(43),
    APIC_ACCESS(44),
    VIRTUALIZED_EOI(45),
    GDTR_IDTR_ACCESS(46),
    LDTR_TR_ACCESS(47),
    EPT_VIOLATION(48),
    EPT_MISCONFIGURATION(49),
    INVEPT(50),
    RDTSCP(51),
    PREEMPTION_TIMER(52),
    INVVPID(53),
    WBINVD(54),
    XSETBV(55),
    APIC_WRITE(56),
    RDRAND(57),
    INVPCID(58),
    VMFUNC(59),
    ENCLS(60),
    RDSEED(61),
    PML_FULL(62),
    XSAVES(63),
    XRSTORS(64);

    private static final ExitReason[] BY_NUMBER = new ExitReason[65];

    static {
        for (ExitReason r : values()) {
            BY_NUMBER[r.number] = r;
        }
    }

    private final int number;

    ExitReason(int number) {
        this.number = number;
    }

    /** The SDM's basic exit reason number (bits 15:0 of the exit-reason field). */
    public int number() {
        return number;
    }

    /** The reason with this SDM number, or null for an unassigned number. */
    public static ExitReason ofNumber(int n) {
        return n >= 0 && n < BY_NUMBER.length ? BY_NUMBER[n] : null;
    }
}
