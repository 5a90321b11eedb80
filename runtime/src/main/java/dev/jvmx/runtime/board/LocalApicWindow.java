package dev.jvmx.runtime.board;

import dev.jvmx.devices.apic.LocalApic;
import dev.jvmx.translator.mem.MmioDevice;
import dev.jvmx.translator.mem.PhysicalMemory;

import java.util.function.Supplier;

/**
 * The local APIC's 4 KiB register page in the physical address space: decoded at the base in
 * IA32_APIC_BASE while the APIC is globally enabled in xAPIC mode (SDM Vol. 3A, 11.4.4), so it
 * moves, opens and closes with that MSR. What it covered before (RAM, or nothing) comes back.
 */
public final class LocalApicWindow implements MmioDevice {
    private final PhysicalMemory memory;
    /** The running processor's APIC: each processor sees its own at the same address. */
    private final Supplier<LocalApic> apic;
    private final PamShadow.Invalidator invalidator;
    /** The physical page decoded now, or -1. */
    private long mapped = -1;

    public LocalApicWindow(PhysicalMemory memory, LocalApic apic, PamShadow.Invalidator invalidator) {
        this(memory, () -> apic, invalidator);
    }

    /**
     * The window of whichever APIC {@code apic} names (on a machine with several processors, the
     * running one's); call {@link #update} when that changes.
     */
    public LocalApicWindow(PhysicalMemory memory, Supplier<LocalApic> apic, PamShadow.Invalidator invalidator) {
        this.memory = memory;
        this.apic = apic;
        this.invalidator = invalidator;
    }

    /** Follows IA32_APIC_BASE: call after every change of it (the APIC's base listener). */
    public void update() {
        LocalApic a = apic.get();
        long want = a.mmioEnabled() ? a.mmioBase() : -1;
        if (want >= 0x1_0000_0000L) {
            want = -1; // above 4 GiB: not in this machine's 32-bit physical space
        }
        if (want == mapped) {
            return;
        }
        if (mapped >= 0) {
            int page = (int) mapped;
            if (Integer.toUnsignedLong(page) < Integer.toUnsignedLong(memory.ramSize)) {
                memory.mapReadWrite(page, page, PhysicalMemory.PAGE_SIZE);
            } else {
                memory.mapMmio(page, PhysicalMemory.PAGE_SIZE, null);
            }
            invalidator.pagesRemapped(page >>> PhysicalMemory.PAGE_SHIFT, 1);
        }
        mapped = want;
        if (want >= 0) {
            memory.mapMmio((int) want, PhysicalMemory.PAGE_SIZE, this);
            invalidator.pagesRemapped((int) want >>> PhysicalMemory.PAGE_SHIFT, 1);
        }
    }

    @Override
    public int mmioRead(int phys, int size) {
        return apic.get().readBytes(phys & (PhysicalMemory.PAGE_SIZE - 1), size);
    }

    @Override
    public void mmioWrite(int phys, int size, int value) {
        apic.get().writeBytes(phys & (PhysicalMemory.PAGE_SIZE - 1), size, value);
    }
}
