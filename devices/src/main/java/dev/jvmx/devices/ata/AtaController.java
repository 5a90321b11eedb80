package dev.jvmx.devices.ata;

import dev.jvmx.devices.IoDevice;
import dev.jvmx.devices.IrqLine;

import java.io.IOException;

/**
 * One ATA channel (ATA/ATAPI-6) with a master disk and no slave, PIO only. Command block
 * at base+0..7 (data, error/features, sector count, LBA low/mid/high, device, status/command),
 * control block at one port (alternate status / device control). Commands complete at once;
 * INTRQ is a level: pending interrupt, nIEN clear and device 0 selected.
 */
public final class AtaController implements IoDevice {
    public static final int PRIMARY_COMMAND_BASE = 0x1F0;
    public static final int PRIMARY_CONTROL_PORT = 0x3F6;

    // Status register bits.
    public static final int BSY = 0x80;
    public static final int DRDY = 0x40;
    public static final int DF = 0x20;
    public static final int DSC = 0x10;
    public static final int DRQ = 0x08;
    public static final int ERR = 0x01;

    // Error register bits.
    public static final int UNC = 0x40;
    public static final int IDNF = 0x10;
    public static final int ABRT = 0x04;

    // Device control register bits.
    public static final int NIEN = 0x02;
    public static final int SRST = 0x04;

    // Device/head register bits.
    public static final int LBA = 0x40;
    public static final int DEV = 0x10;

    private static final int REG_DATA = 0;
    private static final int REG_ERROR_FEATURES = 1;
    private static final int REG_SECTOR_COUNT = 2;
    private static final int REG_LBA_LOW = 3;
    private static final int REG_LBA_MID = 4;
    private static final int REG_LBA_HIGH = 5;
    private static final int REG_DEVICE = 6;
    private static final int REG_STATUS_COMMAND = 7;

    private enum Transfer { NONE, PIO_IN, PIO_OUT }

    private final int commandBase;
    private final int controlPort;
    private final AtaDisk master;
    private final IrqLine irq;

    private int features;
    private int sectorCount;
    private int lbaLow;
    private int lbaMid;
    private int lbaHigh;
    private int device;
    private int error;
    private int status;
    private int control;

    private boolean interruptPending;
    private boolean irqLevel;

    private int multipleCount;
    private AtaGeometry current;

    private final byte[] buffer = new byte[AtaIdentify.MAX_MULTIPLE * AtaDisk.SECTOR_SIZE];
    private Transfer transfer = Transfer.NONE;
    private int bufferPos;
    private int bufferLen;
    private long nextLba;
    private long remaining;
    private int blockSectors;
    private int blockCount;

    /** The primary channel: 0x1F0-0x1F7 and 0x3F6, IRQ 14. A null master is an empty channel. */
    public static AtaController primary(AtaDisk master, IrqLine irq14) {
        return new AtaController(PRIMARY_COMMAND_BASE, PRIMARY_CONTROL_PORT, master, irq14);
    }

    public AtaController(int commandBase, int controlPort, AtaDisk master, IrqLine irq) {
        this.commandBase = commandBase;
        this.controlPort = controlPort;
        this.master = master;
        this.irq = irq;
        if (master != null) {
            current = master.geometry();
            setSignature();
            error = 0x01;
            status = DRDY | DSC;
        }
    }

    public int commandBase() {
        return commandBase;
    }

    public int controlPort() {
        return controlPort;
    }

    /** Forces written data to the image (the machine calls this on shutdown). */
    public void flush() {
        if (master != null) {
            try {
                master.flush();
            } catch (IOException e) {
                // Nothing to tell the guest here; the data is as durable as the OS made it.
            }
        }
    }

    // ---------------------------------------------------------------- port access

