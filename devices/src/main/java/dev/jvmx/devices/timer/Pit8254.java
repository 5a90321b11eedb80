package dev.jvmx.devices.timer;

import dev.jvmx.devices.IoDevice;
import dev.jvmx.devices.IrqLine;

/**
 * The Intel 8254 programmable interval timer at 0x40-0x43, clocked at 1.193182 MHz. Nothing
 * ticks: counter values and OUT levels are computed from the {@link Clock}. Counter 0's OUT
 * drives IRQ0; the machine asks {@link #nextEventNanos()} when the next rising edge is due and
 * calls {@link #update()} to deliver edges that are due. Counter 2's gate and OUT belong to
 * port 0x61 ({@link SystemControlPortB}); counters 0 and 1 have their gates tied high.
 */
public final class Pit8254 implements IoDevice {
    public static final int BASE_PORT = 0x40;
    public static final int CONTROL_PORT = 0x43;
    public static final long CLOCK_HZ = 1_193_182L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Clock clock;
    private final IrqLine irq0;
    private final PitCounter[] counters = {new PitCounter(true), new PitCounter(true), new PitCounter(false)};
    private long lastUpdateTick;

    public Pit8254(Clock clock, IrqLine irq0) {
        this.clock = clock;
        this.irq0 = irq0;
        this.lastUpdateTick = ticksAt(clock.nanos());
    }

    /** The number of CLK pulses that have occurred by {@code nanos}: floor(nanos * f / 1e9). */
    public static long ticksAt(long nanos) {
        long q = nanos / NANOS_PER_SECOND;
        long r = nanos % NANOS_PER_SECOND;
        return q * CLOCK_HZ + r * CLOCK_HZ / NANOS_PER_SECOND;
    }

    /** The first instant at which tick number {@code tick} has occurred: ceil(tick * 1e9 / f). */
    public static long nanosOfTick(long tick) {
        long q = tick / CLOCK_HZ;
        long r = tick % CLOCK_HZ;
        return q * NANOS_PER_SECOND + (r * NANOS_PER_SECOND + CLOCK_HZ - 1) / CLOCK_HZ;
    }

    private long now() {
        return ticksAt(clock.nanos());
    }

    /**
     * Raises IRQ0 if counter 0's OUT rose since the last update. Without {@link #setCatchUp} that
     * is one edge however many were due. With it, edges the interrupt controller could not take
     * (its previous edge still latched, or several periods between two updates of a machine that
     * was busy translating code or not scheduled by the host) are counted, up to
     * {@link #MAX_MISSED_EDGES}, and raised one at a time as the controller takes them: an
     * operating system that counts timer interrupts (Linux's jiffies in periodic mode) then keeps
     * time with the clock, as KVM's PIT does with its "delay" lost-tick policy. A masked line
     * still latches one edge, as the 8259's IRR does; Linux masks IRQ0 while it handles it, so
     * the count survives a mask, unless the line stays masked for {@link #MAX_MASKED_NANOS} (the
     * timer has been given up for another): then only the latched edge remains.
     */
    public synchronized void update() {
        long nanos = clock.nanos();
        long now = ticksAt(nanos);
        long due = 0;
        if (now > lastUpdateTick) {
            due = counters[0].risingEdges(lastUpdateTick, now, MAX_MISSED_EDGES + 1);
            lastUpdateTick = now;
        }
        if (irq0Masked == null) {
            if (due > 0) {
                irq0.pulse();
            }
            return;
        }
        boolean masked = irq0Masked.getAsBoolean();
        if (!masked) {
            maskedSince = -1;
        } else if (maskedSince < 0) {
            maskedSince = nanos;
        }
        boolean givenUp = masked && nanos - maskedSince > MAX_MASKED_NANOS;
        missedEdges = givenUp ? Math.min(1, missedEdges + due) : Math.min(MAX_MISSED_EDGES, missedEdges + due);
        if (missedEdges > 0 && !irq0Latched.getAsBoolean()) {
            irq0.pulse();
            missedEdges--;
        }
        if (givenUp) {
            missedEdges = 0;
        }
    }

