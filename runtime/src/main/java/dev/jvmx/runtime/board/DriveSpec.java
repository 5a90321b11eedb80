package dev.jvmx.runtime.board;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One IDE drive as QEMU's {@code -drive} describes it: {@code file=PATH} (commas in it
 * doubled), {@code format=raw}, {@code if=ide}, {@code index=0..3} (or {@code bus=0..1} and
 * {@code unit=0..1}), {@code media=disk|cdrom}, {@code readonly=on|off}, {@code snapshot=on|off}.
 * {@code -hda}..{@code -hdd} and {@code -cdrom} are the same with a fixed index. Anything
 * else is a one-line IllegalArgumentException for the user.
 */
public final class DriveSpec {
    public enum Media { DISK, CDROM }

    /** Index 0 primary master, 1 primary slave, 2 secondary master, 3 secondary slave. */
    public static final int MAX_DRIVES = 4;

    /** The option the user wrote it with, for messages: "-hda", "-cdrom", "-drive". */
    public final String option;
    /** The image, or null for an empty CD-ROM drive. */
    public final Path file;
    public final Media media;
    /** 0..3, or -1: the first free index. */
    public final int index;
    public final boolean readOnly;
    public final boolean snapshot;
    /** format=raw given (or not given: raw is then assumed, after a look at the first bytes). */
    public final boolean formatGiven;

    public DriveSpec(String option, Path file, Media media, int index, boolean readOnly, boolean snapshot, boolean formatGiven) {
        this.option = option;
        this.file = file;
        this.media = media;
        this.index = index;
        this.readOnly = readOnly;
        this.snapshot = snapshot;
        this.formatGiven = formatGiven;
    }

    /** {@code -hda} (0) .. {@code -hdd} (3): a raw disk image at a fixed index. */
    public static DriveSpec disk(String option, Path file, int index) {
        return new DriveSpec(option, file, Media.DISK, index, false, false, false);
    }

    /** {@code -cdrom FILE}: the secondary master, as in QEMU. */
    public static DriveSpec cdrom(Path file) {
        return new DriveSpec("-cdrom", file, Media.CDROM, 2, true, false, false);
    }

    /** A CD-ROM drive is never written. */
    public boolean effectivelyReadOnly() {
        return readOnly || media == Media.CDROM;
    }

    /** The slot of an index in words: "primary master" .. "secondary slave". */
    public static String slotName(int index) {
        return (index / 2 == 0 ? "primary" : "secondary") + (index % 2 == 0 ? " master" : " slave");
    }

    public static DriveSpec parse(String spec) {
        return parse("-drive", spec);
    }

