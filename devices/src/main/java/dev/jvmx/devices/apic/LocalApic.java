package dev.jvmx.devices.apic;

import dev.jvmx.devices.timer.Clock;
import dev.jvmx.devices.timer.TimeStampCounter;

import java.util.function.IntConsumer;

/**
 * The local APIC of the one processor (xAPIC, with x2APIC mode), written from the SDM Vol. 3A,
 * chapter 11: the IA32_APIC_BASE MSR, the register page (memory-mapped at the base, or the MSRs
 * 800H-8FFH in x2APIC mode), interrupt acceptance into IRR/ISR/TMR with priority classes, TPR,
 * PPR and APR, EOI (broadcast to the I/O APIC for level-triggered vectors), the local vector
 * table, the error status register, the timer (one-shot, periodic, TSC-deadline) and the
 * interrupt command register.
 *
 * <p>The processor asks {@link #intr()} and takes an interrupt with {@link #acknowledge()}; an
 * ExtINT delivery (LINT0 in virtual-wire mode, or an I/O APIC ExtINT entry) passes the 8259's
 * INTR and INTA cycle through. With the APIC globally disabled (IA32_APIC_BASE[11] = 0) the
 * processor behaves as one without an APIC: the 8259's INTR reaches it directly.
 *
 * <p>Nothing here ticks: the timer is computed from the {@link Clock}; the machine calls
 * {@link #update()} and asks {@link #nextEventNanos()}. Methods are synchronized because device
 * threads may deliver interrupts (through the I/O APIC) while the CPU thread reads registers.
 */
public final class LocalApic {
    // ---- IA32_APIC_BASE (11.4.4)
    public static final int MSR_APIC_BASE = 0x1B;
    public static final int MSR_TSC_DEADLINE = 0x6E0;
    /** x2APIC registers: MSR 800H + (xAPIC offset >> 4) (11.12.1.2). */
    public static final int MSR_X2APIC_FIRST = 0x800, MSR_X2APIC_LAST = 0x8FF;
    public static final long BASE_BSP = 1L << 8;
    public static final long BASE_EXTD = 1L << 10;
    public static final long BASE_EN = 1L << 11;
    /** Bits 12-35: the page of the register window (MAXPHYADDR 36). */
    public static final long BASE_ADDRESS = 0xF_FFFF_F000L;
    public static final long DEFAULT_BASE = 0xFEE00000L;

    // ---- register offsets in the xAPIC page (Table 11-1)
    public static final int ID = 0x020, VERSION = 0x030, TPR = 0x080, APR = 0x090, PPR = 0x0A0, EOI = 0x0B0,
            RRD = 0x0C0, LDR = 0x0D0, DFR = 0x0E0, SVR = 0x0F0, ISR = 0x100, TMR = 0x180, IRR = 0x200,
            ESR = 0x280, LVT_CMCI = 0x2F0, ICR_LOW = 0x300, ICR_HIGH = 0x310, LVT_TIMER = 0x320,
            LVT_THERMAL = 0x330, LVT_PERF = 0x340, LVT_LINT0 = 0x350, LVT_LINT1 = 0x360, LVT_ERROR = 0x370,
            TIMER_INITIAL = 0x380, TIMER_CURRENT = 0x390, TIMER_DIVIDE = 0x3E0, SELF_IPI = 0x3F0;

    /** Version 14H (an xAPIC), max LVT entry 5: timer, thermal, performance, LINT0, LINT1, error. */
    public static final int VERSION_VALUE = 0x00050014;
    private static final int LVT_COUNT = 6;
    static final int TIMER = 0, THERMAL = 1, PERF = 2, LINT0 = 3, LINT1 = 4, ERROR = 5;

    // ---- LVT / ICR fields (Figures 11-8 and 11-12)
    public static final int VECTOR = 0xFF;
    public static final int DELIVERY_MODE_SHIFT = 8;
    public static final int DELIVERY_STATUS = 1 << 12;
    public static final int POLARITY = 1 << 13;
    public static final int REMOTE_IRR = 1 << 14;
    public static final int TRIGGER_LEVEL = 1 << 15;
    public static final int MASKED = 1 << 16;
    public static final int TIMER_MODE_SHIFT = 17;
    public static final int TIMER_ONE_SHOT = 0, TIMER_PERIODIC = 1, TIMER_TSC_DEADLINE = 2;
    public static final int ICR_DEST_LOGICAL = 1 << 11;
    public static final int ICR_LEVEL_ASSERT = 1 << 14;
    public static final int ICR_SHORTHAND_SHIFT = 18;
    public static final int SHORTHAND_NONE = 0, SHORTHAND_SELF = 1, SHORTHAND_ALL = 2, SHORTHAND_OTHERS = 3;

    /** Delivery modes: the 3-bit field of LVT entries (Figure 11-8), the ICR (Figure 11-12) and I/O APIC entries. */
    public static final int FIXED = 0, LOWEST_PRIORITY = 1, SMI = 2, NMI = 4, INIT = 5, STARTUP = 6, EXTINT = 7;

    /** SVR: bit 8 software enable, bit 9 focus processor checking (11.9). */
    public static final int SVR_ENABLE = 1 << 8;
    private static final int SVR_WRITABLE = 0x3FF;

