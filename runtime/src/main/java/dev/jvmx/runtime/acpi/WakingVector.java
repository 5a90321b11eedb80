package dev.jvmx.runtime.acpi;

import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.helpers.Segmentation;
import dev.jvmx.translator.mem.PhysicalMemory;
import dev.jvmx.translator.mem.TlbFlush;

/**
 * The firmware's last step of a resume from S3 (ACPI 6.5, 5.2.10 "Firmware ACPI Control
 * Structure" and 16.3 "Waking and Sleeping"): control passes to the waking vector the OS wrote
 * into the FACS. With X_Firmware_Waking_Vector non-zero (FACS version 1 or later) that is 32-bit
 * protected mode, flat 4 GiB segments, paging off, at the vector; else real mode with CS = vector
 * >> 4 and IP = vector & 0xF. The processor comes from reset, so the other registers are its reset
 * values and interrupts are off.
 */
public final class WakingVector {
    static final int FIRMWARE_WAKING_VECTOR = 12, X_FIRMWARE_WAKING_VECTOR = 24, VERSION = 32;

    private WakingVector() { }

    /** Enters the waking vector of the FACS at {@code facs}; returns how, for the log. */
    public static String enter(Cpu cpu, PhysicalMemory mem, int facs) {
        long x = (mem.read8(facs + VERSION) & 0xFF) >= 1
                ? (mem.read32(facs + X_FIRMWARE_WAKING_VECTOR) & 0xFFFFFFFFL)
                        | (long) mem.read32(facs + X_FIRMWARE_WAKING_VECTOR + 4) << 32
                : 0;
        if (x != 0) {
            // A vector above 4 GiB (64BIT_WAKE_F, long mode) cannot be entered by an IA-32 processor.
            // No GDT is loaded yet: the OS's resume code loads its own, so the selectors are 0.
            Segmentation.loadFlat32(cpu, 0, 0);
            cpu.cr0 |= Cr0.PE;
            cpu.eip = (int) x;
            cpu.mmu.flushAll(TlbFlush.STATE_LOADED);
            return String.format("32-bit protected mode at X_Firmware_Waking_Vector %#x", x);
        }
        int v = mem.read32(facs + FIRMWARE_WAKING_VECTOR);
        int cs = (v >>> 4) & 0xFFFF;
        Segmentation.loadReal(cpu, Seg.CS, cs); // the processor comes from reset: CS is a real-mode code segment
        cpu.eip = v & 0xF;
        cpu.mmu.flushAll(TlbFlush.STATE_LOADED);
        return String.format("real mode at Firmware_Waking_Vector %#x (%04x:%04x)", v, cs, v & 0xF);
    }
}
