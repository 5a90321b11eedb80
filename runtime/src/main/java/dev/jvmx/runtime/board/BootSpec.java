package dev.jvmx.runtime.board;

/**
 * QEMU's {@code -boot [order=]DRIVES[,once=DRIVES][,menu=on|off]}: the boot devices by
 * letter, a and b floppy, c the first hard disk, d the first CD-ROM, n network (the letters
 * QEMU's pc machine takes); the
 * default is "cad" as on QEMU's pc machine. The firmware reads the first three from CMOS.
 */
public final class BootSpec {
    public static final String DEFAULT_ORDER = "cad";

    public final String order;
    public final boolean menu;

    private BootSpec(String order, boolean menu) {
        this.order = order;
        this.menu = menu;
    }

    public static BootSpec defaults() {
        return new BootSpec(DEFAULT_ORDER, false);
    }

    public static BootSpec parse(String spec) {
        String order = null;
        boolean menu = false;
        for (String part : spec.split(",", -1)) {
            int eq = part.indexOf('=');
            String key = eq < 0 ? "order" : part.substring(0, eq);
            String value = eq < 0 ? part : part.substring(eq + 1);
            switch (key) {
                case "order", "once" -> order = letters(value);
                case "menu" -> menu = switch (value) {
                    case "on" -> true;
                    case "off" -> false;
                    default -> throw new IllegalArgumentException("-boot: menu must be on or off, got '" + value + "'");
                };
                default -> throw new IllegalArgumentException("-boot: unknown key '" + key + "' (known: order, once, menu)");
            }
        }
        return new BootSpec(order == null ? DEFAULT_ORDER : order, menu);
    }

    private static String letters(String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("-boot: no boot device given");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ("abcdn".indexOf(c) < 0) {
                throw new IllegalArgumentException("-boot: invalid boot device '" + c
                        + "' (a, b floppy; c first hard disk; d first CD-ROM; n network)");
            }
            if (value.indexOf(c) != i) {
                throw new IllegalArgumentException("-boot: boot device '" + c + "' given twice");
            }
        }
        return value;
    }

    /** The CMOS code of the i-th device (1 floppy, 2 hard disk, 3 CD-ROM, 4 network), 0 past the end. */
    public int cmosCode(int i) {
        if (i >= order.length()) {
            return 0;
        }
        char c = order.charAt(i);
        return switch (c) {
            case 'a', 'b' -> 1;
            case 'c' -> 2;
            case 'd' -> 3;
            default -> 4;
        };
    }
}
