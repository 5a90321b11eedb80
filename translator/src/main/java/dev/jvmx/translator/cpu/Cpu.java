package dev.jvmx.translator.cpu;

import dev.jvmx.translator.arch.Cr0;
import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.arch.MiscEnable;
import dev.jvmx.translator.arch.Pat;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.arch.Vector;
import dev.jvmx.translator.flags.LazyFlags;
import dev.jvmx.translator.fpu.FpuState;
import dev.jvmx.translator.mem.Mmu;
import dev.jvmx.translator.mem.PagingRegisters;
import dev.jvmx.translator.mem.PhysicalMemory;
import dev.jvmx.translator.mem.TlbFlush;
import dev.jvmx.vmx.ControlChangeListener.ChangeKind;
import dev.jvmx.vmx.ExecutionControls;
import dev.jvmx.vmx.ExitInfo;
import dev.jvmx.vmx.ExitReason;
import dev.jvmx.vmx.GuestActivityState;
import dev.jvmx.vmx.Vmcs;
import dev.jvmx.vmx.VmcsField;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Architectural state of one IA-32 processor. Generated code reads and writes the public
 * fields directly (registers at block entry and exit, lazy flags, the TLB arrays), so the
 * field names are part of the code generator's contract.
 */
public final class Cpu implements PagingRegisters {
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
    /** DR0-DR3 as DR7 enables them; {@link HardwareBreakpoints#update} after any change to those registers. */
    public final HardwareBreakpoints breakpoints;
    public int gdtrBase, gdtrLimit, idtrBase, idtrLimit;
    public final SegmentCache ldtr = new SegmentCache();
    public final SegmentCache tr = new SegmentCache();
    public int cpl;

    /** Model-specific state reachable through RDMSR/WRMSR/SYSENTER. */
    public int sysenterCs, sysenterEsp, sysenterEip;
    /** IA32_TSC_AUX, which RDTSCP returns in ECX. */
    public int tscAux;
    /** IA32_EFER, IA32_MISC_ENABLE and IA32_PAT (arch.Efer, arch.MiscEnable, arch.Pat; RDMSR/WRMSR in helpers.SystemOps). */
    public long efer, miscEnable, pat;
    /** The TSC's offset from {@link #timeSource} (see helpers.Tsc). */
    public long tsc;
    /** The machine's clock, which the TSC counts (see helpers.Tsc); the runtime sets it. */
    public TimeSource timeSource = () -> this.instructions;
    public long apicBase = 0xFEE00900L;
    /** The local APIC (owner of IA32_APIC_BASE and the x2APIC MSRs when present), or null. */
    public LocalApicLink apic;
    /** An NMI was delivered and its handler has not executed IRET yet (SDM Vol. 3A, 6.7.1). */
    public boolean nmiBlocked;
    /**
     * The last IRET ended NMI blocking and then faulted (IRET unblocks NMIs even when it faults):
     * an exception exit for that fault reports it as "NMI unblocking due to IRET" (SDM Vol. 3C,
     * 27.2.2). Taken, and cleared, by the delivery of the fault.
     */
    public boolean iretUnblockedNmi;

    /**
     * The optional features of the CPU model (arch.CpuFeatures bits, as CPUID.01H:EDX reports
     * them), chosen once for the machine: SSE instructions check them when they run, in both tiers.
     */
    public int features;

    /** The x87 FPU (reset to its power-on state by {@link #reset}; INIT would leave it alone). */
    public final FpuState fpu = new FpuState();

    public final PhysicalMemory memory;
    public final Mmu mmu;

    /**
     * The software TLB's read and write entries ({@link Mmu#entry}): translations hold them as
     * constants of their class and probe them inline (DESIGN.md rule 3); the helpers' probe
     * (DataAccess) reads them here.
     */
    public long[] tlbRead;
    public long[] tlbWrite;

    /**
     * The VMCS of this virtual processor (SDM Vol. 3C, chapter 25): every VM exit writes its
     * exit-information fields here, and exit handlers read them here, as KVM's do with vmcs_read.
     */
    public final Vmcs vmcs = new Vmcs();
    /** The exit-information fields of {@link #vmcs}, typed. */
    public final ExitInfo exit = new ExitInfo(vmcs);
    /**
     * The VM-execution controls (mirrored into {@link #vmcs}); initially every instruction that
     * VT-x can make exit does. The code generator reads them while it translates.
     */
    public final ExecutionControls controls = ExecutionControls.exitEverything(vmcs);

