package dev.jvmx.devices.pci;

/**
 * The 82441FX PCI and Memory Controller (PMC) at 00:00.0: host bridge 8086:1237, class
 * 0600, revision 02. PAM0-PAM6 (0x59-0x5F) set the read/write attributes of the BIOS
 * shadow areas; SMRAM (0x72) controls the SMM space at 0xA0000.
 */
public final class I440fxHostBridge extends PciFunction {
    public static final int VENDOR = 0x8086;
    public static final int DEVICE = 0x1237;
    public static final int PAM0 = 0x59;
    public static final int PAM6 = 0x5F;
    public static final int SMRAM = 0x72;

    /** PAM nibble bits: RE read enable, WE write enable (bits 3:2 reserved). */
    public static final int PAM_RE = 0x1;
    public static final int PAM_WE = 0x2;

    // SMRAM register bits.
    public static final int D_OPEN = 0x40;
    public static final int D_CLS = 0x20;
    public static final int D_LCK = 0x10;
    public static final int G_SMRAME = 0x08;
    /** C_BASE_SEG, hardwired to 010b: SMM space at 0xA0000-0xBFFFF. */
    public static final int C_BASE_SEG = 0x02;

    /** 13 regions: 0 = 0xF0000 (64 KiB, PAM0 high nibble), 1..12 = 16 KiB from 0xC0000. */
    public static final int PAM_REGIONS = 13;

    private final PamListener pamListener;
    private final int[] pamState = new int[PAM_REGIONS];

    public I440fxHostBridge(PamListener pamListener) {
        super(new PciConfigSpace(VENDOR, DEVICE, 0x060000, 0x02, 0x00));
        this.pamListener = pamListener;
        config.set16(PciConfigSpace.COMMAND, 0x0006);   // memory and bus master enabled
        config.set16(PciConfigSpace.STATUS, 0x0280);     // fast back-to-back, medium DEVSEL
        config.setWriteOneToClear(PciConfigSpace.STATUS, 2, 0xF900);
        // Controller registers kept as plain storage: PMCCFG/DETURBO/DBC/AXC/DRAMR/DRAMC/DRAMT, DRB0-7, FDHC, MTT, CLT.
        config.setWritableBytes(0x50, 9);
        config.setWritableBytes(0x60, 9);
        config.setWritableBytes(0x70, 2);
        config.setWritable(PAM0, 1, 0x30);              // PAM0 bits 3:0 reserved
        for (int r = PAM0 + 1; r <= PAM6; r++) {
            config.setWritable(r, 1, 0x33);
        }
        config.set8(SMRAM, C_BASE_SEG);
        config.setWritable(SMRAM, 1, D_OPEN | D_CLS | D_LCK | G_SMRAME);
    }

    /** Physical base address of a PAM region. */
    public static int pamRegionBase(int region) {
        return region == 0 ? 0xF0000 : 0xC0000 + (region - 1) * 0x4000;
    }

    public static int pamRegionSize(int region) {
        return region == 0 ? 0x10000 : 0x4000;
    }

    /** Current attribute bits (PAM_RE | PAM_WE) of a region. */
    public int pamAttributes(int region) {
        return pamState[region];
    }

    public int smram() {
        return config.get8(SMRAM);
    }

    @Override
    protected void configWritten(int offset, int size) {
        if (touches(offset, size, SMRAM)) {
            smramWritten();
        }
        for (int reg = PAM0; reg <= PAM6; reg++) {
            if (touches(offset, size, reg)) {
                updatePam(reg);
            }
        }
    }

    private void updatePam(int reg) {
        int v = config.get8(reg);
        if (reg == PAM0) {
            notifyPam(0, (v >>> 4) & 3);
        } else {
            int lowRegion = 1 + (reg - PAM0 - 1) * 2;
            notifyPam(lowRegion, v & 3);
            notifyPam(lowRegion + 1, (v >>> 4) & 3);
        }
    }

    private void notifyPam(int region, int attributes) {
        if (pamState[region] != attributes) {
            pamState[region] = attributes;
            pamListener.pamChanged(region, (attributes & PAM_RE) != 0, (attributes & PAM_WE) != 0);
        }
    }

    /** Setting D_LCK clears D_OPEN and leaves only D_CLS writable until reset. */
    private void smramWritten() {
        int v = config.get8(SMRAM);
        if ((v & D_LCK) != 0) {
            config.set8(SMRAM, v & ~D_OPEN);
            config.setWritable(SMRAM, 1, D_CLS);
        }
    }
}
