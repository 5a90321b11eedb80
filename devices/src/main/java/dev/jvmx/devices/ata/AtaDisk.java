package dev.jvmx.devices.ata;

import java.io.IOException;

/**
 * An ATA hard disk (ATA/ATAPI-6 general and power-management feature sets, PIO only, LBA28
 * and CHS) over a {@link BlockImage} of 512-byte sectors. It reports a volatile write cache,
 * enabled, as QEMU's disk does: a guest that wants its data durable issues FLUSH CACHE,
 * which forces the image to the storage device. With the cache disabled (SET FEATURES 82h)
 * every write command is forced before it completes.
 *
 * <p>Errors of the image reach the guest as the ATA spec words them: a failed read is UNC
 * (uncorrectable data) with the failing sector in the LBA registers; a failed write (an
 * I/O error, a full file system) is ABRT (the device could not complete the command) with
 * the first sector of the failed block; a failed flush is ABRT with the lowest sector
 * written since the last good flush. QEMU reports them all as ABRT.
 */
public final class AtaDisk extends AtaDevice {
    public static final int SECTOR_SIZE = 512;

    private final BlockImage image;
    private final long totalSectors;
    private final AtaGeometry geometry;

    private int multipleCount;
    private AtaGeometry current;
    private boolean writeCache = true;
    /** Lowest sector written since the last successful flush, or -1. */
    private long unflushedLow = -1;

    private long nextLba;
    private long remaining;
    private int blockSectors;
    private int blockCount;

    /** A disk over {@code image}; an image that is not whole 512-byte sectors is a one-line IllegalArgumentException. */
    public AtaDisk(BlockImage image) {
        super(AtaIdentify.MAX_MULTIPLE * SECTOR_SIZE);
        long size = image.size();
        if (size < SECTOR_SIZE) {
            throw new IllegalArgumentException("disk image " + image.name() + " is " + size
                    + " bytes; it must hold at least one 512-byte sector");
        }
        if (size % SECTOR_SIZE != 0) {
            throw new IllegalArgumentException("disk image " + image.name() + " is " + size
                    + " bytes, not a multiple of the 512-byte sector size");
        }
        this.image = image;
        this.totalSectors = size / SECTOR_SIZE;
        this.geometry = AtaGeometry.forSectors(totalSectors);
        resetState();
        postSignature();
        error = 0x01;
    }

    @Override
    public BlockImage image() {
        return image;
    }

    @Override
    public String kind() {
        return "disk";
    }

    public long sectorCount() {
        return totalSectors;
    }

    public boolean isReadOnly() {
        return image.isReadOnly();
    }

    /** The default CHS geometry reported in IDENTIFY DEVICE words 1, 3 and 6. */
    public AtaGeometry geometry() {
        return geometry;
    }

    boolean writeCacheEnabled() {
        return writeCache;
    }

    @Override
    protected void resetState() {
        multipleCount = 0;
        current = geometry;
    }

    @Override
    protected void postSignature() {
        setSignature(0x00, 0x00);
        status = DRDY | DSC;
    }

    // ---------------------------------------------------------------- commands

    @Override
    protected void command(int cmd) {
        switch (cmd) {
            case AtaCommand.IDENTIFY_DEVICE -> {
                System.arraycopy(AtaIdentify.disk(this, current, multipleCount), 0, buffer, 0, 512);
                startPioIn(512, true);
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
            case AtaCommand.FLUSH_CACHE -> flushCache();
            case AtaCommand.INITIALIZE_DEVICE_PARAMETERS -> initializeDeviceParameters();
            case AtaCommand.CHECK_POWER_MODE -> {
                sectorCount = 0xFF; // active or idle
                complete();
            }
            case AtaCommand.SET_FEATURES -> setFeatures();
            case AtaCommand.STANDBY_IMMEDIATE, AtaCommand.IDLE_IMMEDIATE, AtaCommand.STANDBY, AtaCommand.IDLE -> complete();
            default -> {
                if ((cmd & 0xF0) == AtaCommand.RECALIBRATE || (cmd & 0xF0) == AtaCommand.SEEK) {
                    complete();
                } else {
                    abort(); // NOP, IDENTIFY PACKET DEVICE, PACKET, LBA48 and everything unknown
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

    /** SET FEATURES (ATA-6 8.37): the subcommands a PIO disk with a write cache has. */
    private void setFeatures() {
        switch (features) {
            case 0x02 -> writeCache = true;
            case 0x82 -> {
                if (!flushImage()) {
                    return;
                }
                writeCache = false;
            }
            case 0x03 -> {
                // Set transfer mode: PIO default (00h, 01h) or PIO flow control mode 0-4 (08h-0Ch); no DMA here.
                int mode = sectorCount;
                if (!(mode == 0x00 || mode == 0x01 || (mode >= 0x08 && mode <= 0x0C))) {
                    abort();
                    return;
                }
            }
            case 0x55, 0xAA, 0x66, 0xCC -> { } // read look-ahead off/on, reverting to defaults off/on
            default -> {
                abort();
                return;
            }
        }
        complete();
    }

    private void flushCache() {
        if (flushImage()) {
            complete();
        }
    }

    /** Forces the image; on failure reports ABRT with the lowest unflushed sector and returns false. */
    private boolean flushImage() {
        try {
            image.flush();
            unflushedLow = -1;
            return true;
        } catch (IOException e) {
            ioError("flush", e);
            if (unflushedLow >= 0) {
                setAddress(unflushedLow);
            }
            fail(ABRT);
            return false;
        }
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
        if (lba + sectorsRequested() > totalSectors) {
            fail(IDNF);
            return -1;
        }
        return lba;
    }

    /** Leaves the address of a sector (the last transferred, or the failing one) in the command block. */
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
            image.read(nextLba * SECTOR_SIZE, buffer, 0, n * SECTOR_SIZE);
        } catch (IOException e) {
            ioError("read", e);
            setAddress(nextLba);
            fail(UNC);
            return;
        }
        setAddress(nextLba + n - 1);
        nextLba += n;
        remaining -= n;
        sectorCount = (int) (remaining & 0xFF);
        startPioIn(n * SECTOR_SIZE, true);
    }

    @Override
    protected void pioInBlockDone() {
        if (remaining > 0) {
            loadReadBlock();
        } else {
            status = DRDY | DSC; // no interrupt after the last block of a read
        }
    }

    private void startWrite(int block) {
        if (image.isReadOnly()) {
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
        startPioOut(blockCount * SECTOR_SIZE);
    }

    @Override
    protected void pioOutBlockDone() {
        try {
            image.write(nextLba * SECTOR_SIZE, buffer, 0, blockCount * SECTOR_SIZE);
            if (unflushedLow < 0 || nextLba < unflushedLow) {
                unflushedLow = nextLba;
            }
        } catch (IOException e) {
            ioError("write", e);
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
        } else if (writeCache || flushImage()) {
            status = DRDY | DSC;
        } else {
            return; // the write-through flush failed and was reported
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
        long cylinders = Math.min(AtaGeometry.MAX_CYLINDERS, totalSectors / ((long) heads * spt));
        if (cylinders == 0) {
            abort();
            return;
        }
        current = new AtaGeometry((int) cylinders, heads, spt);
        complete();
    }
}
