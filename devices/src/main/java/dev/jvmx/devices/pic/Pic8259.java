package dev.jvmx.devices.pic;

/**
 * One Intel 8259A programmable interrupt controller (datasheet 231468): the IRR/ISR/IMR
 * registers, the ICW1-4 initialization sequence, OCW1-3, priority resolution with rotation,
 * special mask and special fully nested modes, automatic EOI and the poll command.
 *
 * <p>An edge-triggered request is latched in IRR on the rising edge of its input and stays
 * there until acknowledged, so an ISA device's pulse (our pulses take no time) is never lost.
 * A level-triggered request is in IRR exactly while its input is high; if it drops before the
 * INTA cycle, the chip answers with the IR7 vector and sets no ISR bit (a spurious IRQ).
 */
public final class Pic8259 {
    public static final int ICW1 = 0x10;
    public static final int ICW1_IC4 = 0x01;
    public static final int ICW1_SNGL = 0x02;
    public static final int ICW1_LTIM = 0x08;
    public static final int ICW4_AEOI = 0x02;
    public static final int ICW4_SFNM = 0x10;
    public static final int OCW3 = 0x08;

    private enum InitStep { READY, ICW2, ICW3, ICW4 }

    private final boolean master;
    private Runnable outputListener = () -> { };

    private int irr;       // latched edge requests
    private int lines;     // current input levels
    private int isr;
    private int imr;
    private int elcr;      // per-line level mode from the chipset's edge/level control register
    private int elcrMask;
    private boolean ltim;  // ICW1: every line level triggered
    private int vectorBase;
    private int icw3;
    private boolean single;
    private boolean icw4Needed;
    private boolean autoEoi;
    private boolean rotateOnAutoEoi;
    private boolean specialFullyNested;
    private boolean specialMask;
    private boolean readIsr;
    private boolean pollPending;
    private int lowestPriority = 7;
    private InitStep step = InitStep.READY;
    private boolean output;

    Pic8259(boolean master, int elcrMask) {
        this.master = master;
        this.elcrMask = elcrMask;
        this.icw3 = master ? 0x04 : 0x02;
    }

    void setOutputListener(Runnable r) {
        outputListener = r;
    }

    /** The chip's INT pin. */
    boolean output() {
        return output;
    }

    int icw3() {
        return icw3;
    }

    boolean singleMode() {
        return single;
    }

    boolean specialFullyNested() {
        return specialFullyNested;
    }

    /** Drives IR input {@code n} (0-7). */
    void setInput(int n, boolean high) {
        int bit = 1 << n;
        boolean wasHigh = (lines & bit) != 0;
        if (high) {
            lines |= bit;
            if (!wasHigh) {
                irr |= bit; // rising edge
            }
        } else {
            lines &= ~bit;
        }
        update();
    }

    private int levelMask() {
        return ltim ? 0xFF : elcr;
    }

    /** The IRR as the chip sees it: edge latches for edge lines, live inputs for level lines. */
    int irr() {
        int level = levelMask();
        return (irr & ~level) | (lines & level);
    }

    int isr() {
        return isr;
    }

    int imr() {
        return imr;
    }

    int elcr() {
        return elcr;
    }

    void writeElcr(int v) {
        elcr = v & elcrMask;
        update();
    }

    private int priority(int irq) {
        return (irq - lowestPriority - 1) & 7;
    }

    private int highest(int bits) {
        int best = -1;
        for (int p = 0; p < 8; p++) {
            int irq = (lowestPriority + 1 + p) & 7;
            if ((bits & (1 << irq)) != 0) {
                best = irq;
                break;
            }
        }
        return best;
    }

    /** The request the chip would deliver now, or -1. */
    private int pendingRequest() {
        int candidate = highest(irr() & ~imr);
        if (candidate < 0) {
            return -1;
        }
        int blocking = specialMask ? isr & ~imr : isr;
        if (master && specialFullyNested && (icw3 & (1 << candidate)) != 0) {
            blocking &= ~(1 << candidate); // SFNM: a higher slave request may nest in its own line
        }
        int inService = highest(blocking);
        if (inService >= 0 && priority(inService) <= priority(candidate)) {
            return -1; // only a higher priority request interrupts a service routine
        }
        return candidate;
    }

