package dev.jvmx.runtime;

import dev.jvmx.devices.debug.IsaDebugExit;

import java.util.Map;
import java.util.TreeMap;

/**
 * The devices {@code -device NAME,...} can add to the board, by QEMU's names. A device adds
 * itself here with {@link #register}; {@link Machine} attaches the configured ones after its
 * own devices.
 */
public final class DeviceRegistry {
    /** Puts one configured device on the machine; a bad property is an IllegalArgumentException in words. */
    @FunctionalInterface
    public interface Factory {
        void attach(Machine machine, DeviceSpec spec);
    }

    private static final Map<String, Factory> FACTORIES = new TreeMap<>();

    static {
        register("isa-debug-exit", DeviceRegistry::isaDebugExit);
    }

    private DeviceRegistry() { }

    public static synchronized void register(String name, Factory f) {
        FACTORIES.put(name, f);
    }

    public static synchronized Factory find(String name) {
        return FACTORIES.get(name);
    }

    public static synchronized String names() {
        return String.join(", ", FACTORIES.keySet());
    }

    /** QEMU's isa-debug-exit: iobase (default 0x501) and iosize (default 2) as QEMU has them. */
    private static void isaDebugExit(Machine m, DeviceSpec d) {
        d.only("iobase", "iosize");
        int base = (int) d.number("iobase", 0x501, 0, 0xFFFF);
        int size = (int) d.number("iosize", 2, 1, 4);
        if (base + size > 0x10000) {
            throw new IllegalArgumentException("-device " + d.text + ": the ports run past 0xFFFF");
        }
        m.registerPorts(base, size, new IsaDebugExit(m), d.text);
    }
}
