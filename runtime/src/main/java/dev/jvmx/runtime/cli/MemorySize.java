package dev.jvmx.runtime.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * QEMU's {@code -m [size=]SIZE}: a number of MiB, or a number (fractions allowed) with a
 * suffix K, M, G or T (binary units, either case). jvmx keeps RAM in whole MiB.
 */
final class MemorySize {
    /** RAM and the 16 MiB of ROM space are one Java array, which holds at most 2 GiB - 1 bytes. */
    static final int MAX_MIB = 2031;
    static final int MIN_MIB = 2;

    private MemorySize() { }

    /** The size in MiB, or an IllegalArgumentException whose message says what is wrong in words. */
    static int parseMiB(String spec) {
        String s = spec.trim();
        if (s.startsWith("size=")) {
            s = s.substring(5);
        }
        if (s.contains(",")) {
            throw new IllegalArgumentException("-m " + spec + ": jvmx takes only a size (no slots= or maxmem=: memory hotplug is not supported)");
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("-m needs a size, e.g. -m 128 (MiB) or -m 1G");
        }
        char last = Character.toUpperCase(s.charAt(s.length() - 1));
        long unit = 1L << 20;
        String number = s;
        if ("BKMGT".indexOf(last) >= 0) {
            unit = switch (last) {
                case 'B' -> 1L;
                case 'K' -> 1L << 10;
                case 'M' -> 1L << 20;
                case 'G' -> 1L << 30;
                default -> 1L << 40;
            };
            number = s.substring(0, s.length() - 1);
        }
        if (isShortWholeNumber(number)) {
            // The usual spellings (-m 128, -m 64M, -m 1G) in long arithmetic (up to 999999T):
            // BigDecimal's class initialisation alone costs 10-25 ms of every start-up.
            return wholeMiB(spec, Long.parseLong(number) * unit);
        }
        BigDecimal bytes;
        try {
            if (!number.matches("[0-9]+(\\.[0-9]+)?")) {
                throw new NumberFormatException();
            }
            bytes = new BigDecimal(number).multiply(BigDecimal.valueOf(unit));
        } catch (NumberFormatException e) {
            throw notASize(spec);
        }
        BigDecimal mib = BigDecimal.valueOf(1L << 20);
        if (bytes.remainder(mib).signum() != 0) {
            throw notWhole(spec, bytes.divide(mib, 0, RoundingMode.UP).toPlainString());
        }
        BigDecimal m = bytes.divide(mib);
        if (m.compareTo(BigDecimal.valueOf(MIN_MIB)) < 0 || m.compareTo(BigDecimal.valueOf(MAX_MIB)) > 0) {
            throw outOfRange(spec);
        }
        return m.intValueExact();
    }

    private static boolean isShortWholeNumber(String number) {
        if (number.isEmpty() || number.length() > 6) {
            return false;
        }
        for (int i = 0; i < number.length(); i++) {
            if (number.charAt(i) < '0' || number.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static int wholeMiB(String spec, long bytes) {
        if (bytes % (1L << 20) != 0) {
            throw notWhole(spec, Long.toString((bytes + (1L << 20) - 1) >> 20));
        }
        long m = bytes >> 20;
        if (m < MIN_MIB || m > MAX_MIB) {
            throw outOfRange(spec);
        }
        return (int) m;
    }

    private static IllegalArgumentException notASize(String spec) {
        return new IllegalArgumentException("-m " + spec + ": not a size; give MiB (-m 128) or a number with K, M or G (-m 64M, -m 1G)");
    }

    private static IllegalArgumentException notWhole(String spec, String roundedUp) {
        return new IllegalArgumentException("-m " + spec + ": jvmx gives the guest a whole number of MiB; round it (e.g. -m "
                + roundedUp + ")");
    }

    private static IllegalArgumentException outOfRange(String spec) {
        return new IllegalArgumentException(String.format(Locale.ROOT,
                "-m %s: guest RAM must be between %d and %d MiB (RAM and the 16 MiB ROM space share one"
                        + " Java array, which holds less than 2 GiB)", spec, MIN_MIB, MAX_MIB));
    }
}
