package dev.jvmx.vmx;

/**
 * The VM-exit instruction-information field of an INS or OUTS exit (SDM Vol. 3C, table "Format of
 * the VM-Exit Instruction-Information Field as Used for INS and OUTS"): bits 9:7 address size (0
 * 16-bit, 1 32-bit, 2 64-bit), bits 17:15 the segment register (0 ES, 1 CS, 2 SS, 3 DS, 4 FS, 5
 * GS; undefined for INS, which always writes through ES); the other bits are undefined (0 here).
 * The exit's guest-linear address is that of the element (ES:(E)DI for INS, seg:(E)SI for OUTS).
 */
public final class InsOutsInfo {
    public static final int ADDRESS_SIZE_16 = 0;
    public static final int ADDRESS_SIZE_32 = 1;

    private InsOutsInfo() { }

    public static int encode(int addressSize, int segment) {
        if (addressSize < 0 || addressSize > 2) throw new IllegalArgumentException("address size must be 0-2: " + addressSize);
        if (segment < 0 || segment > 5) throw new IllegalArgumentException("segment register must be 0-5: " + segment);
        return addressSize << 7 | segment << 15;
    }

    public static int addressSize(long info) { return (int) (info >>> 7) & 7; }
    public static int segment(long info) { return (int) (info >>> 15) & 7; }
}
