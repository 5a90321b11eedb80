package dev.jvmx.translator.decode;

import dev.jvmx.vmx.ExitReason;

/**
 * What the SDM says about an instruction beyond its encodings, in one record per
 * {@link Mnemonic}: whether LOCK may prefix it, what it does to the status flags, the privilege
 * check before it runs, the VM exit it leaves through under VT-x, and whether it ends a block.
 * Built with the small "withers" below, e.g. {@code is().lockable().flags(ALU)}.
 */
public record Facts(boolean lock, FlagEffect flagEffect, Privilege check, ExitReason exitReason, boolean blockEnd) {

    /** No lock, no flags, no privilege check, no exit. */
    public static Facts is() {
        return new Facts(false, FlagEffect.NONE, Privilege.NONE, null, false);
    }

    /** SDM Vol. 2, LOCK: accepts the prefix with a memory destination (else #UD). */
    public Facts lockable() {
        return new Facts(true, flagEffect, check, exitReason, blockEnd);
    }

    public Facts flags(FlagEffect f) {
        return new Facts(lock, f, check, exitReason, blockEnd);
    }

    public Facts privilege(Privilege p) {
        return new Facts(lock, flagEffect, p, exitReason, blockEnd);
    }

    /** The VT-x exit reason the instruction leaves through when its control says so (SDM Vol. 3C, Appendix C). */
    public Facts exit(ExitReason r) {
        return new Facts(lock, flagEffect, check, r, blockEnd);
    }

    /** Ends its block even though its family does not (it may open or close the interrupt window). */
    public Facts endsBlock() {
        return new Facts(lock, flagEffect, check, exitReason, true);
    }
}