    private void update() {
        boolean now = pendingRequest() >= 0;
        if (now != output) {
            output = now;
            outputListener.run();
        }
    }

    /**
     * The INTA cycle as far as this chip goes: returns the IR level taken into service, or -1
     * when no request is present (the caller then uses IR7, without any ISR bit: spurious).
     */
    int acknowledgeLevel() {
        int irq = pendingRequest();
        if (irq < 0) {
            return -1;
        }
        irr &= ~(1 << irq);
        if (autoEoi) {
            if (rotateOnAutoEoi) {
                lowestPriority = irq;
            }
        } else {
            isr |= 1 << irq;
        }
        update();
        return irq;
    }

    int vectorBase() {
        return vectorBase;
    }

    int read(int a0) {
        if (a0 == 1) {
            return imr;
        }
        if (pollPending) {
            pollPending = false;
            int irq = acknowledgeLevel();
            return irq < 0 ? 0x00 : 0x80 | irq;
        }
        return readIsr ? isr : irr();
    }

    void write(int a0, int v) {
        v &= 0xFF;
        if (a0 == 0) {
            if ((v & ICW1) != 0) {
                icw1(v);
            } else if ((v & OCW3) != 0) {
                ocw3(v);
            } else {
                ocw2(v);
            }
        } else {
            switch (step) {
                case ICW2:
                    vectorBase = v & 0xF8;
                    step = single ? (icw4Needed ? InitStep.ICW4 : InitStep.READY) : InitStep.ICW3;
                    break;
                case ICW3:
                    icw3 = master ? v : v & 7;
                    step = icw4Needed ? InitStep.ICW4 : InitStep.READY;
                    break;
                case ICW4:
                    autoEoi = (v & ICW4_AEOI) != 0;
                    specialFullyNested = (v & ICW4_SFNM) != 0;
                    step = InitStep.READY;
                    break;
                default:
                    imr = v; // OCW1
                    break;
            }
        }
        update();
    }

    private void icw1(int v) {
        // ICW1 resets the edge sense circuit (a line already high needs a new rising edge),
        // clears IMR, makes IR7 lowest priority, leaves special mask mode, selects IRR reads.
        irr = 0; // input levels stay: a line already high must fall and rise again
        isr = 0;
        imr = 0;
        lowestPriority = 7;
        specialMask = false;
        readIsr = false;
        pollPending = false;
        ltim = (v & ICW1_LTIM) != 0;
        single = (v & ICW1_SNGL) != 0;
        icw4Needed = (v & ICW1_IC4) != 0;
        if (!icw4Needed) {
            autoEoi = false; // ICW4 functions are cleared when no ICW4 follows
            specialFullyNested = false;
        }
        rotateOnAutoEoi = false;
        step = InitStep.ICW2;
    }

    private void ocw2(int v) {
        int level = v & 7;
        switch (v >>> 5) {
            case 0b001 -> eoi(highest(specialMask ? isr & ~imr : isr), false);
            case 0b011 -> eoi(level, false);
            case 0b101 -> eoi(highest(specialMask ? isr & ~imr : isr), true);
            case 0b111 -> eoi(level, true);
            case 0b100 -> rotateOnAutoEoi = true;
            case 0b000 -> rotateOnAutoEoi = false;
            case 0b110 -> lowestPriority = level;
            default -> { } // 010: no operation
        }
    }

    private void eoi(int level, boolean rotate) {
        if (level < 0) {
            return;
        }
        isr &= ~(1 << level);
        if (rotate) {
            lowestPriority = level;
        }
    }

    private void ocw3(int v) {
        if ((v & 0x40) != 0) {
            specialMask = (v & 0x20) != 0; // ESMM=1: SMM bit sets or resets the mode
        }
        if ((v & 0x04) != 0) {
            pollPending = true;
        }
        if ((v & 0x02) != 0) {
            readIsr = (v & 0x01) != 0;
        }
    }
}
