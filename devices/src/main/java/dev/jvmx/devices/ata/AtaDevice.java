package dev.jvmx.devices.ata;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * One device on an ATA channel (ATA/ATAPI-6): its copy of the command block registers
 * (the channel writes every register to both devices, as the cable does), its status and
 * error, its pending interrupt, and the PIO data buffer. Subclasses give the command set:
 * {@link AtaDisk} (ATA) and {@link AtapiCdrom} (PACKET). Commands complete at once; I/O
 * errors of the image are reported to the guest and counted here.
 */
public abstract class AtaDevice {
    // Status register bits.
    public static final int BSY = 0x80;
    public static final int DRDY = 0x40;
    public static final int DF = 0x20;
    public static final int DSC = 0x10;
    public static final int DRQ = 0x08;
    public static final int ERR = 0x01;

    // Error register bits (ATA).
    public static final int UNC = 0x40;
    public static final int IDNF = 0x10;
    public static final int ABRT = 0x04;

    // Device/head register bits.
    public static final int LBA = 0x40;
    public static final int DEV = 0x10;

    protected enum Transfer { NONE, PIO_IN, PIO_OUT }

    protected int features;
    protected int sectorCount;
    protected int lbaLow;
    protected int lbaMid;
    protected int lbaHigh;
    protected int device;
    protected int error;
    protected int status;

    private boolean interruptPending;
    private Runnable interruptListener = () -> { };

    protected final byte[] buffer;
    protected Transfer transfer = Transfer.NONE;
    protected int bufferPos;
    protected int bufferLen;

    private long readErrors;
    private long writeErrors;
    private long flushErrors;
    private String firstError;
    private Consumer<String> errorLog = m -> { };

    protected AtaDevice(int bufferBytes) {
        this.buffer = new byte[bufferBytes];
    }

    /** The image behind the device, or null (an empty CD-ROM drive). */
    public abstract BlockImage image();

    /** A short name for messages: "disk" or "CD-ROM". */
    public abstract String kind();

    /** The signature and status after power-on, a reset or EXECUTE DEVICE DIAGNOSTIC (ATA-6 9.12). */
    protected abstract void postSignature();

    /** Runs a command written to the command register while this device is selected. */
    protected abstract void command(int cmd);

    /** The host read the last byte of a PIO data-in block. */
    protected abstract void pioInBlockDone();

    /** The host wrote the last byte of a PIO data-out block. */
    protected abstract void pioOutBlockDone();

    /** Device-specific state a reset returns to its default (multiple mode, geometry ...). */
    protected void resetState() {
    }

    void setInterruptListener(Runnable l) {
        interruptListener = l;
    }

    /** Where the first I/O error of this device is told (one line); later ones are only counted. */
    public void setErrorLog(Consumer<String> log) {
        errorLog = log;
    }

    // ---------------------------------------------------------------- what the channel calls

    void writeRegister(int reg, int value) {
        if ((status & BSY) != 0) {
            return; // registers are not written while the device is busy (in reset)
        }
        switch (reg) {
            case AtaChannel.REG_ERROR_FEATURES -> features = value;
            case AtaChannel.REG_SECTOR_COUNT -> sectorCount = value;
            case AtaChannel.REG_LBA_LOW -> lbaLow = value;
            case AtaChannel.REG_LBA_MID -> lbaMid = value;
            case AtaChannel.REG_LBA_HIGH -> lbaHigh = value;
            case AtaChannel.REG_DEVICE -> device = value & 0x5F;
            default -> { }
        }
    }

    int readRegister(int reg) {
        return switch (reg) {
            case AtaChannel.REG_ERROR_FEATURES -> error;
            case AtaChannel.REG_SECTOR_COUNT -> sectorCount;
            case AtaChannel.REG_LBA_LOW -> lbaLow;
            case AtaChannel.REG_LBA_MID -> lbaMid;
            case AtaChannel.REG_LBA_HIGH -> lbaHigh;
            case AtaChannel.REG_DEVICE -> device | 0xA0; // obsolete bits 7 and 5 read as one
            default -> 0xFF;
        };
    }

    int status() {
        return status;
    }

    /** A read of the Status register: it acknowledges the pending interrupt. */
    int readStatus() {
        if (interruptPending) {
            interruptPending = false;
            interruptListener.run();
        }
        return status;
    }