    // ---- error status bits (11.5.3)
    public static final int ESR_SEND_ILLEGAL_VECTOR = 1 << 5;
    public static final int ESR_RECEIVE_ILLEGAL_VECTOR = 1 << 6;
    public static final int ESR_ILLEGAL_REGISTER = 1 << 7;

    /** Timer ticks of the APIC's input clock per second: the bus clock, 1 GHz as on QEMU and KVM. */
    public static final long TIMER_HZ = 1_000_000_000L;

    private final Clock clock;
    private final TimeStampCounter tsc;
    private final boolean x2apicSupported;
    private final int initialId;
    private ExtIntSource extInt = ExtIntSource.NONE;
    private Runnable intrListener = () -> { };
    private Runnable timerListener = () -> { };
    private IntConsumer eoiListener = v -> { };
    private Runnable baseListener = () -> { };

    private long apicBase;
    private int id;
    private int tpr;
    private int ldr;
    private int dfr;
    private int svr;
    private final int[] irr = new int[8];
    private final int[] isr = new int[8];
    private final int[] tmr = new int[8];
    /** Errors detected since the last write to the ESR; a write moves them to {@link #esr}. */
    private int esrPending;
    private int esr;
    private int icrLow;
    private int icrHigh;
    private final int[] lvt = new int[LVT_COUNT];
    private int timerInitial;
    private int timerDivide;
    /** Clock time at which the current count was (re)loaded with the initial count. */
    private long timerLoad;
    /** Clock time of the next timer interrupt in one-shot or periodic mode, or Long.MAX_VALUE. */
    private long timerNext = Long.MAX_VALUE;
    private long tscDeadline;
    private boolean nmiPending;
    /** The level-triggered vector an EOI just retired, to broadcast once the lock is released; or -1. */
    private int eoiBroadcast = -1;
    /** An ExtINT delivery from the I/O APIC waits for its INTA cycle. */
    private boolean extIntRequested;
    private final boolean[] lintLevel = new boolean[2];
    /** The bus to the other processors' APICs and the I/O APIC, or null on a one-processor machine. */
    private ApicBus bus;
    /** This APIC's processor is the bootstrap processor (IA32_APIC_BASE[8]); the others are application processors. */
    private boolean bootstrap = true;
    /** An INIT IPI arrived: the processor enters the wait-for-SIPI state (taken by the machine). */
    private boolean initPending;
    /** The vector of a start-up IPI that arrived, or -1 (taken by the machine). */
    private int startupVector = -1;
    /** An IPI the ICR asked for, sent once the APIC's lock is released (ICR low, destination, x2APIC form). */
    private boolean ipiWaiting;
    private int ipiLow, ipiDest;
    private boolean ipiX2;

    /**
     * A local APIC with the given (initial) APIC ID, as the bootstrap processor; the TSC is what
     * the TSC-deadline timer compares against.
     */
    public LocalApic(Clock clock, TimeStampCounter tsc, int initialId, boolean x2apicSupported) {
        this.clock = clock;
        this.tsc = tsc;
        this.initialId = initialId;
        this.x2apicSupported = x2apicSupported;
        reset();
    }

    /** Power-up or RESET (11.4.7.1): the APIC enabled at the default base, everything else cleared. */
    public synchronized void reset() {
        apicBase = DEFAULT_BASE | BASE_EN | (bootstrap ? BASE_BSP : 0);
        id = initialId << 24;
        resetRegisters();
        nmiPending = false;
        extIntRequested = false;
        initPending = false;
        startupVector = -1;
        baseListener.run();
        timerListener.run();
    }

    private void resetRegisters() {
        tpr = 0;
        ldr = 0;
        dfr = 0xFFFFFFFF;
        svr = 0xFF;
        java.util.Arrays.fill(irr, 0);
        java.util.Arrays.fill(isr, 0);
        java.util.Arrays.fill(tmr, 0);
        esrPending = esr = 0;
        icrLow = icrHigh = 0;
        java.util.Arrays.fill(lvt, MASKED);
        timerInitial = 0;
        timerDivide = 0;
        timerNext = Long.MAX_VALUE;
        tscDeadline = 0;
    }

    // ------------------------------------------------------------------ wiring

    /**
     * Makes this the APIC of an application processor (IA32_APIC_BASE[8] clear), which waits for
     * INIT and start-up IPIs; the default is the bootstrap processor's.
     */
    public synchronized void setBootstrapProcessor(boolean bsp) {
        bootstrap = bsp;
        apicBase = bsp ? apicBase | BASE_BSP : apicBase & ~BASE_BSP;
    }

    public synchronized boolean bootstrapProcessor() {
        return bootstrap;
    }

    /** Connected by {@link ApicBus#attach}: IPIs then go to the bus's APICs. */
    synchronized void setBus(ApicBus bus) {
        this.bus = bus;
    }

    /** The APIC ID as the ID register holds it (xAPIC: bits 31:24; x2APIC: 32 bits). */
    public synchronized int apicId() {
        return x2apicMode() ? id : id >>> 24;
    }

    /** PPR, for lowest-priority arbitration between APICs (11.6.2.4 lets the chipset use it). */
    public synchronized int processorPriority() {
        return ppr();
    }

    /** Takes a pending INIT (the processor goes to the wait-for-SIPI state); false if none. */
    public synchronized boolean takeInit() {
        boolean i = initPending;
        initPending = false;
        return i;
    }

