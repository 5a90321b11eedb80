package dev.jvmx.devices.ata;

import java.io.IOException;
import java.util.Arrays;

import static dev.jvmx.devices.ata.MmcData.be16;
import static dev.jvmx.devices.ata.MmcData.be32;

/**
 * An ATAPI CD-ROM drive (ATA/ATAPI-6 PACKET command feature set, PIO only) over an image of
 * 2048-byte sectors, or empty. It answers the ATA commands a packet device has, posts the
 * packet signature (14h, EBh) and runs the SPC/MMC commands SeaBIOS and Linux send.
 *
 * <p>PACKET protocol (ATA-6 9.10, PIO data-in): after command A0h the drive asks for the
 * 12-byte packet (DRQ, interrupt reason CoD=1 IO=0, no interrupt); each data block is
 * announced with its byte count in LBA mid/high (at most the host's byte count limit),
 * interrupt reason IO=1 CoD=0, DRQ and an interrupt; the end is interrupt reason CoD=1 IO=1,
 * DRQ clear and an interrupt, with ERR (CHK) set and the sense key in the error register's
 * high nibble when the command ended in CHECK CONDITION. REQUEST SENSE then returns the
 * sense data.
 */
public final class AtapiCdrom extends AtaDevice {
    public static final int SECTOR_SIZE = 2048;
    /** Sectors read into the buffer at a time. */
    private static final int BUFFER_SECTORS = 32;

    // Interrupt reason (the sector count register) bits.
    static final int COD = 0x01;
    static final int IO = 0x02;

    private final BlockImage image;
    private final long sectors;

    private boolean trayOpen;
    private boolean locked;
    private Sense sense = Sense.NO_SENSE;
    private Sense unitAttention = Sense.POWER_ON_RESET;
    private int mediaEvent = MmcData.EVENT_NO_CHANGE;

    private boolean packetPhase;
    private boolean identifyData;
    private final byte[] packet = new byte[12];
    private int byteCountLimit;
    /** Bytes of the buffer still to be sent, from bufferLen on, and sectors not yet read. */
    private int dataEnd;
    private long readLba;
    private long readRemaining;

    /** A drive with {@code image} inserted, or empty when null; an image that is not whole CD sectors is refused. */
    public AtapiCdrom(BlockImage image) {
        super(BUFFER_SECTORS * SECTOR_SIZE);
        if (image != null && image.size() % SECTOR_SIZE != 0) {
            throw new IllegalArgumentException("CD-ROM image " + image.name() + " is " + image.size()
                    + " bytes, not a multiple of the 2048-byte CD sector size");
        }
        this.image = image;
        this.sectors = image == null ? 0 : image.size() / SECTOR_SIZE;
        postSignature();
        error = 0x01;
    }

    @Override
    public BlockImage image() {
        return image;
    }

    @Override
    public String kind() {
        return "CD-ROM";
    }

    public long sectorCount() {
        return sectors;
    }

    private boolean mediumPresent() {
        return image != null && !trayOpen;
    }

    @Override
    protected void postSignature() {
        setSignature(0x14, 0xEB);
        status = 0x00; // a packet device leaves DRDY clear after a reset
        packetPhase = false;
    }

    // ---------------------------------------------------------------- ATA commands

    @Override
    protected void command(int cmd) {
        packetPhase = false;
        identifyData = false;
        switch (cmd) {
            case AtaCommand.PACKET -> startPacket();
            case AtaCommand.IDENTIFY_PACKET_DEVICE -> {
                System.arraycopy(AtaIdentify.packetDevice(), 0, buffer, 0, 512);
                identifyData = true;
                startPioIn(512, true);
            }
            case AtaCommand.IDENTIFY_DEVICE, AtaCommand.READ_SECTORS, AtaCommand.READ_SECTORS_NO_RETRY -> {
                // ATA-6 8.15 (and ATA-4 for READ SECTORS): a packet device aborts them and shows its signature.
                setSignature(0x14, 0xEB);
                abort();
            }
            case AtaCommand.DEVICE_RESET -> {
                // Resets this device alone: signature, diagnostic code 01h, status 00h, no interrupt.
                postSignature();
                error = 0x01;
            }
            case AtaCommand.CHECK_POWER_MODE -> {
                sectorCount = 0xFF;
                ataComplete();
            }
            case AtaCommand.IDLE_IMMEDIATE, AtaCommand.STANDBY_IMMEDIATE, AtaCommand.IDLE,
                 AtaCommand.STANDBY, AtaCommand.SLEEP -> ataComplete();
            case AtaCommand.SET_FEATURES -> {
                boolean pioMode = features == 0x03
                        && (sectorCount == 0x00 || sectorCount == 0x01 || (sectorCount >= 0x08 && sectorCount <= 0x0C));
                if (pioMode || features == 0x66 || features == 0xCC) {
                    ataComplete();
                } else {
                    abort();
                }
            }
            default -> abort(); // NOP, FLUSH CACHE, DMA and everything else
        }
    }

