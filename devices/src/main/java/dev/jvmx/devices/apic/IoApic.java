package dev.jvmx.devices.apic;

import dev.jvmx.devices.IrqLine;

/**
 * The I/O APIC (Intel 82093AA datasheet, 290566): 24 interrupt input pins, each with a 64-bit
 * redirection table entry, reached through the index register IOREGSEL (base + 0x00) and the
 * data window IOWIN (base + 0x10). Registers: 00h ID (bits 27:24), 01h version (11h, maximum
 * redirection entry 17h in bits 23:16), 02h arbitration ID, 10h-3Fh the redirection table.
 *
 * <p>An entry (low dword): vector 7:0, delivery mode 10:8, destination mode 11, delivery status
 * 12, polarity 13 (1 = active low), remote IRR 14, trigger mode 15 (1 = level), mask 16; the
 * destination in bits 63:56. An edge-triggered pin delivers on each assertion while unmasked (a
 * masked edge is lost); a level-triggered pin delivers while asserted, unmasked and with remote
 * IRR clear, sets remote IRR, and the local APIC's EOI for its vector clears it again
 * ({@link #endOfInterrupt}). Pins are driven with their electrical level; polarity decides what
 * counts as asserted. ISA pins idle low, PCI pins (16-23) are pulled up.
 */
public final class IoApic {
    public static final long DEFAULT_BASE = 0xFEC00000L;
    public static final int PINS = 24;
    public static final int IOREGSEL = 0x00, IOWIN = 0x10;
    public static final int REG_ID = 0x00, REG_VERSION = 0x01, REG_ARBITRATION = 0x02, REG_REDIRECTION = 0x10;
    public static final int VERSION_VALUE = ((PINS - 1) << 16) | 0x11;

    public static final long POLARITY_LOW = 1L << 13;
    public static final long REMOTE_IRR = 1L << 14;
    public static final long TRIGGER_LEVEL = 1L << 15;
    public static final long MASKED = 1L << 16;
    /** Bits software may write: everything but delivery status (12), remote IRR (14) and 55:17. */
    private static final long WRITABLE = 0xFF00_0000_0001_AFFFL;

    private final LocalApic target;
    private final long[] redirection = new long[PINS];
    private final boolean[] level = new boolean[PINS];
    private final IrqLine[] lines = new IrqLine[PINS];
    private int select;
    private int id;

    /** An I/O APIC whose messages go to the processor's local APIC (when they name it). */
    public IoApic(LocalApic target) {
        this.target = target;
        for (int n = 0; n < PINS; n++) {
            int pin = n;
            lines[n] = l -> setPin(pin, l);
        }
        reset();
    }

    /** The APIC bus of a machine with several processors: messages then go to every APIC they name. */
    private ApicBus bus;

    /** Sends this I/O APIC's messages over {@code bus} instead of to the one processor's APIC. */
    public synchronized void routeTo(ApicBus bus) {
        this.bus = bus;
    }

    /** RESET: every entry masked, ID 0; the pins keep their levels. */
    public synchronized void reset() {
        for (int n = 0; n < PINS; n++) {
            redirection[n] = MASKED;
            level[n] = n >= 16; // PCI interrupt lines are active low and pulled up
        }
        select = 0;
        id = 0;
    }

    /** Input pin {@code n} (0-23), driven with its electrical level. */
    public IrqLine pin(int n) {
        return lines[n];
    }

    // ------------------------------------------------------------------ register window

    /** A read of {@code size} bytes at {@code offset} in the 4 KiB window. */
    public synchronized int read(int offset, int size) {
        int reg = offset & 0xFF;
        int value;
        if (reg >= IOREGSEL && reg < IOREGSEL + 4) {
            value = select;
        } else if (reg >= IOWIN && reg < IOWIN + 4) {
            value = readRegister(select);
        } else {
            return 0;
        }
        int shift = (reg & 3) * 8;
        long mask = size >= 4 ? 0xFFFFFFFFL : (1L << (size * 8)) - 1;
        return (int) ((Integer.toUnsignedLong(value) >>> shift) & mask);
    }

    /** A write at {@code offset}: IOREGSEL takes its low byte, IOWIN a full dword. */
    public synchronized void write(int offset, int size, int value) {
        int reg = offset & 0xFF;
        if (reg == IOREGSEL) {
            select = value & 0xFF;
        } else if (reg == IOWIN && size == 4) {
            writeRegister(select, value);
        }
    }