    /** Whether an INIT or a start-up IPI waits for the machine to take it. */
    public synchronized boolean startupEventPending() {
        return initPending || startupVector >= 0;
    }

    /** Takes the vector of a pending start-up IPI, or -1 if none. */
    public synchronized int takeStartup() {
        int v = startupVector;
        startupVector = -1;
        return v;
    }

    /** The 8259 pair behind LINT0 and ExtINT deliveries. */
    public synchronized void setExtIntSource(ExtIntSource source) {
        extInt = source == null ? ExtIntSource.NONE : source;
    }

    /** Called (with the APIC's lock held) whenever an interrupt may have become deliverable: note it only. */
    public synchronized void setIntrListener(Runnable listener) {
        intrListener = listener == null ? () -> { } : listener;
    }

    /** Called when the timer is armed or re-armed, so the machine looks at {@link #nextEventNanos()} again. */
    public synchronized void setTimerListener(Runnable listener) {
        timerListener = listener == null ? () -> { } : listener;
    }

    /** The EOI message for a level-triggered vector, broadcast to the I/O APICs (11.8.5). */
    public synchronized void setEoiListener(IntConsumer listener) {
        eoiListener = listener == null ? v -> { } : listener;
    }

    /** Called when IA32_APIC_BASE changes (the register window moves, opens or closes). */
    public synchronized void setBaseListener(Runnable listener) {
        baseListener = listener == null ? () -> { } : listener;
    }

    /**
     * Puts LINT0 in virtual-wire mode (ExtINT, unmasked) and LINT1 on NMI, as the firmware of a
     * virtual-wire PC does before it starts an operating system (MultiProcessor Specification
     * 1.4, 3.6.2.2). QEMU and KVM do the same for the bootstrap processor at reset, so a guest
     * that never touches the APIC gets the 8259's interrupts.
     */
    public synchronized void setVirtualWireMode() {
        lvt[LINT0] = EXTINT << DELIVERY_MODE_SHIFT;
        lvt[LINT1] = NMI << DELIVERY_MODE_SHIFT;
        intrListener.run();
    }

    // ------------------------------------------------------------------ state the processor reads

    /** IA32_APIC_BASE[11]: the APIC is present and globally enabled (CPUID.1:EDX[9] follows it). */
    public synchronized boolean globallyEnabled() {
        return (apicBase & BASE_EN) != 0;
    }

    public synchronized boolean x2apicMode() {
        return (apicBase & (BASE_EN | BASE_EXTD)) == (BASE_EN | BASE_EXTD);
    }

    public boolean x2apicSupported() {
        return x2apicSupported;
    }

    /** The physical address of the register page, when the xAPIC window decodes (enabled, not x2APIC). */
    public synchronized long mmioBase() {
        return apicBase & BASE_ADDRESS;
    }

    /** The xAPIC register page decodes memory accesses: globally enabled and not in x2APIC mode. */
    public synchronized boolean mmioEnabled() {
        return (apicBase & (BASE_EN | BASE_EXTD)) == BASE_EN;
    }

    public int initialApicId() {
        return initialId;
    }

    public synchronized boolean softwareEnabled() {
        return (svr & SVR_ENABLE) != 0;
    }

    // ------------------------------------------------------------------ IA32_APIC_BASE

    public synchronized long readBaseMsr() {
        return apicBase;
    }

    /**
     * WRMSR IA32_APIC_BASE; false when the value is invalid (#GP(0)): reserved bits, EXTD without
     * x2APIC support, or a transition the x2APIC state machine forbids (11.12.5: x2APIC to xAPIC,
     * disabled to x2APIC, EXTD without EN).
     */
    public synchronized boolean writeBaseMsr(long value) {
        long valid = BASE_BSP | BASE_EN | BASE_ADDRESS | (x2apicSupported ? BASE_EXTD : 0);
        if ((value & ~valid) != 0) {
            return false;
        }
        boolean en = (value & BASE_EN) != 0, extd = (value & BASE_EXTD) != 0;
        boolean wasEn = (apicBase & BASE_EN) != 0, wasExtd = (apicBase & BASE_EXTD) != 0;
        if (extd && !en) {
            return false;
        }
        if (wasEn && wasExtd && en && !extd) {
            return false;
        }
        if (!wasEn && en && extd) {
            return false;
        }
        // BSP is a fact of the processor, not software's to change.
        value = (value & ~BASE_BSP) | (apicBase & BASE_BSP);
        apicBase = value;
        if (en && extd && !wasExtd) {
            id = initialId; // x2APIC ID: the 32-bit initial APIC ID; the LDR is derived from it
            ldr = x2apicLdr();
        } else if (!en && wasEn) {
            // 11.4.3: prior initialization "may be lost". The register state is kept (as QEMU and
            // KVM keep it) but the APIC leaves x2APIC mode, so its ID takes the xAPIC form again.
            if (wasExtd) {
                id = initialId << 24;
                ldr = 0;
            }
        }
        baseListener.run();
        intrListener.run();
        return true;
    }

    private int x2apicLdr() {
        return ((initialId >>> 4) << 16) | (1 << (initialId & 0xF));
    }

    // ------------------------------------------------------------------ xAPIC register page

