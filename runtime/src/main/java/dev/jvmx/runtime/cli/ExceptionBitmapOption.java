package dev.jvmx.runtime.cli;

import dev.jvmx.runtime.MachineConfig;

import java.util.Locale;

/**
 * {@code --exception-bitmap LIST}: the exceptions that leave the guest as VM exits (SDM Vol. 3C,
 * 24.6.3), which the VMM counts ({@code --exit-stats}) and reflects into the guest. LIST is
 * comma-separated: exception mnemonics as the SDM names them (PF or #PF, GP, UD, BP ...), vector
 * numbers 0-31, a whole bitmap as 0x..., {@code none}, and {@code pfec-mask=N} and
 * {@code pfec-match=N}, the page-fault error-code mask and match that decide which #PFs bit 14
 * selects.
 */
final class ExceptionBitmapOption {
    /** Vectors 0-21 by mnemonic (SDM Vol. 3A, Table 6-1); 2 is the NMI, which the bitmap does not govern. */
    private static final String[] MNEMONICS = {"DE", "DB", null, "BP", "OF", "BR", "UD", "NM", "DF", null, "TS",
        "NP", "SS", "GP", "PF", null, "MF", "AC", "MC", "XM", "VE", "CP"};

    private ExceptionBitmapOption() { }

    /** Sets the configuration's bitmap, mask and match from {@code list}; a bad item is an IllegalArgumentException. */
    static void apply(String list, MachineConfig cfg) {
        int bitmap = 0;
        for (String raw : list.split(",")) {
            String item = raw.trim();
            String lower = item.toLowerCase(Locale.ROOT);
            if (lower.startsWith("pfec-mask=")) {
                cfg.pfErrorCodeMask = number(item.substring(10), item);
            } else if (lower.startsWith("pfec-match=")) {
                cfg.pfErrorCodeMatch = number(item.substring(11), item);
            } else if (lower.equals("none")) {
                continue;
            } else if (lower.startsWith("0x")) {
                bitmap |= number(item, item);
            } else if (!item.isEmpty() && Character.isDigit(item.charAt(0))) {
                int v = number(item, item);
                if (v > 31) {
                    throw new IllegalArgumentException("--exception-bitmap: vector " + v + " is not an exception (0-31)");
                }
                bitmap |= 1 << v;
            } else {
                bitmap |= 1 << vector(item);
            }
        }
        cfg.exceptionBitmap = bitmap;
    }

    private static int vector(String item) {
        String name = item.toUpperCase(Locale.ROOT);
        if (name.startsWith("#")) {
            name = name.substring(1);
        }
        if (name.equals("NMI")) {
            throw new IllegalArgumentException("--exception-bitmap: NMIs exit with --nmi-exiting, not through the exception bitmap");
        }
        for (int v = 0; v < MNEMONICS.length; v++) {
            if (name.equals(MNEMONICS[v])) {
                return v;
            }
        }
        throw new IllegalArgumentException("--exception-bitmap: unknown exception '" + item
                + "' (use DE DB BP OF BR UD NM DF TS NP SS GP PF MF AC MC XM VE CP, a vector 0-31, 0xMASK,"
                + " pfec-mask=N, pfec-match=N or none)");
    }

    private static int number(String s, String item) {
        try {
            return (int) Long.decode(s.trim()).longValue();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--exception-bitmap: '" + item + "' is not a number");
        }
    }
}
