package dev.jvmx.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/** One {@code -device DRIVER[,PROP=VALUE...]} option, as QEMU spells it. */
public final class DeviceSpec {
    public final String driver;
    public final Map<String, String> props;
    /** The option as given, for messages. */
    public final String text;

    private DeviceSpec(String driver, Map<String, String> props, String text) {
        this.driver = driver;
        this.props = props;
        this.text = text;
    }

    public static DeviceSpec parse(String text) {
        String[] parts = text.split(",", -1);
        if (parts[0].isEmpty()) {
            throw new IllegalArgumentException("-device " + text + ": the device name comes first, e.g. -device isa-debug-exit,iobase=0xf4");
        }
        String driver = parts[0];
        if (driver.startsWith("driver=")) {
            driver = driver.substring(7);
        }
        Map<String, String> props = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            int eq = p.indexOf('=');
            if (p.isEmpty() || eq == 0) {
                throw new IllegalArgumentException("-device " + text + ": expected PROPERTY=VALUE after the name, got '" + p + "'");
            }
            props.put(eq < 0 ? p : p.substring(0, eq), eq < 0 ? "on" : p.substring(eq + 1));
        }
        return new DeviceSpec(driver, props, text);
    }

    /** An integer property (decimal, or hex with 0x) within [min, max], or {@code dflt} if absent. */
    public long number(String prop, long dflt, long min, long max) {
        String v = props.get(prop);
        if (v == null) {
            return dflt;
        }
        long n;
        try {
            n = v.startsWith("0x") || v.startsWith("0X") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-device " + text + ": " + prop + " must be a number, got '" + v + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(String.format("-device %s: %s must be between %#x and %#x, got %s", text, prop, min, max, v));
        }
        return n;
    }

    /** Refuses properties the device does not have. */
    public void only(String... known) {
        for (String p : props.keySet()) {
            boolean ok = false;
            for (String k : known) {
                ok |= k.equals(p);
            }
            if (!ok) {
                throw new IllegalArgumentException("-device " + text + ": " + driver + " has no property '" + p + "'"
                        + (known.length == 0 ? "" : " (it has: " + String.join(", ", known) + ")"));
            }
        }
    }
}