    /** A 32-bit read at {@code offset} (0..0xFFF) in the register page; see {@link #readBytes}. */
    public synchronized int read(int offset) {
        int reg = offset & 0xFF0;
        if ((offset & 0xF) != 0) {
            return 0; // only the first dword of a 16-byte slot is a register
        }
        Integer v = registerValue(reg, false);
        if (v == null) {
            error(ESR_ILLEGAL_REGISTER);
            return 0;
        }
        return v;
    }

    /** Reads of 1, 2 or 4 bytes: the bytes of the register's first dword, 0 beyond it. */
    public synchronized int readBytes(int offset, int size) {
        int reg = offset & ~3;
        int value = (reg & 0xF) == 0 ? read(reg) : 0;
        int shift = (offset & 3) * 8;
        long mask = size == 4 ? 0xFFFFFFFFL : (1L << (size * 8)) - 1;
        return (int) ((Integer.toUnsignedLong(value) >>> shift) & mask);
    }

    /** A write of {@code size} bytes; registers take only aligned 32-bit writes, others are dropped. */
    public void writeBytes(int offset, int size, int value) {
        if (size == 4 && (offset & 0xF) == 0) {
            write(offset, value);
        }
    }

    /** The value of a readable register, or null for a reserved offset (or a write-only one in x2APIC mode). */
    private Integer registerValue(int reg, boolean x2) {
        switch (reg) {
            case ID: return id;
            case VERSION: return VERSION_VALUE;
            case TPR: return tpr;
            case APR: return x2 ? null : apr();
            case PPR: return ppr();
            case EOI: return x2 ? null : 0;
            case RRD: return x2 ? null : 0;
            case LDR: return ldr;
            case DFR: return x2 ? null : dfr;
            case SVR: return svr;
            case ESR: return esr;
            case ICR_LOW: return icrLow;
            case ICR_HIGH: return x2 ? null : icrHigh;
            case LVT_TIMER: case LVT_THERMAL: case LVT_PERF: case LVT_LINT0: case LVT_LINT1: case LVT_ERROR:
                return lvt[(reg - LVT_TIMER) >> 4];
            case TIMER_INITIAL: return timerInitial;
            case TIMER_CURRENT: return currentCount(clock.nanos());
            case TIMER_DIVIDE: return timerDivide;
            default:
                if (reg >= ISR && reg < ISR + 0x80) {
                    return isr[(reg - ISR) >> 4];
                }
                if (reg >= TMR && reg < TMR + 0x80) {
                    return tmr[(reg - TMR) >> 4];
                }
                if (reg >= IRR && reg < IRR + 0x80) {
                    return irr[(reg - IRR) >> 4];
                }
                return null;
        }
    }

    /** A 32-bit write to the register at {@code offset} (16-byte aligned) in the xAPIC page. */
    public void write(int offset, int value) {
        synchronized (this) {
            int reg = offset & 0xFF0;
            if (!writeRegister(reg, value)) {
                error(ESR_ILLEGAL_REGISTER);
            }
        }
        broadcastEoi();
        sendWaitingIpi();
    }

    /** Sends the IPI an ICR write left for the bus, outside this APIC's lock (the bus takes the others'). */
    private void sendWaitingIpi() {
        int low, dest;
        boolean x2;
        ApicBus b;
        synchronized (this) {
            if (!ipiWaiting) {
                return;
            }
            ipiWaiting = false;
            low = ipiLow;
            dest = ipiDest;
            x2 = ipiX2;
            b = bus;
        }
        b.sendIpi(this, low, dest, x2);
    }

    /**
     * Sends the EOI message an EOI write left, outside the APIC's lock: the I/O APIC takes its
     * own lock and may deliver to this APIC again.
     */
    private void broadcastEoi() {
        int v;
        synchronized (this) {
            v = eoiBroadcast;
            eoiBroadcast = -1;
        }
        if (v >= 0) {
            eoiListener.accept(v);
        }
    }

    /** Returns false for a reserved offset. Writes to read-only registers are ignored. */
    private boolean writeRegister(int reg, int value) {
        switch (reg) {
            case ID:
                id = value & 0xFF000000; // xAPIC: software may assign the ID (bits 31:24)
                return true;
            case VERSION: case APR: case PPR: case RRD: case TIMER_CURRENT:
                return true;
            case TPR:
                tpr = value & 0xFF;
                intrListener.run();
                return true;
            case EOI:
                eoi();
                return true;
            case LDR:
                ldr = value & 0xFF000000;
                return true;
            case DFR:
                dfr = value | 0x0FFFFFFF;
                return true;
            case SVR:
                writeSvr(value);
                return true;
            case ESR:
                // 11.5.3: a write moves the errors detected since the last write into the register.
                esr = esrPending;
                esrPending = 0;
                return true;
            case ICR_LOW:
                icrLow = value & 0x000CCFFF;
                sendIpi(icrLow, icrHigh >>> 24, false);
                return true;
            case ICR_HIGH:
                icrHigh = value & 0xFF000000;
                return true;
            case LVT_TIMER: case LVT_THERMAL: case LVT_PERF: case LVT_LINT0: case LVT_LINT1: case LVT_ERROR:
                writeLvt((reg - LVT_TIMER) >> 4, value);
                return true;
            case TIMER_INITIAL:
                writeTimerInitial(value);
                return true;
            case TIMER_DIVIDE:
                writeTimerDivide(value);
                return true;
            default:
                return (reg >= ISR && reg < IRR + 0x80);
        }
    }