    /** Edges counted but not yet raised (see {@link #update}). */
    public static final int MAX_MISSED_EDGES = 256;
    /** How long IRQ0 may stay masked before its missed edges are dropped (see {@link #update}). */
    public static final long MAX_MASKED_NANOS = 1_000_000_000L;
    private long missedEdges;
    private long maskedSince = -1;
    private java.util.function.BooleanSupplier irq0Masked;
    private java.util.function.BooleanSupplier irq0Latched;

    /** Turns on catch-up of IRQ0 edges (see {@link #update}), asking the controller's mask and request bits. */
    public synchronized void setCatchUp(java.util.function.BooleanSupplier masked, java.util.function.BooleanSupplier latched) {
        this.irq0Masked = masked;
        this.irq0Latched = latched;
    }

    /** When IRQ0's next rising edge is due, in clock nanos; Long.MAX_VALUE if none is scheduled. */
    public synchronized long nextEventNanos() {
        // A missed edge the controller can take now is due now (the last update's time).
        if (missedEdges > 0 && irq0Latched != null && !irq0Latched.getAsBoolean() && !irq0Masked.getAsBoolean()) {
            return nanosOfTick(lastUpdateTick);
        }
        // From the last update, so an edge that is due but undelivered is reported (in the past).
        long edge = counters[0].nextRisingEdge(lastUpdateTick);
        return edge == Long.MAX_VALUE ? Long.MAX_VALUE : nanosOfTick(edge);
    }

    @Override
    public synchronized int ioRead(int port, int size) {
        int v = 0;
        for (int i = 0; i < size; i++) {
            v |= readByte(port + i) << (8 * i);
        }
        return v;
    }

    private int readByte(int port) {
        int n = port - BASE_PORT;
        if (n >= 0 && n < 3) {
            return counters[n].read(now());
        }
        return 0xFF; // the control word register cannot be read: the data bus floats
    }

    @Override
    public synchronized void ioWrite(int port, int size, int value) {
        for (int i = 0; i < size; i++) {
            writeByte(port + i, (value >>> (8 * i)) & 0xFF);
        }
    }

    private void writeByte(int port, int v) {
        int n = port - BASE_PORT;
        if (n < 0 || n > 3) {
            return;
        }
        update(); // edges due before this write belong to the old programming
        long now = now();
        boolean out0Before = counters[0].out(now);
        if (n < 3) {
            counters[n].write(v, now);
        } else {
            writeControl(v, now);
        }
        if (!out0Before && counters[0].out(now)) {
            irq0.pulse(); // e.g. a control word taking OUT0 from low (mode 0) to high
        }
    }

    private void writeControl(int cw, long now) {
        int sc = cw >> 6;
        if (sc == 3) {
            readBack(cw, now);
            return;
        }
        if (((cw >> 4) & 3) == PitCounter.RW_LATCH) {
            counters[sc].latchCount(now);
        } else {
            counters[sc].writeControl(cw, now);
        }
    }

    /** Read-back command: bit 5 clear latches counts, bit 4 clear latches status, bits 1-3 select. */
    private void readBack(int cw, long now) {
        for (int n = 0; n < 3; n++) {
            if ((cw & (2 << n)) == 0) {
                continue;
            }
            if ((cw & 0x10) == 0) {
                counters[n].latchStatus(now);
            }
            if ((cw & 0x20) == 0) {
                counters[n].latchCount(now);
            }
        }
    }

    /** Counter 2's gate, driven by port 0x61 bit 0. */
    public synchronized void setGate2(boolean high) {
        counters[2].setGate(high, now());
    }

    public synchronized boolean gate2() {
        return counters[2].gate();
    }

    /** A counter's OUT pin now (counter 2's is port 0x61 bit 5). */
    public synchronized boolean out(int counter) {
        return counters[counter].out(now());
    }
}
