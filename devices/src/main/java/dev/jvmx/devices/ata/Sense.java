package dev.jvmx.devices.ata;

/**
 * SCSI sense data (SPC-3 4.5): a sense key with its additional sense code and qualifier.
 * The constants are the conditions a CD-ROM drive reports (SPC-3 Annex D, MMC-5 Annex F).
 */
public record Sense(int key, int asc, int ascq) {
    public static final int KEY_NO_SENSE = 0x0;
    public static final int KEY_NOT_READY = 0x2;
    public static final int KEY_MEDIUM_ERROR = 0x3;
    public static final int KEY_ILLEGAL_REQUEST = 0x5;
    public static final int KEY_UNIT_ATTENTION = 0x6;

    public static final Sense NO_SENSE = new Sense(KEY_NO_SENSE, 0x00, 0x00);
    public static final Sense MEDIUM_NOT_PRESENT_TRAY_CLOSED = new Sense(KEY_NOT_READY, 0x3A, 0x01);
    public static final Sense MEDIUM_NOT_PRESENT_TRAY_OPEN = new Sense(KEY_NOT_READY, 0x3A, 0x02);
    public static final Sense UNRECOVERED_READ_ERROR = new Sense(KEY_MEDIUM_ERROR, 0x11, 0x00);
    public static final Sense INVALID_COMMAND_OPERATION_CODE = new Sense(KEY_ILLEGAL_REQUEST, 0x20, 0x00);
    public static final Sense LBA_OUT_OF_RANGE = new Sense(KEY_ILLEGAL_REQUEST, 0x21, 0x00);
    public static final Sense INVALID_FIELD_IN_CDB = new Sense(KEY_ILLEGAL_REQUEST, 0x24, 0x00);
    public static final Sense SAVING_PARAMETERS_NOT_SUPPORTED = new Sense(KEY_ILLEGAL_REQUEST, 0x39, 0x00);
    public static final Sense MEDIUM_REMOVAL_PREVENTED = new Sense(KEY_ILLEGAL_REQUEST, 0x53, 0x02);
    public static final Sense ILLEGAL_MODE_FOR_THIS_TRACK = new Sense(KEY_ILLEGAL_REQUEST, 0x64, 0x00);
    public static final Sense MEDIUM_MAY_HAVE_CHANGED = new Sense(KEY_UNIT_ATTENTION, 0x28, 0x00);
    public static final Sense POWER_ON_RESET = new Sense(KEY_UNIT_ATTENTION, 0x29, 0x00);

    /** Fixed-format sense data (response code 70h, current error), 18 bytes. */
    public byte[] fixedFormat() {
        byte[] b = new byte[18];
        b[0] = 0x70;
        b[2] = (byte) key;
        b[7] = 10;                      // additional sense length: bytes 8-17
        b[12] = (byte) asc;
        b[13] = (byte) ascq;
        return b;
    }
}