    private void writeSvr(int value) {
        int old = svr;
        svr = value & SVR_WRITABLE;
        if ((old & SVR_ENABLE) != 0 && (svr & SVR_ENABLE) == 0) {
            // 11.4.7.2: software disable sets every LVT mask bit (and they stay set while disabled).
            for (int i = 0; i < LVT_COUNT; i++) {
                lvt[i] |= MASKED;
            }
        }
        intrListener.run();
    }

    /** The bits of each LVT entry software may write (Figure 11-8). */
    private int lvtWritable(int index) {
        switch (index) {
            case TIMER:
                return VECTOR | MASKED | (TIMER_PERIODIC << TIMER_MODE_SHIFT) | (TIMER_TSC_DEADLINE << TIMER_MODE_SHIFT);
            case THERMAL:
            case PERF:
                return VECTOR | (7 << DELIVERY_MODE_SHIFT) | MASKED;
            case LINT0:
            case LINT1:
                return VECTOR | (7 << DELIVERY_MODE_SHIFT) | POLARITY | TRIGGER_LEVEL | MASKED;
            default:
                return VECTOR | MASKED;
        }
    }

    private void writeLvt(int index, int value) {
        int w = lvtWritable(index);
        int v = (lvt[index] & ~w) | (value & w);
        if (!softwareEnabled()) {
            v |= MASKED;
        }
        if (index == TIMER) {
            int oldMode = timerMode(lvt[TIMER]);
            int newMode = timerMode(v);
            if (newMode == 3) {
                newMode = oldMode == 3 ? TIMER_ONE_SHOT : oldMode; // 11B is reserved: keep the mode
                v = (v & ~(3 << TIMER_MODE_SHIFT)) | (newMode << TIMER_MODE_SHIFT);
            }
            lvt[TIMER] = v;
            if ((oldMode == TIMER_TSC_DEADLINE) != (newMode == TIMER_TSC_DEADLINE)) {
                // 11.5.4.1: changing to or from TSC-deadline mode disarms the timer.
                timerInitial = 0;
                timerNext = Long.MAX_VALUE;
                tscDeadline = 0;
                timerListener.run();
            }
            return;
        }
        lvt[index] = v;
        if (index == LINT0 || index == LINT1) {
            intrListener.run();
        }
    }

    private static int timerMode(int lvtTimer) {
        return (lvtTimer >>> TIMER_MODE_SHIFT) & 3;
    }

    // ------------------------------------------------------------------ priorities (11.8.3)

    /** The highest set bit of a 256-bit vector register, or -1. */
    private static int highest(int[] bits) {
        for (int i = 7; i >= 0; i--) {
            if (bits[i] != 0) {
                return i * 32 + 31 - Integer.numberOfLeadingZeros(bits[i]);
            }
        }
        return -1;
    }

    private static boolean test(int[] bits, int v) {
        return (bits[v >>> 5] & (1 << (v & 31))) != 0;
    }

    private static void set(int[] bits, int v, boolean on) {
        if (on) {
            bits[v >>> 5] |= 1 << (v & 31);
        } else {
            bits[v >>> 5] &= ~(1 << (v & 31));
        }
    }

    /** PPR = TPR when TPR[7:4] >= ISRV[7:4], else ISRV[7:4]:0000 (11.8.3.1). */
    private int ppr() {
        int isrv = Math.max(highest(isr), 0);
        return (tpr >>> 4) >= (isrv >>> 4) ? tpr : isrv & 0xF0;
    }

    /** APR, used in lowest-priority arbitration (11.6.2.4). */
    private int apr() {
        int isrv = Math.max(highest(isr), 0);
        int irrv = Math.max(highest(irr), 0);
        int t = tpr >>> 4;
        if (t >= (irrv >>> 4) && t > (isrv >>> 4)) {
            return tpr;
        }
        return Math.max(t, Math.max(isrv >>> 4, irrv >>> 4)) << 4;
    }

    /** The IRR vector the processor would take now, or -1: its class must be above PPR's. */
    private int deliverableVector() {
        if (!softwareEnabled()) {
            return -1;
        }
        int irrv = highest(irr);
        if (irrv < 0 || (irrv >>> 4) <= (ppr() >>> 4)) {
            return -1;
        }
        return irrv;
    }

    private boolean extIntWaiting() {
        if (!extInt.intr()) {
            return false;
        }
        if (extIntRequested) {
            return true;
        }
        int l0 = lvt[LINT0];
        return (l0 & MASKED) == 0 && ((l0 >>> DELIVERY_MODE_SHIFT) & 7) == EXTINT;
    }

    // ------------------------------------------------------------------ what the processor sees

    /** The processor's INTR input: a fixed interrupt above PPR, or an ExtINT request with the 8259 asserting INTR. */
    public synchronized boolean intr() {
        if (!globallyEnabled()) {
            return extInt.intr();
        }
        return deliverableVector() >= 0 || extIntWaiting();
    }

    /**
     * The interrupt-acknowledge cycle: moves the highest deliverable IRR bit into ISR and returns
     * its vector; an ExtINT request is answered by the 8259's INTA cycle; if nothing is
     * deliverable any longer, the spurious vector (SVR[7:0]), which sets no ISR bit (11.9).
     */
    public synchronized int acknowledge() {
        if (!globallyEnabled()) {
            return extInt.acknowledge();
        }
        int v = deliverableVector();
        if (v >= 0) {
            set(irr, v, false);
            set(isr, v, true);
            return v;
        }
        if (extIntWaiting()) {
            extIntRequested = false;
            return extInt.acknowledge();
        }
        return svr & 0xFF;
    }