    boolean interruptPending() {
        return interruptPending;
    }

    void writeCommand(int cmd) {
        if ((status & BSY) != 0) {
            return;
        }
        transfer = Transfer.NONE;
        clearInterrupt();
        error = 0;
        command(cmd);
    }

    /** SRST set: the device is busy until it is released. */
    void resetAsserted() {
        transfer = Transfer.NONE;
        status = BSY;
        clearInterrupt();
    }

    /** SRST cleared: the device resets and posts its signature (ATA-6 9.2). */
    void resetReleased() {
        resetState();
        postSignature();
        error = 0x01; // diagnostic passed (device 0: and device 1 passed or is absent)
    }

    /** EXECUTE DEVICE DIAGNOSTIC, which both devices run whichever is selected. */
    void executeDiagnostic(boolean interrupt) {
        transfer = Transfer.NONE;
        clearInterrupt();
        postSignature();
        error = 0x01;
        if (interrupt) {
            raiseInterrupt();
        }
    }

    // ---------------------------------------------------------------- data register

    int readData(int size) {
        if (transfer != Transfer.PIO_IN) {
            return 0;
        }
        int v = 0;
        for (int i = 0; i < size && bufferPos < bufferLen; i++) {
            v |= (buffer[bufferPos++] & 0xFF) << (8 * i);
        }
        if (bufferPos >= bufferLen) {
            transfer = Transfer.NONE;
            pioInBlockDone();
        }
        return v;
    }

    void writeData(int size, int value) {
        if (transfer != Transfer.PIO_OUT) {
            return;
        }
        for (int i = 0; i < size && bufferPos < bufferLen; i++) {
            buffer[bufferPos++] = (byte) (value >>> (8 * i));
        }
        if (bufferPos >= bufferLen) {
            transfer = Transfer.NONE;
            pioOutBlockDone();
        }
    }

    // ---------------------------------------------------------------- helpers for the command sets

    protected final void raiseInterrupt() {
        interruptPending = true;
        interruptListener.run();
    }

    private void clearInterrupt() {
        if (interruptPending) {
            interruptPending = false;
            interruptListener.run();
        }
    }

    /** Data-in: {@code length} bytes of the buffer, DRQ set; an interrupt if asked. */
    protected final void startPioIn(int length, boolean interrupt) {
        startPioIn(0, length, interrupt);
    }

    /** Data-in of buffer bytes {@code from} to {@code to} (exclusive). */
    protected final void startPioIn(int from, int to, boolean interrupt) {
        bufferPos = from;
        bufferLen = to;
        transfer = Transfer.PIO_IN;
        status = DRDY | DSC | DRQ;
        if (interrupt) {
            raiseInterrupt();
        }
    }

    /** Data-out: the host is to write {@code length} bytes into the buffer. */
    protected final void startPioOut(int length) {
        bufferPos = 0;
        bufferLen = length;
        transfer = Transfer.PIO_OUT;
        status = DRDY | DSC | DRQ;
    }

    protected final void setSignature(int lbaMidValue, int lbaHighValue) {
        sectorCount = 0x01;
        lbaLow = 0x01;
        lbaMid = lbaMidValue;
        lbaHigh = lbaHighValue;
        device = 0x00;
    }

    /** Counts an I/O error of the image and tells the first one. */
    protected final void ioError(String what, IOException e) {
        switch (what) {
            case "read" -> readErrors++;
            case "write" -> writeErrors++;
            default -> flushErrors++;
        }
        if (firstError == null) {
            firstError = what + ": " + (e.getMessage() == null ? e.toString() : e.getMessage());
            errorLog.accept(kind() + " " + image().name() + ": " + what + " error reported to the guest: "
                    + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    public long readErrors() {
        return readErrors;
    }

    public long writeErrors() {
        return writeErrors;
    }

    public long flushErrors() {
        return flushErrors;
    }

    /** "N read, N write, N flush errors" when there were any, else null. */
    public String errorSummary() {
        if (readErrors + writeErrors + flushErrors == 0) {
            return null;
        }
        return readErrors + " read, " + writeErrors + " write and " + flushErrors
                + " flush errors were reported to the guest (first: " + firstError + ")";
    }
}
