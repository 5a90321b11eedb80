package dev.jvmx.translator.decode;

import dev.jvmx.vmx.ExitReason;

/**
 * What the SDM says about an instruction beyond its encodings, in one record per
 * {@link Mnemonic}: whether LOCK may prefix it, what it does to the status flags, the privilege
 * check before it runs, the VM exit it leaves through under VT-x, whether it ends a block, and
 * whether a 66, F2 or F3 prefix makes it another instruction (the SDM's "NP").
 * Built with the small "withers" below, e.g. {@code is().lockable().flags(ALU)}.
 */
public record Facts(boolean lock, FlagEffect flagEffect, Privilege check, ExitReason exitReason, boolean blockEnd,
        boolean unprefixedOnly) {

    /** No lock, no flags, no privilege check, no exit. */
    public static Facts is() {
        return new Facts(false, FlagEffect.NONE, Privilege.NONE, null, false, false);
    }

    /** SDM Vol. 2, LOCK: accepts the prefix with a memory destination (else #UD). */
    public Facts lockable() {
        return new Facts(true, flagEffect, check, exitReason, blockEnd, unprefixedOnly);
    }

    public Facts flags(FlagEffect f) {
        return new Facts(lock, f, check, exitReason, blockEnd, unprefixedOnly);
    }

    public Facts privilege(Privilege p) {
        return new Facts(lock, flagEffect, p, exitReason, blockEnd, unprefixedOnly);
    }

    /** The VT-x exit reason the instruction leaves through when its control says so (SDM Vol. 3C, Appendix C). */
    public Facts exit(ExitReason r) {
        return new Facts(lock, flagEffect, check, r, blockEnd, unprefixedOnly);
    }

    /** Ends its block even though its family does not (it may open or close the interrupt window). */
    public Facts endsBlock() {
        return new Facts(lock, flagEffect, check, exitReason, true, unprefixedOnly);
    }

    /**
     * The SDM's "NP": with a 66, F2 or F3 prefix the encoding is another instruction (TPAUSE,
     * UMWAIT ... for the fences), none of which jvmx's CPU has, so the prefixed form is #UD.
     */
    public Facts np() {
        return new Facts(lock, flagEffect, check, exitReason, blockEnd, true);
    }
}
