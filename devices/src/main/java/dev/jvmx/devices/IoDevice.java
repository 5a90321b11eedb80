package dev.jvmx.devices;

/**
 * A device reached through the I/O port space. Sizes are 1, 2 or 4 bytes; values are
 * zero-extended to the access size. A device never throws on a port or value it does not
 * understand: it ignores the write, or answers the read as the real chip would.
 */
public interface IoDevice {
    int ioRead(int port, int size);

    void ioWrite(int port, int size, int value);
}
