package dev.jvmx.translator.helpers;

import dev.jvmx.translator.cpu.Faults;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.arch.CpuFeatures;
import dev.jvmx.translator.arch.Cr4;
import dev.jvmx.translator.arch.Efer;
import dev.jvmx.translator.arch.MiscEnable;
import dev.jvmx.translator.arch.Pat;
import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.LocalApicLink;
import dev.jvmx.translator.cpu.SegmentCache;
import dev.jvmx.translator.arch.Vector;
import dev.jvmx.translator.flags.LazyFlags;
import dev.jvmx.translator.mem.TlbFlush;

/**
 * The architectural effect of the privileged and system instructions, after the checks
 * that translated code makes before the exit (CPL, mode). Written from the SDM Vol. 2
 * pseudo-code of each instruction and Vol. 3A chapters 2 (control registers), 4 (TLB
 * invalidation) and 17 (debug registers). Everything works on the guest state in {@link Cpu}.
 */
public final class SystemOps {
    private SystemOps() { }

    // ---- control registers (SDM Vol. 3A, 2.5; Vol. 2 "MOV-Move to/from Control Registers")

    /** CR0 bits that exist on a P6 (the rest read as written-back-reserved: ignored, read 0). */
    public static final int CR0_VALID = Cr0.PE | Cr0.MP | Cr0.EM | Cr0.TS | Cr0.ET | Cr0.NE | Cr0.WP | Cr0.AM
            | Cr0.NW | Cr0.CD | Cr0.PG;
    /** CR4 bits for the features our CPUID reports; setting any other is #GP(0). */
    public static final int CR4_VALID = Cr4.TSD | Cr4.DE | Cr4.PSE | Cr4.PAE | Cr4.PGE | Cr4.PCE | Cr4.OSFXSR
            | Cr4.OSXMMEXCPT | Cr4.UMIP | Cr4.SMAP;

    public static void movToCr(Cpu cpu, int cr, int value) {
        switch (cr) {
            case 0:
                setCr0(cpu, value);
                break;
            case 2:
                cpu.cr2 = value;
                break;
            case 3:
                cpu.cr3 = value;
                cpu.mmu.flushNonGlobal();
                break;
            case 4: {
                if ((value & ~CR4_VALID) != 0
                        || (value & Cr4.OSXMMEXCPT) != 0 && (cpu.features & CpuFeatures.SSE) == 0) {
                    throw Faults.raise(cpu, Vector.GP, 0, true);
                }
                int old = cpu.cr4;
                cpu.cr4 = value;
                // Changing PGE, PAE or PSE invalidates every TLB entry, global ones included (Vol. 3A, 4.10.4.1);
                // SMAP too, here: entries filled without it may hold user pages for supervisor data accesses.
                if (((old ^ value) & (Cr4.PGE | Cr4.PAE | Cr4.PSE | Cr4.SMAP)) != 0) {
                    cpu.mmu.flushAll(TlbFlush.PAGING_CONTROLS);
                }
                if (((old ^ value) & Cr4.DE) != 0) {
                    cpu.breakpoints.update(cpu); // DE turns R/W 10 into I/O breakpoints
                }
                break;
            }
            default:
                throw Faults.raise(cpu, Vector.UD);
        }
    }

    /** CR0 with the SDM's invalid-combination checks; ET is hardwired to 1 since the P6. */
    public static void setCr0(Cpu cpu, int value) {
        if ((value & Cr0.PG) != 0 && (value & Cr0.PE) == 0) {
            throw Faults.raise(cpu, Vector.GP, 0, true);
        }
        if ((value & Cr0.NW) != 0 && (value & Cr0.CD) == 0) {
            throw Faults.raise(cpu, Vector.GP, 0, true);
        }
        int nv = (value & CR0_VALID) | Cr0.ET;
        int old = cpu.cr0;
        cpu.cr0 = nv;
        // PG and WP decide what the TLB may hold. With paging off before and after, it holds
        // the identity map, the same in real and protected mode and for every CPL (the user and
        // supervisor sides are chosen by the CPL, not flushed): SeaBIOS switches PE about 180
        // times a boot, and each flush dropped its block chains too.
        if (((old ^ nv) & Cr0.PG) != 0 || ((nv & Cr0.PG) != 0 && ((old ^ nv) & Cr0.WP) != 0)) {
            cpu.mmu.flushAll(TlbFlush.PAGING_CONTROLS);
        }
        if ((nv & Cr0.PE) == 0) {
            Segmentation.setCpl(cpu, 0);
        }
    }