    @Override
    public int ioRead(int port, int size) {
        int mask = size == 1 ? 0xFF : size == 2 ? 0xFFFF : 0xFFFFFFFF;
        if (master == null) {
            return mask; // nothing drives the bus
        }
        if (port == commandBase + REG_DATA) {
            return readData(size);
        }
        int v = 0;
        for (int i = 0; i < size; i++) {
            v |= readRegister(port + i) << (8 * i);
        }
        return v;
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        if (master == null) {
            return;
        }
        if (port == commandBase + REG_DATA) {
            writeData(size, value);
            return;
        }
        for (int i = 0; i < size; i++) {
            writeRegister(port + i, (value >>> (8 * i)) & 0xFF);
        }
    }

    private int readRegister(int port) {
        if (port == controlPort) {
            return slaveSelected() ? 0 : status;
        }
        switch (port - commandBase) {
            case REG_ERROR_FEATURES: return error;
            case REG_SECTOR_COUNT: return sectorCount;
            case REG_LBA_LOW: return lbaLow;
            case REG_LBA_MID: return lbaMid;
            case REG_LBA_HIGH: return lbaHigh;
            case REG_DEVICE: return device | 0xA0; // obsolete bits 7 and 5 read as one
            case REG_STATUS_COMMAND:
                if (slaveSelected()) {
                    return 0; // device 0 answers 00h for an absent device 1
                }
                interruptPending = false;
                updateIrq();
                return status;
            default: return 0xFF;
        }
    }

    private void writeRegister(int port, int value) {
        if (port == controlPort) {
            writeDeviceControl(value);
            return;
        }
        if ((status & BSY) != 0) {
            return; // registers are not written while the device is busy (in reset)
        }
        switch (port - commandBase) {
            case REG_ERROR_FEATURES -> features = value;
            case REG_SECTOR_COUNT -> sectorCount = value;
            case REG_LBA_LOW -> lbaLow = value;
            case REG_LBA_MID -> lbaMid = value;
            case REG_LBA_HIGH -> lbaHigh = value;
            case REG_DEVICE -> {
                device = value & 0x5F;
                updateIrq();
            }
            case REG_STATUS_COMMAND -> command(value);
            default -> { }
        }
    }

    private void writeDeviceControl(int value) {
        boolean wasReset = (control & SRST) != 0;
        control = value & (NIEN | SRST);
        if ((control & SRST) != 0) {
            transfer = Transfer.NONE;
            status = BSY;
            interruptPending = false;
        } else if (wasReset) {
            softReset();
        }
        updateIrq();
    }

    /** ATA-6 9.2: after SRST the device runs its diagnostic and posts the ATA signature. */
    private void softReset() {
        multipleCount = 0;
        current = master.geometry();
        setSignature();
        error = 0x01; // device 0 passed, device 1 absent
        status = DRDY | DSC;
    }

    private void setSignature() {
        sectorCount = 0x01;
        lbaLow = 0x01;
        lbaMid = 0x00;
        lbaHigh = 0x00;
        device = 0x00;
    }

    private boolean slaveSelected() {
        return (device & DEV) != 0;
    }

    private void raiseInterrupt() {
        interruptPending = true;
        updateIrq();
    }

    private void updateIrq() {
        boolean level = interruptPending && (control & NIEN) == 0 && !slaveSelected();
        if (level != irqLevel) {
            irqLevel = level;
            irq.set(level);
        }
    }

    // ---------------------------------------------------------------- data register

    private int readData(int size) {
        if (transfer != Transfer.PIO_IN || slaveSelected()) {
            return 0;
        }
        int v = 0;
        for (int i = 0; i < size && bufferPos < bufferLen; i++) {
            v |= (buffer[bufferPos++] & 0xFF) << (8 * i);
        }
        if (bufferPos >= bufferLen) {
            pioInBlockDone();
        }
        return v;
    }

    private void writeData(int size, int value) {
        if (transfer != Transfer.PIO_OUT || slaveSelected()) {
            return;
        }
        for (int i = 0; i < size && bufferPos < bufferLen; i++) {
            buffer[bufferPos++] = (byte) (value >>> (8 * i));
        }
        if (bufferPos >= bufferLen) {
            pioOutBlockDone();
        }
    }

    // ---------------------------------------------------------------- commands