    public synchronized int readRegister(int index) {
        switch (index) {
            case REG_ID: return id;
            case REG_VERSION: return VERSION_VALUE;
            case REG_ARBITRATION: return id;
            default:
                if (index >= REG_REDIRECTION && index < REG_REDIRECTION + 2 * PINS) {
                    long e = redirection[(index - REG_REDIRECTION) >> 1];
                    return (index & 1) == 0 ? (int) e : (int) (e >>> 32);
                }
                return 0;
        }
    }

    public synchronized void writeRegister(int index, int value) {
        if (index == REG_ID) {
            id = value & 0x0F000000;
            return;
        }
        if (index < REG_REDIRECTION || index >= REG_REDIRECTION + 2 * PINS) {
            return;
        }
        int n = (index - REG_REDIRECTION) >> 1;
        long e = redirection[n];
        long v = (index & 1) == 0 ? (e & 0xFFFFFFFF_00000000L) | Integer.toUnsignedLong(value)
                : (e & 0xFFFFFFFFL) | (long) value << 32;
        e = (e & ~WRITABLE) | (v & WRITABLE);
        if ((e & TRIGGER_LEVEL) == 0) {
            e &= ~REMOTE_IRR; // remote IRR has no meaning for an edge-triggered entry
        }
        redirection[n] = e;
        service(n);
    }

    /** The whole 64-bit entry of pin {@code n} (for tests and tools). */
    public synchronized long entry(int n) {
        return redirection[n];
    }

    /**
     * Whether pin {@code n} delivers interrupts by itself: unmasked, with fixed or lowest-priority
     * delivery (an ExtINT entry only tells the processor to ask the 8259).
     */
    public synchronized boolean delivers(int n) {
        long e = redirection[n];
        int mode = (int) (e >>> 8) & 7;
        return (e & MASKED) == 0 && (mode == LocalApic.FIXED || mode == LocalApic.LOWEST_PRIORITY);
    }

    /** Whether pin {@code n}'s last interrupt still waits in the local APIC's IRR. */
    public synchronized boolean requested(int n) {
        return target.requested((int) redirection[n] & 0xFF);
    }

    // ------------------------------------------------------------------ delivery

    private boolean asserted(int n) {
        return level[n] != ((redirection[n] & POLARITY_LOW) != 0);
    }

    private synchronized void setPin(int n, boolean electrical) {
        boolean before = asserted(n);
        level[n] = electrical;
        boolean now = asserted(n);
        long e = redirection[n];
        if ((e & TRIGGER_LEVEL) != 0) {
            if (now) {
                service(n);
            }
        } else if (now && !before && (e & MASKED) == 0) {
            send(n, e);
        }
    }

    /** Delivers a level-triggered pin that is asserted, unmasked and not waiting for its EOI. */
    private void service(int n) {
        long e = redirection[n];
        if ((e & TRIGGER_LEVEL) == 0 || (e & MASKED) != 0 || (e & REMOTE_IRR) != 0 || !asserted(n)) {
            return;
        }
        if (send(n, e)) {
            redirection[n] |= REMOTE_IRR;
        }
    }

    /** Sends pin {@code n}'s message; true if an APIC accepted it. */
    private boolean send(int n, long e) {
        boolean logical = (e & (1L << 11)) != 0;
        int dest = (int) (e >>> 56) & 0xFF;
        if (bus != null) {
            int mode = (int) (e >>> 8) & 7;
            return bus.deliverMessage(logical, dest, mode, (int) e & 0xFF, (e & TRIGGER_LEVEL) != 0
                    && (mode == LocalApic.FIXED || mode == LocalApic.LOWEST_PRIORITY));
        }
        if (!target.matchesDestination(logical, logical ? dest : dest & 0xFF)) {
            return false;
        }
        int mode = (int) (e >>> 8) & 7;
        target.accept(mode, (int) e & 0xFF, (e & TRIGGER_LEVEL) != 0 && (mode == LocalApic.FIXED
                || mode == LocalApic.LOWEST_PRIORITY));
        return true;
    }

    /**
     * The local APIC's EOI for a level-triggered {@code vector}: remote IRR clears on every entry
     * with that vector, and a pin still asserted is delivered again.
     */
    public synchronized void endOfInterrupt(int vector) {
        for (int n = 0; n < PINS; n++) {
            long e = redirection[n];
            if ((e & 0xFF) == vector && (e & REMOTE_IRR) != 0) {
                redirection[n] = e & ~REMOTE_IRR;
                service(n);
            }
        }
    }
}
