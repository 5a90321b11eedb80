package dev.jvmx.runtime.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * A `jvmx boot` command line read without picocli, when every argument is one it knows.
 * picocli builds its model of a command from the annotations by reflection (a Proxy class per
 * annotation type), in cold code: 70-90 ms of a 650 ms SeaBIOS boot, which QEMU does in 160 ms.
 * This fills a BootCommand and its mixins as picocli would, defaults included. Anything else
 * (help, --version, an unknown, repeated or malformed option, a missing value, an @FILE) is
 * not read here: {@link #parse} returns null and picocli reads the line and says what is wrong.
 */
final class BootArgs {
    private BootArgs() { }

    /** The command picocli would fill from {@code args}, or null to leave the line to picocli. */
    static BootCommand parse(String[] args) {
        if (args.length == 0 || !args[0].equals("boot")) {
            return null;
        }
        BootCommand c = new BootCommand();
        c.storage = new DriveOptions();
        c.gdbStub = new GdbOptions();
        // By ordinal, not an EnumSet: an enum's first EnumSet finds its constants by reflection,
        // 1-2 ms of every start in code HotSpot has not compiled.
        boolean[] given = new boolean[BootOption.values().length];
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!plain(a)) {
                BootOption o = BootOption.named(a);
                String value = null;
                if (o == null) {
                    // --opt=value: picocli splits at the first '='; a flag takes no value that way here.
                    int eq = a.indexOf('=');
                    o = eq > 0 ? BootOption.named(a.substring(0, eq)) : null;
                    if (o == null || o.kind == BootOption.Kind.FLAG) {
                        return null;
                    }
                    value = a.substring(eq + 1);
                } else if (o.kind != BootOption.Kind.FLAG) {
                    if (i + 1 == args.length) {
                        return null;
                    }
                    value = args[++i];
                }
                if (value != null && !plain(value)) {
                    return null;
                }
                if (given[o.ordinal()] && o.kind != BootOption.Kind.LIST) {
                    return null; // picocli: "should be specified only once"
                }
                given[o.ordinal()] = true;
                if (!set(c, o, value)) {
                    return null;
                }
            } else if (c.storage.image == null) {
                c.storage.image = path(a); // IMAGE, arity 0..1
                if (c.storage.image == null) {
                    return null;
                }
            } else {
                return null;
            }
        }
        for (BootOption o : BootOption.values()) {
            if (o.defaultValue != null && !given[o.ordinal()] && !set(c, o, o.defaultValue)) {
                return null;
            }
        }
        return c;
    }

    /**
     * An argument read here as a value or IMAGE: not an option or "--" (a leading '-'), not an
     * argument file (a leading '@', which picocli expands). picocli takes some of these as
     * values too ("", "-x" after --append): such lines go to it, only slower.
     */
    private static boolean plain(String a) {
        return !a.isEmpty() && a.charAt(0) != '-' && a.charAt(0) != '@';
    }

    /** Path as picocli's converter makes it (Paths.get); null where it would refuse the value. */
    private static Path path(String s) {
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /** Sets the option's field from its value as picocli converts it; false where picocli might not take the value. */
    private static boolean set(BootCommand c, BootOption o, String v) {
        Path p = null;
        int n = 0;
        switch (o.kind) {
            case PATH -> {
                p = path(v);
                if (p == null) {
                    return false;
                }
            }
            case INT -> {
                // Plain decimal only: a sign, which picocli's converter also takes, goes to it.
                if (v.length() > 9) {
                    return false;
                }
                for (int k = 0; k < v.length(); k++) {
                    if (v.charAt(k) < '0' || v.charAt(k) > '9') {
                        return false;
                    }
                }
                n = Integer.parseInt(v);
            }
            default -> { }
        }
        DriveOptions d = c.storage;
        GdbOptions g = c.gdbStub;
        switch (o) {
            case KERNEL -> c.kernel = p;
            case INITRD -> c.initrd = p;
            case APPEND -> c.append = v;
            case BIOS -> c.bios = p;
            case MEMORY -> c.memory = v;
            case TIMEOUT -> c.timeout = v;
            case SERIAL -> c.serial = v;
            case QEMU_SERIAL -> c.qemuSerial.add(v);
            case DEBUGCON -> c.debugcon = v;
            case FIRMWARE_LOG -> c.firmwareLog = p;
            case HDA -> d.hda = p;
            case HDB -> d.hdb = p;
            case HDC -> d.hdc = p;
            case HDD -> d.hdd = p;
            case CDROM -> d.cdrom = p;
            case DRIVE -> d.drive.add(v);
            case BOOT_ORDER -> d.boot = v;
            case GDB_DEFAULT -> g.s = true;
            case GDB -> g.gdb = v;
            case START_STOPPED -> g.startStopped = true;
            case VGA_ROM -> c.vgaRom = v;
            case DISPLAY -> c.display = v;
            case NOGRAPHIC -> c.nographic = true;
            case SCREENSHOT -> c.screenshot = p;
            case CLOCK -> c.clock = v;
            case TCACHE_MB -> c.tcacheMiB = n;
            case NO_REBOOT -> c.noReboot = true;
            case DEVICE -> c.devices.add(v);
            case LOG -> c.logItems = v;
            case LOG_FILE -> c.logFile = p;
            case ACCEL -> c.accel = v;
            case MACHINE -> c.machine = v;
            case SMP -> c.smp = v;
            case CPU -> c.cpuModel = v;
            case NO_ACPI -> c.noAcpi = true;
            case NETWORK -> c.network.add(v);
            case NAME -> c.name = v;
            case PARALLEL -> c.parallel = v;
            case EXIT_STATS -> c.exitStats = true;
            case EXCEPTION_BITMAP -> c.exceptionBitmap = v;
            case NMI_EXITING -> c.nmiExiting = true;
            case EXTERNAL_INTERRUPT_EXITING -> c.externalInterruptExiting = true;
            case DUMP_CACHE -> c.dumpCache = p;
            case INSPECT -> c.inspect = true;
            default -> throw new AssertionError(o); // a row without its field
        }
        return true;
    }
}