    private void command(int cmd) {
        if (slaveSelected() && cmd != AtaCommand.EXECUTE_DEVICE_DIAGNOSTIC) {
            return; // addressed to the absent device 1
        }
        transfer = Transfer.NONE;
        interruptPending = false;
        updateIrq();
        error = 0;
        switch (cmd) {
            case AtaCommand.IDENTIFY_DEVICE -> {
                System.arraycopy(AtaIdentify.build(master, current, multipleCount), 0, buffer, 0, 512);
                startPioIn(512);
            }
            case AtaCommand.READ_SECTORS, AtaCommand.READ_SECTORS_NO_RETRY -> startRead(1);
            case AtaCommand.READ_MULTIPLE -> {
                if (multipleCount == 0) {
                    abort();
                } else {
                    startRead(multipleCount);
                }
            }
            case AtaCommand.WRITE_SECTORS, AtaCommand.WRITE_SECTORS_NO_RETRY -> startWrite(1);
            case AtaCommand.WRITE_MULTIPLE -> {
                if (multipleCount == 0) {
                    abort();
                } else {
                    startWrite(multipleCount);
                }
            }
            case AtaCommand.SET_MULTIPLE_MODE -> setMultipleMode();
            case AtaCommand.READ_VERIFY_SECTORS, AtaCommand.READ_VERIFY_SECTORS_NO_RETRY -> {
                if (addressRange() >= 0) {
                    complete();
                }
            }
            case AtaCommand.FLUSH_CACHE -> {
                try {
                    master.flush();
                    complete();
                } catch (IOException e) {
                    abort();
                }
            }
            case AtaCommand.INITIALIZE_DEVICE_PARAMETERS -> initializeDeviceParameters();
            case AtaCommand.EXECUTE_DEVICE_DIAGNOSTIC -> {
                setSignature();
                error = 0x01;
                status = DRDY | DSC;
                raiseInterrupt();
            }
            case AtaCommand.CHECK_POWER_MODE -> {
                sectorCount = 0xFF; // active or idle
                complete();
            }
            case AtaCommand.SET_FEATURES, AtaCommand.STANDBY_IMMEDIATE, AtaCommand.IDLE_IMMEDIATE,
                 AtaCommand.STANDBY, AtaCommand.IDLE -> complete();
            default -> {
                if ((cmd & 0xF0) == AtaCommand.RECALIBRATE || (cmd & 0xF0) == AtaCommand.SEEK) {
                    complete();
                } else {
                    abort(); // NOP, IDENTIFY PACKET DEVICE and everything unknown
                }
            }
        }
    }

    private void complete() {
        status = DRDY | DSC;
        raiseInterrupt();
    }

    private void abort() {
        fail(ABRT);
    }

    private void fail(int errorBits) {
        transfer = Transfer.NONE;
        error = errorBits;
        status = DRDY | DSC | ERR;
        raiseInterrupt();
    }

    private int sectorsRequested() {
        return sectorCount == 0 ? 256 : sectorCount;
    }

    /** The LBA of the command's first sector, or -1 after failing with IDNF. */
    private long addressRange() {
        long lba;
        if ((device & LBA) != 0) {
            lba = ((long) (device & 0x0F) << 24) | (lbaHigh << 16) | (lbaMid << 8) | lbaLow;
        } else {
            int cylinder = (lbaHigh << 8) | lbaMid;
            int head = device & 0x0F;
            int sector = lbaLow;
            if (sector == 0 || sector > current.sectorsPerTrack() || head >= current.heads()
                    || cylinder >= current.cylinders()) {
                fail(IDNF);
                return -1;
            }
            lba = ((long) cylinder * current.heads() + head) * current.sectorsPerTrack() + sector - 1;
        }
        if (lba + sectorsRequested() > master.sectorCount()) {
            fail(IDNF);
            return -1;
        }
        return lba;
    }

