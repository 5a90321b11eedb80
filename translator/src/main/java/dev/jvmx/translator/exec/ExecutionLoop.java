package dev.jvmx.translator.exec;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.cpu.Eflags;
import dev.jvmx.translator.cpu.GuestFault;
import dev.jvmx.translator.helpers.Interrupts;

/**
 * The dispatcher: runs translated blocks one after another. A block returns the chain slot
 * it left through; the successor cached in that slot is entered without a hash lookup
 * (DESIGN.md rule 4). Interrupts and device time are looked at between blocks only, by
 * reading a plain field (rule 7). Guest faults arrive as the CPU's preallocated
 * {@link GuestFault} with the state of the faulting instruction restored (rule 6).
 */
public final class ExecutionLoop {
    /** Bits of {@link Cpu#interruptRequest}. */
    public static final int REQUEST_STOP = 1, REQUEST_IRQ = 2, REQUEST_SERVICE = 4;

    private final Cpu cpu;
    private final TranslationCache cache;
    private final Platform platform;
    private volatile StopReason stopRequest;
    private Block lastBlock;

    public ExecutionLoop(Cpu cpu, TranslationCache cache, Platform platform) {
        this.cpu = cpu;
        this.cache = cache;
        this.platform = platform;
    }

    /** Asks the loop to stop at the next block boundary (any thread). */
    public void requestStop(StopReason reason) {
        if (stopRequest == null) {
            stopRequest = reason;
        }
        cpu.interruptRequest |= REQUEST_STOP;
    }

    /** The block that ran last (for tools). */
    public Block lastBlock() {
        return lastBlock;
    }

    /** Executions after which a block is retranslated as a region with its successors. */
    public static final int REGION_THRESHOLD = 2000;

    /**
     * Most instructions one call of a block may run, even with no event due for longer. A region
     * then leaves through its budget check every 64K instructions (a few tens of microseconds),
     * often enough that HotSpot sees that way out taken while it profiles the region, so C2
     * compiles it instead of a trap that would deoptimise the region (see BlockCompiler).
     */
    static final int BUDGET_CHUNK = 1 << 16;

    public StopReason run() {
        stopRequest = null;
        cpu.interruptRequest &= ~REQUEST_STOP;
        Block prev = null;
        int slot = CompiledBlock.UNCHAINED;
        long deadline = platform.nextDeadline();
        while (true) {
            if (cpu.interruptRequest != 0 || cpu.instructions >= deadline || cpu.halted) {
                StopReason r = boundary();
                if (r != null) {
                    return r;
                }
                deadline = platform.nextDeadline();
                if (cpu.halted) {
                    continue;
                }
                prev = null; // an interrupt may have moved EIP
            }
            Block b = prev == null ? null : successor(prev, slot);
            if (b == null) {
                try {
                    b = cache.lookup();
                } catch (GuestFault f) {
                    StopReason r = deliverFault(f);
                    if (r != null) {
                        return r;
                    }
                    prev = null;
                    continue;
                }
                if (prev != null) {
                    link(prev, slot, b);
                }
            }
            if (++b.execCount == REGION_THRESHOLD && !b.regionTried) {
                Block region = cache.formRegion(b);
                if (region != null) {
                    b = region;
                }
            }
            cache.running = b;
            lastBlock = b;
            long left = deadline - cpu.instructions;
            cpu.budget = left > BUDGET_CHUNK ? BUDGET_CHUNK : (int) left;
            try {
                slot = b.code.execute(cpu);
                prev = b;
                if (cpu.interruptShadow) {
                    // Look at the boundary after this block, so the shadow lasts exactly one block.
                    cpu.interruptRequest |= REQUEST_SERVICE;
                }
            } catch (GuestFault f) {
                // Delivery below writes guest memory: it must not count as a write into this block.
                cache.running = null;
                int i = cpu.faultIndex;
                cpu.instructions += i - b.blockStartOf[i];
                cpu.eip = b.insnEip[i];
                prev = null;
                if (f.vector == GuestFault.SMC_RESTART) {
                    StopReason r = stepAlone();
                    if (r != null) {
                        return r;
                    }
                    continue;
                }
                StopReason r = deliverFault(f);
                if (r != null) {
                    return r;
                }
            } finally {
                cache.running = null;
            }
        }
    }

    /**
     * The block to run after {@code prev} left through {@code slot}, found without a hash
     * lookup: a chain link for direct exits, the per-site target cache for near indirect
     * ones. Null when nothing valid is cached.
     */
    private Block successor(Block prev, int slot) {
        int epoch = cpu.mmu.flushEpoch;
        if (slot != CompiledBlock.UNCHAINED && slot != CompiledBlock.INDIRECT) {
            Block b = prev.next[slot];
            if (b != null && b.valid && prev.nextEpoch[slot] == epoch && b.eip == cpu.eip) {
                b.chainedEntries++;
                return b;
            }
            return null;
        }
        if (slot == CompiledBlock.INDIRECT && prev.indirect != null) {
            int eip = cpu.eip;
            int w = Block.indirectWay(eip);
            Block b = prev.indirect[w];
            if (b != null && b.eip == eip && b.valid && prev.indirectEpoch[w] == epoch) {
                b.chainedEntries++;
                return b;
            }
        }
        return null;
    }

