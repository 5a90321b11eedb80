package dev.jvmx.devices.timer;

import dev.jvmx.devices.IoDevice;

/**
 * Port 0x61, the AT's system control port B: bit 0 gates PIT counter 2, bit 1 enables the
 * speaker data, bits 2-3 enable parity/channel checks (kept), bit 4 the refresh toggle, bit 5
 * counter 2's OUT, bits 6-7 the check error flags (never set here).
 */
public final class SystemControlPortB implements IoDevice {
    public static final int PORT = 0x61;
    public static final int GATE2 = 0x01;
    public static final int SPEAKER_DATA = 0x02;
    public static final int REFRESH_TOGGLE = 0x10;
    public static final int OUT2 = 0x20;

    private final Pit8254 pit;
    private int control; // bits 0-3, written by software
    private boolean refresh;

    public SystemControlPortB(Pit8254 pit) {
        this.pit = pit;
    }

    @Override
    public synchronized int ioRead(int port, int size) {
        // Real boards toggle bit 4 every 15 us of DRAM refresh; flipping per read keeps
        // firmware loops that wait on it moving with no time base.
        refresh = !refresh;
        return control | (refresh ? REFRESH_TOGGLE : 0) | (pit.out(2) ? OUT2 : 0);
    }

    @Override
    public synchronized void ioWrite(int port, int size, int value) {
        control = value & 0x0F; // bits 4-7 are read-only
        pit.setGate2((control & GATE2) != 0);
    }

    public synchronized boolean speakerOn() {
        return (control & (GATE2 | SPEAKER_DATA)) == (GATE2 | SPEAKER_DATA);
    }
}
