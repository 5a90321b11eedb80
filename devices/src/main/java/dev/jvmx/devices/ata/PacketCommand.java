package dev.jvmx.devices.ata;

/** Operation codes of the packet commands (SPC-3, MMC-5) a CD-ROM drive is sent. */
public final class PacketCommand {
    public static final int TEST_UNIT_READY = 0x00;
    public static final int REQUEST_SENSE = 0x03;
    public static final int INQUIRY = 0x12;
    public static final int MODE_SELECT_6 = 0x15;
    public static final int MODE_SENSE_6 = 0x1A;
    public static final int START_STOP_UNIT = 0x1B;
    public static final int PREVENT_ALLOW_MEDIUM_REMOVAL = 0x1E;
    public static final int READ_FORMAT_CAPACITIES = 0x23;
    public static final int READ_CAPACITY = 0x25;
    public static final int READ_10 = 0x28;
    public static final int SEEK_10 = 0x2B;
    public static final int READ_SUBCHANNEL = 0x42;
    public static final int READ_TOC_PMA_ATIP = 0x43;
    public static final int GET_CONFIGURATION = 0x46;
    public static final int GET_EVENT_STATUS_NOTIFICATION = 0x4A;
    public static final int READ_DISC_INFORMATION = 0x51;
    public static final int READ_TRACK_INFORMATION = 0x52;
    public static final int MODE_SELECT_10 = 0x55;
    public static final int MODE_SENSE_10 = 0x5A;
    public static final int REPORT_LUNS = 0xA0;
    public static final int READ_12 = 0xA8;
    public static final int GET_PERFORMANCE = 0xAC;
    public static final int READ_DISC_STRUCTURE = 0xAD;
    public static final int SET_CD_SPEED = 0xBB;
    public static final int MECHANISM_STATUS = 0xBD;
    public static final int READ_CD = 0xBE;

    private PacketCommand() { }
}
