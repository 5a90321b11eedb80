package dev.jvmx.devices.acpi;

import dev.jvmx.devices.IoDevice;
import dev.jvmx.devices.IrqLine;
import dev.jvmx.devices.MachineControl;
import dev.jvmx.devices.timer.Clock;

/**
 * The ACPI fixed-hardware registers of the PIIX4 power-management function (82371AB
 * datasheet, "Power Management I/O Space"; ACPI 6.5 section 4.8), at the I/O base PMBA:
 * <pre>
 *   +0  PM1_STS (PMSTS)  16 bits, write 1 to clear: TMR_STS 0, BM_STS 4, GBL_STS 5, PWRBTN_STS 8, RTC_STS 10, WAK_STS 15
 *   +2  PM1_EN  (PMEN)   16 bits: TMR_EN 0, GBL_EN 5, PWRBTN_EN 8, RTC_EN 10
 *   +4  PM1_CNT (PMCNTRL) 16 bits: SCI_EN 0, BM_RLD 1, GBL_RLS 2 (write-only), SLP_TYP 12:10, SLP_EN 13 (write-only)
 *   +8  PM_TMR  (PMTMR)  24-bit counter at 3.579545 MHz, read-only
 * </pre>
 * The machine runs in ACPI mode from reset (its FADT has no SMI command port), so SCI_EN reads
 * 1. Writing SLP_EN with SLP_TYP 0 ("soft off" in the PIIX4's SUS_TYP encoding, the DSDT's
 * {@code \_S5}) powers the machine off; SLP_TYP 1 (suspend to RAM, {@code \_S3}) puts it to
 * sleep until a wake event, after which {@link #wake} sets WAK_STS. SCI is a level on its IRQ line while any status bit is
 * set together with its enable bit; TMR_STS sets when the timer's bit 23 changes. Other bytes
 * of the 64-byte block read 0 and ignore writes.
 */
public final class PmRegisters implements IoDevice {
    public static final int BLOCK_SIZE = 64;
    public static final int PM1_STS = 0, PM1_EN = 2, PM1_CNT = 4, PM_TMR = 8;
    public static final long TIMER_HZ = 3_579_545L;

    public static final int TMR_STS = 1, BM_STS = 1 << 4, GBL_STS = 1 << 5, PWRBTN_STS = 1 << 8, RTC_STS = 1 << 10,
            WAK_STS = 1 << 15;
    public static final int TMR_EN = 1, GBL_EN = 1 << 5, PWRBTN_EN = 1 << 8, RTC_EN = 1 << 10;
    public static final int SCI_EN = 1, BM_RLD = 2, GBL_RLS = 4, SLP_TYP_SHIFT = 10, SLP_TYP_MASK = 7 << 10,
            SLP_EN = 1 << 13;
    /** PIIX4 SUS_TYP 000: soft off. */
    public static final int SLP_TYP_SOFT_OFF = 0;
    /** PIIX4 SUS_TYP 001: suspend to RAM (ACPI S3). */
    public static final int SLP_TYP_SUSPEND_TO_RAM = 1;

    private static final int STS_BITS = TMR_STS | BM_STS | GBL_STS | PWRBTN_STS | RTC_STS | WAK_STS;
    private static final int EN_BITS = TMR_EN | GBL_EN | PWRBTN_EN | RTC_EN;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Clock clock;
    private final IrqLine sci;
    private final MachineControl machine;
    private int base = -1;
    private int status;
    private int enable;
    private int control = SCI_EN;
    /** Bit 23 of the timer when TMR_STS was last cleared (or at power-on). */
    private long timerHalfAtClear;
    private boolean sciLevel;

    public PmRegisters(Clock clock, IrqLine sci, MachineControl machine) {
        this.clock = clock;
        this.sci = sci;
        this.machine = machine;
        this.timerHalfAtClear = ticks() >>> 23;
    }

    /** The PM timer's count since the clock's origin: floor(nanos * 3579545 / 1e9). */
    public static long ticksAt(long nanos) {
        long q = nanos / NANOS_PER_SECOND;
        long r = nanos % NANOS_PER_SECOND;
        return q * TIMER_HZ + r * TIMER_HZ / NANOS_PER_SECOND;
    }

    private long ticks() {
        return ticksAt(clock.nanos());
    }

    /** Where the block decodes now (PMBA with PMIOSE set), or -1; kept by the machine. */
    public void setBase(int base) {
        this.base = base;
    }

    public int base() {
        return base;
    }

