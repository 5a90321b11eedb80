package dev.jvmx.devices.timer;

/**
 * One counter of the Intel 8254 (datasheet 231164), evaluated from the CLK tick number instead
 * of being clocked: the counting element (CE) is {@code initial} at {@code loadTick} and every
 * value and OUT level after that follows from the mode. Ticks are absolute CLK pulse numbers.
 */
final class PitCounter {
    static final int RW_LATCH = 0;
    static final int RW_LSB = 1;
    static final int RW_MSB = 2;
    static final int RW_LSB_MSB = 3;

    private int controlBits;   // RW1 RW0 M2 M1 M0 BCD, as the status byte reports them
    private int mode;          // 0-5 (modes 6 and 7 are 2 and 3)
    private int rw = RW_LSB_MSB;
    private boolean bcd;
    private boolean gate;

    private int cr;            // count register as written (BCD digits when bcd)
    private boolean writeMsbNext;
    private boolean readMsbNext;
    private boolean programmed;  // a count is waiting or counting (OUT leaves its initial state)
    private boolean armed;       // CE is loaded (or loads at loadTick)
    private long loadTick;
    private int initial;         // binary count loaded, 1..modulus
    private boolean paused;      // gate low in modes 0 and 4
    private long pausedElapsed;
    private int countN;          // the last count written, binary, 1..modulus
    private long pendingTick = -1; // modes 2/3: a new count loads at the end of the period
    private int pendingInitial;
    private long nullCountUntil = Long.MAX_VALUE;
    private boolean nullCount = true;

    private boolean countLatched;
    private int latchedCount;
    private boolean latchedMsbNext;
    private boolean statusLatched;
    private int latchedStatus;

    PitCounter(boolean gate) {
        this.gate = gate;
        // Power-on mode and OUT are undefined; starting as an unprogrammed mode 3 (OUT high)
        // keeps the firmware's first control word from making an edge on IRQ0.
        this.mode = 3;
        this.controlBits = RW_LSB_MSB << 4 | 3 << 1;
    }

    private int modulus() {
        return bcd ? 10000 : 0x10000;
    }

    private int toBinary(int v) {
        if (!bcd) {
            return v;
        }
        return ((v >> 12) & 0xF) * 1000 + ((v >> 8) & 0xF) * 100 + ((v >> 4) & 0xF) * 10 + (v & 0xF);
    }

    private int fromBinary(int v) {
        if (!bcd) {
            return v & 0xFFFF;
        }
        return (v / 1000 % 10) << 12 | (v / 100 % 10) << 8 | (v / 10 % 10) << 4 | (v % 10);
    }

    /** Applies a deferred reload that is due by tick t. */
    private void settle(long t) {
        if (pendingTick >= 0 && t >= pendingTick) {
            loadTick = pendingTick;
            initial = pendingInitial;
            pendingTick = -1;
        }
        if (nullCount && t >= nullCountUntil) {
            nullCount = false;
        }
    }

    private long elapsed(long t) {
        return paused ? pausedElapsed : t - loadTick;
    }

    void writeControl(int cw, long now) {
        settle(now);
        int newRw = (cw >> 4) & 3;
        controlBits = cw & 0x3F;
        rw = newRw;
        int m = (cw >> 1) & 7;
        mode = m > 5 ? m - 4 : m;
        bcd = (cw & 1) != 0;
        // A control word resets the counter's logic: OUT goes to the mode's initial state.
        programmed = false;
        armed = false;
        paused = false;
        pendingTick = -1;
        writeMsbNext = false;
        readMsbNext = false;
        countLatched = false;
        statusLatched = false;
        nullCount = true;
        nullCountUntil = Long.MAX_VALUE;
    }

    void latchCount(long now) {
        if (countLatched) {
            return; // a second latch before the first is read is ignored
        }
        countLatched = true;
        latchedCount = readCe(now);
        latchedMsbNext = false;
    }

    void latchStatus(long now) {
        if (statusLatched) {
            return;
        }
        settle(now);
        statusLatched = true;
        latchedStatus = (out(now) ? 0x80 : 0) | (nullCount ? 0x40 : 0) | controlBits;
    }

    int read(long now) {
        if (statusLatched) {
            statusLatched = false;
            return latchedStatus;
        }
        int v;
        boolean msb;
        if (countLatched) {
            v = latchedCount;
            if (rw == RW_LSB_MSB) {
                msb = latchedMsbNext;
                latchedMsbNext = !latchedMsbNext;
                countLatched = latchedMsbNext;
            } else {
                msb = rw == RW_MSB;
                countLatched = false;
            }
        } else {
            v = readCe(now);
            if (rw == RW_LSB_MSB) {
                msb = readMsbNext;
                readMsbNext = !readMsbNext;
            } else {
                msb = rw == RW_MSB;
            }
        }
        return msb ? (v >> 8) & 0xFF : v & 0xFF;
    }

