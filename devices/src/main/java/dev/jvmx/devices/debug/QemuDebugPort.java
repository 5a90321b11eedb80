package dev.jvmx.devices.debug;

import dev.jvmx.devices.chr.CharSink;

/** The firmware debug port SeaBIOS and OVMF write to under QEMU (0x402); a debugcon at another address. */
public final class QemuDebugPort extends DebugConsole {
    public static final int PORT = 0x402;

    public QemuDebugPort(CharSink sink) {
        super(sink);
    }
}
