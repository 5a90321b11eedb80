package dev.jvmx.devices.debug;

import dev.jvmx.devices.IoDevice;
import dev.jvmx.devices.chr.CharSink;

/**
 * QEMU's ISA debug console (debugcon, usually port 0xE9): every byte written goes to the
 * sink; a read returns 0xE9, the value QEMU's readback property has by default, which lets a
 * guest detect the port.
 */
public class DebugConsole implements IoDevice {
    public static final int PORT = 0xE9;
    public static final int READBACK = 0xE9;

    private final CharSink sink;

    public DebugConsole(CharSink sink) {
        this.sink = sink;
    }

    @Override
    public int ioRead(int port, int size) {
        return READBACK;
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        // A wider OUT still carries one character: the low byte, as on an 8-bit ISA port.
        sink.write(value & 0xFF);
    }
}