    private void ataComplete() {
        status = DRDY | DSC;
        raiseInterrupt();
    }

    private void abort() {
        transfer = Transfer.NONE;
        error = ABRT;
        status = DRDY | ERR;
        raiseInterrupt();
    }

    /** PACKET: PIO only (features bit 0, DMA, is refused); the host writes the 12-byte command next. */
    private void startPacket() {
        if ((features & 0x01) != 0) {
            abort();
            return;
        }
        byteCountLimit = lbaMid | lbaHigh << 8;
        packetPhase = true;
        sectorCount = COD;
        startPioOut(packet.length);
    }

    @Override
    protected void pioOutBlockDone() {
        if (!packetPhase) {
            return;
        }
        packetPhase = false;
        System.arraycopy(buffer, 0, packet, 0, packet.length);
        Arrays.fill(buffer, 0, packet.length, (byte) 0);
        executePacket();
    }

    // ---------------------------------------------------------------- packet protocol

    /** Completion: interrupt reason CoD|IO, DRQ clear, an interrupt. */
    private void packetGood() {
        sectorCount = COD | IO;
        status = DRDY | DSC;
        raiseInterrupt();
    }

    /** CHECK CONDITION: the sense is kept for REQUEST SENSE, its key shown in the error register. */
    private void checkCondition(Sense s) {
        transfer = Transfer.NONE;
        readRemaining = 0;
        sense = s;
        error = s.key() << 4 | (s.key() == Sense.KEY_ILLEGAL_REQUEST ? ABRT : 0);
        sectorCount = COD | IO;
        status = DRDY | DSC | ERR;
        raiseInterrupt();
    }

    /** Sends {@code data}, cut to the allocation length, in blocks of at most the byte count limit. */
    private void sendData(byte[] data, int allocationLength) {
        int n = Math.min(data.length, allocationLength);
        if (n == 0) {
            packetGood();
            return;
        }
        System.arraycopy(data, 0, buffer, 0, n);
        bufferLen = 0;
        dataEnd = n;
        readRemaining = 0;
        nextDataBlock();
    }

    /**
     * Announces the next DRQ block from bufferLen (where the last one ended): at most the
     * byte count limit, taken even (an odd limit one less, 0 as FFFEh), so only the last
     * block of a transfer can be odd; the buffer is refilled from the image when used up.
     */
    private void nextDataBlock() {
        int from = bufferLen;
        if (from >= dataEnd) {
            if (readRemaining == 0) {
                packetGood();
                return;
            }
            if (!fillFromImage()) {
                return;
            }
            from = 0;
        }
        int limit = byteCountLimit == 0 ? 0xFFFE : Math.max(2, byteCountLimit & ~1);
        int n = Math.min(limit, dataEnd - from);
        lbaMid = n & 0xFF;
        lbaHigh = (n >>> 8) & 0xFF;
        sectorCount = IO;
        startPioIn(from, from + n, true);
    }

    @Override
    protected void pioInBlockDone() {
        if (identifyData) {
            identifyData = false;
            status = DRDY | DSC; // IDENTIFY PACKET DEVICE: one block, no completion interrupt
            return;
        }
        nextDataBlock();
    }

    /** Reads the next sectors of a READ into the buffer; false after a CHECK CONDITION. */
    private boolean fillFromImage() {
        int n = (int) Math.min(BUFFER_SECTORS, readRemaining);
        try {
            image.read(readLba * SECTOR_SIZE, buffer, 0, n * SECTOR_SIZE);
        } catch (IOException e) {
            ioError("read", e);
            checkCondition(Sense.UNRECOVERED_READ_ERROR);
            return false;
        }
        readLba += n;
        readRemaining -= n;
        dataEnd = n * SECTOR_SIZE;
        return true;
    }

