package dev.jvmx.bench;

import dev.jvmx.translator.bare.BareMachine;
import dev.jvmx.translator.exec.StopReason;

/**
 * A {@link ColdCodeGuest} in a bare machine, with the engine a benchmark asks for: {@code tier1}
 * (first-tier handlers only), {@code tier2} (every block translated on the guest's thread before
 * its first run) or {@code tiered} (the default engine: first tier, blocks that prove hot
 * translated by the background worker).
 */
final class ColdCodeRun implements AutoCloseable {
    static final String TIER1 = "tier1", TIER2 = "tier2", TIERED = "tiered";

    final ColdCodeGuest guest;
    final BareMachine machine;

    ColdCodeRun(ColdCodeGuest guest, String engine) {
        this.guest = guest;
        machine = new BareMachine(guest.ramBytes);
        machine.limit = Long.MAX_VALUE;
        switch (engine) {
            case TIER1:
                machine.useTier(1);
                break;
            case TIER2:
                machine.useTier(2);
                break;
            case TIERED:
                // BareMachine translates synchronously for its harnesses; the engine's default is the worker.
                machine.loop.setSynchronousTranslation(false);
                break;
            default:
                throw new IllegalArgumentException("engine must be tier1, tier2 or tiered: " + engine);
        }
        machine.load(ColdCodeGuest.CODE, guest.code);
        machine.resetFlat32(guest.entry(), ColdCodeGuest.STACK_TOP);
    }

    /**
     * Runs the guest from its entry to its HLT, with the data area as generated (so that every run
     * takes the same path); returns the guest instructions retired.
     */
    long run() {
        machine.load(guest.data, guest.dataInit);
        // Not a reset: its TLB flush would make every block's first entry of the run a lookup,
        // where a guest that runs its code again finds it through the chain links.
        machine.restartFlat32(guest.entry(), ColdCodeGuest.STACK_TOP);
        long before = machine.cpu.instructions;
        StopReason r = machine.run();
        if (r.kind != StopReason.Kind.HALTED || machine.cpu.eip != guest.end) {
            throw new IllegalStateException("the cold-code guest did not reach its final HLT: " + r + " at "
                    + Integer.toHexString(machine.cpu.eip));
        }
        return machine.cpu.instructions - before;
    }

    /** Ends the machine's translation worker thread, which would otherwise keep its RAM reachable. */
    @Override
    public void close() {
        machine.loop.close();
    }
}