    /** The 24-bit PM_TMR value. */
    public synchronized int timer() {
        return (int) (ticks() & 0xFFFFFF);
    }

    /** The status register as software reads it (TMR_STS from the timer's bit 23). */
    public synchronized int status() {
        if ((ticks() >>> 23) != timerHalfAtClear) {
            status |= TMR_STS;
        }
        return status;
    }

    /** Re-evaluates SCI; the machine calls it with its other timers. */
    public synchronized void update() {
        boolean level = (status() & enable & EN_BITS) != 0;
        if (level != sciLevel) {
            sciLevel = level;
            sci.set(level);
        }
    }

    /** When TMR_STS next sets (if TMR_EN is on and it is clear), in clock nanos; else Long.MAX_VALUE. */
    public synchronized long nextEventNanos() {
        if ((enable & TMR_EN) == 0 || (status() & TMR_STS) != 0) {
            return Long.MAX_VALUE;
        }
        long tick = (timerHalfAtClear + 1) << 23;
        long q = tick / TIMER_HZ;
        long r = tick % TIMER_HZ;
        return q * NANOS_PER_SECOND + (r * NANOS_PER_SECOND + TIMER_HZ - 1) / TIMER_HZ;
    }

    @Override
    public synchronized int ioRead(int port, int size) {
        int off = port - base;
        int tmr = timer();
        int sts = status();
        int v = 0;
        for (int i = 0; i < size; i++) {
            v |= readByte(off + i, sts, tmr) << (8 * i);
        }
        return v;
    }

    private int readByte(int off, int sts, int tmr) {
        switch (off) {
            case PM1_STS: return sts & 0xFF;
            case PM1_STS + 1: return sts >>> 8;
            case PM1_EN: return enable & 0xFF;
            case PM1_EN + 1: return enable >>> 8;
            case PM1_CNT: return control & 0xFF;
            case PM1_CNT + 1: return (control >>> 8) & ~(SLP_EN >>> 8);
            case PM_TMR: return tmr & 0xFF;
            case PM_TMR + 1: return (tmr >>> 8) & 0xFF;
            case PM_TMR + 2: return tmr >>> 16;
            default: return 0;
        }
    }

    @Override
    public synchronized void ioWrite(int port, int size, int value) {
        int off = port - base;
        for (int i = 0; i < size; i++) {
            writeByte(off + i, (value >>> (8 * i)) & 0xFF);
        }
        update();
    }

    private void writeByte(int off, int b) {
        switch (off) {
            case PM1_STS, PM1_STS + 1 -> {
                int bits = (b << (8 * (off - PM1_STS))) & STS_BITS;
                if ((bits & TMR_STS) != 0) {
                    timerHalfAtClear = ticks() >>> 23;
                }
                status &= ~bits;
            }
            case PM1_EN, PM1_EN + 1 -> {
                int shift = 8 * (off - PM1_EN);
                enable = (enable & ~(0xFF << shift)) | ((b << shift) & EN_BITS & (0xFF << shift));
            }
            case PM1_CNT -> control = (control & ~0xFF) | (b & BM_RLD) | SCI_EN; // GBL_RLS has no one to signal
            case PM1_CNT + 1 -> {
                int hi = b << 8;
                control = (control & 0xFF) | (hi & SLP_TYP_MASK);
                if ((hi & SLP_EN) != 0) {
                    sleep((hi & SLP_TYP_MASK) >> SLP_TYP_SHIFT);
                }
            }
            default -> { }
        }
    }

    private void sleep(int type) {
        if (type == SLP_TYP_SOFT_OFF) {
            machine.requestPowerOff("ACPI S5: SLP_EN with SLP_TYP 0 written to PM1a_CNT");
        } else if (type == SLP_TYP_SUSPEND_TO_RAM) {
            machine.requestSuspend("ACPI S3: SLP_EN with SLP_TYP 1 written to PM1a_CNT");
        }
        // Other sleep types are not in the DSDT; jvmx keeps running.
    }

    /** Whether the RTC alarm may wake the machine from a sleeping state (PM1_EN.RTC_EN). */
    public synchronized boolean rtcWakeEnabled() {
        return (enable & RTC_EN) != 0;
    }

    /**
     * The machine woke from a sleeping state: WAK_STS sets, with the status bits of what woke it
     * ({@code causes}, e.g. RTC_STS), as ACPI 6.5 4.8.3.1 has it.
     */
    public synchronized void wake(int causes) {
        status |= WAK_STS | (causes & STS_BITS);
        update();
    }
}
