package dev.jvmx.translator.mem;

/** A device decoded in the physical address space; accesses to it always take the slow path. */
public interface MmioDevice {
    int mmioRead(int phys, int size);

    void mmioWrite(int phys, int size, int value);
}
