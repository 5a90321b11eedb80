package dev.jvmx.runtime.inspect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A guest's code symbols, for naming the blocks of a dump: the text symbols of a symbol table in
 * the form {@code nm}, {@code System.map} and {@code /proc/kallsyms} share ({@code ADDRESS TYPE
 * NAME [MODULE]}, the address in hex). A block is named after the last text symbol at or below
 * its linear address. Lines of other symbol types and lines in no such form are skipped, so a
 * file with a header or a guest's whole {@code /proc/kallsyms} reads as it is.
 */
public final class SymbolTable {
    /** A 32-bit address in hex, as the first field of a line. */
    private static final Pattern ADDRESS = Pattern.compile("[0-9a-fA-F]{1,8}");

    private final int[] addresses;
    private final String[] names;

    private SymbolTable(int[] addresses, String[] names) {
        this.addresses = addresses;
        this.names = names;
    }

    /** Reads the text symbols (types T, t, W and w) of {@code in}; throws when it holds none. */
    public static SymbolTable read(Reader in) throws IOException {
        TreeMap<Long, String> byAddress = new TreeMap<>();
        BufferedReader r = new BufferedReader(in);
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 3 || f[1].length() != 1 || "TtWw".indexOf(f[1].charAt(0)) < 0
                    || !ADDRESS.matcher(f[0]).matches()) {
                continue;
            }
            // Aliases at one address: the first name listed stays.
            byAddress.putIfAbsent(Long.parseLong(f[0], 16), f[2]);
        }
        if (byAddress.isEmpty()) {
            throw new IOException("no text symbols (lines 'ADDRESS T NAME', as in System.map or /proc/kallsyms)");
        }
        int[] a = new int[byAddress.size()];
        String[] n = new String[a.length];
        int i = 0;
        for (Map.Entry<Long, String> e : byAddress.entrySet()) {
            a[i] = (int) (long) e.getKey();
            n[i++] = e.getValue();
        }
        return new SymbolTable(a, n);
    }

    /** Text symbols read. */
    public int size() {
        return addresses.length;
    }

    /** The symbol at or below {@code linear} (taken as unsigned), or null below the first. */
    public String function(int linear) {
        int i = index(linear);
        return i < 0 ? null : names[i];
    }

    /** {@code linear} as symbol+offset ({@code memcpy+0x1c}), or null below the first symbol. */
    public String describe(int linear) {
        int i = index(linear);
        if (i < 0) {
            return null;
        }
        int offset = linear - addresses[i];
        return offset == 0 ? names[i] : names[i] + "+0x" + Integer.toHexString(offset);
    }

    private int index(int linear) {
        // Unsigned order: the addresses are sorted as unsigned, so search with the sign bit flipped.
        int key = linear ^ Integer.MIN_VALUE;
        int lo = 0, hi = addresses.length - 1, found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if ((addresses[mid] ^ Integer.MIN_VALUE) <= key) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }
}