    private void link(Block prev, int slot, Block b) {
        int epoch = cpu.mmu.flushEpoch;
        if (slot != CompiledBlock.UNCHAINED && slot != CompiledBlock.INDIRECT) {
            prev.next[slot] = b;
            prev.nextEpoch[slot] = epoch;
        } else if (slot == CompiledBlock.INDIRECT && b.mode == prev.mode && b.csBase == prev.csBase) {
            if (prev.indirect == null) {
                prev.indirect = new Block[Block.INDIRECT_WAYS];
                prev.indirectEpoch = new int[Block.INDIRECT_WAYS];
            }
            int w = Block.indirectWay(b.eip);
            prev.indirect[w] = b;
            prev.indirectEpoch[w] = epoch;
        }
    }

    /** Runs the instruction at EIP as a block of its own (after a write into the running block). */
    private StopReason stepAlone() {
        Block one;
        try {
            one = cache.translateUncached(1);
        } catch (GuestFault f) {
            return deliverFault(f);
        }
        cache.running = one;
        cpu.budget = 1;
        try {
            one.code.execute(cpu);
        } catch (GuestFault f) {
            cache.running = null;
            cpu.eip = one.insnEip[0];
            return deliverFault(f);
        } finally {
            cache.running = null;
        }
        return null;
    }

    private StopReason deliverFault(GuestFault f) {
        try {
            Interrupts.deliverException(cpu, f.vector, f.hasErrorCode, f.errorCode);
            cpu.halted = false;
            return null;
        } catch (Interrupts.TripleFault t) {
            return new StopReason(StopReason.Kind.TRIPLE_FAULT, 3,
                    t.getMessage() + String.format(" at %04x:%08x", cpu.seg[1].selector, cpu.eip));
        }
    }

    /** An NMI that is not blocked, or an interrupt request that IF lets through. */
    private boolean eventWaiting() {
        return (platform.nmiPending() && !cpu.nmiBlocked)
                || ((cpu.eflags & Eflags.IF) != 0 && platform.interruptPending());
    }

    private StopReason boundary() {
        if ((cpu.interruptRequest & REQUEST_STOP) != 0 && stopRequest != null) {
            return stopRequest;
        }
        cpu.interruptRequest = 0;
        StopReason r = platform.service(cpu);
        if (r != null) {
            return r;
        }
        if (stopRequest != null) {
            return stopRequest;
        }
        if (cpu.interruptShadow) {
            // The block that just ran ended with STI / MOV SS / POP SS (they end their block):
            // the next instruction runs before any interrupt is taken, and only that one.
            cpu.interruptShadow = false;
            if (!eventWaiting()) {
                cpu.interruptRequest |= REQUEST_SERVICE;
                return null;
            }
            r = stepAlone();
            if (r != null) {
                return r;
            }
            if (cpu.interruptShadow) {
                cpu.interruptRequest |= REQUEST_SERVICE; // it opened a shadow of its own
                return null;
            }
        }
        if (platform.nmiPending()) {
            if (!cpu.nmiBlocked) {
                // NMI: vector 2 whatever IF says; NMIs stay blocked until the handler's IRET.
                platform.acknowledgeNmi();
                cpu.nmiBlocked = true;
                try {
                    Interrupts.deliverExternal(cpu, dev.jvmx.translator.cpu.Vector.NMI);
                } catch (Interrupts.TripleFault t) {
                    return new StopReason(StopReason.Kind.TRIPLE_FAULT, 3, t.getMessage());
                }
                cpu.halted = false;
                cpu.interruptRequest |= REQUEST_SERVICE;
                return null;
            }
            // Blocked until the handler's IRET, which asks for a look (Cpu.REQUEST_EVENT_WINDOW).
        }
        if ((cpu.eflags & Eflags.IF) != 0 && platform.interruptPending()) {
            int vector = platform.acknowledgeInterrupt();
            if (vector >= 0) {
                try {
                    Interrupts.deliverExternal(cpu, vector);
                } catch (Interrupts.TripleFault t) {
                    return new StopReason(StopReason.Kind.TRIPLE_FAULT, 3, t.getMessage());
                }
            }
            cpu.halted = false;
        }
        // A request IF holds back waits: STI opens a shadow (see above); POPF, IRET and task
        // switches that set IF end their block and ask for a look (Cpu.REQUEST_EVENT_WINDOW).
        if (cpu.halted) {
            if ((cpu.eflags & Eflags.IF) == 0) {
                return new StopReason(StopReason.Kind.HALTED, 0,
                        String.format("guest halted with interrupts disabled at %04x:%08x", cpu.seg[1].selector, cpu.eip));
            }
            r = platform.waitForInterrupt(cpu);
            if (r != null) {
                return r;
            }
            cpu.interruptRequest |= REQUEST_SERVICE;
        }
        return null;
    }
}
