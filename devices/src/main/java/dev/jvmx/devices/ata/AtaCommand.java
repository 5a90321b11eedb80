package dev.jvmx.devices.ata;

/** ATA/ATAPI-6 command codes (Annex B, command summary) that the disk model knows. */
public final class AtaCommand {
    public static final int NOP = 0x00;
    public static final int DEVICE_RESET = 0x08;
    public static final int RECALIBRATE = 0x10;
    public static final int READ_SECTORS = 0x20;
    public static final int READ_SECTORS_NO_RETRY = 0x21;
    public static final int WRITE_SECTORS = 0x30;
    public static final int WRITE_SECTORS_NO_RETRY = 0x31;
    public static final int READ_VERIFY_SECTORS = 0x40;
    public static final int READ_VERIFY_SECTORS_NO_RETRY = 0x41;
    public static final int SEEK = 0x70;
    public static final int EXECUTE_DEVICE_DIAGNOSTIC = 0x90;
    public static final int INITIALIZE_DEVICE_PARAMETERS = 0x91;
    public static final int PACKET = 0xA0;
    public static final int IDENTIFY_PACKET_DEVICE = 0xA1;
    public static final int READ_MULTIPLE = 0xC4;
    public static final int WRITE_MULTIPLE = 0xC5;
    public static final int SET_MULTIPLE_MODE = 0xC6;
    public static final int STANDBY_IMMEDIATE = 0xE0;
    public static final int IDLE_IMMEDIATE = 0xE1;
    public static final int STANDBY = 0xE2;
    public static final int IDLE = 0xE3;
    public static final int CHECK_POWER_MODE = 0xE5;
    public static final int SLEEP = 0xE6;
    public static final int FLUSH_CACHE = 0xE7;
    public static final int IDENTIFY_DEVICE = 0xEC;
    public static final int SET_FEATURES = 0xEF;

    private AtaCommand() { }
}
