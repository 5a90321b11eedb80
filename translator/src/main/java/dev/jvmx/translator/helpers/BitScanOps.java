package dev.jvmx.translator.helpers;

import dev.jvmx.translator.arch.Eflags;
import dev.jvmx.translator.flags.LazyFlags;

/**
 * BSF and BSR (SDM Vol. 2). A zero source sets ZF and leaves the destination unchanged (the
 * translated code skips the store); otherwise ZF is 0 and the destination gets the index.
 *
 * <p>Undefined flags, as the reference host (Intel) produces them: CF, OF, SF, AF are 0 and PF
 * is the parity of the index (PF = 1 for a zero source, the parity of 0).
 */
public final class BitScanOps {
    private BitScanOps() { }

    /** Index of the lowest set bit of a non-zero source. */
    public static int bsf(int src) {
        return Integer.numberOfTrailingZeros(src);
    }

    /** Index of the highest set bit of a non-zero (zero-extended) source. */
    public static int bsr(int src) {
        return 31 - Integer.numberOfLeadingZeros(src);
    }

    /** The six flags after BSF/BSR with source {@code src} and the computed index {@code idx}. */
    public static int flags(int src, int idx) {
        if (src == 0) {
            return Eflags.ZF | Eflags.PF;
        }
        return LazyFlags.parity(idx) << 2;
    }
}
