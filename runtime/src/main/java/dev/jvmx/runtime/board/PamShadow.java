package dev.jvmx.runtime.board;

import dev.jvmx.devices.pci.I440fxHostBridge;
import dev.jvmx.devices.pci.PamListener;
import dev.jvmx.translator.mem.MmioDevice;
import dev.jvmx.translator.mem.PhysicalMemory;

/**
 * The 82441FX's Programmable Attribute Map applied to guest memory. Each of the 13 regions
 * of 0xC0000-0xFFFFF routes reads and writes either to DRAM (the RAM behind those
 * addresses, RAM offset = physical address) or to the PCI bus, where only the BIOS ROM's
 * low alias answers (everything else reads as all ones; writes are dropped):
 * <ul>
 * <li>RE=1 WE=1: DRAM, read-write;</li>
 * <li>RE=1 WE=0: DRAM, read-only;</li>
 * <li>RE=0 WE=0: the ROM alias or nothing;</li>
 * <li>RE=0 WE=1: reads from the ROM alias, writes to DRAM (a slow-path window).</li>
 * </ul>
 * After each change the TLB is flushed and translations of the region's pages dropped.
 */
public final class PamShadow implements PamListener {
    /** What the machine must do after pages changed their meaning. */
    public interface Invalidator {
        void pagesRemapped(int firstPage, int pageCount);
    }

    private final PhysicalMemory memory;
    private final Invalidator invalidator;
    private int romAliasBase = 0x100000;
    /** Where the alias's bytes are, from the start of the ROM space (which moves: PhysicalMemory.grow). */
    private int romAliasOffset;

    public PamShadow(PhysicalMemory memory, Invalidator invalidator) {
        this.memory = memory;
        this.invalidator = invalidator;
    }

    /** The ROM's low alias (BiosLoader): physical {@code base} up to 1 MiB at array offset {@code offset}. */
    public void setRomAlias(int base, int offset) {
        romAliasBase = base;
        romAliasOffset = offset - memory.romBase();
    }

    /** The power-on state: every PAM register 0, all of 0xC0000-0xFFFFF on the PCI bus. */
    public void reset() {
        for (int r = 0; r < I440fxHostBridge.PAM_REGIONS; r++) {
            pamChanged(r, false, false);
        }
    }

    @Override
    public void pamChanged(int region, boolean readEnable, boolean writeEnable) {
        int base = I440fxHostBridge.pamRegionBase(region);
        int size = I440fxHostBridge.pamRegionSize(region);
        for (int a = base; a < base + size; a += PhysicalMemory.PAGE_SIZE) {
            mapPage(a, readEnable, writeEnable);
        }
        invalidator.pagesRemapped(base >>> PhysicalMemory.PAGE_SHIFT, size >>> PhysicalMemory.PAGE_SHIFT);
    }

    private void mapPage(int phys, boolean re, boolean we) {
        int ram = phys; // RAM offset = physical address below the RAM size
        if (re) {
            if (we) {
                memory.mapReadWrite(phys, ram, PhysicalMemory.PAGE_SIZE);
            } else {
                memory.mapReadOnly(phys, ram, PhysicalMemory.PAGE_SIZE);
            }
        } else if (we) {
            memory.mapMmio(phys, PhysicalMemory.PAGE_SIZE, new WriteToRam(phys));
        } else if (phys >= romAliasBase) {
            memory.mapReadOnly(phys, memory.romBase() + romAliasOffset + (phys - romAliasBase), PhysicalMemory.PAGE_SIZE);
        } else {
            memory.mapMmio(phys, PhysicalMemory.PAGE_SIZE, null);
        }
    }

    /** RE=0 WE=1: reads come from the PCI side (ROM alias or all ones), writes go to DRAM. */
    private final class WriteToRam implements MmioDevice {
        private final int page;

        WriteToRam(int page) {
            this.page = page;
        }

        @Override
        public int mmioRead(int phys, int size) {
            int v = 0;
            for (int i = 0; i < size; i++) {
                int a = phys + i;
                int b = a >= romAliasBase && (a & ~(PhysicalMemory.PAGE_SIZE - 1)) == page
                        ? memory.array[memory.romBase() + romAliasOffset + (a - romAliasBase)] & 0xFF : 0xFF;
                v |= b << (8 * i);
            }
            return v;
        }

        @Override
        public void mmioWrite(int phys, int size, int value) {
            for (int i = 0; i < size; i++) {
                memory.array[phys + i] = (byte) (value >>> (8 * i));
            }
        }
    }
}