    /** Takes a pending NMI (it was delivered once); false if none. */
    public synchronized boolean takeNmi() {
        boolean n = nmiPending;
        nmiPending = false;
        return n;
    }

    public synchronized boolean nmiPending() {
        return nmiPending;
    }

    // ------------------------------------------------------------------ acceptance

    /**
     * An interrupt message that names this APIC (from the I/O APIC, an IPI, or a local source):
     * fixed and lowest-priority go into IRR (TMR set for level-triggered), NMI becomes pending,
     * ExtINT waits for an INTA cycle; SMI, INIT and SIPI have no effect on this one-processor
     * machine's bootstrap processor.
     */
    public synchronized void accept(int deliveryMode, int vector, boolean levelTriggered) {
        if (deliveryMode == INIT || deliveryMode == STARTUP) {
            if (bus == null) {
                return; // one processor: INIT and SIPI reach no application processor
            }
        } else if (!globallyEnabled()) {
            return; // a processor without an APIC takes no messages
        }
        acceptMessage(deliveryMode, vector, levelTriggered);
    }

    private void acceptMessage(int deliveryMode, int vector, boolean levelTriggered) {
        switch (deliveryMode) {
            case FIXED:
            case LOWEST_PRIORITY:
                acceptFixed(vector & 0xFF, levelTriggered);
                break;
            case NMI:
                nmiPending = true;
                intrListener.run();
                break;
            case EXTINT:
                extIntRequested = true;
                intrListener.run();
                break;
            case INIT:
                if (bootstrap) {
                    break; // INIT of the bootstrap processor (a restart in the firmware) is not modelled
                }
                // 11.4.7.3: INIT resets the APIC as RESET does, but the APIC ID and IA32_APIC_BASE stay.
                resetRegisters();
                nmiPending = false;
                extIntRequested = false;
                initPending = true;
                startupVector = -1;
                timerListener.run();
                intrListener.run();
                break;
            case STARTUP:
                if (!bootstrap) {
                    startupVector = vector & 0xFF; // only a processor waiting for SIPI acts on it (9.4.3)
                    intrListener.run();
                }
                break;
            default:
                break;
        }
    }

    /** Whether {@code vector} waits in IRR (accepted, not yet taken by the processor). */
    public synchronized boolean requested(int vector) {
        return test(irr, vector & 0xFF);
    }

    private void acceptFixed(int vector, boolean level) {
        if (vector < 16) {
            error(ESR_RECEIVE_ILLEGAL_VECTOR);
            return;
        }
        set(irr, vector, true);
        set(tmr, vector, level);
        intrListener.run();
    }

    /**
     * Whether a message with this destination (physical APIC ID, or logical: flat or cluster
     * model per DFR, x2APIC cluster in x2APIC mode) names this APIC (11.6.2).
     */
    public synchronized boolean matchesDestination(boolean logical, int dest) {
        if (x2apicMode()) {
            if (!logical) {
                return dest == 0xFFFFFFFF || dest == id;
            }
            return dest == 0xFFFFFFFF || ((dest >>> 16) == (ldr >>> 16) && (dest & ldr & 0xFFFF) != 0);
        }
        dest &= 0xFF;
        if (!logical) {
            return dest == 0xFF || dest == (id >>> 24);
        }
        if (dest == 0xFF) {
            return true;
        }
        int logicalId = ldr >>> 24;
        if ((dfr >>> 28) == 0xF) { // flat model: a bit mask of up to eight APICs
            return (dest & logicalId) != 0;
        }
        // cluster model: cluster in bits 7:4, a mask of four APICs in bits 3:0
        return (dest >>> 4) == (logicalId >>> 4) && (dest & logicalId & 0xF) != 0;
    }

    /** EOI (11.8.5): retires the highest ISR bit; a level-triggered vector is broadcast to the I/O APIC. */
    private void eoi() {
        int v = highest(isr);
        if (v < 0) {
            return;
        }
        set(isr, v, false);
        if (test(tmr, v)) {
            eoiBroadcast = v;
        }
        intrListener.run();
    }

    // ------------------------------------------------------------------ errors (11.5.3)

    private void error(int bits) {
        esrPending |= bits;
        int e = lvt[ERROR];
        if ((e & MASKED) == 0) {
            int v = e & VECTOR;
            if (v < 16) {
                esrPending |= ESR_RECEIVE_ILLEGAL_VECTOR; // no second interrupt for the error entry's own bad vector
            } else {
                set(irr, v, true);
                set(tmr, v, false);
                intrListener.run();
            }
        }
    }

    // ------------------------------------------------------------------ local interrupts

    /** Delivers through an LVT entry (timer, thermal, performance, LINT0/1, error) unless masked. */
    private void fireLvt(int index) {
        int e = lvt[index];
        if ((e & MASKED) != 0 || !globallyEnabled()) {
            return;
        }
        int mode = index == TIMER || index == ERROR ? FIXED : (e >>> DELIVERY_MODE_SHIFT) & 7;
        switch (mode) {
            case FIXED:
                acceptFixed(e & VECTOR, (index == LINT0 || index == LINT1) && (e & TRIGGER_LEVEL) != 0);
                break;
            case NMI:
                nmiPending = true;
                intrListener.run();
                break;
            case EXTINT:
                intrListener.run(); // the 8259's INTR is sampled by intr()
                break;
            default:
                break; // SMI and INIT do not reach a processor modelled without SMM or AP start-up
        }
    }

