package dev.jvmx.devices.rtc;

import dev.jvmx.devices.IoDevice;
import dev.jvmx.devices.IrqLine;
import dev.jvmx.devices.timer.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The Motorola MC146818A real-time clock and its CMOS RAM behind the AT's ports 0x70 (index;
 * bit 7 masks NMI) and 0x71 (data). Time is the start date plus the {@link Clock}'s elapsed
 * time; nothing ticks: the update cycle (once a second), UIP (the 244 us before it), the
 * periodic, alarm and update-ended flags are all derived from the clock when the registers are
 * read or {@link #update()} runs. IRQ8 follows IRQF. Daylight saving (DSE) is not applied.
 */
public final class CmosRtc implements IoDevice {
    public static final int INDEX_PORT = 0x70;
    public static final int DATA_PORT = 0x71;
    public static final LocalDateTime DEFAULT_START = LocalDateTime.of(2026, 1, 1, 0, 0, 0);

    public static final int REG_SECONDS = 0x00;
    public static final int REG_SECONDS_ALARM = 0x01;
    public static final int REG_MINUTES = 0x02;
    public static final int REG_MINUTES_ALARM = 0x03;
    public static final int REG_HOURS = 0x04;
    public static final int REG_HOURS_ALARM = 0x05;
    public static final int REG_DAY_OF_WEEK = 0x06;
    public static final int REG_DAY_OF_MONTH = 0x07;
    public static final int REG_MONTH = 0x08;
    public static final int REG_YEAR = 0x09;
    public static final int REG_A = 0x0A;
    public static final int REG_B = 0x0B;
    public static final int REG_C = 0x0C;
    public static final int REG_D = 0x0D;
    public static final int REG_EQUIPMENT = 0x14;
    public static final int REG_CENTURY = 0x32;

    public static final int A_UIP = 0x80;
    public static final int B_SET = 0x80;
    public static final int B_PIE = 0x40;
    public static final int B_AIE = 0x20;
    public static final int B_UIE = 0x10;
    public static final int B_SQWE = 0x08;
    public static final int B_DM = 0x04;
    public static final int B_24H = 0x02;
    public static final int B_DSE = 0x01;
    public static final int C_IRQF = 0x80;
    public static final int C_PF = 0x40;
    public static final int C_AF = 0x20;
    public static final int C_UF = 0x10;
    public static final int D_VRT = 0x80;

    static final long NANOS_PER_SECOND = 1_000_000_000L;
    static final long UIP_NANOS = 244_000L;
    private static final long OSCILLATOR_HZ = 32_768L;

    private final Clock clock;
    private final IrqLine irq8;
    private final byte[] ram = new byte[128];
    private int index;
    private boolean nmiDisabled;

    private int regA = 0x26; // 32.768 kHz time base, 1024 Hz periodic rate: what BIOSes leave
    private int regB = B_24H;
    private int flags;       // PF, AF, UF
    private boolean irqLevel;

    private long baseEpochSecond;  // the time registers at baseNanos, as UTC seconds
    private long baseNanos;
    private long dividerBaseNanos; // phase of the periodic interrupt
    private RtcDateTime frozen;    // the time while SET or the divider reset holds it
    private int dayOfWeekOffset;
    private long lastUpdateNanos;

    public CmosRtc(Clock clock, IrqLine irq8) {
        this(clock, irq8, DEFAULT_START);
    }

    /** {@code start} is the time the clock shows at the clock's current instant. */
    public CmosRtc(Clock clock, IrqLine irq8, LocalDateTime start) {
        this.clock = clock;
        this.irq8 = irq8;
        long now = clock.nanos();
        baseNanos = now;
        dividerBaseNanos = now;
        lastUpdateNanos = now;
        baseEpochSecond = start.toEpochSecond(ZoneOffset.UTC);
        ram[REG_CENTURY] = (byte) toBcd(start.getYear() / 100 % 100);
        updateChecksum();
    }

    public synchronized boolean nmiDisabled() {
        return nmiDisabled;
    }

    // ---- the bus side ----

    @Override
    public synchronized int ioRead(int port, int size) {
        if (port == DATA_PORT) {
            return readRegister(index);
        }
        return 0xFF; // the index register is write-only
    }

    @Override
    public synchronized void ioWrite(int port, int size, int value) {
        if (port == INDEX_PORT) {
            index = value & 0x7F;
            nmiDisabled = (value & 0x80) != 0;
        } else if (port == DATA_PORT) {
            writeRegister(index, value & 0xFF);
        }
    }

    /** A CMOS byte as software reads it through port 0x71. */
    public synchronized int readRegister(int reg) {
        reg &= 0x7F;
        update();
        if (reg <= REG_YEAR) {
            return readTime(reg);
        }
        switch (reg) {
            case REG_A:
                return regA | (updateInProgress() ? A_UIP : 0);
            case REG_B:
                return regB;
            case REG_C: {
                int v = flags | (irqf() ? C_IRQF : 0);
                flags = 0; // reading C clears every flag and releases IRQ8
                updateIrq();
                return v;
            }
            case REG_D:
                return D_VRT; // the battery is always good
            default:
                return ram[reg] & 0xFF;
        }
    }

    /** A CMOS byte as software writes it through port 0x71. */
    public synchronized void writeRegister(int reg, int v) {
        reg &= 0x7F;
        v &= 0xFF;
        update();
        if (reg <= REG_YEAR) {
            writeTime(reg, v);
            return;
        }
        switch (reg) {
            case REG_A -> writeA(v);
            case REG_B -> writeB(v);
            case REG_C, REG_D -> { } // read-only
            default -> ram[reg] = (byte) v;
        }
        updateIrq();
    }

    // ---- time keeping ----

    private boolean dividerReset() {
        return (regA & 0x60) == 0x60; // DV2-0 = 11x holds the divider chain in reset
    }

    private boolean running() {
        return frozen == null;
    }

    private RtcDateTime now() {
        if (frozen != null) {
            return frozen;
        }
        long secs = Math.floorDiv(clock.nanos() - baseNanos, NANOS_PER_SECOND);
        return RtcDateTime.of(LocalDateTime.ofEpochSecond(baseEpochSecond + secs, 0, ZoneOffset.UTC));
    }

    private void freeze() {
        if (frozen == null) {
            frozen = now();
        }
    }

    /** Starts counting from {@code frozen}; the first update comes {@code firstUpdateNanos} later. */
    private void unfreeze(long firstUpdateNanos) {
        RtcDateTime f = frozen;
        frozen = null;
        rebase(f, clock.nanos() - (NANOS_PER_SECOND - firstUpdateNanos));
    }

    private void rebase(RtcDateTime t, long newBaseNanos) {
        baseEpochSecond = t.toLocalDateTime().toEpochSecond(ZoneOffset.UTC);
        baseNanos = newBaseNanos;
    }

    private boolean updateInProgress() {
        if (!running()) {
            return false;
        }
        long phase = Math.floorMod(clock.nanos() - baseNanos, NANOS_PER_SECOND);
        return phase >= NANOS_PER_SECOND - UIP_NANOS;
    }

    private int readTime(int reg) {
        RtcDateTime t = now();
        switch (reg) {
            case REG_SECONDS:
                return encode(t.second);
            case REG_MINUTES:
                return encode(t.minute);
            case REG_HOURS:
                return encodeHour(t.hour);
            case REG_DAY_OF_WEEK:
                return encode(dayOfWeek(t));
            case REG_DAY_OF_MONTH:
                return encode(t.day);
            case REG_MONTH:
                return encode(t.month);
            case REG_YEAR:
                return encode(Math.floorMod(t.year, 100));
            default: // the alarm bytes are plain storage
                return ram[reg] & 0xFF;
        }
    }

    private int dayOfWeek(RtcDateTime t) {
        int iso = t.toLocalDateTime().getDayOfWeek().getValue(); // Monday 1 .. Sunday 7
        return Math.floorMod(iso % 7 + dayOfWeekOffset, 7) + 1;   // Sunday 1 .. Saturday 7
    }

    private void writeTime(int reg, int v) {
        if (reg == REG_SECONDS_ALARM || reg == REG_MINUTES_ALARM || reg == REG_HOURS_ALARM) {
            ram[reg] = (byte) v;
            return;
        }
        long now = clock.nanos();
        RtcDateTime t = now();
        switch (reg) {
            case REG_SECONDS -> t.second = decode(v & 0x7F);
            case REG_MINUTES -> t.minute = decode(v);
            case REG_HOURS -> t.hour = decodeHour(v);
            case REG_DAY_OF_WEEK -> {
                int current = dayOfWeek(t) - 1;
                dayOfWeekOffset = Math.floorMod(dayOfWeekOffset + decode(v) - 1 - current, 7);
            }
            case REG_DAY_OF_MONTH -> t.day = decode(v);
            case REG_MONTH -> t.month = decode(v);
            default -> t.year = t.year - Math.floorMod(t.year, 100) + decode(v) % 100;
        }
        if (running()) {
            // The divider keeps its phase: only the register contents change.
            long phase = Math.floorMod(now - baseNanos, NANOS_PER_SECOND);
            rebase(t, now - phase);
        }
    }

    private void writeA(int v) {
        boolean wasReset = dividerReset();
        regA = v & 0x7F; // UIP is read-only
        if (dividerReset() && !wasReset) {
            freeze();
        } else if (!dividerReset() && wasReset) {
            dividerBaseNanos = clock.nanos();
            if ((regB & B_SET) == 0) {
                unfreeze(NANOS_PER_SECOND / 2); // first update half a second after the reset ends
            }
        }
    }

    private void writeB(int v) {
        boolean wasSet = (regB & B_SET) != 0;
        if ((v & B_SET) != 0) {
            v &= ~B_UIE; // setting SET clears UIE
        }
        regB = v;
        boolean set = (v & B_SET) != 0;
        if (set && !wasSet) {
            freeze();
        } else if (!set && wasSet && !dividerReset()) {
            unfreeze(NANOS_PER_SECOND);
        }
    }

    // ---- interrupts ----

    /** Periodic interrupt divider in oscillator cycles for rate select RS, 0 when off. */
    private int periodicDivider() {
        int rs = regA & 0x0F;
        if (rs == 0) {
            return 0;
        }
        if (rs <= 2) {
            return 1 << (rs + 6); // RS 1, 2 give 256 and 128 Hz, like RS 8 and 9
        }
        return 1 << (rs - 1);     // 32768 Hz / 2^(RS-1): RS 3 = 8192 Hz ... RS 15 = 2 Hz
    }

    private static long cyclesAt(long nanos) {
        long q = Math.floorDiv(nanos, NANOS_PER_SECOND);
        long r = Math.floorMod(nanos, NANOS_PER_SECOND);
        return q * OSCILLATOR_HZ + r * OSCILLATOR_HZ / NANOS_PER_SECOND;
    }

    private static long nanosOfCycle(long cycle) {
        long q = Math.floorDiv(cycle, OSCILLATOR_HZ);
        long r = Math.floorMod(cycle, OSCILLATOR_HZ);
        return q * NANOS_PER_SECOND + (r * NANOS_PER_SECOND + OSCILLATOR_HZ - 1) / OSCILLATOR_HZ;
    }

    /** Sets the flags whose events fell due since the last update; raises IRQ8 on IRQF. */
    public synchronized void update() {
        long now = clock.nanos();
        long last = lastUpdateNanos;
        if (now <= last) {
            return;
        }
        lastUpdateNanos = now;
        if (!dividerReset()) {
            int div = periodicDivider();
            if (div != 0 && Math.floorDiv(cyclesAt(now - dividerBaseNanos), div)
                    > Math.floorDiv(cyclesAt(last - dividerBaseNanos), div)) {
                flags |= C_PF;
            }
        }
        if (running()) {
            long first = Math.floorDiv(last - baseNanos, NANOS_PER_SECOND) + 1;
            long lastK = Math.floorDiv(now - baseNanos, NANOS_PER_SECOND);
            if (lastK >= first) {
                flags |= C_UF;
                // Every alarm pattern repeats within a day: older boundaries cannot add anything.
                for (long k = Math.max(first, lastK - 86_400); k <= lastK; k++) {
                    if (alarmMatches(baseEpochSecond + k)) {
                        flags |= C_AF;
                        break;
                    }
                }
            }
        }
        updateIrq();
    }

    /** Whether the alarm can fire: the clock runs and register B has AIE. */
    public synchronized boolean alarmEnabled() {
        return running() && (regB & B_AIE) != 0;
    }

    /** Whether the alarm asserts IRQ8 now (AF with AIE): what wakes a sleeping machine with RTC_EN set. */
    public synchronized boolean alarmInterrupt() {
        return (flags & C_AF) != 0 && (regB & B_AIE) != 0;
    }

    private boolean alarmMatches(long epochSecond) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        return alarmByte(REG_SECONDS_ALARM, encode(t.getSecond()))
                && alarmByte(REG_MINUTES_ALARM, encode(t.getMinute()))
                && alarmByte(REG_HOURS_ALARM, encodeHour(t.getHour()));
    }

    private boolean alarmByte(int reg, int timeByte) {
        int a = ram[reg] & 0xFF;
        return (a & 0xC0) == 0xC0 || a == timeByte; // 11xxxxxx is "don't care"
    }

    /** When the next enabled interrupt source fires, in clock nanos; Long.MAX_VALUE if none. */
    public synchronized long nextEventNanos() {
        long next = Long.MAX_VALUE;
        long last = lastUpdateNanos;
        if (!dividerReset() && (regB & B_PIE) != 0 && periodicDivider() != 0) {
            int div = periodicDivider();
            long cycle = (Math.floorDiv(cyclesAt(last - dividerBaseNanos), div) + 1) * div;
            next = Math.min(next, dividerBaseNanos + nanosOfCycle(cycle));
        }
        if (running() && (regB & (B_UIE | B_AIE)) != 0) {
            long k = Math.floorDiv(last - baseNanos, NANOS_PER_SECOND) + 1;
            next = Math.min(next, baseNanos + k * NANOS_PER_SECOND);
        }
        return next;
    }

    private boolean irqf() {
        int enabled = regB & (B_PIE | B_AIE | B_UIE);
        return (flags & enabled) != 0; // PF/AF/UF sit at the same bits as PIE/AIE/UIE
    }

    private void updateIrq() {
        boolean level = irqf();
        if (level != irqLevel) {
            irqLevel = level;
            irq8.set(level);
        }
    }

    // ---- number formats ----

    private boolean binary() {
        return (regB & B_DM) != 0;
    }

    private int encode(int v) {
        return binary() ? v : toBcd(v);
    }

    private int decode(int v) {
        return binary() ? v : (v >> 4) * 10 + (v & 0x0F);
    }

    private int encodeHour(int h) {
        if ((regB & B_24H) != 0) {
            return encode(h);
        }
        int h12 = h % 12 == 0 ? 12 : h % 12;
        return encode(h12) | (h >= 12 ? 0x80 : 0); // bit 7 is PM
    }

    private int decodeHour(int v) {
        if ((regB & B_24H) != 0) {
            return decode(v);
        }
        int h12 = decode(v & 0x7F);
        return h12 % 12 + ((v & 0x80) != 0 ? 12 : 0);
    }

    static int toBcd(int v) {
        return (v / 10 % 10) << 4 | (v % 10);
    }

    // ---- what the BIOS reads from CMOS ----

    /** Fills the memory size bytes for {@code ramBytes} of RAM from address 0, all below 4 GiB
     *  when it fits; what exceeds 4 GiB is reported above 4 GiB. */
    public void setMemorySizes(long ramBytes) {
        long below = Math.min(ramBytes, 1L << 32);
        setMemorySizes(below, ramBytes - below);
    }

    /**
     * Fills the memory sizes PC BIOSes read: 0x15-0x16 base memory (640 KiB), 0x17-0x18 and
     * 0x30-0x31 extended memory in KiB above 1 MiB (capped at 0xFFFF), 0x34-0x35 memory above
     * 16 MiB in 64 KiB units (capped), 0x5B-0x5D memory above 4 GiB in 64 KiB units; then the
     * checksum over 0x10-0x2D.
     */
    public synchronized void setMemorySizes(long ramBelow4g, long ramAbove4g) {
        putWord(0x15, 640);
        long ext = Math.min(Math.max(0, ramBelow4g - (1L << 20)) / 1024, 0xFFFF);
        putWord(0x17, (int) ext);
        putWord(0x30, (int) ext);
        long above16m = Math.min(Math.max(0, ramBelow4g - (16L << 20)) / 65536, 0xFFFF);
        putWord(0x34, (int) above16m);
        long high = Math.min(Math.max(0, ramAbove4g) / 65536, 0xFFFFFF);
        ram[0x5B] = (byte) high;
        ram[0x5C] = (byte) (high >> 8);
        ram[0x5D] = (byte) (high >> 16);
        updateChecksum();
    }

    /**
     * The equipment byte 0x14: bits 7-6 floppy drives minus one, bits 5-4 primary display
     * (00 = EGA/VGA), bit 1 math coprocessor, bit 0 floppy drives present.
     */
    public synchronized void setEquipment(boolean mathCoprocessor, int floppyDrives) {
        int v = mathCoprocessor ? 0x02 : 0;
        if (floppyDrives > 0) {
            v |= 0x01 | (Math.min(floppyDrives, 4) - 1) << 6;
        }
        ram[REG_EQUIPMENT] = (byte) v;
        updateChecksum();
    }

    /**
     * The boot order QEMU gives SeaBIOS in CMOS: up to three devices, 1 floppy, 2 hard disk,
     * 3 CD-ROM, 4 network; the first in 0x3D bits 3-0, the second in 0x3D bits 7-4, the third
     * in 0x38 bits 7-4. 0x38 bit 0 set skips the floppy boot-signature check. Outside the
     * checksummed range 0x10-0x2D.
     */
    public synchronized void setBootOrder(int first, int second, int third, boolean skipFloppySignatureCheck) {
        ram[0x3D] = (byte) ((first & 0x0F) | (second & 0x0F) << 4);
        ram[0x38] = (byte) ((third & 0x0F) << 4 | (skipFloppySignatureCheck ? 1 : 0));
    }

    public synchronized void setCentury(int century) {
        ram[REG_CENTURY] = (byte) toBcd(century);
    }

    private void putWord(int reg, int v) {
        ram[reg] = (byte) v;
        ram[reg + 1] = (byte) (v >> 8);
    }

    /** The AT checksum: the sum of 0x10-0x2D, high byte at 0x2E, low byte at 0x2F. */
    private void updateChecksum() {
        int sum = 0;
        for (int i = 0x10; i <= 0x2D; i++) {
            sum += ram[i] & 0xFF;
        }
        ram[0x2E] = (byte) (sum >> 8);
        ram[0x2F] = (byte) sum;
    }
}
