package dev.jvmx.devices.timer;

/**
 * A High Precision Event Timer block (IA-PC HPET Specification 1.0a) reduced to what this machine
 * wires: a 64-bit main counter at 100 MHz from the machine's {@link Clock}, and three timers
 * whose capabilities admit no interrupt route (no I/O APIC inputs in Tn_INT_ROUTE_CAP, no FSB
 * delivery, no legacy replacement), so they never interrupt: their registers hold what software
 * writes. An operating system finds a counter it can read (Linux uses it as a clocksource, and
 * as the watchdog that checks the TSC against it) and keeps the 8254 as its timer interrupt.
 * Registers are 64 bits; 32-bit accesses reach either half.
 */
public final class Hpet {
    public static final long BASE = 0xFED00000L;
    public static final int SIZE = 0x400;
    public static final int TIMERS = 3;
    /** 10 ns: 100 MHz, as QEMU's HPET counts. */
    public static final long PERIOD_FS = 10_000_000L;

    public static final int GCAP_ID = 0x000, GEN_CONF = 0x010, GINTR_STA = 0x020, MAIN_CNT = 0x0F0;
    public static final int TIMER0 = 0x100, TIMER_STRIDE = 0x20;
    public static final int ENABLE_CNF = 1;
    /** Tn_CONF_CAP bits software may write: INT_TYPE, INT_ENB, VAL_SET, 32MODE, INT_ROUTE. */
    static final long TN_WRITABLE = 0x2 | 0x4 | 0x40 | 0x100 | 0x3E00;
    static final long TN_SIZE_CAP = 0x20;

    private final Clock clock;
    private long genConf;
    /** Counter value when counting last (re)started, or the held value while halted. */
    private long counterBase;
    private long nanosAtBase;
    private final long[] timerConf = new long[TIMERS];
    private final long[] comparator = new long[TIMERS];
    private final long[] fsbRoute = new long[TIMERS];

    public Hpet(Clock clock) {
        this.clock = clock;
        for (int i = 0; i < TIMERS; i++) {
            timerConf[i] = TN_SIZE_CAP;
            comparator[i] = -1L;
        }
    }

    /** GCAP_ID: revision 1, the number of timers less one, 64-bit counter, vendor 8086, the period in fs. */
    public long capabilities() {
        return 1 | (TIMERS - 1) << 8 | 1 << 13 | 0x8086L << 16 | PERIOD_FS << 32;
    }

    private boolean counting() {
        return (genConf & ENABLE_CNF) != 0;
    }

    /** The main counter now: floor(elapsed nanoseconds / 10) since it was started. */
    public synchronized long counter() {
        return counting() ? counterBase + ticks(clock.nanos()) - ticks(nanosAtBase) : counterBase;
    }

    private static long ticks(long nanos) {
        return nanos / 10;
    }

    private long register(int reg) {
        if (reg == GCAP_ID) {
            return capabilities();
        }
        if (reg == GEN_CONF) {
            return genConf;
        }
        if (reg == MAIN_CNT) {
            return counter();
        }
        int t = (reg - TIMER0) / TIMER_STRIDE;
        if (reg >= TIMER0 && t < TIMERS) {
            switch ((reg - TIMER0) % TIMER_STRIDE) {
                case 0x00: return timerConf[t];           // INT_ROUTE_CAP (bits 63:32) is 0
                case 0x08: return comparator[t];
                case 0x10: return fsbRoute[t];
                default: return 0;
            }
        }
        return 0; // GINTR_STA: no timer can interrupt; reserved registers read 0
    }

    private void setRegister(int reg, long v) {
        if (reg == GEN_CONF) {
            long now = clock.nanos();
            long value = counter();
            genConf = v & ENABLE_CNF; // LEG_RT_CNF needs LEG_RT_CAP, which this block lacks
            counterBase = value;
            nanosAtBase = now;
            return;
        }
        if (reg == MAIN_CNT) {
            counterBase = v;
            nanosAtBase = clock.nanos();
            return;
        }
        int t = (reg - TIMER0) / TIMER_STRIDE;
        if (reg >= TIMER0 && t < TIMERS) {
            switch ((reg - TIMER0) % TIMER_STRIDE) {
                case 0x00 -> timerConf[t] = TN_SIZE_CAP | (v & TN_WRITABLE);
                case 0x08 -> comparator[t] = (timerConf[t] & 0x100) != 0 ? v & 0xFFFFFFFFL : v;
                case 0x10 -> fsbRoute[t] = v;
                default -> { }
            }
        }
    }

    /** A read of 4 or 8 bytes (or fewer) at {@code offset} in the block. */
    public synchronized long read(int offset, int size) {
        long v = register(offset & ~7) >>> (8 * (offset & 7));
        return size >= 8 ? v : v & ((1L << (8 * size)) - 1);
    }

    /** A write of 4 or 8 bytes (or fewer): the other bytes of the register keep their value. */
    public synchronized void write(int offset, int size, long value) {
        int reg = offset & ~7;
        int shift = 8 * (offset & 7);
        long mask = size >= 8 ? -1L : ((1L << (8 * size)) - 1) << shift;
        long old = register(reg);
        setRegister(reg, (old & ~mask) | ((value << shift) & mask));
    }
}