    public static int movFromCr(Cpu cpu, int cr) {
        switch (cr) {
            case 0: return cpu.cr0;
            case 2: return cpu.cr2;
            case 3: return cpu.cr3;
            case 4: return cpu.cr4;
            default: throw Faults.raise(cpu, Vector.UD);
        }
    }

    /** LMSW: loads PE, MP, EM, TS from the low four bits; PE can be set but never cleared. */
    public static void lmsw(Cpu cpu, int source) {
        int v = (cpu.cr0 & ~0xF) | (source & 0xF) | (cpu.cr0 & Cr0.PE);
        setCr0(cpu, v);
    }

    public static void clts(Cpu cpu) {
        cpu.cr0 &= ~Cr0.TS;
    }

    /** SMSW: the low 16 bits of CR0 to memory or a 16-bit register; all of CR0 to a 32-bit register. */
    public static int smsw(Cpu cpu, int operandSize) {
        return operandSize == 4 ? cpu.cr0 : cpu.cr0 & 0xFFFF;
    }

    // ---- debug registers (SDM Vol. 3A, 17.2)

    public static final int DR6_BD = 1 << 13;
    /** DR6.BS: the debug exception was a single-step trap (EFLAGS.TF). */
    public static final int DR6_BS = 1 << 14;
    /** DR6.BT: the debug exception was a task switch to a TSS with its T flag set. */
    public static final int DR6_BT = 1 << 15;
    public static final int DR7_GD = 1 << 13;

    public static void movToDr(Cpu cpu, int n, int value) {
        n = checkDr(cpu, n);
        switch (n) {
            case 6:
                // Bits 4-11 and 16-31 read as 1, bit 12 as 0 on processors without RTM.
                cpu.dr[6] = (value & 0x0000E00F) | 0xFFFF0FF0;
                break;
            case 7:
                // Bit 10 reads as 1; 11, 12, 14, 15 as 0.
                cpu.dr[7] = (value & ~0x0000D800) | 0x400;
                break;
            default:
                cpu.dr[n] = value;
                break;
        }
        if (n != 6) {
            cpu.breakpoints.update(cpu);
        }
    }

    public static int movFromDr(Cpu cpu, int n) {
        return cpu.dr[checkDr(cpu, n)];
    }

    /** #UD for DR4/DR5 with CR4.DE, else they alias DR6/DR7; #DB when DR7.GD is set (general detect). */
    private static int checkDr(Cpu cpu, int n) {
        if (n == 4 || n == 5) {
            if ((cpu.cr4 & Cr4.DE) != 0) {
                throw Faults.raise(cpu, Vector.UD);
            }
            n += 2;
        }
        if ((cpu.dr[7] & DR7_GD) != 0) {
            // General detect: a fault; DR6.BD is set and DR7.GD cleared when the #DB is delivered.
            throw cpu.debugFault(DR6_BD);
        }
        return n;
    }

    // ---- descriptor-table registers (SDM Vol. 2 LGDT/LIDT, SGDT/SIDT, LLDT, LTR, SLDT, STR)

    /** LGDT/LIDT m16&32: limit, then base; a 16-bit operand size keeps 24 bits of the base. */
    public static void lgdt(Cpu cpu, boolean idt, int lin, int operandSize) {
        int limit = cpu.mmu.read16(lin);
        int base = cpu.mmu.read32(lin + 2);
        if (operandSize == 2) {
            base &= 0x00FFFFFF;
        }
        if (idt) {
            cpu.idtrLimit = limit;
            cpu.idtrBase = base;
        } else {
            cpu.gdtrLimit = limit;
            cpu.gdtrBase = base;
        }
    }

    /** SGDT/SIDT m: limit, then the full 32-bit base at either operand size (current SDM). */
    public static void sgdt(Cpu cpu, boolean idt, int lin) {
        // Both parts are checked by the MMU before either is written only when on one page;
        // the 6 bytes are written as limit then base, as the SDM's pseudo-code orders them.
        cpu.mmu.write16(lin, idt ? cpu.idtrLimit : cpu.gdtrLimit);
        cpu.mmu.write32(lin + 2, idt ? cpu.idtrBase : cpu.gdtrBase);
    }

