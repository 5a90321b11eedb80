package dev.jvmx.devices.debug;

import dev.jvmx.devices.IoDevice;

/** Port 0x80, where BIOSes write POST progress codes; the last code is kept and reads back. */
public final class PostPort implements IoDevice {
    public static final int PORT = 0x80;

    private volatile int lastCode;

    public int lastCode() {
        return lastCode;
    }

    @Override
    public int ioRead(int port, int size) {
        return lastCode;
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        lastCode = value & 0xFF;
    }
}
