package dev.jvmx.translator.cpu;

import dev.jvmx.translator.exit.VmExitHandler;
import dev.jvmx.translator.flags.LazyFlags;
import dev.jvmx.translator.mem.Mmu;
import dev.jvmx.translator.mem.PhysicalMemory;

/**
 * Architectural state of one IA-32 processor. Generated code reads and writes the public
 * fields directly (registers at block entry and exit, lazy flags, the TLB arrays), so the
 * field names are part of the code generator's contract.
 */
public final class Cpu {
    public static final int EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, EBP = 5, ESI = 6, EDI = 7;
    /**
     * A slot after EDI that always reads 0: a memory operand without a base or an index names it,
     * so code that does not know the operand's shape computes base + (index << scale) + disp
     * without a branch.
     */
    public static final int ZERO = 8;

    /** EAX..EDI by their encoding (SDM Vol. 2, Table 3-1), then {@link #ZERO}. */
    public final int[] regs = new int[9];
    public int eip;

    /** EFLAGS without the six arithmetic status flags, which live in the lazy fields below. */
    public int eflags = Eflags.FIXED1;
    /** Lazy status flags: the last flag-setting operation and its operands (see LazyFlags). */
    public int flagOp = LazyFlags.OP_FLAGS, flagRes, flagA, flagB;

    public final SegmentCache[] seg = new SegmentCache[6];
    public int cr0 = Cr0.ET, cr2, cr3, cr4;
    public final int[] dr = new int[8];
    public int gdtrBase, gdtrLimit, idtrBase, idtrLimit;
    public final SegmentCache ldtr = new SegmentCache();
    public final SegmentCache tr = new SegmentCache();
    public int cpl;

    /** Model-specific state reachable through RDMSR/WRMSR/SYSENTER. */
    public int sysenterCs, sysenterEsp, sysenterEip;
    /** The TSC's offset from {@link #timeSource} (see helpers.Tsc). */
    public long tsc;
    /** The machine's clock, which the TSC counts (see helpers.Tsc); the runtime sets it. */
    public TimeSource timeSource = () -> this.instructions;
    public long apicBase = 0xFEE00900L;

    public final PhysicalMemory memory;
    public final Mmu mmu;

    /** The software TLB that generated code probes inline (DESIGN.md rule 3). */
    public final int[] tlbReadTag;
    public final int[] tlbWriteTag;
    public final int[] tlbAddend;

    /** Exit-information fields filled by translated code before a VM exit. */
    public final dev.jvmx.translator.exit.ExitContext exitContext = new dev.jvmx.translator.exit.ExitContext();

    /** Who answers VM exits (the runtime's exit dispatcher). */
    public VmExitHandler exitHandler;

    /** Non-zero while an external event wants attention at the next block boundary. */
    public volatile int interruptRequest;
    /** Set by STI / MOV SS / POP SS: interrupts are inhibited until after the next instruction. */
    public boolean interruptShadow;
    public boolean halted;
    /** Index within its block of the instruction that faulted (set by the block's handler). */
    public int faultIndex;

    /** Guest instructions retired (translated code adds what it completed when it returns or faults). */
    public long instructions;
    /** How many instructions translated code may run before it returns to look at events. */
    public int budget = Integer.MAX_VALUE;

    public Cpu(PhysicalMemory memory) {
        this.memory = memory;
        for (int i = 0; i < 6; i++) {
            seg[i] = new SegmentCache();
        }
        this.mmu = new Mmu(this);
        this.tlbReadTag = mmu.readTag;
        this.tlbWriteTag = mmu.writeTag;
        this.tlbAddend = mmu.addend;
        reset();
    }

    /** Power-on / RESET state (SDM Vol. 3A, Table 9-1). */
    public void reset() {
        java.util.Arrays.fill(regs, 0);
        regs[EDX] = 0x00000633; // family 6, model 3, stepping 3 in EDX after reset
        eip = 0xFFF0;
        eflags = Eflags.FIXED1;
        flagOp = LazyFlags.OP_FLAGS;
        flagRes = 0;
        flagA = flagB = 0;
        for (int i = 0; i < 6; i++) {
            seg[i].set(0, 0, 0xFFFF, SegmentCache.AR_P | SegmentCache.AR_S | 0x3 /* data rw, accessed */);
        }
        seg[Seg.CS].set(0xF000, 0xFFFF0000, 0xFFFF, SegmentCache.AR_P | SegmentCache.AR_S | 0xB /* code rx, accessed */);
        cr0 = Cr0.ET | Cr0.CD | Cr0.NW;
        cr2 = cr3 = cr4 = 0;
        java.util.Arrays.fill(dr, 0);
        dr[6] = 0xFFFF0FF0;
        dr[7] = 0x400;
        gdtrBase = idtrBase = 0;
        gdtrLimit = idtrLimit = 0xFFFF;
        ldtr.set(0, 0, 0xFFFF, SegmentCache.AR_P | 0x2);
        tr.set(0, 0, 0xFFFF, SegmentCache.AR_P | 0xB);
        cpl = 0;
        interruptShadow = false;
        halted = false;
        mmu.flushAll();
    }

    public int getReg32(int r) {
        return regs[r];
    }

    public void setReg32(int r, int v) {
        regs[r] = v;
    }

    /** Reads a register of the given size (1: AL..BH encoding, 2, 4). */
    public int getReg(int r, int size) {
        if (size == 4) return getReg32(r);
        if (size == 2) return getReg32(r) & 0xFFFF;
        return r < 4 ? getReg32(r) & 0xFF : (getReg32(r - 4) >>> 8) & 0xFF;
    }

    public void setReg(int r, int size, int v) {
        if (size == 4) {
            setReg32(r, v);
        } else if (size == 2) {
            setReg32(r, (getReg32(r) & 0xFFFF0000) | (v & 0xFFFF));
        } else if (r < 4) {
            setReg32(r, (getReg32(r) & 0xFFFFFF00) | (v & 0xFF));
        } else {
            setReg32(r - 4, (getReg32(r - 4) & 0xFFFF00FF) | ((v & 0xFF) << 8));
        }
    }

    /** The architectural EFLAGS, with the lazy status flags materialised. */
    public int getEflags() {
        return (eflags & ~Eflags.ARITH) | LazyFlags.compute(flagOp, flagRes, flagA, flagB);
    }

    /** Sets EFLAGS as a whole; the caller decides which bits the instruction may change. */
    public void setEflags(int value) {
        eflags = (value & ~Eflags.ARITH & 0x003F7FD5) | Eflags.FIXED1;
        flagOp = LazyFlags.OP_FLAGS;
        flagRes = value & Eflags.ARITH;
    }

    public boolean protectedMode() {
        return (cr0 & Cr0.PE) != 0;
    }

    public boolean v86() {
        return (eflags & Eflags.VM) != 0;
    }

    public int iopl() {
        return (eflags >> Eflags.IOPL_SHIFT) & 3;
    }

    /** CS.D: the default operand and address size of the code segment is 32 bits. */
    public boolean code32() {
        return protectedMode() && !v86() && seg[Seg.CS].big();
    }

    /** SS.B: the stack pointer is ESP rather than SP. */
    public boolean stack32() {
        return protectedMode() && !v86() && seg[Seg.SS].big();
    }

    /** The linear address of the next instruction. */
    public int linearEip() {
        return seg[Seg.CS].base + eip;
    }
}
