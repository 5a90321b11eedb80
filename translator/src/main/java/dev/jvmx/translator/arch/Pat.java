package dev.jvmx.translator.arch;

/**
 * IA32_PAT (MSR 277H), the page attribute table (SDM Vol. 3A, 12.12). Memory types mean nothing
 * to an emulator without caches, so the table is only kept; the PAT bits of paging entries
 * select an entry and never an address.
 */
public final class Pat {
    /** Power-on value: WB, WT, UC-, UC in entries 0-3 and again in 4-7. */
    public static final long RESET = 0x0007040600070406L;

    private Pat() { }

    /** Every entry one of the defined types (0 UC, 1 WC, 4 WT, 5 WP, 6 WB, 7 UC-); else WRMSR is #GP(0). */
    public static boolean valid(long value) {
        for (int i = 0; i < 8; i++) {
            int type = (int) (value >>> (8 * i)) & 0xFF;
            if (type == 2 || type == 3 || type > 7) {
                return false;
            }
        }
        return true;
    }
}