    /**
     * FERR#: a waiting x87 instruction found an unmasked exception pending with CR0.NE = 0 and
     * froze (see helpers.FpuOps#waitOrFreeze). The board routes the signal to IRQ 13 (the
     * runtime sets this); a bare CPU has nothing connected.
     */
    public Runnable ferr = () -> { };

    /** Who answers VM exits (the runtime's exit dispatcher). */
    public VmExitHandler exitHandler;

    /**
     * Non-zero while an external event wants attention at the next block boundary. Devices,
     * timers, the translation worker and signal handlers set bits from their own threads: set
     * them with {@link #request} and take them with {@link #takeRequests}, never with a plain
     * read-modify-write, which would lose a bit another thread set in between.
     */
    public volatile int interruptRequest;
    private static final VarHandle INTERRUPT_REQUEST;

    static {
        try {
            INTERRUPT_REQUEST = MethodHandles.lookup().findVarHandle(Cpu.class, "interruptRequest", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Asks for attention at the next block boundary (any thread). */
    public void request(int bits) {
        INTERRUPT_REQUEST.getAndBitwiseOr(this, bits);
    }

    /** Takes every request made so far (the execution loop, at a block boundary). */
    public int takeRequests() {
        return (int) INTERRUPT_REQUEST.getAndSet(this, 0);
    }

    /** Withdraws requests (any thread). */
    public void withdraw(int bits) {
        INTERRUPT_REQUEST.getAndBitwiseAnd(this, ~bits);
    }
    /**
     * The bit of {@link #interruptRequest} that instructions set when they open the window for
     * a waiting event: IF going from 0 to 1 (POPF, IRET, a task switch) or IRET ending NMI
     * blocking; also TF going from 0 to 1, which starts single-stepping. The execution loop owns
     * the other bits.
     */
    public static final int REQUEST_EVENT_WINDOW = 16;
    /**
     * At the last look for events an interrupt request was waiting for IF: setting IF then asks
     * for another look ({@link #REQUEST_EVENT_WINDOW}); otherwise POPF and IRET cost nothing extra.
     */
    public boolean eventHeld;
    /** Set by STI / MOV SS / POP SS: interrupts are inhibited until after the next instruction. */
    public boolean interruptShadow;
    /**
     * A REP string instruction stopped before its last iteration (EIP still at it): an event
     * taken now pushes EFLAGS with RF set (SDM Vol. 3B, 18.3.1.1), so that an instruction
     * breakpoint on it does not fire again when it resumes.
     */
    public boolean repUnfinished;
    /** DR6 bits of a debug trap an instruction raised for after it (a task switch's T flag: BT); the loop delivers it. */
    public int pendingDebugTraps;
    public boolean halted;
    /** Index within its block of the instruction that faulted (set by the block's handler). */
    public int faultIndex;

    /** Told of every interrupt and exception delivered (the -d int log); null when nobody listens. */
    public InterruptListener interruptListener;

    /** Guest instructions retired (translated code adds what it completed when it returns or faults). */
    public long instructions;
    /** How many instructions translated code may run before it returns to look at events. */
    public int budget = Integer.MAX_VALUE;

    public Cpu(PhysicalMemory memory) {
        this.memory = memory;
        for (int i = 0; i < 6; i++) {
            seg[i] = new SegmentCache();
        }
        this.mmu = new Mmu(this, memory);
        this.breakpoints = new HardwareBreakpoints();
        memory.onArrayReplaced(() -> mmu.flushAll(TlbFlush.MEMORY_MAP)); // the ROM's offsets in the array moved
        selectTlb();
        reset();
        // A VMM that opens an interrupt window wants its exit as soon as the guest's IF allows:
        // the loop looks at the next block boundary (and from there waits for IF as for an interrupt).
        controls.addListener(kind -> {
            if (kind == ChangeKind.INTERRUPT_WINDOW) {
                request(REQUEST_EVENT_WINDOW);
            }
        });
    }

    /** Power-on / RESET state (SDM Vol. 3A, Table 9-1). */
    public void reset() {
        initState();
        fpu.reset();
        efer = 0;
        tscAux = 0;
        miscEnable = MiscEnable.RESET;
        pat = Pat.RESET;
        mmu.flushAll(TlbFlush.RESET);
    }

    /**
     * INIT (SDM Vol. 3A, Table 9-1, its INIT column): the registers as after RESET, but the x87
     * FPU, the TSC and the MSRs other than IA32_EFER keep their values, and CR0's CD and NW too.
     */
    public void init() {
        int cacheBits = cr0 & (Cr0.CD | Cr0.NW);
        initState();
        cr0 = Cr0.ET | cacheBits;
        efer = 0;
        mmu.flushAll(TlbFlush.RESET);
    }

    /**
     * The start-up IPI's effect on a processor in the wait-for-SIPI state (SDM Vol. 3A, 9.4.3 and
     * 11.6.1): real mode at {@code vector} * 4 KiB, that is CS = vector << 8 and IP = 0.
     */
    public void startup(int vector) {
        int v = vector & 0xFF;
        seg[Seg.CS].set(v << 8, v << 12, 0xFFFF, SegmentCache.AR_P | SegmentCache.AR_S | 0xB);
        eip = 0;
        halted = false;
    }

    /** The state RESET and INIT share: registers, segments, control and debug registers, events. */
    private void initState() {
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
        breakpoints.update(this);
        repUnfinished = false;
        pendingDebugTraps = 0;
        gdtrBase = idtrBase = 0;
        gdtrLimit = idtrLimit = 0xFFFF;
        ldtr.set(0, 0, 0xFFFF, SegmentCache.AR_P | 0x2);
        tr.set(0, 0, 0xFFFF, SegmentCache.AR_P | 0xB);
        setCpl(0);
        interruptShadow = false;
        nmiBlocked = false;
        iretUnblockedNmi = false;
        eventHeld = false;
        halted = false;
        // RESET takes the processor out of the shutdown state a triple fault may have left.
        vmcs.write(VmcsField.GUEST_ACTIVITY_STATE, GuestActivityState.ACTIVE);
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
        // IF set while a request waits for it, or TF set (single-stepping starts): the loop looks at
        // the next block boundary. One test when neither rises, as for most callers.
        // RF set (an IRET or a task switch) asks for a look too: the loop clears it once the next
        // instruction has passed its instruction-breakpoint check.
        int rising = value & ~eflags & (Eflags.IF | Eflags.TF | Eflags.RF);
        if (rising != 0 && (eventHeld || (rising & (Eflags.TF | Eflags.RF)) != 0)) {
            request(REQUEST_EVENT_WINDOW);
        }
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

    /**
     * Records a VM exit in the VMCS, as the processor does before it passes control to the
     * exit handler: reason, qualification, instruction length (the other exit-information
     * fields cleared) and the guest RIP of the exiting instruction.
     */
    public void recordExit(ExitReason reason, long qualification, int length) {
        exit.set(reason, qualification).instructionLength(length);
        vmcs.write(VmcsField.GUEST_RIP, eip);
    }

    /**
     * Changes the current privilege level. User-mode and supervisor-mode accesses have TLBs of
     * their own (an entry's rights differ between them): the change selects the other one, and
     * flushes nothing.
     */
    public void setCpl(int newCpl) {
        cpl = newCpl;
        selectTlb();
    }

    /** Points the TLB arrays translated code probes at the current privilege's TLB. */
    private void selectTlb() {
        Mmu.Tlb t = mmu.select(cpl == 3);
        tlbRead = t.read;
        tlbWrite = t.write;
    }

    /** The preallocated exception translated code and helpers throw (DESIGN.md rule 6). */
    private final GuestFault fault = new GuestFault();

    /** Sets up the one preallocated {@link GuestFault}; the caller throws it. */
    public GuestFault fault(int vector, int errorCode, boolean hasErrorCode) {
        return fault.set(vector, errorCode, hasErrorCode);
    }

    @Override
    public int cr0() {
        return cr0;
    }

    @Override
    public int cr3() {
        return cr3;
    }

    @Override
    public int cr4() {
        return cr4;
    }

    @Override
    public long efer() {
        return efer;
    }

    @Override
    public boolean alignmentCheckFlag() {
        return (eflags & Eflags.AC) != 0;
    }

    @Override
    public boolean userMode() {
        return cpl == 3;
    }

    /** A #PF at linear address {@code lin}: CR2 is loaded when its delivery starts (see {@link GuestFault#payload}). */
    @Override
    public GuestFault pageFault(int lin, int errorCode) {
        GuestFault f = fault(Vector.PF, errorCode, true);
        f.payload = lin;
        return f;
    }

    /** A #DB reporting {@code dr6Bits}, which DR6 receives when its delivery starts (see {@link GuestFault#payload}). */
    public GuestFault debugFault(int dr6Bits) {
        GuestFault f = fault(Vector.DB, 0, false);
        f.payload = dr6Bits;
        return f;
    }

    /** The linear address of the next instruction. */
    public int linearEip() {
        return seg[Seg.CS].base + eip;
    }
}