    /**
     * Drives the LINT0 (0) or LINT1 (1) pin. A rising edge delivers through the pin's LVT entry
     * (an ExtINT entry instead passes the 8259's INTR level, see {@link #intr()}).
     */
    public synchronized void setLint(int pin, boolean level) {
        int i = pin & 1;
        boolean was = lintLevel[i];
        lintLevel[i] = level;
        int index = i == 0 ? LINT0 : LINT1;
        boolean activeLow = (lvt[index] & POLARITY) != 0;
        boolean assertedNow = level != activeLow, assertedBefore = was != activeLow;
        if (assertedNow && !assertedBefore) {
            fireLvt(index);
        }
    }

    /** Thermal and performance-monitoring events have no source here; a test may raise them. */
    public synchronized void raiseLocal(int lvtOffset) {
        fireLvt((lvtOffset - LVT_TIMER) >> 4);
    }

    // ------------------------------------------------------------------ interprocessor interrupts (11.6)

    /**
     * Sends the IPI the ICR describes. On this one-processor machine only this APIC can be a
     * destination: messages naming no one (others only, or an ID nobody has) are delivered to no
     * one, and the delivery status reads idle at once (11.6.1).
     */
    private void sendIpi(int low, int dest, boolean x2) {
        if (bus != null) {
            ipiWaiting = true;
            ipiLow = low;
            ipiDest = dest;
            ipiX2 = x2;
            if ((((low >>> DELIVERY_MODE_SHIFT) & 7) == FIXED || ((low >>> DELIVERY_MODE_SHIFT) & 7) == LOWEST_PRIORITY)
                    && (low & VECTOR) < 16) {
                error(ESR_SEND_ILLEGAL_VECTOR);
            }
            return;
        }
        int vector = low & VECTOR;
        int mode = (low >>> DELIVERY_MODE_SHIFT) & 7;
        boolean logical = (low & ICR_DEST_LOGICAL) != 0;
        int shorthand = (low >>> ICR_SHORTHAND_SHIFT) & 3;
        if ((mode == FIXED || mode == LOWEST_PRIORITY) && vector < 16) {
            error(ESR_SEND_ILLEGAL_VECTOR);
        }
        boolean self;
        switch (shorthand) {
            case SHORTHAND_SELF:
            case SHORTHAND_ALL:
                self = true;
                break;
            case SHORTHAND_OTHERS:
                self = false;
                break;
            default:
                self = matchesDestination(logical, x2 ? dest : dest & 0xFF);
                break;
        }
        if (!self) {
            return;
        }
        if (mode == INIT || mode == STARTUP || mode == SMI) {
            return; // an INIT/SIPI to the BSP itself: not modelled (no AP start-up, no INIT reset)
        }
        // IPIs arrive as edge-triggered messages: TMR stays clear whatever the trigger-mode bit says.
        accept(mode, vector, false);
    }

    // ------------------------------------------------------------------ timer (11.5.4)

    /** log2 of the divide value: DCR bits 0, 1, 3 = 000 divide by 2 ... 110 by 128, 111 by 1. */
    private int divideShift() {
        int d = (timerDivide & 3) | ((timerDivide >>> 1) & 4);
        return (d + 1) & 7;
    }

    private int currentCount(long now) {
        if (timerInitial == 0 || timerMode(lvt[TIMER]) == TIMER_TSC_DEADLINE) {
            return 0;
        }
        long ticks = (now - timerLoad) >>> divideShift();
        long initial = Integer.toUnsignedLong(timerInitial);
        if (timerMode(lvt[TIMER]) == TIMER_PERIODIC) {
            return (int) (initial - ticks % initial);
        }
        return ticks >= initial ? 0 : (int) (initial - ticks);
    }

    private long periodNanos() {
        return Integer.toUnsignedLong(timerInitial) << divideShift();
    }

    private void writeTimerInitial(int value) {
        if (timerMode(lvt[TIMER]) == TIMER_TSC_DEADLINE) {
            return; // ignored in TSC-deadline mode
        }
        timerInitial = value;
        timerLoad = clock.nanos();
        timerNext = value == 0 ? Long.MAX_VALUE : timerLoad + periodNanos();
        timerListener.run();
    }

    private void writeTimerDivide(int value) {
        long now = clock.nanos();
        int count = currentCount(now);
        boolean running = timerInitial != 0 && timerNext != Long.MAX_VALUE;
        timerDivide = value & 0xB;
        if (running) {
            // Count on from where the counter is, at the new rate.
            long done = Integer.toUnsignedLong(timerInitial) - Integer.toUnsignedLong(count);
            timerLoad = now - (done << divideShift());
            timerNext = now + (Integer.toUnsignedLong(count) << divideShift());
            timerListener.run();
        }
    }

    /** IA32_TSC_DEADLINE read: the armed deadline, 0 when disarmed or not in TSC-deadline mode. */
    public synchronized long readTscDeadline() {
        return timerMode(lvt[TIMER]) == TIMER_TSC_DEADLINE ? tscDeadline : 0;
    }