    private void executePacket() {
        int op = packet[0] & 0xFF;
        if (op != PacketCommand.REQUEST_SENSE) {
            sense = Sense.NO_SENSE;
        }
        // A pending unit attention ends any command but these (SPC-3 5.8.6, MMC-5 4.1.6.1).
        boolean reportsUnitAttention = op != PacketCommand.INQUIRY && op != PacketCommand.REQUEST_SENSE
                && op != PacketCommand.GET_CONFIGURATION && op != PacketCommand.GET_EVENT_STATUS_NOTIFICATION;
        if (unitAttention != null && reportsUnitAttention) {
            Sense ua = unitAttention;
            unitAttention = null;
            checkCondition(ua);
            return;
        }
        switch (op) {
            case PacketCommand.TEST_UNIT_READY -> {
                if (needMedium()) {
                    packetGood();
                }
            }
            case PacketCommand.REQUEST_SENSE -> requestSense();
            case PacketCommand.INQUIRY -> {
                if ((packet[1] & 0x01) != 0 || packet[2] != 0) {
                    checkCondition(Sense.INVALID_FIELD_IN_CDB); // no vital product data pages
                } else {
                    sendData(MmcData.inquiry(), be16(packet, 3));
                }
            }
            case PacketCommand.START_STOP_UNIT -> startStopUnit();
            case PacketCommand.PREVENT_ALLOW_MEDIUM_REMOVAL -> {
                locked = (packet[4] & 0x01) != 0;
                packetGood();
            }
            case PacketCommand.READ_CAPACITY -> {
                if (needMedium()) {
                    sendData(MmcData.readCapacity(sectors), 8);
                }
            }
            case PacketCommand.READ_10 -> read(be32(packet, 2), be16(packet, 7));
            case PacketCommand.READ_12 -> read(be32(packet, 2), be32(packet, 6));
            case PacketCommand.READ_CD -> readCd();
            case PacketCommand.SEEK_10 -> {
                if (needMedium()) {
                    if (be32(packet, 2) >= sectors) {
                        checkCondition(Sense.LBA_OUT_OF_RANGE);
                    } else {
                        packetGood();
                    }
                }
            }
            case PacketCommand.READ_TOC_PMA_ATIP -> readToc();
            case PacketCommand.MODE_SENSE_10 -> modeSense();
            case PacketCommand.GET_CONFIGURATION -> {
                byte[] d = MmcData.configuration(packet[1] & 0x03, be16(packet, 2), mediumPresent(), sectors);
                if (d == null) {
                    checkCondition(Sense.INVALID_FIELD_IN_CDB);
                } else {
                    sendData(d, be16(packet, 7));
                }
            }
            case PacketCommand.GET_EVENT_STATUS_NOTIFICATION -> {
                if ((packet[1] & 0x01) == 0) {
                    checkCondition(Sense.INVALID_FIELD_IN_CDB); // asynchronous notification is not supported
                } else {
                    byte[] d = MmcData.eventStatus(packet[4] & 0xFF, mediaEvent, mediumPresent(), trayOpen);
                    if ((packet[4] & 0x10) != 0) {
                        mediaEvent = MmcData.EVENT_NO_CHANGE; // reported once
                    }
                    sendData(d, be16(packet, 7));
                }
            }
            case PacketCommand.READ_DISC_INFORMATION -> {
                if ((packet[1] & 0x07) != 0) {
                    checkCondition(Sense.INVALID_FIELD_IN_CDB);
                } else if (needMedium()) {
                    sendData(MmcData.discInformation(), be16(packet, 7));
                }
            }
            case PacketCommand.MECHANISM_STATUS -> sendData(MmcData.mechanismStatus(trayOpen), be16(packet, 8));
            case PacketCommand.SET_CD_SPEED -> packetGood();
            default -> checkCondition(Sense.INVALID_COMMAND_OPERATION_CODE);
        }
    }