    /** LLDT: a null selector leaves LDTR unusable; else an LDT descriptor from the GDT. */
    public static void lldt(Cpu cpu, int sel) {
        sel &= 0xFFFF;
        if ((sel & 0xFFFC) == 0) {
            cpu.ldtr.set(sel, 0, 0, 0);
            return;
        }
        if (Segmentation.inLdt(sel)) {
            throw Faults.raise(cpu, Vector.GP, sel & 0xFFFC, true);
        }
        Descriptor d = Segmentation.read(cpu, sel, Vector.GP);
        if (!d.system() || d.type() != 2) {
            throw Faults.raise(cpu, Vector.GP, sel & 0xFFFC, true);
        }
        if (!d.present()) {
            throw Faults.raise(cpu, Vector.NP, sel & 0xFFFC, true);
        }
        cpu.ldtr.set(sel, d.base(), d.limit(), d.access());
    }

    /** LTR: an available TSS from the GDT; the descriptor (and TR) become busy. */
    public static void ltr(Cpu cpu, int sel) {
        sel &= 0xFFFF;
        if ((sel & 0xFFFC) == 0) {
            throw Faults.raise(cpu, Vector.GP, 0, true);
        }
        if (Segmentation.inLdt(sel)) {
            throw Faults.raise(cpu, Vector.GP, sel & 0xFFFC, true);
        }
        Descriptor d = Segmentation.read(cpu, sel, Vector.GP);
        if (!d.system() || (d.type() != 1 && d.type() != 9)) {
            throw Faults.raise(cpu, Vector.GP, sel & 0xFFFC, true);
        }
        if (!d.present()) {
            throw Faults.raise(cpu, Vector.NP, sel & 0xFFFC, true);
        }
        cpu.mmu.writeSystem32(cpu.gdtrBase + (sel & 0xFFF8) + 4, d.high | 0x200);
        cpu.tr.set(sel, d.base(), d.limit(), d.access() | 2);
    }

    // ---- CPUID (SDM Vol. 2 CPUID)

