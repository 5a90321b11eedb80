package dev.jvmx.runtime.board;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The machine's physical memory map as e820 reports it (ACPI 6.5, 15 "System Address Map
 * Interfaces"), for a boot without firmware: conventional memory below the 1 KiB EBDA that a PC
 * BIOS keeps under 640 KiB, the BIOS area 0xE0000-0xFFFFF (where the machine puts its ACPI
 * tables), and the RAM above 1 MiB. A firmware (SeaBIOS) builds its own map from the RAM size.
 */
public final class MemoryMap {
    public static final int E820_RAM = 1;
    public static final int E820_RESERVED = 2;

    /** Start of the EBDA a PC BIOS keeps below 640 KiB; conventional RAM ends here. */
    public static final long EBDA_START = 0x9FC00;
    public static final long BIOS_AREA_START = 0xE0000;
    public static final long HIGH_MEMORY = 0x100000;

    /** One e820 entry: [base, base + length) of a type. */
    public record Range(long base, long length, int type) {
        public long end() {
            return base + length;
        }
    }

    private final List<Range> ranges = new ArrayList<>();

    private MemoryMap() { }

    /** The map of a PC with {@code ramBytes} of RAM (at least 1 MiB) and no firmware. */
    public static MemoryMap pc(long ramBytes) {
        MemoryMap m = new MemoryMap();
        m.ranges.add(new Range(0, EBDA_START, E820_RAM));
        m.ranges.add(new Range(EBDA_START, 0xA0000 - EBDA_START, E820_RESERVED));
        m.ranges.add(new Range(BIOS_AREA_START, HIGH_MEMORY - BIOS_AREA_START, E820_RESERVED));
        if (ramBytes > HIGH_MEMORY) {
            m.ranges.add(new Range(HIGH_MEMORY, ramBytes - HIGH_MEMORY, E820_RAM));
        }
        return m;
    }

    public List<Range> ranges() {
        return Collections.unmodifiableList(ranges);
    }

    /** True if [base, base + length) lies inside one RAM range. */
    public boolean isRam(long base, long length) {
        for (Range r : ranges) {
            if (r.type == E820_RAM && base >= r.base && base + length <= r.end()) {
                return true;
            }
        }
        return false;
    }

    /** The end of the highest RAM range. */
    public long ramTop() {
        long top = 0;
        for (Range r : ranges) {
            if (r.type == E820_RAM) {
                top = Math.max(top, r.end());
            }
        }
        return top;
    }
}
