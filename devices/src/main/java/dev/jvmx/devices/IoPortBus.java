package dev.jvmx.devices;

/**
 * The 64 KiB I/O port space. Ports no device claims read as all ones and ignore writes,
 * as on a PC's ISA bus with nothing decoding the address.
 */
public final class IoPortBus {
    private final IoDevice[] devices = new IoDevice[0x10000];

    public void register(int firstPort, int count, IoDevice device) {
        for (int p = firstPort; p < firstPort + count; p++) {
            if (devices[p] != null) {
                throw new IllegalStateException(String.format("I/O port %#x claimed twice", p));
            }
            devices[p] = device;
        }
    }

    /** Releases the ports of {@code first..first+count-1} that {@code device} holds (a relocatable block). */
    public void unregister(int firstPort, int count, IoDevice device) {
        for (int p = firstPort; p < firstPort + count; p++) {
            if (devices[p & 0xFFFF] == device) {
                devices[p & 0xFFFF] = null;
            }
        }
    }

    public IoDevice deviceAt(int port) {
        return devices[port & 0xFFFF];
    }

    public int read(int port, int size) {
        IoDevice d = devices[port & 0xFFFF];
        if (d == null) {
            return size == 1 ? 0xFF : size == 2 ? 0xFFFF : 0xFFFFFFFF;
        }
        return d.ioRead(port & 0xFFFF, size);
    }

    public void write(int port, int size, int value) {
        IoDevice d = devices[port & 0xFFFF];
        if (d != null) {
            d.ioWrite(port & 0xFFFF, size, value);
        }
    }
}
