package dev.jvmx.translator.codegen;

import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.helpers.Segmentation;

/**
 * The state bits that change how guest bytes decode and translate: part of every
 * translation's key (CS.D, SS.B, CR0.PE, CR0.PG, CPL, EFLAGS.VM, which segments need checks,
 * and whether accesses to RAM may skip the TLB).
 */
public final class BlockMode {
    public static final int CODE32 = 1, STACK32 = 2, PE = 4, PG = 8, VM = 16, CPL_SHIFT = 5, CPL_MASK = 3 << CPL_SHIFT;
    /**
     * Protected mode without paging where {@link dev.jvmx.translator.mem.Mmu#directRam} holds:
     * translated code reads and writes RAM below 640 KiB and above 1 MiB straight in the array,
     * by physical address, without a TLB probe (firmware, boot loaders, the kernel's
     * decompressor, the suite). Stores still leave pages holding translated code to the slow
     * path, by their code-page flag.
     */
    public static final int DIRECT_RAM = 1 << 7;

    private BlockMode() { }

    public static int of(Cpu cpu) {
        int m = 0;
        if (cpu.code32()) m |= CODE32;
        if (cpu.stack32()) m |= STACK32;
        if ((cpu.cr0 & Cr0.PE) != 0) m |= PE;
        if ((cpu.cr0 & Cr0.PG) != 0) m |= PG;
        if (cpu.v86()) m |= VM;
        if ((m & (PE | VM)) == PE && cpu.mmu.directRam()) m |= DIRECT_RAM;
        // Which segment registers are not flat: accesses through them get limit checks.
        m |= Segmentation.modeBits(cpu);
        return m | cpu.cpl << CPL_SHIFT;
    }

    /** The privilege level a mode names. */
    public static int cpl(int m) {
        return (m & CPL_MASK) >> CPL_SHIFT;
    }

    public static String describe(int m) {
        StringBuilder sb = new StringBuilder();
        sb.append((m & PE) == 0 ? "real" : (m & VM) != 0 ? "v86" : "prot");
        sb.append((m & CODE32) != 0 ? "32" : "16");
        if ((m & STACK32) != 0) sb.append("/ss32");
        if ((m & PG) != 0) sb.append("/pg");
        sb.append("/cpl").append(cpl(m));
        if ((m & DIRECT_RAM) != 0) sb.append("/direct");
        int checked = (m >> Segmentation.MODE_CHECK_SHIFT) & 0x3F;
        if (checked != 0) {
            sb.append("/lim");
            for (int s = 0; s < 6; s++) {
                if ((checked & (1 << s)) != 0) {
                    sb.append(Seg.NAMES[s].charAt(0));
                }
            }
        }
        return sb.toString();
    }
}