    /** IA32_TSC_DEADLINE write: arms (non-zero) or disarms (0); ignored outside TSC-deadline mode. */
    public synchronized void writeTscDeadline(long value) {
        if (timerMode(lvt[TIMER]) != TIMER_TSC_DEADLINE) {
            return;
        }
        tscDeadline = value;
        if (value != 0 && Long.compareUnsigned(tsc.read(), value) >= 0) {
            fireTscDeadline(); // a deadline already passed fires at once
        }
        timerListener.run();
    }

    private void fireTscDeadline() {
        tscDeadline = 0;
        fireLvt(TIMER);
    }

    /** Delivers timer interrupts that are due: one per call however many periods passed. */
    public synchronized void update() {
        long now = clock.nanos();
        if (timerNext <= now) {
            fireLvt(TIMER);
            if (timerMode(lvt[TIMER]) == TIMER_PERIODIC && timerInitial != 0) {
                long period = periodNanos();
                long periods = (now - timerLoad) / period;
                timerNext = timerLoad + (periods + 1) * period;
            } else {
                timerNext = Long.MAX_VALUE;
            }
        }
        if (tscDeadline != 0 && timerMode(lvt[TIMER]) == TIMER_TSC_DEADLINE
                && Long.compareUnsigned(tsc.read(), tscDeadline) >= 0) {
            fireTscDeadline();
        }
    }

    /** When the next timer interrupt is due, in clock nanos (possibly in the past); Long.MAX_VALUE if none. */
    public synchronized long nextEventNanos() {
        long next = timerNext;
        if (tscDeadline != 0 && timerMode(lvt[TIMER]) == TIMER_TSC_DEADLINE) {
            next = Math.min(next, tsc.nanosAt(tscDeadline));
        }
        return next;
    }

    // ------------------------------------------------------------------ x2APIC MSRs (11.12)

    /** True if {@code msr} is an MSR this APIC owns: IA32_APIC_BASE, IA32_TSC_DEADLINE, the x2APIC range. */
    public static boolean ownsMsr(int msr) {
        return msr == MSR_APIC_BASE || msr == MSR_TSC_DEADLINE || (msr >= MSR_X2APIC_FIRST && msr <= MSR_X2APIC_LAST);
    }

    /** RDMSR of an x2APIC register would succeed (x2APIC mode, a readable register). */
    public synchronized boolean x2apicReadable(int msr) {
        if (!x2apicMode()) {
            return false;
        }
        int reg = (msr - MSR_X2APIC_FIRST) << 4;
        if (reg == ICR_LOW) {
            return true;
        }
        return registerValue(reg, true) != null;
    }

    /** RDMSR of an x2APIC register (check {@link #x2apicReadable} first). */
    public synchronized long x2apicRead(int msr) {
        int reg = (msr - MSR_X2APIC_FIRST) << 4;
        if (reg == ICR_LOW) {
            return Integer.toUnsignedLong(icrLow) | (long) icrHigh << 32;
        }
        Integer v = registerValue(reg, true);
        return v == null ? 0 : Integer.toUnsignedLong(v);
    }

    /**
     * WRMSR of an x2APIC register; false means #GP(0): not in x2APIC mode, a read-only or
     * absent register, or reserved bits set (11.12.1.2, Table 11-6).
     */
    public boolean x2apicWrite(int msr, long value) {
        boolean ok;
        synchronized (this) {
            ok = x2apicWriteLocked(msr, value);
        }
        broadcastEoi();
        sendWaitingIpi();
        return ok;
    }

    private boolean x2apicWriteLocked(int msr, long value) {
        if (!x2apicMode()) {
            return false;
        }
        int reg = (msr - MSR_X2APIC_FIRST) << 4;
        if (reg == ICR_LOW) {
            int low = (int) value;
            if ((low & ~0x000CCFFF) != 0) {
                return false;
            }
            icrLow = low;
            icrHigh = (int) (value >>> 32);
            sendIpi(low, icrHigh, true);
            return true;
        }
        if ((value >>> 32) != 0) {
            return false;
        }
        int v = (int) value;
        switch (reg) {
            case TPR:
                if ((v & ~0xFF) != 0) {
                    return false;
                }
                break;
            case EOI:
            case ESR:
                if (v != 0) {
                    return false;
                }
                break;
            case SVR:
                if ((v & ~SVR_WRITABLE) != 0) {
                    return false;
                }
                break;
            case LVT_TIMER: case LVT_THERMAL: case LVT_PERF: case LVT_LINT0: case LVT_LINT1: case LVT_ERROR:
                if ((v & ~(lvtWritable((reg - LVT_TIMER) >> 4) | DELIVERY_STATUS | REMOTE_IRR)) != 0) {
                    return false;
                }
                break;
            case TIMER_INITIAL:
                break;
            case TIMER_DIVIDE:
                if ((v & ~0xB) != 0) {
                    return false;
                }
                break;
            case SELF_IPI:
                if ((v & ~0xFF) != 0) {
                    return false;
                }
                sendIpi((SHORTHAND_SELF << ICR_SHORTHAND_SHIFT) | v, 0, true);
                return true;
            default:
                return false; // ID, version, LDR, PPR, ISR/TMR/IRR, current count are read-only; others absent
        }
        return writeRegister(reg, v);
    }
}