    public static final int CPUID_SIGNATURE = 0x00000633;
    /**
     * Leaf 1 EDX: FPU, DE, PSE, TSC, MSR, PAE, CX8, SEP, PGE, CMOV, PAT, FXSR (and APIC below). No VME,
     * MTRR; CLFSH, MMX, SSE and SSE2 as the CPU model chooses (Cpu.features, arch.CpuFeatures).
     */
    public static final int CPUID_FEATURES = 1 | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 8)
            | (1 << 11) | (1 << 13) | (1 << 15) | (1 << 16) | (1 << 24);
    /** Leaf 1: EDX[9] on-chip APIC (while IA32_APIC_BASE[11] is set), ECX[21] x2APIC, ECX[24] TSC-deadline timer. */
    public static final int CPUID_EDX_APIC = 1 << 9;
    public static final int CPUID_ECX_X2APIC = 1 << 21;
    public static final int CPUID_ECX_TSC_DEADLINE = 1 << 24;
    public static final String BRAND = "jvmx virtual CPU";
    /**
     * The highest basic leaf: 15H, the TSC and core crystal clock leaf, so that an operating
     * system reads the TSC's frequency instead of measuring it against a timer (Linux then trusts
     * it as a known frequency: its measurement, over a window that a busy host stretches, was off
     * by hundreds of ppm, and its clocksource watchdog then found the TSC and the HPET apart).
     * Leaves 2 to 14H report nothing (no cache descriptors, no topology) but leaf 7's SMAP and UMIP.
     */
    public static final int CPUID_MAX_LEAF = 0x15;
    /** Leaf 15H ECX: the core crystal clock, which also drives the local APIC timer (1 GHz). */
    public static final int CPUID_CRYSTAL_HZ = 1_000_000_000;
    /** Leaf 80000001H EDX[20]: execute disable (IA32_EFER.NXE, XD in PAE paging entries), unless IA32_MISC_ENABLE[34]. */
    public static final int CPUID_80000001_EDX_NX = 1 << 20;
    /** Leaf 80000001H EDX[27]: RDTSCP and IA32_TSC_AUX. */
    public static final int CPUID_80000001_EDX_RDTSCP = 1 << 27;
    /** Leaf 0's highest basic leaf while IA32_MISC_ENABLE's limit-CPUID-maxval bit is set. */
    public static final int CPUID_LIMITED_MAX_LEAF = 2;
    /** Leaf 7 sub-leaf 0 EBX[20]: supervisor-mode access prevention (CR4.SMAP, STAC, CLAC). */
    public static final int CPUID_7_EBX_SMAP = 1 << 20;
    /** Leaf 7 sub-leaf 0 ECX[2]: user-mode instruction prevention (CR4.UMIP). */
    public static final int CPUID_7_ECX_UMIP = 1 << 2;

    public static void cpuid(Cpu cpu) {
        int leaf = cpu.regs[Cpu.EAX];
        int a, b, c, d;
        if (leaf == 0) {
            a = (cpu.miscEnable & MiscEnable.LIMIT_CPUID_MAXVAL) != 0 ? CPUID_LIMITED_MAX_LEAF : CPUID_MAX_LEAF;
            b = 0x756E6547; // "Genu"
            d = 0x49656E69; // "ineI"
            c = 0x6C65746E; // "ntel"
        } else if (leaf == 0x80000000) {
            a = 0x80000004;
            b = c = d = 0;
        } else if (leaf == 0x80000001) {
            a = b = c = 0;
            d = CPUID_80000001_EDX_RDTSCP | (nxSupported(cpu) ? CPUID_80000001_EDX_NX : 0);
        } else if (leaf >= 0x80000002 && leaf <= 0x80000004) {
            int off = (leaf - 0x80000002) * 16;
            a = brand(off);
            b = brand(off + 4);
            c = brand(off + 8);
            d = brand(off + 12);
        } else if (leaf == 0x15 || Integer.compareUnsigned(leaf, CPUID_MAX_LEAF) > 0) {
            // 15H, and any leaf above the maximum (SDM, CPUID: the data of the highest basic
            // leaf): TSC frequency = crystal * EBX / EAX = Tsc.FREQUENCY_HZ.
            a = 1;
            b = (int) (Tsc.FREQUENCY_HZ / CPUID_CRYSTAL_HZ);
            c = CPUID_CRYSTAL_HZ;
            d = 0;
        } else if (leaf == 7) {
            // Sub-leaf 0: EAX the highest sub-leaf (0); higher sub-leaves are all zero.
            boolean sub0 = cpu.regs[Cpu.ECX] == 0;
            a = d = 0;
            b = sub0 ? CPUID_7_EBX_SMAP : 0;
            c = sub0 ? CPUID_7_ECX_UMIP : 0;
        } else if (leaf != 1) {
            a = b = c = d = 0;
        } else {
            a = CPUID_SIGNATURE;
            b = 0;
            c = 0;
            d = CPUID_FEATURES | (cpu.features & CpuFeatures.ALL);
            if ((cpu.features & CpuFeatures.CLFSH) != 0) {
                b |= CpuFeatures.CLFLUSH_LINE / 8 << 8;
            }
            LocalApicLink apic = cpu.apic;
            if (apic != null) {
                b |= apic.initialApicId() << 24;
                if (apic.globallyEnabled()) {
                    d |= CPUID_EDX_APIC;
                }
                if (apic.x2apicSupported()) {
                    c |= CPUID_ECX_X2APIC;
                }
                if (apic.tscDeadlineSupported()) {
                    c |= CPUID_ECX_TSC_DEADLINE;
                }
            }
        }
        cpu.regs[Cpu.EAX] = a;
        cpu.regs[Cpu.EBX] = b;
        cpu.regs[Cpu.ECX] = c;
        cpu.regs[Cpu.EDX] = d;
    }

    /** Four bytes of the 48-byte NUL-padded brand string, little-endian. */
    private static int brand(int off) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int k = off + i;
            int ch = k < BRAND.length() ? BRAND.charAt(k) : 0;
            v |= ch << (8 * i);
        }
        return v;
    }

    // ---- time stamp counter and MSRs (SDM Vol. 4 for the MSR numbers)

    public static final int MSR_TSC = 0x10;
    public static final int MSR_PLATFORM_ID = 0x17;
    public static final int MSR_APIC_BASE = 0x1B;
    public static final int MSR_BIOS_SIGN_ID = 0x8B;
    public static final int MSR_MTRRCAP = 0xFE;
    public static final int MSR_MCG_CAP = 0x179;
    public static final int MSR_MISC_ENABLE = 0x1A0;
    public static final int MSR_PAT = 0x277;
    public static final int MSR_EFER = 0xC0000080;
    public static final int MSR_TSC_AUX = 0xC0000103;
    public static final int MSR_SYSENTER_CS = 0x174;
    public static final int MSR_SYSENTER_ESP = 0x175;
    public static final int MSR_SYSENTER_EIP = 0x176;

    /** The time-stamp counter (see {@link Tsc}). */
    public static long tsc(Cpu cpu) {
        return Tsc.read(cpu);
    }

    public static void rdtsc(Cpu cpu) {
        long t = tsc(cpu);
        cpu.regs[Cpu.EAX] = (int) t;
        cpu.regs[Cpu.EDX] = (int) (t >>> 32);
    }

    /** RDTSCP: the TSC and, in ECX, IA32_TSC_AUX (an operating system puts the CPU number there). */
    public static void rdtscp(Cpu cpu) {
        if (!cpu.controls.rdtscpEnabled()) {
            throw Faults.raise(cpu, Vector.UD); // before any exit: "enable RDTSCP" is 0
        }
        rdtsc(cpu);
        cpu.regs[Cpu.ECX] = cpu.tscAux;
    }

    /** RDPMC: we have no performance counters; the two of a P6 (ECX 0, 1) read 0. */
    public static void rdpmc(Cpu cpu) {
        if (cpu.regs[Cpu.ECX] != 0 && cpu.regs[Cpu.ECX] != 1) {
            throw Faults.raise(cpu, Vector.GP, 0, true);
        }
        cpu.regs[Cpu.EAX] = 0;
        cpu.regs[Cpu.EDX] = 0;
    }

    public static long readMsr(Cpu cpu, int msr) {
        LocalApicLink apic = cpu.apic;
        if (apic != null && apic.ownsMsr(msr)) {
            if (!apic.canRead(msr)) {
                throw Faults.raise(cpu, Vector.GP, 0, true);
            }
            return apic.readMsr(msr);
        }
        switch (msr) {
            case MSR_TSC: return tsc(cpu);
            case MSR_APIC_BASE: return cpu.apicBase;
            case MSR_SYSENTER_CS: return cpu.sysenterCs & 0xFFFFFFFFL;
            case MSR_SYSENTER_ESP: return cpu.sysenterEsp & 0xFFFFFFFFL;
            case MSR_SYSENTER_EIP: return cpu.sysenterEip & 0xFFFFFFFFL;
            case MSR_MISC_ENABLE: return cpu.miscEnable;
            case MSR_PAT: return cpu.pat;
            case MSR_EFER: return cpu.efer;
            case MSR_TSC_AUX: return cpu.tscAux & 0xFFFFFFFFL;
            case MSR_MCG_CAP: // no machine-check banks, no IA32_MCG_CTL
            case MSR_PLATFORM_ID:
            case MSR_BIOS_SIGN_ID:
            case MSR_MTRRCAP:
                return 0;
            default:
                throw Faults.raise(cpu, Vector.GP, 0, true);
        }
    }

    public static void writeMsr(Cpu cpu, int msr, long value) {
        LocalApicLink apic = cpu.apic;
        if (apic != null && apic.ownsMsr(msr)) {
            if (!apic.writeMsr(msr, value)) {
                throw Faults.raise(cpu, Vector.GP, 0, true);
            }
            return;
        }
        switch (msr) {
            case MSR_TSC:
                Tsc.write(cpu, value);
                break;
            case MSR_APIC_BASE:
                // BSP (8), global enable (11), base in 12..35 (36-bit physical addresses); the rest reserved.
                if ((value & ~0xFFFFFF900L) != 0) {
                    throw Faults.raise(cpu, Vector.GP, 0, true);
                }
                cpu.apicBase = value;
                break;
            case MSR_SYSENTER_CS:
                cpu.sysenterCs = (int) value;
                break;
            case MSR_SYSENTER_ESP:
                cpu.sysenterEsp = (int) value;
                break;
            case MSR_SYSENTER_EIP:
                cpu.sysenterEip = (int) value;
                break;
            case MSR_BIOS_SIGN_ID:
                break; // a microcode-update signature request: nothing to do
            case MSR_MISC_ENABLE:
                if ((value & ~(MiscEnable.WRITABLE | MiscEnable.READ_ONLY)) != 0) {
                    throw Faults.raise(cpu, Vector.GP, 0, true);
                }
                cpu.miscEnable = (value & MiscEnable.WRITABLE) | (cpu.miscEnable & MiscEnable.READ_ONLY);
                break;
            case MSR_TSC_AUX:
                if ((value >>> 32) != 0) { // bits 63:32 are reserved
                    throw Faults.raise(cpu, Vector.GP, 0, true);
                }
                cpu.tscAux = (int) value;
                break;
            case MSR_PAT:
                if (!Pat.valid(value)) {
                    throw Faults.raise(cpu, Vector.GP, 0, true);
                }
                cpu.pat = value;
                break;
            case MSR_EFER: {
                long writable = Efer.SCE | (nxSupported(cpu) ? Efer.NXE : 0);
                if ((value & ~(writable | Efer.LMA)) != 0) {
                    throw Faults.raise(cpu, Vector.GP, 0, true);
                }
                long old = cpu.efer;
                cpu.efer = value & writable; // LMA is read-only: no IA-32e mode
                if (((old ^ cpu.efer) & Efer.NXE) != 0) {
                    cpu.mmu.flushAll(TlbFlush.PAGING_CONTROLS); // cached fetch permissions were judged with the old NXE
                }
                break;
            }
            default:
                throw Faults.raise(cpu, Vector.GP, 0, true);
        }
    }

    /** Execute disable is there (CPUID.80000001H:EDX[20]) unless IA32_MISC_ENABLE's XD-bit-disable is set. */
    static boolean nxSupported(Cpu cpu) {
        return (cpu.miscEnable & MiscEnable.XD_BIT_DISABLE) == 0;
    }

    public static void rdmsr(Cpu cpu) {
        long v = readMsr(cpu, cpu.regs[Cpu.ECX]);
        cpu.regs[Cpu.EAX] = (int) v;
        cpu.regs[Cpu.EDX] = (int) (v >>> 32);
    }

    public static void wrmsr(Cpu cpu) {
        writeMsr(cpu, cpu.regs[Cpu.ECX], (cpu.regs[Cpu.EDX] & 0xFFFFFFFFL) << 32 | (cpu.regs[Cpu.EAX] & 0xFFFFFFFFL));
    }

    // ---- SYSENTER / SYSEXIT (SDM Vol. 2)

    private static final int FLAT_CODE = SegmentCache.AR_P | SegmentCache.AR_S | 0xB | SegmentCache.AR_DB
            | SegmentCache.AR_G;
    private static final int FLAT_DATA = SegmentCache.AR_P | SegmentCache.AR_S | 0x3 | SegmentCache.AR_DB
            | SegmentCache.AR_G;

    public static void sysenter(Cpu cpu) {
        if (!cpu.protectedMode() || (cpu.sysenterCs & 0xFFFC) == 0) {
            throw Faults.raise(cpu, Vector.GP, 0, true);
        }
        cpu.eflags &= ~(Eflags.VM | Eflags.IF | Eflags.RF);
        int cs = cpu.sysenterCs & 0xFFFC;
        cpu.seg[Seg.CS].set(cs, 0, 0xFFFFFFFF, FLAT_CODE);
        cpu.seg[Seg.SS].set(cs + 8, 0, 0xFFFFFFFF, FLAT_DATA);
        Segmentation.setCpl(cpu, 0);
        cpu.regs[Cpu.ESP] = cpu.sysenterEsp;
        cpu.eip = cpu.sysenterEip;
    }

    public static void sysexit(Cpu cpu) {
        if (!cpu.protectedMode() || (cpu.sysenterCs & 0xFFFC) == 0 || cpu.cpl != 0) {
            throw Faults.raise(cpu, Vector.GP, 0, true);
        }
        int dpl3 = 3 << SegmentCache.AR_DPL_SHIFT;
        int cs = ((cpu.sysenterCs & 0xFFFF) + 16) | 3;
        cpu.seg[Seg.CS].set(cs, 0, 0xFFFFFFFF, FLAT_CODE | dpl3);
        cpu.seg[Seg.SS].set(cs + 8, 0, 0xFFFFFFFF, FLAT_DATA | dpl3);
        Segmentation.setCpl(cpu, 3);
        cpu.regs[Cpu.ESP] = cpu.regs[Cpu.ECX];
        cpu.eip = cpu.regs[Cpu.EDX];
    }

    // ---- LAR, LSL, VERR, VERW, ARPL (SDM Vol. 2): ZF reports success, nothing faults on a bad selector

    /** Sets ZF to {@code zf} and keeps the other status flags. */
    static void setZf(Cpu cpu, boolean zf) {
        int f = LazyFlags.compute(cpu.flagOp, cpu.flagRes, cpu.flagA, cpu.flagB);
        f = zf ? f | Eflags.ZF : f & ~Eflags.ZF;
        cpu.flagOp = LazyFlags.OP_FLAGS;
        cpu.flagRes = f;
    }

    /** The descriptor a selector names, or null (ZF = 0) for a null selector or one past the table limit. */
    private static Descriptor probe(Cpu cpu, int sel) {
        if ((sel & 0xFFFC) == 0) {
            return null;
        }
        int index = sel & 0xFFF8;
        int base, limit;
        if (Segmentation.inLdt(sel)) {
            if ((cpu.ldtr.selector & 0xFFFC) == 0) {
                return null;
            }
            base = cpu.ldtr.base;
            limit = cpu.ldtr.limit;
        } else {
            base = cpu.gdtrBase;
            limit = cpu.gdtrLimit;
        }
        if (index + 7 > limit) {
            return null;
        }
        return new Descriptor(cpu.mmu.readSystem32(base + index), cpu.mmu.readSystem32(base + index + 4));
    }

    /** Non-conforming segments (and all system descriptors) need CPL <= DPL and RPL <= DPL. */
    private static boolean visible(Cpu cpu, int sel, Descriptor d) {
        return d.conforming() || (cpu.cpl <= d.dpl() && (sel & 3) <= d.dpl());
    }

    /** LAR r, r/m16: system types 1, 2, 3, 4, 5, 9, B, C and every code/data type are valid. */
    public static void lar(Cpu cpu, int sel, int destReg, int operandSize) {
        Descriptor d = probe(cpu, sel & 0xFFFF);
        boolean ok = d != null && visible(cpu, sel, d);
        if (ok && d.system()) {
            int t = d.type();
            ok = t == 1 || t == 2 || t == 3 || t == 4 || t == 5 || t == 9 || t == 0xB || t == 0xC;
        }
        if (ok) {
            if (operandSize == 4) {
                cpu.setReg32(destReg, d.high & 0x00F0FF00);
            } else {
                cpu.setReg(destReg, 2, d.high & 0xFF00);
            }
        }
        setZf(cpu, ok);
    }

    /** LSL r, r/m16: the byte-granular limit; system types 1, 2, 3, 9, B only. */
    public static void lsl(Cpu cpu, int sel, int destReg, int operandSize) {
        Descriptor d = probe(cpu, sel & 0xFFFF);
        boolean ok = d != null && visible(cpu, sel, d);
        if (ok && d.system()) {
            int t = d.type();
            ok = t == 1 || t == 2 || t == 3 || t == 9 || t == 0xB;
        }
        if (ok) {
            cpu.setReg(destReg, operandSize, d.limit());
        }
        setZf(cpu, ok);
    }

    /** VERR / VERW: readable (code or data) / writable data segment visible at CPL and RPL. */
    public static void verify(Cpu cpu, int sel, boolean write) {
        Descriptor d = probe(cpu, sel & 0xFFFF);
        boolean ok = d != null && !d.system();
        if (ok) {
            if (write) {
                ok = d.writableData() && cpu.cpl <= d.dpl() && (sel & 3) <= d.dpl();
            } else {
                ok = d.readable() && visible(cpu, sel, d);
            }
        }
        setZf(cpu, ok);
    }

    /** ARPL: returns the new destination; ZF = 1 when its RPL was raised to the source's. */
    public static int arpl(Cpu cpu, int dest, int src) {
        boolean adjust = (dest & 3) < (src & 3);
        setZf(cpu, adjust);
        return adjust ? (dest & 0xFFFC) | (src & 3) : dest & 0xFFFF;
    }

    // ---- segment register loads from translated code

    /** MOV SS / POP SS: the load, then interrupts are inhibited until after the next instruction. */
    public static void loadSegment(Cpu cpu, int s, int sel) {
        Segmentation.loadData(cpu, s, sel);
        if (s == Seg.SS) {
            cpu.interruptShadow = true;
        }
    }
}
