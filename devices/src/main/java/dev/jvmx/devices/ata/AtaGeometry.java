package dev.jvmx.devices.ata;

/**
 * A cylinders/heads/sectors-per-track translation. The default one follows ATA-6's rule for
 * IDENTIFY DEVICE words 1, 3 and 6: 16 heads and 63 sectors per track, cylinders capped at
 * 16383; tiny images get fewer heads and sectors so that at least one cylinder exists.
 */
public record AtaGeometry(int cylinders, int heads, int sectorsPerTrack) {
    public static final int MAX_CYLINDERS = 16383;

    public static AtaGeometry forSectors(long sectors) {
        int spt = 63;
        int heads = 16;
        if (sectors < (long) heads * spt) {
            spt = (int) Math.min(63, sectors);
            heads = (int) Math.max(1, Math.min(16, sectors / spt));
        }
        long cyl = sectors / ((long) heads * spt);
        return new AtaGeometry((int) Math.max(1, Math.min(MAX_CYLINDERS, cyl)), heads, spt);
    }

    /** Sectors addressable through this translation. */
    public long capacity() {
        return (long) cylinders * heads * sectorsPerTrack;
    }
}