    void write(int b, long now) {
        settle(now);
        b &= 0xFF;
        switch (rw) {
            case RW_LSB -> loadCount(b, now);
            case RW_MSB -> loadCount(b << 8, now);
            default -> {
                if (!writeMsbNext) {
                    cr = (cr & 0xFF00) | b;
                    writeMsbNext = true;
                    if (mode == 0) {
                        // Mode 0: the first byte stops counting and OUT goes low at once.
                        stopCounting(now);
                    }
                } else {
                    writeMsbNext = false;
                    loadCount((cr & 0xFF) | (b << 8), now);
                }
            }
        }
    }

    private void stopCounting(long now) {
        if (armed && !paused) {
            pausedElapsed = elapsed(now);
            paused = true;
        }
        programmed = false;
    }

    private void loadCount(int value, long now) {
        cr = value & 0xFFFF;
        int n = toBinary(cr);
        if (n == 0) {
            n = modulus();
        }
        countN = n;
        nullCount = true;
        switch (mode) {
            case 1, 5 -> {
                // Loaded only by the next gate trigger; a running one-shot is not disturbed.
                programmed = true;
                nullCountUntil = Long.MAX_VALUE;
            }
            case 2, 3 -> {
                if (armed && gate) {
                    long period = initial;
                    long boundary = loadTick + ((now - loadTick) / period + 1) * period;
                    pendingTick = boundary;
                    pendingInitial = n;
                    nullCountUntil = boundary;
                } else {
                    start(n, now + 1);
                }
            }
            default -> start(n, now + 1);
        }
    }

    /** CE loaded with n at tick {@code at}; counting starts if the gate allows. */
    private void start(int n, long at) {
        programmed = true;
        armed = true;
        initial = n;
        loadTick = at;
        nullCountUntil = at;
        pendingTick = -1;
        paused = false;
        if (!gate && mode != 1 && mode != 5) {
            pausedElapsed = 0;
            paused = true;
        }
    }

    void setGate(boolean high, long now) {
        settle(now);
        boolean rising = high && !gate;
        boolean falling = !high && gate;
        gate = high;
        switch (mode) {
            case 0, 4 -> {
                if (falling && armed && !paused) {
                    pausedElapsed = Math.max(0, elapsed(now));
                    paused = true;
                } else if (rising && armed && paused) {
                    loadTick = now + 1 - pausedElapsed;
                    paused = false;
                }
            }
            case 1, 5 -> {
                if (rising && programmed) {
                    start(countN, now + 1);
                }
            }
            default -> { // 2, 3: gate low stops and forces OUT high; rising edge reloads
                if (falling && armed && !paused) {
                    pausedElapsed = Math.max(0, elapsed(now));
                    paused = true;
                    pendingTick = -1;
                } else if (rising && programmed) {
                    start(countN, now + 1); // the gate's rising edge reloads the count register
                }
            }
        }
    }

    boolean gate() {
        return gate;
    }

    /** The CE value at tick t, in the counter's number format. */
    int readCe(long t) {
        settle(t);
        if (!armed || t < loadTick && !paused) {
            return cr;
        }
        long e = elapsed(t);
        int m = modulus();
        int n = initial;
        long v;
        switch (mode) {
            case 2 -> v = n - (e % n);
            case 3 -> {
                long phase = e % n;
                long high = (n + 1) / 2;
                v = phase < high ? n - 2 * phase : n - 1 - 2 * (phase - high);
            }
            default -> v = n - e;
        }
        return fromBinary((int) Math.floorMod(v, (long) m));
    }

    /** The OUT pin at tick t. */
    boolean out(long t) {
        settle(t);
        if (!programmed || !armed) {
            // Initial states: mode 0 low after its control word; every other mode high.
            return mode != 0;
        }
        if (mode == 1 || mode == 5) {
            if (t < loadTick) {
                return true;
            }
        } else if (t < loadTick && !paused) {
            return mode != 0;
        }
        long e = elapsed(t);
        int n = initial;
        switch (mode) {
            case 0:
                return e >= n;
            case 1:
                return e >= n;
            case 2:
                return paused || e % n != n - 1;
            case 3:
                return paused || e % n < (n + 1) / 2;
            default: // 4, 5
                return e != n;
        }
    }

    /** How many times OUT rises in (from, to], counting at most {@code cap}. */
    long risingEdges(long from, long to, long cap) {
        long n = 0;
        long t = from;
        while (n < cap) {
            long e = nextRisingEdge(t);
            if (e > to) {
                break;
            }
            n++;
            t = e;
        }
        return n;
    }

    /** The first tick after t at which OUT rises, or Long.MAX_VALUE if none is scheduled. */
    long nextRisingEdge(long t) {
        settle(t);
        if (!programmed || !armed || paused) {
            return Long.MAX_VALUE;
        }
        long n = initial;
        long edge;
        switch (mode) {
            case 0, 1 -> edge = loadTick + n;
            case 4, 5 -> edge = loadTick + n + 1;
            default -> {
                if (n == 1) {
                    return Long.MAX_VALUE; // mode 2 or 3 with a count of 1: OUT never toggles
                }
                if (pendingTick >= 0) {
                    return pendingTick; // the current period ends with a rising edge
                }
                long k = t < loadTick ? 1 : (t - loadTick) / n + 1;
                return loadTick + k * n;
            }
        }
        return edge > t ? edge : Long.MAX_VALUE;
    }
}