    /** Leaves the address of the last sector transferred in the command block. */
    private void setAddress(long lba) {
        if ((device & LBA) != 0) {
            lbaLow = (int) (lba & 0xFF);
            lbaMid = (int) ((lba >>> 8) & 0xFF);
            lbaHigh = (int) ((lba >>> 16) & 0xFF);
            device = (device & 0xF0) | (int) ((lba >>> 24) & 0x0F);
        } else {
            int perCylinder = current.heads() * current.sectorsPerTrack();
            long cylinder = lba / perCylinder;
            int rest = (int) (lba % perCylinder);
            lbaMid = (int) (cylinder & 0xFF);
            lbaHigh = (int) ((cylinder >>> 8) & 0xFF);
            device = (device & 0xF0) | (rest / current.sectorsPerTrack());
            lbaLow = rest % current.sectorsPerTrack() + 1;
        }
    }

    private void startPioIn(int length) {
        bufferPos = 0;
        bufferLen = length;
        remaining = 0;
        transfer = Transfer.PIO_IN;
        status = DRDY | DSC | DRQ;
        raiseInterrupt();
    }

    private void startRead(int block) {
        if (beginTransfer(block)) {
            loadReadBlock();
        }
    }

    /** Sets up a multi-sector transfer from the task file; false when the address was refused. */
    private boolean beginTransfer(int block) {
        long lba = addressRange();
        if (lba < 0) {
            return false;
        }
        nextLba = lba;
        remaining = sectorsRequested();
        blockSectors = block;
        return true;
    }

    /** PIO data-in: each block is read, DRQ set and an interrupt raised. */
    private void loadReadBlock() {
        int n = (int) Math.min(blockSectors, remaining);
        try {
            master.read(nextLba, buffer, 0, n);
        } catch (IOException e) {
            setAddress(nextLba);
            fail(UNC);
            return;
        }
        setAddress(nextLba + n - 1);
        nextLba += n;
        remaining -= n;
        sectorCount = (int) (remaining & 0xFF);
        bufferPos = 0;
        bufferLen = n * AtaDisk.SECTOR_SIZE;
        transfer = Transfer.PIO_IN;
        status = DRDY | DSC | DRQ;
        raiseInterrupt();
    }

    private void pioInBlockDone() {
        if (remaining > 0) {
            loadReadBlock();
        } else {
            transfer = Transfer.NONE;
            status = DRDY | DSC; // no interrupt after the last block of a read
        }
    }

    private void startWrite(int block) {
        if (master.isReadOnly()) {
            abort();
            return;
        }
        if (beginTransfer(block)) {
            prepareWriteBlock();
        }
    }

    /** PIO data-out: DRQ without an interrupt for the first block, after that one per block. */
    private void prepareWriteBlock() {
        blockCount = (int) Math.min(blockSectors, remaining);
        bufferPos = 0;
        bufferLen = blockCount * AtaDisk.SECTOR_SIZE;
        transfer = Transfer.PIO_OUT;
        status = DRDY | DSC | DRQ;
    }

    private void pioOutBlockDone() {
        try {
            master.write(nextLba, buffer, 0, blockCount);
        } catch (IOException e) {
            setAddress(nextLba);
            fail(ABRT);
            return;
        }
        setAddress(nextLba + blockCount - 1);
        nextLba += blockCount;
        remaining -= blockCount;
        sectorCount = (int) (remaining & 0xFF);
        if (remaining > 0) {
            prepareWriteBlock();
        } else {
            transfer = Transfer.NONE;
            status = DRDY | DSC;
        }
        raiseInterrupt();
    }

    private void setMultipleMode() {
        int n = sectorCount;
        if (n == 0) {
            multipleCount = 0; // disables multiple mode
            complete();
        } else if (n <= AtaIdentify.MAX_MULTIPLE && Integer.bitCount(n) == 1) {
            multipleCount = n;
            complete();
        } else {
            abort();
        }
    }

    /** Sets the logical sectors per track (sector count) and heads (device bits 3:0, plus one). */
    private void initializeDeviceParameters() {
        int spt = sectorCount;
        int heads = (device & 0x0F) + 1;
        if (spt == 0) {
            abort();
            return;
        }
        long cylinders = Math.min(AtaGeometry.MAX_CYLINDERS, master.sectorCount() / ((long) heads * spt));
        if (cylinders == 0) {
            abort();
            return;
        }
        current = new AtaGeometry((int) cylinders, heads, spt);
        complete();
    }
}
