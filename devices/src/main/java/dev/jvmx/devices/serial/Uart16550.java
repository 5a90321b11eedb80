package dev.jvmx.devices.serial;

import dev.jvmx.devices.IoDevice;
import dev.jvmx.devices.IrqLine;
import dev.jvmx.devices.chr.CharSink;
import dev.jvmx.devices.chr.CharSource;

/**
 * The NS16550A UART. Transmission is instantaneous: a byte written to THR goes straight to the
 * sink and THR/TSR are empty again at once. Reception pulls from the source only while there
 * is room (RBR empty, or FIFO not full), so a fast source never overruns the guest; only
 * loopback, where the guest feeds itself, can overrun. On a PC the INTR pin reaches the PIC
 * through a buffer enabled by OUT2 (MCR bit 3), so the IRQ line follows INTR only while OUT2
 * is set and loopback (which forces OUT2 inactive) is off.
 */
public final class Uart16550 implements IoDevice {
    // Register offsets (datasheet Table II).
    public static final int RBR_THR_DLL = 0;
    public static final int IER_DLM = 1;
    public static final int IIR_FCR = 2;
    public static final int LCR = 3;
    public static final int MCR = 4;
    public static final int LSR = 5;
    public static final int MSR = 6;
    public static final int SCR = 7;

    public static final int IER_ERBFI = 0x01;
    public static final int IER_ETBEI = 0x02;
    public static final int IER_ELSI = 0x04;
    public static final int IER_EDSSI = 0x08;

    public static final int IIR_NO_INT = 0x01;
    public static final int IIR_MODEM_STATUS = 0x00;
    public static final int IIR_THRE = 0x02;
    public static final int IIR_RX_DATA = 0x04;
    public static final int IIR_RX_LINE_STATUS = 0x06;
    public static final int IIR_CHAR_TIMEOUT = 0x0C;
    public static final int IIR_FIFOS_ENABLED = 0xC0;

    public static final int FCR_FIFO_ENABLE = 0x01;
    public static final int FCR_RX_RESET = 0x02;
    public static final int FCR_TX_RESET = 0x04;

    public static final int LCR_DLAB = 0x80;

    public static final int MCR_DTR = 0x01;
    public static final int MCR_RTS = 0x02;
    public static final int MCR_OUT1 = 0x04;
    public static final int MCR_OUT2 = 0x08;
    public static final int MCR_LOOP = 0x10;

    public static final int LSR_DR = 0x01;
    public static final int LSR_OE = 0x02;
    public static final int LSR_PE = 0x04;
    public static final int LSR_FE = 0x08;
    public static final int LSR_BI = 0x10;
    public static final int LSR_THRE = 0x20;
    public static final int LSR_TEMT = 0x40;
    public static final int LSR_ERRORS = LSR_OE | LSR_PE | LSR_FE | LSR_BI;

    public static final int MSR_DCTS = 0x01;
    public static final int MSR_DDSR = 0x02;
    public static final int MSR_TERI = 0x04;
    public static final int MSR_DDCD = 0x08;
    public static final int MSR_CTS = 0x10;
    public static final int MSR_DSR = 0x20;
    public static final int MSR_RI = 0x40;
    public static final int MSR_DCD = 0x80;

    private static final int FIFO_SIZE = 16;
    private static final int[] TRIGGER_LEVELS = {1, 4, 8, 14};

    private final int base;
    private final IrqLine irq;
    private final CharSink sink;
    private final CharSource source;

    private int ier;
    private int lcr;
    private int mcr;
    private int lsrErrors;
    private int msrDeltas;
    private int scr;
    private int dll = 0x0C; // 9600 baud at 1.8432 MHz: a sane value for an unprogrammed port
    private int dlm;
    private boolean fifoEnabled;
    private int rxTrigger = 1;
    private boolean thrInterruptPending;
    private boolean timeoutPending;
    private boolean rxActivitySincePoll;
    private boolean irqLevel;

    private final int[] rxFifo = new int[FIFO_SIZE];
    private int rxHead;
    private int rxCount;
    private int lastRbr;

    /** Modem inputs from the outside world: a terminal that is present and ready. */
    private int externalModemInputs = MSR_CTS | MSR_DSR | MSR_DCD;
    private int modemInputs;