    /** True when a medium is in; otherwise ends the command NOT READY, MEDIUM NOT PRESENT. */
    private boolean needMedium() {
        if (mediumPresent()) {
            return true;
        }
        checkCondition(trayOpen ? Sense.MEDIUM_NOT_PRESENT_TRAY_OPEN : Sense.MEDIUM_NOT_PRESENT_TRAY_CLOSED);
        return false;
    }

    private void requestSense() {
        // The sense of the last CHECK CONDITION first, then a pending unit attention, then the state.
        Sense s = sense;
        if (s.key() == Sense.KEY_NO_SENSE && unitAttention != null) {
            s = unitAttention;
            unitAttention = null;
        } else if (s.key() == Sense.KEY_NO_SENSE && !mediumPresent()) {
            s = trayOpen ? Sense.MEDIUM_NOT_PRESENT_TRAY_OPEN : Sense.MEDIUM_NOT_PRESENT_TRAY_CLOSED;
        }
        sense = Sense.NO_SENSE;
        sendData(s.fixedFormat(), packet[4] & 0xFF);
    }

    private void read(long lba, long count) {
        if (!needMedium()) {
            return;
        }
        if (lba + count > sectors) {
            checkCondition(Sense.LBA_OUT_OF_RANGE);
            return;
        }
        if (count == 0) {
            packetGood();
            return;
        }
        readLba = lba;
        readRemaining = count;
        bufferLen = 0;
        dataEnd = 0;
        nextDataBlock();
    }

    /**
     * READ CD for user data only (byte 9 = 10h) of data sectors (expected sector type any,
     * Mode 1 or Mode 2 Form 1); nothing (byte 9 = 0) is a transfer of zero bytes. Raw
     * sectors, headers and sub-channel data are not synthesised.
     */
    private void readCd() {
        int type = (packet[1] >>> 2) & 0x07;
        int select = packet[9] & 0xFF;
        long count = (packet[6] & 0xFF) << 16 | be16(packet, 7);
        if (type == 1) {
            if (needMedium()) {
                checkCondition(Sense.ILLEGAL_MODE_FOR_THIS_TRACK); // CD-DA asked of a data track
            }
        } else if (select == 0x00) {
            if (needMedium()) {
                packetGood();
            }
        } else if (select == 0x10 && (type == 0 || type == 2 || type == 4)) {
            read(be32(packet, 2), count);
        } else {
            checkCondition(Sense.INVALID_FIELD_IN_CDB);
        }
    }

    private void startStopUnit() {
        boolean start = (packet[4] & 0x01) != 0;
        boolean loadEject = (packet[4] & 0x02) != 0;
        if (!loadEject) {
            packetGood(); // spin up or down: nothing to do
            return;
        }
        if (!start) {
            if (locked) {
                checkCondition(Sense.MEDIUM_REMOVAL_PREVENTED);
                return;
            }
            if (!trayOpen) {
                trayOpen = true;
                if (image != null) {
                    mediaEvent = MmcData.EVENT_MEDIA_REMOVAL;
                }
            }
        } else if (trayOpen) {
            trayOpen = false;
            if (image != null) {
                mediaEvent = MmcData.EVENT_NEW_MEDIA;
                unitAttention = Sense.MEDIUM_MAY_HAVE_CHANGED;
            }
        }
        packetGood();
    }

    private void readToc() {
        if (!needMedium()) {
            return;
        }
        boolean msf = (packet[1] & 0x02) != 0;
        int format = packet[2] & 0x0F;
        if (format == 0) {
            format = (packet[9] & 0xFF) >>> 6; // the older place of the format field
        }
        byte[] d = MmcData.toc(format, msf, packet[6] & 0xFF, sectors);
        if (d == null) {
            checkCondition(Sense.INVALID_FIELD_IN_CDB);
        } else {
            sendData(d, be16(packet, 7));
        }
    }

    private void modeSense() {
        int pc = (packet[2] & 0xFF) >>> 6;
        int page = packet[2] & 0x3F;
        if (pc == 3) {
            checkCondition(Sense.SAVING_PARAMETERS_NOT_SUPPORTED);
            return;
        }
        byte[] d = MmcData.modeSense(page, pc == 1, mediumPresent(), locked);
        if (d == null) {
            checkCondition(Sense.INVALID_FIELD_IN_CDB);
        } else {
            sendData(d, be16(packet, 7));
        }
    }
}
