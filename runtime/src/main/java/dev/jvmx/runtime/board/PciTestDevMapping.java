package dev.jvmx.runtime.board;

import dev.jvmx.devices.IoDevice;
import dev.jvmx.devices.IoPortBus;
import dev.jvmx.devices.testdev.PciTestDev;
import dev.jvmx.translator.mem.MmioDevice;
import dev.jvmx.translator.mem.PhysicalMemory;

/**
 * Decodes pci-testdev's BARs where the guest put them: BAR0's 4 KiB page in the physical
 * address space (what was there before comes back when it moves), BAR1's 256 ports on the port
 * bus (ports another device holds stay with it).
 */
public final class PciTestDevMapping implements MmioDevice, IoDevice {
    private final PciTestDev dev;
    private final PhysicalMemory memory;
    private final IoPortBus bus;
    private final PamShadow.Invalidator invalidator;
    private long memoryMapped = -1;
    private int ioMapped = -1;

    public PciTestDevMapping(PciTestDev dev, PhysicalMemory memory, IoPortBus bus, PamShadow.Invalidator invalidator) {
        this.dev = dev;
        this.memory = memory;
        this.bus = bus;
        this.invalidator = invalidator;
        dev.setMappingListener(this::update);
    }

    public void update() {
        long mem = dev.memoryBase();
        if (mem == 0 || mem >= 0x1_0000_0000L) {
            mem = -1; // an unassigned BAR decodes nothing
        }
        if (mem != memoryMapped) {
            if (memoryMapped >= 0) {
                int page = (int) memoryMapped;
                if (Integer.toUnsignedLong(page) < Integer.toUnsignedLong(memory.ramSize)) {
                    memory.mapReadWrite(page, page, PhysicalMemory.PAGE_SIZE);
                } else {
                    memory.mapMmio(page, PhysicalMemory.PAGE_SIZE, null);
                }
                invalidator.pagesRemapped(page >>> PhysicalMemory.PAGE_SHIFT, 1);
            }
            memoryMapped = mem;
            if (mem >= 0) {
                memory.mapMmio((int) mem, PhysicalMemory.PAGE_SIZE, this);
                invalidator.pagesRemapped((int) mem >>> PhysicalMemory.PAGE_SHIFT, 1);
            }
        }
        int io = dev.ioBase();
        if (io == 0) {
            io = -1;
        }
        if (io != ioMapped) {
            if (ioMapped >= 0) {
                bus.unregister(ioMapped, PciTestDev.IO_SIZE, this);
            }
            ioMapped = io;
            if (io >= 0) {
                bus.registerWherever(io, PciTestDev.IO_SIZE, this);
            }
        }
    }

    @Override
    public int mmioRead(int phys, int size) {
        return dev.read(phys & (PciTestDev.MEMORY_SIZE - 1), size);
    }

    @Override
    public void mmioWrite(int phys, int size, int value) {
        dev.write(false, phys & (PciTestDev.MEMORY_SIZE - 1), size, value);
    }

    @Override
    public int ioRead(int port, int size) {
        return dev.read(port - ioMapped, size);
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        dev.write(true, port - ioMapped, size, value);
    }
}