    public static DriveSpec parse(String option, String spec) {
        String file = null;
        boolean formatGiven = false;
        Media media = Media.DISK;
        int index = -1;
        int bus = -1;
        int unit = -1;
        boolean readOnly = false;
        boolean snapshot = false;
        for (String part : split(spec)) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(option + ": expected key=value, got '" + part + "' in '" + spec + "'");
            }
            String key = part.substring(0, eq);
            String value = part.substring(eq + 1);
            switch (key) {
                case "file" -> {
                    if (value.isEmpty()) {
                        throw new IllegalArgumentException(option + ": file= needs a path");
                    }
                    file = value;
                }
                case "format" -> {
                    if (!value.equals("raw")) {
                        throw new IllegalArgumentException(option + ": only format=raw is supported, got '" + value + "'"
                                + (value.equals("qcow2") || value.equals("vmdk") || value.equals("vdi") || value.equals("vpc")
                                ? " (convert it: qemu-img convert -O raw IMAGE IMAGE.raw)" : ""));
                    }
                    formatGiven = true;
                }
                case "if" -> {
                    if (!value.equals("ide")) {
                        throw new IllegalArgumentException(option + ": only if=ide is supported (two IDE channels), got '" + value + "'");
                    }
                }
                case "index" -> index = number(option, key, value, MAX_DRIVES - 1);
                case "bus" -> bus = number(option, key, value, 1);
                case "unit" -> unit = number(option, key, value, 1);
                case "media" -> media = switch (value) {
                    case "disk" -> Media.DISK;
                    case "cdrom" -> Media.CDROM;
                    default -> throw new IllegalArgumentException(option + ": media must be disk or cdrom, got '" + value + "'");
                };
                case "readonly" -> readOnly = onOff(option, key, value);
                case "snapshot" -> snapshot = onOff(option, key, value);
                default -> throw new IllegalArgumentException(option + ": unknown key '" + key
                        + "' (known: file, format, if, index, bus, unit, media, readonly, snapshot)");
            }
        }
        if (bus >= 0 || unit >= 0) {
            int byBus = Math.max(bus, 0) * 2 + Math.max(unit, 0);
            if (index >= 0 && index != byBus) {
                throw new IllegalArgumentException(option + ": index=" + index + " contradicts bus=" + bus + ",unit=" + unit);
            }
            index = byBus;
        }
        if (file == null && media != Media.CDROM) {
            throw new IllegalArgumentException(option + ": file=PATH is required, got '" + spec + "'");
        }
        return new DriveSpec(option, file == null ? null : Path.of(file), media, index, readOnly, snapshot, formatGiven);
    }

    /** Splits at single commas; ",," is a comma inside a value (QEMU's escape, e.g. in a file name). */
    private static List<String> split(String spec) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < spec.length(); i++) {
            char c = spec.charAt(i);
            if (c == ',' && i + 1 < spec.length() && spec.charAt(i + 1) == ',') {
                cur.append(',');
                i++;
            } else if (c == ',') {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString());
        return parts;
    }

    private static int number(String option, String key, String value, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 0 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new IllegalArgumentException(option + ": " + key + " must be 0.." + max
                + (key.equals("index") ? " (two IDE channels, master and slave)" : "") + ", got '" + value + "'");
    }

    private static boolean onOff(String option, String key, String value) {
        return switch (value) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException(option + ": " + key + " must be on or off, got '" + value + "'");
        };
    }

    /**
     * Gives each drive its slot: first those with an index, then the others in the order
     * given, each to the lowest free index. Two drives on one index, more than four drives
     * or one image for two drives are one-line errors.
     */
    public static DriveSpec[] assign(List<DriveSpec> drives) {
        DriveSpec[] slots = new DriveSpec[MAX_DRIVES];
        for (DriveSpec d : drives) {
            if (d.index >= 0) {
                if (slots[d.index] != null) {
                    throw new IllegalArgumentException(slots[d.index].option + " and " + d.option + " both use IDE index "
                            + d.index + " (" + slotName(d.index) + ")");
                }
                slots[d.index] = d;
            }
        }
        for (DriveSpec d : drives) {
            if (d.index < 0) {
                int free = 0;
                while (free < MAX_DRIVES && slots[free] != null) {
                    free++;
                }
                if (free == MAX_DRIVES) {
                    throw new IllegalArgumentException("more than four IDE drives (" + drives.size()
                            + " given): two channels hold a master and a slave each");
                }
                slots[free] = new DriveSpec(d.option, d.file, d.media, free, d.readOnly, d.snapshot, d.formatGiven);
            }
        }
        for (int i = 0; i < MAX_DRIVES; i++) {
            for (int j = i + 1; j < MAX_DRIVES; j++) {
                if (slots[i] != null && slots[j] != null && slots[i].file != null && slots[j].file != null
                        && sameFile(slots[i].file, slots[j].file)) {
                    throw new IllegalArgumentException("image " + slots[j].file + " is given for two drives ("
                            + slotName(i) + " and " + slotName(j) + ")");
                }
            }
        }
        return slots;
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return java.nio.file.Files.isSameFile(a, b);
        } catch (java.io.IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }
}
