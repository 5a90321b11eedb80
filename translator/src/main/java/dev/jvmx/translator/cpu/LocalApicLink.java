package dev.jvmx.translator.cpu;

/**
 * The processor's local APIC as the core sees it (the APIC itself is a device model outside
 * the translator): the MSRs it owns (IA32_APIC_BASE, IA32_TSC_DEADLINE, the x2APIC registers)
 * and the CPUID bits that depend on it. {@link Cpu#apic} is null on a machine without one.
 */
public interface LocalApicLink {
    /** True if RDMSR/WRMSR of {@code msr} go to the APIC. */
    boolean ownsMsr(int msr);

    /** RDMSR of an owned MSR would succeed (else #GP(0)). */
    boolean canRead(int msr);

    long readMsr(int msr);

    /** WRMSR of an owned MSR; false means #GP(0). */
    boolean writeMsr(int msr, long value);

    /** IA32_APIC_BASE[11]: CPUID.1:EDX[9] (APIC) follows it (SDM Vol. 3A, 11.4.3). */
    boolean globallyEnabled();

    /** CPUID.1:ECX[21]. */
    boolean x2apicSupported();

    /** CPUID.1:ECX[24]. */
    boolean tscDeadlineSupported();

    /** CPUID.1:EBX[31:24]. */
    int initialApicId();
}