    public Uart16550(int basePort, IrqLine irq, CharSink sink, CharSource source) {
        this.base = basePort;
        this.irq = irq;
        this.sink = sink;
        this.source = source;
        this.modemInputs = externalModemInputs;
    }

    public int basePort() {
        return base;
    }

    public int registerCount() {
        return 8;
    }

    /**
     * Called periodically by the machine: takes waiting input and, in FIFO mode, raises the
     * character timeout for bytes that sat below the trigger level since the previous poll
     * (one poll period stands in for the datasheet's four character times).
     */
    public synchronized void poll() {
        receive();
        if (fifoEnabled && rxCount > 0 && !rxActivitySincePoll) {
            timeoutPending = true;
        }
        rxActivitySincePoll = false;
        updateIrq();
    }

    @Override
    public synchronized int ioRead(int port, int size) {
        int v = 0;
        for (int i = 0; i < size; i++) {
            int off = port - base + i;
            v |= (off >= 0 && off < 8 ? readRegister(off) : 0xFF) << (8 * i);
        }
        updateIrq();
        return v;
    }

    @Override
    public synchronized void ioWrite(int port, int size, int value) {
        // An 8-bit device: the bus splits wider accesses into consecutive byte accesses.
        for (int i = 0; i < size; i++) {
            int off = port - base + i;
            if (off >= 0 && off < 8) {
                writeRegister(off, (value >>> (8 * i)) & 0xFF);
            }
        }
        updateIrq();
    }

    private int readRegister(int off) {
        switch (off) {
            case RBR_THR_DLL:
                return (lcr & LCR_DLAB) != 0 ? dll : readRbr();
            case IER_DLM:
                return (lcr & LCR_DLAB) != 0 ? dlm : ier;
            case IIR_FCR:
                return readIir();
            case LCR:
                return lcr;
            case MCR:
                return mcr;
            case LSR:
                return readLsr();
            case MSR:
                return readMsr();
            default:
                return scr;
        }
    }

    private void writeRegister(int off, int v) {
        switch (off) {
            case RBR_THR_DLL:
                if ((lcr & LCR_DLAB) != 0) {
                    dll = v;
                } else {
                    transmit(v);
                }
                break;
            case IER_DLM:
                if ((lcr & LCR_DLAB) != 0) {
                    dlm = v;
                } else {
                    writeIer(v);
                }
                break;
            case IIR_FCR:
                writeFcr(v);
                break;
            case LCR:
                lcr = v;
                break;
            case MCR:
                mcr = v & 0x1F; // bits 5-7 are always 0 on the 16550A
                updateModemInputs();
                break;
            case SCR:
                scr = v;
                break;
            default:
                // LSR and MSR writes are for factory test only: ignored.
                break;
        }
    }

    private int readRbr() {
        receive();
        if (rxCount > 0) {
            lastRbr = rxFifo[rxHead];
            rxHead = (rxHead + 1) % FIFO_SIZE;
            rxCount--;
            rxActivitySincePoll = true;
        }
        timeoutPending = false;
        return lastRbr; // an empty RBR reads the last byte received, as the latch still holds it
    }

    private int readLsr() {
        receive();
        int v = lsrErrors | LSR_THRE | LSR_TEMT | (rxCount > 0 ? LSR_DR : 0);
        lsrErrors = 0; // OE, PE, FE, BI clear on read
        return v;
    }

    private int readMsr() {
        int v = msrDeltas | modemInputs;
        msrDeltas = 0;
        return v;
    }

    private int readIir() {
        int id = interruptId();
        if (id == IIR_THRE) {
            thrInterruptPending = false; // reading IIR with THRE as the source clears it
        }
        return id | (fifoEnabled ? IIR_FIFOS_ENABLED : 0);
    }

    private void writeIer(int v) {
        int old = ier;
        ier = v & 0x0F;
        // THR is always empty here, so enabling ETBEI raises THRE at once, as on the 16550A.
        if ((ier & IER_ETBEI) != 0 && (old & IER_ETBEI) == 0) {
            thrInterruptPending = true;
        }
    }

