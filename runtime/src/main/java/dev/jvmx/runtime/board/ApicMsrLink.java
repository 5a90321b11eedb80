package dev.jvmx.runtime.board;

import dev.jvmx.devices.apic.LocalApic;
import dev.jvmx.translator.cpu.LocalApicLink;

/** Connects the core's RDMSR/WRMSR and CPUID to the local APIC device model. */
public final class ApicMsrLink implements LocalApicLink {
    private final LocalApic apic;

    public ApicMsrLink(LocalApic apic) {
        this.apic = apic;
    }

    @Override
    public boolean ownsMsr(int msr) {
        return LocalApic.ownsMsr(msr);
    }

    @Override
    public boolean canRead(int msr) {
        if (msr == LocalApic.MSR_APIC_BASE || msr == LocalApic.MSR_TSC_DEADLINE) {
            return true;
        }
        return apic.x2apicReadable(msr);
    }

    @Override
    public long readMsr(int msr) {
        if (msr == LocalApic.MSR_APIC_BASE) {
            return apic.readBaseMsr();
        }
        if (msr == LocalApic.MSR_TSC_DEADLINE) {
            return apic.readTscDeadline();
        }
        return apic.x2apicRead(msr);
    }

    @Override
    public boolean writeMsr(int msr, long value) {
        if (msr == LocalApic.MSR_APIC_BASE) {
            return apic.writeBaseMsr(value);
        }
        if (msr == LocalApic.MSR_TSC_DEADLINE) {
            apic.writeTscDeadline(value);
            return true;
        }
        return apic.x2apicWrite(msr, value);
    }

    @Override
    public boolean globallyEnabled() {
        return apic.globallyEnabled();
    }

    @Override
    public boolean x2apicSupported() {
        return apic.x2apicSupported();
    }

    @Override
    public boolean tscDeadlineSupported() {
        return true;
    }

    @Override
    public int initialApicId() {
        return apic.initialApicId();
    }
}