    private void writeFcr(int v) {
        boolean enable = (v & FCR_FIFO_ENABLE) != 0;
        if (enable != fifoEnabled) {
            clearRx(); // changing FCR bit 0 clears both FIFOs
            fifoEnabled = enable;
        }
        if (!enable) {
            return; // the other bits are only programmed while bit 0 is written as 1
        }
        if ((v & FCR_RX_RESET) != 0) {
            clearRx();
        }
        // FCR_TX_RESET: the transmit FIFO is always empty here, nothing to clear.
        rxTrigger = TRIGGER_LEVELS[(v >>> 6) & 3];
    }

    private void clearRx() {
        rxHead = 0;
        rxCount = 0;
        timeoutPending = false;
    }

    private void transmit(int b) {
        thrInterruptPending = false; // writing THR clears THRE ...
        if ((mcr & MCR_LOOP) != 0) {
            loopbackReceive(b);
        } else {
            sink.write(b);
        }
        thrInterruptPending = true; // ... and the instantaneous transmission empties it again
    }

    private void loopbackReceive(int b) {
        int capacity = fifoEnabled ? FIFO_SIZE : 1;
        if (rxCount < capacity) {
            push(b);
        } else {
            lsrErrors |= LSR_OE;
            if (!fifoEnabled) {
                rxFifo[rxHead] = b; // without FIFO the new byte overwrites RBR
            }
            // with FIFO the byte in the shift register is lost, the FIFO keeps its contents
        }
    }

    private void receive() {
        if ((mcr & MCR_LOOP) != 0) {
            return; // loopback disconnects the serial input
        }
        int capacity = fifoEnabled ? FIFO_SIZE : 1;
        while (rxCount < capacity) {
            int b = source.read();
            if (b < 0) {
                break;
            }
            push(b & 0xFF);
        }
    }

    private void push(int b) {
        rxFifo[(rxHead + rxCount) % FIFO_SIZE] = b;
        rxCount++;
        rxActivitySincePoll = true;
        timeoutPending = false;
    }

    private void updateModemInputs() {
        int now;
        if ((mcr & MCR_LOOP) != 0) {
            now = ((mcr & MCR_RTS) != 0 ? MSR_CTS : 0)
                    | ((mcr & MCR_DTR) != 0 ? MSR_DSR : 0)
                    | ((mcr & MCR_OUT1) != 0 ? MSR_RI : 0)
                    | ((mcr & MCR_OUT2) != 0 ? MSR_DCD : 0);
        } else {
            now = externalModemInputs;
        }
        int changed = now ^ modemInputs;
        if ((changed & MSR_CTS) != 0) {
            msrDeltas |= MSR_DCTS;
        }
        if ((changed & MSR_DSR) != 0) {
            msrDeltas |= MSR_DDSR;
        }
        if ((changed & MSR_RI) != 0 && (now & MSR_RI) == 0) {
            msrDeltas |= MSR_TERI; // trailing edge: ring indicator going off
        }
        if ((changed & MSR_DCD) != 0) {
            msrDeltas |= MSR_DDCD;
        }
        modemInputs = now;
    }

    /** Sets the modem inputs seen outside loopback (MSR bits 4-7 layout: CTS, DSR, RI, DCD). */
    public synchronized void setModemInputs(int msrBits) {
        externalModemInputs = msrBits & 0xF0;
        updateModemInputs();
        updateIrq();
    }

    private int interruptId() {
        if ((ier & IER_ELSI) != 0 && lsrErrors != 0) {
            return IIR_RX_LINE_STATUS;
        }
        if ((ier & IER_ERBFI) != 0) {
            if (rxCount > 0 && (!fifoEnabled || rxCount >= rxTrigger)) {
                return IIR_RX_DATA;
            }
            if (timeoutPending && rxCount > 0) {
                return IIR_CHAR_TIMEOUT;
            }
        }
        if ((ier & IER_ETBEI) != 0 && thrInterruptPending) {
            return IIR_THRE;
        }
        if ((ier & IER_EDSSI) != 0 && msrDeltas != 0) {
            return IIR_MODEM_STATUS;
        }
        return IIR_NO_INT;
    }

    private void updateIrq() {
        boolean intr = interruptId() != IIR_NO_INT;
        boolean level = intr && (mcr & MCR_OUT2) != 0 && (mcr & MCR_LOOP) == 0;
        if (level != irqLevel) {
            irqLevel = level;
            irq.set(level);
        }
    }
}
